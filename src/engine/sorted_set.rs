//! The sorted-set type: members ordered by score, then by member bytes, with ranks in O(log n).
//!
//! Redis keeps a sorted set as a hash table (member → score) plus a skip list whose links carry
//! spans, so that it can find the element at a rank, or the rank of an element, in O(log n). We keep
//! the same two views with a structure that is simpler to get right in safe Rust:
//!
//! - `index`: member → score, for ZSCORE and for finding an element's place;
//! - `chunks`: the elements in order, cut into sorted runs of at most [`CHUNK_MAX`] entries, plus a
//!   Fenwick tree over the runs' lengths. The run holding a given element is found by binary search
//!   over the runs' last entries, the run holding a given rank by descending the Fenwick tree, and
//!   the rank of a run's first element is a Fenwick prefix sum; all O(log n). Inserting or removing
//!   moves at most one run's entries (a few kilobytes of `memmove`).
//!
//! A short member (up to [`INLINE_MAX`] bytes, the usual leaderboard name) is stored inline in both
//! views, so comparisons during a search touch no other memory; a longer one is stored once and
//! shared (`Arc<[u8]>`, so an engine stays `Send`). The runs' last entries are also kept side by side,
//! so finding a run is a binary search over one contiguous array.
//! The order is Redis': by score, where `-0` and `0` are equal, then by member bytes as `memcmp`
//! (a shorter member that is a prefix of a longer one comes first). NaN is never stored.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use super::config::ListpackLimits;
use super::scan::{dict_scan, dict_slots, scan_hash};

/// A score with the total order Redis uses among scores (never NaN; -0 equals 0).
#[derive(Clone, Copy, Debug)]
pub struct Score(pub f64);

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Score {}
impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Score {
    #[inline]
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.partial_cmp(&other.0).unwrap_or(Ordering::Equal)
    }
}

/// Most entries a run holds; a run that grows past it is split in two halves.
const CHUNK_MAX: usize = 128;
/// A run shorter than this after a removal is merged into a neighbour, if they fit in one run.
const CHUNK_MIN: usize = CHUNK_MAX / 4;

/// Redis' `zset-max-listpack-entries` default: a larger set leaves the listpack encoding.
pub const LISTPACK_MAX_ENTRIES: usize = 128;
/// Redis' `zset-max-listpack-value` default: a longer member makes the set leave the listpack.
pub const LISTPACK_MAX_VALUE: usize = 64;

/// Bytes counted per member besides its own bytes: the ordered entry, the index slot and the shared
/// allocation's header, with typical slack.
const PER_MEMBER_BYTES: usize = 96;
/// Bytes counted for an empty set.
const BASE_BYTES: usize = 64;

/// Members up to this many bytes are stored inline.
pub const INLINE_MAX: usize = 22;

/// A member's bytes: inline when short, else one shared allocation.
#[derive(Clone)]
enum Member {
    Inline { len: u8, buf: [u8; INLINE_MAX] },
    Shared(Arc<[u8]>),
}

impl Member {
    fn new(bytes: &[u8]) -> Member {
        if bytes.len() <= INLINE_MAX {
            let mut buf = [0u8; INLINE_MAX];
            buf[..bytes.len()].copy_from_slice(bytes);
            Member::Inline {
                len: bytes.len() as u8,
                buf,
            }
        } else {
            Member::Shared(Arc::from(bytes))
        }
    }

    #[inline]
    fn as_slice(&self) -> &[u8] {
        match self {
            Member::Inline { len, buf } => buf.get(..usize::from(*len)).unwrap_or(buf),
            Member::Shared(bytes) => bytes,
        }
    }
}

impl std::fmt::Debug for Member {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.as_slice()))
    }
}

impl PartialEq for Member {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}
impl Eq for Member {}

/// Hashes exactly as `[u8]` does, so the index can be searched with a plain slice.
impl Hash for Member {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl Borrow<[u8]> for Member {
    #[inline]
    fn borrow(&self) -> &[u8] {
        self.as_slice()
    }
}

/// One element in the ordered view.
#[derive(Clone, Debug)]
struct Entry {
    score: f64,
    member: Member,
}

/// Redis' element order: score, then member bytes.
#[inline]
fn order(score_a: f64, member_a: &[u8], score_b: f64, member_b: &[u8]) -> Ordering {
    Score(score_a)
        .cmp(&Score(score_b))
        .then_with(|| member_a.cmp(member_b))
}

impl Entry {
    #[inline]
    fn cmp_key(&self, score: f64, member: &[u8]) -> Ordering {
        order(self.score, self.member.as_slice(), score, member)
    }
}

/// A Fenwick (binary indexed) tree over run lengths: prefix sums and "which run holds rank r".
#[derive(Clone, Debug, Default)]
struct Fenwick {
    /// 1-based: `tree[i]` sums the lengths of runs `(i - lowbit(i), i]`; `tree[0]` is unused.
    tree: Vec<usize>,
}

impl Fenwick {
    /// Builds the tree for runs of these lengths, in O(runs).
    fn build(lengths: impl Iterator<Item = usize>) -> Fenwick {
        let mut tree = vec![0];
        tree.extend(lengths);
        let n = tree.len();
        for i in 1..n {
            let parent = i + (i & i.wrapping_neg());
            if parent < n {
                let add = tree[i];
                tree[parent] += add;
            }
        }
        Fenwick { tree }
    }

    /// Run `run` grew by one.
    fn increment(&mut self, run: usize) {
        let mut i = run + 1;
        while let Some(slot) = self.tree.get_mut(i) {
            *slot += 1;
            i += i & i.wrapping_neg();
        }
    }

    /// Run `run` shrank by one.
    fn decrement(&mut self, run: usize) {
        let mut i = run + 1;
        while let Some(slot) = self.tree.get_mut(i) {
            *slot = slot.saturating_sub(1);
            i += i & i.wrapping_neg();
        }
    }

    /// The number of entries in runs `0..run`.
    fn prefix(&self, run: usize) -> usize {
        let mut i = run.min(self.tree.len().saturating_sub(1));
        let mut sum = 0;
        while i > 0 {
            sum += self.tree.get(i).copied().unwrap_or(0);
            i &= i - 1;
        }
        sum
    }

    /// The run holding 0-based rank `rank`, and the rank's offset inside it. A rank past the end
    /// gives the number of runs.
    fn find(&self, rank: usize) -> (usize, usize) {
        let n = self.tree.len().saturating_sub(1);
        let mut pos = 0;
        let mut rest = rank;
        let mut step = if n == 0 { 0 } else { 1 << n.ilog2() };
        while step > 0 {
            let next = pos + step;
            if let Some(&sum) = self.tree.get(next) {
                if sum <= rest {
                    pos = next;
                    rest -= sum;
                }
            }
            step >>= 1;
        }
        (pos, rest)
    }
}

/// A sorted set: member → score, iterable in Redis' order, with ranks.
#[derive(Clone, Debug, Default)]
pub struct SortedSet {
    index: HashMap<Member, f64>,
    /// Non-empty sorted runs, in order.
    chunks: Vec<Vec<Entry>>,
    /// A copy of each run's last entry (`lasts[i]` is `chunks[i]`'s), side by side for searching.
    lasts: Vec<Entry>,
    /// The runs' lengths.
    counts: Fenwick,
    bytes: usize,
    /// Redis would have converted this set to its skip-list encoding (see [`SortedSet::is_listpack`]).
    skiplist: bool,
    /// The thresholds in force (`zset-max-listpack-*`), handed over by the keyspace with every
    /// lookup for writing; `None` for Redis' defaults.
    limits: Option<ListpackLimits>,
}

impl PartialEq for SortedSet {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

type Runs<'a> = std::iter::Chain<
    std::iter::Chain<
        std::slice::Iter<'a, Entry>,
        std::iter::Flatten<std::slice::Iter<'a, Vec<Entry>>>,
    >,
    std::slice::Iter<'a, Entry>,
>;

/// Members with their scores, in order, from either end (see [`SortedSet::range`]).
#[derive(Clone, Debug)]
pub struct Iter<'a> {
    inner: Runs<'a>,
    remaining: usize,
}

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a [u8], f64);

    fn next(&mut self) -> Option<Self::Item> {
        let e = self.inner.next()?;
        self.remaining = self.remaining.saturating_sub(1);
        Some(entry_pair(e))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.remaining, Some(self.remaining))
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let e = self.inner.next_back()?;
        self.remaining = self.remaining.saturating_sub(1);
        Some(entry_pair(e))
    }
}

impl ExactSizeIterator for Iter<'_> {}

fn entry_pair(e: &Entry) -> (&[u8], f64) {
    (e.member.as_slice(), e.score)
}

impl SortedSet {
    /// An empty sorted set.
    pub fn new() -> SortedSet {
        SortedSet::default()
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// True when there is no member (such a set never stays in the keyspace).
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The score of `member`.
    pub fn score(&self, member: &[u8]) -> Option<f64> {
        self.index.get(member).copied()
    }

    /// An empty sorted set that leaves the listpack encoding past `limits`.
    pub fn with_limits(limits: ListpackLimits) -> SortedSet {
        SortedSet {
            limits: Some(limits),
            ..SortedSet::default()
        }
    }

    /// Sets the thresholds past which the set leaves the listpack encoding.
    pub fn set_limits(&mut self, limits: ListpackLimits) {
        self.limits = Some(limits);
    }

    /// The thresholds in force (`zset-max-listpack-entries` / `-value`).
    pub fn limits(&self) -> ListpackLimits {
        self.limits.unwrap_or(ListpackLimits {
            entries: LISTPACK_MAX_ENTRIES,
            value: LISTPACK_MAX_VALUE,
        })
    }

    /// True while Redis would keep this set in its compact listpack encoding: at most
    /// [`LISTPACK_MAX_ENTRIES`] members, none longer than [`LISTPACK_MAX_VALUE`] bytes, ever (Redis
    /// never converts back). It shows: a listpack stores an integral score as an integer, so a `-0`
    /// score reads back as `0`; and ZRANGE BYLEX on a set whose scores differ walks a listpack
    /// linearly.
    pub fn is_listpack(&self) -> bool {
        !self.skiplist
    }

    /// An empty set already in the skip-list encoding, as Redis' `createZsetObject` makes for the
    /// results of ZUNIONSTORE and its kin (and ZRANGESTORE past 128 members): scores keep their
    /// bits, `-0` included, until [`SortedSet::convert_to_listpack_if_needed`].
    pub fn new_skiplist() -> SortedSet {
        SortedSet {
            skiplist: true,
            ..SortedSet::default()
        }
    }

    /// Redis' `zsetConvertToListpackIfNeeded`: a skip list of at most `zset-max-listpack-entries`
    /// members, none longer than `zset-max-listpack-value` bytes (the [`SortedSet::limits`] in
    /// force), becomes a listpack — whose integral scores are stored as integers, so a `-0`
    /// becomes `0`.
    pub fn convert_to_listpack_if_needed(&mut self) {
        let limits = self.limits();
        let fits = self.len() <= limits.entries
            && self
                .index
                .keys()
                .all(|m| m.as_slice().len() <= limits.value);
        if !self.skiplist || !fits {
            return;
        }
        self.skiplist = false;
        let zero = |s: &mut f64| {
            if *s == 0.0 {
                *s = 0.0;
            }
        };
        self.index.values_mut().for_each(zero);
        for entry in self
            .chunks
            .iter_mut()
            .flatten()
            .chain(self.lasts.iter_mut())
        {
            zero(&mut entry.score);
        }
    }

    /// Removes and returns the member with the lowest score (the highest with `max`).
    pub fn pop(&mut self, max: bool) -> Option<(Vec<u8>, f64)> {
        let rank = if max { self.len().checked_sub(1)? } else { 0 };
        let (member, score) = self.get_by_rank(rank)?;
        let member = member.to_vec();
        self.remove(&member);
        Some((member, score))
    }

    /// Sets `member`'s score to `score` — exactly, bits included, except that in a listpack (see
    /// [`SortedSet::is_listpack`]) `-0` becomes `0`, as in Redis; true when the member is new.
    /// `score` must not be NaN (Redis refuses NaN before it gets here); a NaN is ignored.
    pub fn insert(&mut self, member: &[u8], score: f64) -> bool {
        if score.is_nan() {
            return false;
        }
        // zzlInsertAt stores an integral score as an integer (double2ll): -0 is stored as 0.
        let listpack_score = |s: f64| if s == 0.0 { 0.0 } else { s };
        if let Some(slot) = self.index.get_mut(member) {
            let score = if self.skiplist {
                score
            } else {
                listpack_score(score)
            };
            let old = std::mem::replace(slot, score);
            let Some((run, i)) = self.locate(old, member) else {
                return false;
            };
            if Score(old) == Score(score) {
                // Same place in the order: only the bits may change (0 and -0).
                if let Some(e) = self.chunks.get_mut(run).and_then(|c| c.get_mut(i)) {
                    e.score = score;
                }
                self.refresh_last(run);
                return false;
            }
            if !self.move_within_run(run, i, score) {
                if let Some(mut entry) = self.take_at(run, i) {
                    entry.score = score;
                    self.put(entry);
                }
            }
            return false;
        }
        let max = self.limits();
        if self.len() >= max.entries || member.len() > max.value {
            self.skiplist = true;
        }
        let score = if self.skiplist {
            score
        } else {
            listpack_score(score)
        };
        let member = Member::new(member);
        self.bytes += PER_MEMBER_BYTES + heap_bytes(member.as_slice());
        self.index.insert(member.clone(), score);
        self.put(Entry { score, member });
        true
    }

    /// Removes `member`; true when it was there.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        let Some(score) = self.index.remove(member) else {
            return false;
        };
        if let Some((run, i)) = self.locate(score, member) {
            self.take_at(run, i);
        }
        self.bytes -= PER_MEMBER_BYTES + heap_bytes(member);
        true
    }

    /// The 0-based rank of `member`, lowest score first (Redis' ZRANK).
    pub fn rank(&self, member: &[u8]) -> Option<usize> {
        let score = self.score(member)?;
        let (run, i) = self.locate(score, member)?;
        Some(self.counts.prefix(run) + i)
    }

    /// The member and score at 0-based `rank`, lowest score first.
    pub fn get_by_rank(&self, rank: usize) -> Option<(&[u8], f64)> {
        let (run, i) = self.counts.find(rank);
        self.chunks.get(run)?.get(i).map(entry_pair)
    }

    /// How many elements, from the lowest, satisfy `pred(score, member)`. `pred` must hold for a
    /// prefix of the order and fail for the rest (as "score < x" does); O(log n).
    pub fn partition_point(&self, mut pred: impl FnMut(f64, &[u8]) -> bool) -> usize {
        let run = self
            .lasts
            .partition_point(|e| pred(e.score, e.member.as_slice()));
        let inside = self.chunks.get(run).map_or(0, |c| {
            c.partition_point(|e| pred(e.score, e.member.as_slice()))
        });
        self.counts.prefix(run) + inside
    }

    /// Members with their scores at ranks `start..end` (clamped to the set), lowest score first;
    /// reversible. O(log n) to start, O(1) per element.
    pub fn range(&self, start: usize, end: usize) -> Iter<'_> {
        let end = end.min(self.len());
        let start = start.min(end);
        let (first_run, first_i) = self.counts.find(start);
        let (last_run, last_i) = self.counts.find(end);
        let empty: &[Entry] = &[];
        let run_slice = |run: usize| self.chunks.get(run).map_or(empty, Vec::as_slice);
        let (head, middle, tail) = if first_run == last_run {
            let head = run_slice(first_run).get(first_i..last_i).unwrap_or(empty);
            (head, &self.chunks[..0], empty)
        } else {
            let head = run_slice(first_run).get(first_i..).unwrap_or(empty);
            let middle = self
                .chunks
                .get(first_run + 1..last_run)
                .unwrap_or(&self.chunks[..0]);
            let tail = run_slice(last_run).get(..last_i).unwrap_or(empty);
            (head, middle, tail)
        };
        Iter {
            inner: head
                .iter()
                .chain(middle.iter().flatten())
                .chain(tail.iter()),
            remaining: end - start,
        }
    }

    /// Members with their scores, lowest score first (ties by member bytes); reversible.
    pub fn iter(&self) -> Iter<'_> {
        self.range(0, self.len())
    }

    /// One ZSCAN call from `cursor` asking for `count` elements: the cursor to continue from (0 at
    /// the end) and the members with their scores. A listpack answers whole, in order, with cursor
    /// 0, as Redis does; a skip list's dict is walked bucket by bucket (see
    /// [`crate::engine::scan`]), its size modelled from the member count (Redis' dict grows one
    /// insertion at a time and shrinks below 10 % full; a model that resizes at every power of two
    /// keeps the same guarantee: every member present throughout a scan is returned).
    pub fn scan(&self, cursor: u64, count: i64) -> (u64, Vec<(&[u8], f64)>) {
        if !self.skiplist {
            return (0, self.iter().collect());
        }
        let mut order: Vec<(u64, (&[u8], f64))> = self
            .index
            .iter()
            .map(|(m, &s)| (scan_hash(m.as_slice()).reverse_bits(), (m.as_slice(), s)))
            .collect();
        order.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1 .0.cmp(b.1 .0)));
        // scanGenericCommand doubles COUNT for a sorted set (a member and its score per element),
        // in C's wrapping arithmetic, and allows ten buckets per entry asked for.
        let want = count.wrapping_mul(2);
        let max_iterations = want.wrapping_mul(10);
        let slots = dict_slots(self.len());
        let (next, range) = dict_scan(&order, slots, cursor, (want as u64, 2), max_iterations);
        (next, order[range].iter().map(|(_, e)| *e).collect())
    }

    /// Estimated bytes (payload plus a fixed overhead per member); O(1).
    pub fn approx_bytes(&self) -> usize {
        BASE_BYTES + self.bytes
    }

    /// The run and offset of the entry (`score`, `member`), if present.
    fn locate(&self, score: f64, member: &[u8]) -> Option<(usize, usize)> {
        let less = |e: &Entry| e.cmp_key(score, member) == Ordering::Less;
        let run = self.lasts.partition_point(less);
        let chunk = self.chunks.get(run)?;
        let i = chunk.partition_point(less);
        let e = chunk.get(i)?;
        (e.cmp_key(score, member) == Ordering::Equal).then_some((run, i))
    }

    /// Gives the entry at (`run`, `i`) the new `score` if its new place is in the same run (the
    /// common case of a small increment in a leaderboard): only the entries in between move, and no
    /// count changes. False, with nothing changed, when the entry must go to another run.
    fn move_within_run(&mut self, run: usize, i: usize, score: f64) -> bool {
        let Some(chunk) = self.chunks.get(run) else {
            return false;
        };
        let Some(member) = chunk.get(i).map(|e| e.member.as_slice()) else {
            return false;
        };
        let less = |e: &Entry| e.cmp_key(score, member) == Ordering::Less;
        // The new place must lie after the previous run's last entry and before the next run's
        // first one.
        let after_previous = run == 0 || self.lasts.get(run - 1).is_some_and(less);
        let before_next = match self.chunks.get(run + 1).and_then(|c| c.first()) {
            Some(next) => next.cmp_key(score, member) == Ordering::Greater,
            None => true,
        };
        if !(after_previous && before_next) {
            return false;
        }
        // Where the entry goes once taken out: entries before it that stay before it.
        let j = chunk.partition_point(less);
        let Some(chunk) = self.chunks.get_mut(run) else {
            return false;
        };
        let target = if j > i {
            let target = j - 1;
            if let Some(part) = chunk.get_mut(i..=target) {
                part.rotate_left(1);
            }
            target
        } else {
            if let Some(part) = chunk.get_mut(j..=i) {
                part.rotate_right(1);
            }
            j
        };
        let len = chunk.len();
        if let Some(e) = chunk.get_mut(target) {
            e.score = score;
        }
        if i + 1 == len || target + 1 == len {
            self.refresh_last(run);
        }
        true
    }

    /// Puts an entry (not present yet) in its place in the order.
    fn put(&mut self, entry: Entry) {
        let less = |e: &Entry| e.cmp_key(entry.score, entry.member.as_slice()) == Ordering::Less;
        let last = self.chunks.len().saturating_sub(1);
        let run = self.lasts.partition_point(less).min(last);
        let Some(chunk) = self.chunks.get_mut(run) else {
            self.lasts.push(entry.clone());
            self.chunks.push(vec![entry]);
            self.counts = Fenwick::build(std::iter::once(1));
            return;
        };
        let i = chunk.partition_point(less);
        chunk.insert(i, entry);
        if chunk.len() > CHUNK_MAX {
            let upper = chunk.split_off(chunk.len() / 2);
            self.chunks.insert(run + 1, upper);
            self.lasts.insert(run, Entry::placeholder());
            self.refresh_last(run);
            self.refresh_last(run + 1);
            self.rebuild_counts();
        } else {
            if i + 1 == chunk.len() {
                self.refresh_last(run);
            }
            self.counts.increment(run);
        }
    }

    /// Takes the entry at (`run`, `i`) out of the order, merging a run that became short.
    fn take_at(&mut self, run: usize, i: usize) -> Option<Entry> {
        let chunk = self.chunks.get_mut(run)?;
        if i >= chunk.len() {
            return None;
        }
        let entry = chunk.remove(i);
        let len = chunk.len();
        if len == 0 {
            self.chunks.remove(run);
            self.lasts.remove(run);
            self.rebuild_counts();
        } else if len < CHUNK_MIN && self.merge_into_neighbour(run, len) {
            self.rebuild_counts();
        } else {
            if i == len {
                self.refresh_last(run);
            }
            self.counts.decrement(run);
        }
        Some(entry)
    }

    /// Merges run `run` (of `len` entries) with a neighbour when both fit in one run.
    fn merge_into_neighbour(&mut self, run: usize, len: usize) -> bool {
        let fits = |other: Option<&Vec<Entry>>| other.is_some_and(|c| c.len() + len <= CHUNK_MAX);
        let left = if fits(self.chunks.get(run + 1)) {
            run
        } else if run > 0 && fits(self.chunks.get(run - 1)) {
            run - 1
        } else {
            return false;
        };
        let right = self.chunks.remove(left + 1);
        self.lasts.remove(left);
        if let Some(chunk) = self.chunks.get_mut(left) {
            chunk.extend(right);
        }
        // `run` may have lost its last entry before the merge.
        self.refresh_last(left);
        true
    }

    /// Copies run `run`'s last entry into `lasts`.
    fn refresh_last(&mut self, run: usize) {
        if let (Some(last), Some(slot)) = (
            self.chunks.get(run).and_then(|c| c.last()),
            self.lasts.get_mut(run),
        ) {
            *slot = last.clone();
        }
    }

    fn rebuild_counts(&mut self) {
        self.counts = Fenwick::build(self.chunks.iter().map(Vec::len));
    }
}

impl Entry {
    /// A stand-in, overwritten at once by [`SortedSet::refresh_last`].
    fn placeholder() -> Entry {
        Entry {
            score: 0.0,
            member: Member::new(b""),
        }
    }
}

/// The bytes a member takes outside the fixed-size slots (nothing when inline).
fn heap_bytes(member: &[u8]) -> usize {
    if member.len() <= INLINE_MAX {
        0
    } else {
        member.len() + 16
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// SplitMix64: a small seeded generator for the model test.
    struct Rng(crate::simulation::rng::Rng);
    impl Rng {
        fn new(seed: u64) -> Rng {
            Rng(crate::simulation::rng::Rng::new(seed))
        }
        fn next(&mut self) -> u64 {
            self.0.next_u64()
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    fn check(set: &SortedSet, model: &BTreeSet<(Score, Vec<u8>)>) {
        assert_eq!(set.len(), model.len());
        let all: Vec<(Vec<u8>, f64)> = set.iter().map(|(m, s)| (m.to_vec(), s)).collect();
        let expected: Vec<(Vec<u8>, f64)> = model.iter().map(|(s, m)| (m.clone(), s.0)).collect();
        assert_eq!(all, expected);
        let reversed: Vec<(Vec<u8>, f64)> =
            set.iter().rev().map(|(m, s)| (m.to_vec(), s)).collect();
        assert!(reversed.iter().rev().eq(expected.iter()));
        for (rank, (m, s)) in expected.iter().enumerate() {
            assert_eq!(set.rank(m), Some(rank));
            assert_eq!(set.get_by_rank(rank), Some((m.as_slice(), *s)));
            assert_eq!(set.score(m), Some(*s));
        }
        assert_eq!(set.get_by_rank(expected.len()), None);
        assert!(set
            .chunks
            .iter()
            .all(|c| !c.is_empty() && c.len() <= CHUNK_MAX));
        assert_eq!(set.lasts.len(), set.chunks.len());
        for (last, chunk) in set.lasts.iter().zip(&set.chunks) {
            let real = chunk
                .last()
                .map(|e| (e.member.as_slice(), e.score.to_bits()));
            assert_eq!(Some((last.member.as_slice(), last.score.to_bits())), real);
        }
    }

    #[test]
    fn matches_a_naive_model_under_random_operations() {
        let mut rng = Rng::new(7);
        let mut set = SortedSet::new();
        let mut model: BTreeSet<(Score, Vec<u8>)> = BTreeSet::new();
        for step in 0..40_000u32 {
            // Short (inline) and long (shared) members.
            let member = if rng.below(2) == 0 {
                format!("m{}", rng.below(400)).into_bytes()
            } else {
                format!("a-longer-member-name-{}", rng.below(300)).into_bytes()
            };
            // Few distinct scores so ties (ordered by member) are common; 0 and -0 both appear.
            let score = match rng.below(10) {
                0 => -0.0,
                1 => f64::INFINITY,
                2 => f64::NEG_INFINITY,
                _ => rng.below(20) as f64 - 10.0,
            };
            let old = set.score(&member);
            if rng.below(3) == 0 {
                let removed = set.remove(&member);
                assert_eq!(removed, old.is_some());
                if let Some(old) = old {
                    assert!(model.remove(&(Score(old), member.clone())));
                }
            } else {
                let added = set.insert(&member, score);
                assert_eq!(added, old.is_none());
                if let Some(old) = old {
                    model.remove(&(Score(old), member.clone()));
                }
                model.insert((Score(score), member.clone()));
            }
            if step % 997 == 0 {
                check(&set, &model);
            }
        }
        check(&set, &model);
        // Empty it: the runs go away.
        let members: Vec<Vec<u8>> = model.iter().map(|(_, m)| m.clone()).collect();
        for m in members {
            assert!(set.remove(&m));
        }
        assert!(set.is_empty());
        assert!(set.chunks.is_empty());
        assert_eq!(set.approx_bytes(), BASE_BYTES);
    }

    #[test]
    fn ranges_and_partition_points() {
        let mut set = SortedSet::new();
        for i in 0..1000 {
            set.insert(format!("{i:04}").as_bytes(), f64::from(i / 10));
        }
        assert_eq!(set.partition_point(|s, _| s < 50.0), 500);
        assert_eq!(set.partition_point(|s, _| s <= 50.0), 510);
        assert_eq!(set.partition_point(|_, _| true), 1000);
        assert_eq!(set.partition_point(|_, _| false), 0);
        let got: Vec<&[u8]> = set.range(298, 303).map(|(m, _)| m).collect();
        assert_eq!(got, [&b"0298"[..], b"0299", b"0300", b"0301", b"0302"]);
        let back: Vec<&[u8]> = set.range(995, 2000).rev().map(|(m, _)| m).collect();
        assert_eq!(back, [&b"0999"[..], b"0998", b"0997", b"0996", b"0995"]);
        assert_eq!(set.range(10, 10).count(), 0);
        assert_eq!(set.range(2000, 3000).count(), 0);
        assert_eq!(set.range(0, 1000).count(), 1000);
    }

    #[test]
    fn a_listpack_stores_negative_zero_as_zero_and_converts_for_good() {
        let mut set = SortedSet::new();
        set.insert(b"a", -0.0);
        assert!(set.score(b"a").is_some_and(|s| s.is_sign_positive()));
        assert!(set.is_listpack());
        for i in 0..LISTPACK_MAX_ENTRIES {
            set.insert(format!("m{i}").as_bytes(), 1.0);
        }
        assert!(!set.is_listpack());
        set.insert(b"z", -0.0);
        assert!(set.score(b"z").is_some_and(|s| s.is_sign_negative()));
        for i in 0..LISTPACK_MAX_ENTRIES {
            set.remove(format!("m{i}").as_bytes());
        }
        assert!(!set.is_listpack());
        let mut long = SortedSet::new();
        long.insert(&[b'x'; LISTPACK_MAX_VALUE], 1.0);
        assert!(long.is_listpack());
        long.insert(&[b'x'; LISTPACK_MAX_VALUE + 1], 1.0);
        assert!(!long.is_listpack());
    }

    #[test]
    fn a_skip_list_result_keeps_negative_zero_until_it_becomes_a_listpack() {
        let mut set = SortedSet::new_skiplist();
        set.insert(b"a", -0.0);
        set.insert(b"b", 1.0);
        assert!(!set.is_listpack());
        assert!(set.score(b"a").is_some_and(|s| s.is_sign_negative()));
        set.convert_to_listpack_if_needed();
        assert!(set.is_listpack());
        assert!(set.score(b"a").is_some_and(|s| s.is_sign_positive()));
        assert!(set.iter().all(|(_, s)| s.is_sign_positive()));
        let mut long = SortedSet::new_skiplist();
        long.insert(&[b'x'; LISTPACK_MAX_VALUE + 1], -0.0);
        long.convert_to_listpack_if_needed();
        assert!(!long.is_listpack());
        assert_eq!(long.pop(true).map(|(m, _)| m.len()), Some(65));
        assert!(long.is_empty() && long.pop(false).is_none());
    }

    #[test]
    fn zero_and_negative_zero_tie_and_keep_their_bits() {
        let mut set = SortedSet::new();
        // A set past the listpack limits keeps scores bit for bit.
        set.insert(&[b'x'; 100], 5.0);
        set.insert(b"b", -0.0);
        set.insert(b"a", 0.0);
        let order: Vec<(&[u8], f64)> = set.iter().collect();
        assert_eq!(order[0].0, b"a");
        assert!(order[1].1.is_sign_negative());
        set.insert(b"b", 0.0);
        assert!(set.score(b"b").is_some_and(|s| s.is_sign_positive()));
        assert_eq!(set.rank(b"b"), Some(1));
    }
}

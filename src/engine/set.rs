//! The set type, in Redis 7.0's two encodings.
//!
//! Redis starts a set as an *intset* — a sorted array of integers — when its first member is the
//! canonical decimal form of an i64 (what `string2ll` accepts), and converts it for good to a
//! hash table once a member is not such an integer or it holds more than
//! [`INTSET_MAX_ENTRIES`] members (Redis 7.0 has no listpack sets). An intset lists its members
//! in ascending order; a hash table in the order of a table Redis seeds at random. We keep the
//! intset as Redis does, and the hash table in insertion order (a stable, readable order: the
//! likers of a post in the order they liked it), with an id per member so that SSCAN's cursor
//! stays valid while the set changes, as Redis' does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use super::number::{parse_i64, push_i64};
use super::rng::Rng;
use super::Map;

/// `set-max-intset-entries`' default (512, in Redis 7.0's built-in defaults and Debian's
/// redis.conf): an intset with more members becomes a hash table.
pub const INTSET_MAX_ENTRIES: usize = 512;

/// A set value.
#[derive(Clone, Debug)]
pub struct Set {
    repr: Repr,
    /// Bytes of the hash table's members (the intset's are 8 a member).
    bytes: usize,
    /// `set-max-intset-entries` in force: the keyspace hands it over with every lookup for
    /// writing, so a CONFIG SET applies to the next conversion, as in Redis.
    max_intset: usize,
    /// The intset's encoding, 2, 4 or 8 bytes a member: wide enough for the widest member it ever
    /// held (an intset is upgraded for a wide member and never downgraded, `intsetUpgradeAndAdd`).
    width: u8,
}

impl PartialEq for Set {
    /// The same members in the same encoding.
    fn eq(&self, other: &Self) -> bool {
        self.repr == other.repr
    }
}

/// The bytes an intset member takes in the narrowest encoding that holds it (`_intsetValueEncoding`).
fn intset_width(n: i64) -> u8 {
    if i16::try_from(n).is_ok() {
        2
    } else if i32::try_from(n).is_ok() {
        4
    } else {
        8
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Repr {
    /// Redis' intset: sorted, distinct integers.
    Ints(Vec<i64>),
    /// Redis' hashtable encoding, kept in insertion order.
    Table(Table),
}

/// Members by insertion id (their order), and each member's id.
#[derive(Clone, Debug, Default, PartialEq)]
struct Table {
    by_id: BTreeMap<u64, Vec<u8>>,
    ids: Map<Vec<u8>, u64>,
    next_id: u64,
}

impl Table {
    fn insert(&mut self, member: &[u8]) -> bool {
        if self.ids.contains_key(member) {
            return false;
        }
        let id = self.next_id;
        self.next_id += 1;
        self.ids.insert(member.to_vec(), id);
        self.by_id.insert(id, member.to_vec());
        true
    }

    fn remove(&mut self, member: &[u8]) -> bool {
        match self.ids.remove(member) {
            Some(id) => {
                self.by_id.remove(&id);
                true
            }
            None => false,
        }
    }

    /// A member drawn at random: an id drawn among those ever given, the first member from it on
    /// (wrapping). Members after a gap left by removals come up more often, as members of a
    /// longer bucket chain do in Redis' `dictGetFairRandomKey`; a few draws first try for an exact
    /// hit, which keeps it close to uniform while the set is dense.
    fn random(&self, rng: &mut Rng) -> Option<&[u8]> {
        let first = *self.by_id.keys().next()?;
        let span = self.next_id - first;
        for _ in 0..4 {
            let id = first + rng.below(span);
            if let Some(member) = self.by_id.get(&id) {
                return Some(member);
            }
        }
        let id = first + rng.below(span);
        self.by_id
            .range(id..)
            .next()
            .or_else(|| self.by_id.iter().next())
            .map(|(_, m)| m.as_slice())
    }
}

/// Bytes counted per hash-table member besides its own bytes (two copies' headers, the table
/// slots, the tree node).
const PER_MEMBER_BYTES: usize = 64;
/// Bytes counted for an empty set.
const BASE_BYTES: usize = 32;

impl Set {
    /// An empty set that can hold `first` the way Redis' `setTypeCreate` chooses: an intset when
    /// `first` is an integer, else a hash table.
    pub fn for_member(first: &[u8]) -> Set {
        let repr = if parse_i64(first).is_some() {
            Repr::Ints(Vec::new())
        } else {
            Repr::Table(Table::default())
        };
        Set { repr, ..Set::new() }
    }

    /// An empty intset (what SINTERSTORE, SUNIONSTORE and SDIFFSTORE start their result from).
    pub fn new() -> Set {
        Set {
            repr: Repr::Ints(Vec::new()),
            bytes: 0,
            max_intset: INTSET_MAX_ENTRIES,
            width: 2,
        }
    }

    /// `set-max-intset-entries` as this set last saw it.
    pub fn max_intset(&self) -> usize {
        self.max_intset
    }

    /// Sets `set-max-intset-entries`, the most members an intset keeps.
    pub fn set_max_intset(&mut self, max: usize) {
        self.max_intset = max;
    }

    /// A set one command built from scratch (SUNIONSTORE's result, SPOP's survivors) takes the
    /// encoding Redis' one-at-a-time `setTypeAdd` would have left it in under
    /// `set-max-intset-entries` = `max`: an intset when every member is an integer and there are at
    /// most `max`, else a hash table.
    pub fn settle(&mut self, max: usize) {
        self.max_intset = max;
        let all_ints = match &self.repr {
            Repr::Ints(_) => true,
            Repr::Table(t) => t.ids.keys().all(|m| parse_i64(m).is_some()),
        };
        if all_ints && self.len() <= max {
            if let Repr::Table(t) = &self.repr {
                let mut ints: Vec<i64> = t.ids.keys().filter_map(|m| parse_i64(m)).collect();
                ints.sort_unstable();
                self.width = ints.iter().map(|&n| intset_width(n)).max().unwrap_or(2);
                self.repr = Repr::Ints(ints);
                self.bytes = 0;
            }
        } else {
            self.convert_to_table();
        }
    }

    /// The intset's bytes per member (2, 4 or 8); meaningless for a hash table.
    pub fn intset_width(&self) -> usize {
        usize::from(self.width)
    }

    /// The number of members.
    pub fn len(&self) -> usize {
        match &self.repr {
            Repr::Ints(v) => v.len(),
            Repr::Table(t) => t.ids.len(),
        }
    }

    /// True when there is no member (such a set never stays in the keyspace).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// True while the set is an intset (else it is a hash table).
    pub fn is_intset(&self) -> bool {
        matches!(self.repr, Repr::Ints(_))
    }

    /// True when `member` is in the set.
    pub fn contains(&self, member: &[u8]) -> bool {
        match &self.repr {
            Repr::Ints(v) => parse_i64(member).is_some_and(|n| v.binary_search(&n).is_ok()),
            Repr::Table(t) => t.ids.contains_key(member),
        }
    }

    /// Adds `member`; true when it is new. Converts as Redis' `setTypeAdd` does.
    pub fn insert(&mut self, member: &[u8]) -> bool {
        if let Repr::Ints(v) = &mut self.repr {
            match parse_i64(member) {
                Some(n) => {
                    let Err(at) = v.binary_search(&n) else {
                        return false;
                    };
                    v.insert(at, n);
                    self.width = self.width.max(intset_width(n));
                    if v.len() > self.max_intset {
                        self.convert_to_table();
                    }
                    return true;
                }
                None => self.convert_to_table(),
            }
        }
        let Repr::Table(t) = &mut self.repr else {
            return false;
        };
        let added = t.insert(member);
        if added {
            self.bytes += PER_MEMBER_BYTES + member.len();
        }
        added
    }

    /// Removes `member`; true when it was there. An intset stays an intset.
    pub fn remove(&mut self, member: &[u8]) -> bool {
        match &mut self.repr {
            Repr::Ints(v) => {
                let Some(Ok(at)) = parse_i64(member).map(|n| v.binary_search(&n)) else {
                    return false;
                };
                v.remove(at);
                true
            }
            Repr::Table(t) => {
                let removed = t.remove(member);
                if removed {
                    self.bytes -= PER_MEMBER_BYTES + member.len();
                }
                removed
            }
        }
    }

    /// The members in the set's order: ascending for an intset, insertion order for a hash table.
    pub fn iter(&self) -> impl Iterator<Item = Cow<'_, [u8]>> + '_ {
        let (ints, table) = match &self.repr {
            Repr::Ints(v) => (Some(v.iter()), None),
            Repr::Table(t) => (None, Some(t.by_id.values())),
        };
        ints.into_iter()
            .flatten()
            .map(|&n| Cow::Owned(int_bytes(n)))
            .chain(
                table
                    .into_iter()
                    .flatten()
                    .map(|m| Cow::Borrowed(m.as_slice())),
            )
    }

    /// A member drawn at random (None when empty): Redis' `setTypeRandomElement`.
    pub fn random(&self, rng: &mut Rng) -> Option<Vec<u8>> {
        match &self.repr {
            Repr::Ints(v) if v.is_empty() => None,
            Repr::Ints(v) => Some(int_bytes(v[rng.below(v.len() as u64) as usize])),
            Repr::Table(t) => t.random(rng).map(<[u8]>::to_vec),
        }
    }

    /// One step of SSCAN from `cursor`: up to `count` members and the cursor to continue from
    /// (0 at the end). An intset answers all its members at once with cursor 0, as in Redis; a hash
    /// table walks its members by id, so a member present for the whole scan is returned exactly
    /// once whatever is added or removed meanwhile.
    pub fn scan(&self, cursor: u64, count: usize) -> (u64, Vec<Vec<u8>>) {
        match &self.repr {
            Repr::Ints(v) => (0, v.iter().map(|&n| int_bytes(n)).collect()),
            Repr::Table(t) => {
                let mut out = Vec::new();
                // Cursor 0 starts a scan, so a continuation is the next id plus one.
                let mut range = t.by_id.range(cursor.saturating_sub(1)..);
                for (_, member) in range.by_ref().take(count) {
                    out.push(member.clone());
                }
                let next = range.next().map_or(0, |(&id, _)| id + 1);
                (next, out)
            }
        }
    }

    /// Estimated bytes (payload plus a fixed overhead per member).
    pub fn approx_bytes(&self) -> usize {
        BASE_BYTES
            + match &self.repr {
                Repr::Ints(v) => 8 * v.len(),
                Repr::Table(_) => self.bytes,
            }
    }

    fn convert_to_table(&mut self) {
        if let Repr::Ints(v) = &self.repr {
            let mut table = Table::default();
            let mut bytes = 0;
            for &n in v {
                let member = int_bytes(n);
                bytes += PER_MEMBER_BYTES + member.len();
                table.insert(&member);
            }
            self.repr = Repr::Table(table);
            self.bytes = bytes;
        }
    }
}

impl Default for Set {
    fn default() -> Self {
        Set::new()
    }
}

fn int_bytes(n: i64) -> Vec<u8> {
    let mut out = Vec::with_capacity(20);
    push_i64(&mut out, n);
    out
}

#[cfg(test)]
mod tests {
    use super::{Set, INTSET_MAX_ENTRIES};
    use crate::engine::rng::Rng;

    fn members(set: &Set) -> Vec<String> {
        set.iter()
            .map(|m| String::from_utf8_lossy(&m).into_owned())
            .collect()
    }

    #[test]
    fn integers_stay_a_sorted_intset_until_a_string_or_the_513th_member() {
        let mut set = Set::for_member(b"3");
        for m in ["3", "-1", "10", "3"] {
            set.insert(m.as_bytes());
        }
        assert!(set.is_intset());
        assert_eq!(members(&set), ["-1", "3", "10"]);
        // Not canonical integers: the set becomes a hash table, ints first in their order.
        assert!(set.insert(b"01"));
        assert!(!set.is_intset());
        assert_eq!(members(&set), ["-1", "3", "10", "01"]);
        assert!(set.contains(b"3") && set.contains(b"01") && !set.contains(b"1"));

        let mut big = Set::for_member(b"0");
        for n in 0..INTSET_MAX_ENTRIES as i64 {
            big.insert(n.to_string().as_bytes());
        }
        assert!(big.is_intset());
        big.insert(b"-5");
        assert!(!big.is_intset());
        assert_eq!(big.len(), INTSET_MAX_ENTRIES + 1);
        // Removing never converts back.
        big.remove(b"-5");
        assert!(!big.is_intset());
        assert!(Set::for_member(b"x").iter().next().is_none());
        assert!(!Set::for_member(b"x").is_intset());
    }

    #[test]
    fn scan_cursors_survive_changes_and_random_picks_are_members() {
        let mut set = Set::for_member(b"a");
        for i in 0..100 {
            set.insert(format!("m{i}").as_bytes());
        }
        let (cursor, first) = set.scan(0, 10);
        assert_eq!(first.len(), 10);
        for i in 0..50 {
            set.remove(format!("m{}", i * 2).as_bytes());
        }
        let mut seen: Vec<Vec<u8>> = first;
        let mut cursor = cursor;
        while cursor != 0 {
            let (next, got) = set.scan(cursor, 10);
            seen.extend(got);
            cursor = next;
        }
        for i in 0..50 {
            let kept = format!("m{}", i * 2 + 1);
            assert_eq!(seen.iter().filter(|m| **m == kept.as_bytes()).count(), 1);
        }
        let mut rng = Rng::new(1);
        for _ in 0..100 {
            let m = set.random(&mut rng).expect("not empty");
            assert!(set.contains(&m));
        }
        assert_eq!(Set::new().random(&mut rng), None);
    }
}

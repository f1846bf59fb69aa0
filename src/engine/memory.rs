//! What a key costs in Redis 7.0's memory, as MEMORY USAGE reports it (`objectComputeSize` in
//! `object.c`, plus the key's name and its `dictEntry`), and the allocator and encoding sizes the
//! memory chapter's model is built from.
//!
//! MEMORY USAGE adds, for one key:
//! - the key's name as an sds string (`sdsZmallocSize`: the allocator's size class of header +
//!   bytes + NUL) and `sizeof(dictEntry)` (24);
//! - the value: 16 bytes of `robj` for an integer string; one allocation of `robj` + `sdshdr8` +
//!   bytes + NUL for an embstr; `robj` plus the sds's allocation for a raw string; `robj` plus the
//!   listpack's allocation (6-byte header, the elements, an end byte) for a small hash or sorted
//!   set; `robj`, a `dict` (56), its bucket array and, per element, a `dictEntry` and sds strings
//!   for a hash table — the per-element part averaged over the first `samples` elements (5
//!   unless told; 0 means all) and multiplied by the count, in floating point, as Redis does.
//!
//! Sizes are the allocator's size classes ([`Allocator`]): jemalloc with a 16-byte quantum, as
//! Debian's `redis-server` links it (the bundled one of a build from source uses 8). Where this
//! differs from a real server and why — random skip-list levels, a hash table caught halfway
//! through rehashing or not yet shrunk, the random order Redis samples in — is said at each
//! function.

use super::number::parse_i64;
use super::scan::dict_slots;
use super::value::{Str, Value};

/// jemalloc's size classes for a given quantum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Allocator {
    /// The spacing of the smallest classes: 8 or 16 bytes.
    pub quantum: usize,
}

impl Allocator {
    /// Redis' bundled jemalloc (`--with-lg-quantum=3`), as in a build from source or the official
    /// Docker image.
    pub const REDIS_BUNDLED: Allocator = Allocator { quantum: 8 };
    /// A system jemalloc with the default 16-byte quantum (Debian's and Ubuntu's `redis-server`).
    pub const SYSTEM: Allocator = Allocator { quantum: 16 };

    /// The bytes jemalloc really hands out for a request of `n` bytes.
    pub fn usable(&self, n: usize) -> usize {
        let q = self.quantum.max(8);
        if n == 0 {
            return 0;
        }
        if n <= 8 {
            return 8;
        }
        if n <= 8 * q {
            return n.div_ceil(q) * q;
        }
        // Four classes per doubling: (2^lg, 2^(lg+1)] in steps of 2^(lg-2).
        let lg = usize::BITS - 1 - (n - 1).leading_zeros();
        let delta = 1usize << lg.saturating_sub(2);
        n.div_ceil(delta).saturating_mul(delta)
    }

    /// An sds string holding `len` bytes in an allocation made for exactly them (`sdsnewlen`):
    /// header (1 byte below 32 bytes, 3 below 256 — and for the empty string —, 5 below 65,536,
    /// 9 beyond) + the bytes + a NUL, rounded to the size class.
    pub fn sds(&self, len: usize) -> usize {
        self.usable(sds_header(len) + len + 1)
    }
}

/// The allocator MEMORY USAGE assumes: the system jemalloc of Debian's `redis-server`, the Redis
/// the differential suite compares with.
pub const SERVER: Allocator = Allocator::SYSTEM;

/// `SDS_MAX_PREALLOC`: past 1 MB, an sds string grows by 1 MB at a time.
const SDS_MAX_PREALLOC: usize = 1 << 20;

/// The `alloc` an sds string has after `sdsMakeRoomFor` made room for `len` bytes (more than it
/// had): twice `len` below 1 MB, else 1 MB more, its header chosen for that size (at least type
/// 8), then the size class's spare bytes too, capped at the header type's maximum.
pub fn sds_greedy_alloc(len: usize) -> usize {
    let wanted = if len < SDS_MAX_PREALLOC {
        len.saturating_mul(2)
    } else {
        len.saturating_add(SDS_MAX_PREALLOC)
    };
    let header = sds_header(wanted.max(1)).max(3);
    let max = match header {
        3 => 255,
        5 => 65_535,
        _ => usize::MAX,
    };
    (SERVER.usable(header + wanted + 1) - header - 1).min(max)
}

/// The `alloc` of a new sds string of `len` bytes (`_sdsnewlen`, as `createRawStringObject` and
/// `dupStringObject` make one): the allocation's usable size less header and NUL, capped at the
/// header type's maximum. Type 5 (1 to 31 bytes) records no room: its first growth reallocates.
pub fn sds_new_alloc(len: usize) -> usize {
    if (1..=31).contains(&len) {
        return len;
    }
    let header = sds_header(len);
    let max = match header {
        3 => 255,
        5 => 65_535,
        _ => usize::MAX,
    };
    (SERVER.usable(header + len + 1) - header - 1).min(max)
}

/// The header of an sds string of `len` bytes (`sdsReqType`, with `sdsnewlen`'s type-8 header
/// for the empty string).
pub fn sds_header(len: usize) -> usize {
    match len {
        0 => 3,
        1..=31 => 1,
        32..=255 => 3,
        256..=65_535 => 5,
        _ => 9,
    }
}

/// The most bytes a quicklist node's listpack holds under list-max-listpack-size -2.
const QUICKLIST_NODE_BYTES: usize = 8192;

/// `sizeof(robj)`.
pub const ROBJ: usize = 16;
/// `sizeof(dictEntry)`.
pub const DICT_ENTRY: usize = 24;
/// `sizeof(dict)` in Redis 7.0 (type, two tables, two counts, rehash index, pause, two exponents,
/// padded to 8).
pub const DICT: usize = 56;
/// `sizeof(zset)`: the dict and skip-list pointers.
const ZSET: usize = 16;
/// `sizeof(zskiplist)`: head, tail, length, level.
const ZSKIPLIST: usize = 32;
/// `sizeof(zskiplistNode)` without levels: member, score, backward pointer.
const ZSKIPLIST_NODE: usize = 24;
/// One level of a skip-list node: forward pointer and span.
const ZSKIPLIST_LEVEL: usize = 16;
/// `ZSKIPLIST_MAXLEVEL`: the header node has every level.
const ZSKIPLIST_MAXLEVEL: usize = 32;
/// `sizeof(quicklist)`.
pub const QUICKLIST: usize = 40;
/// `sizeof(quicklistNode)`.
pub const QUICKLIST_NODE: usize = 40;
/// A listpack's header (total bytes, element count) and its end byte.
pub const LISTPACK_OVERHEAD: usize = 6 + 1;

/// The number of 8-byte bucket pointers of a dictionary holding `n` entries that grew one insert at
/// a time (or was presized to `n` on conversion): [`dict_slots`], the smallest power of two ≥ n,
/// at least 4.
///
/// Redis keeps a larger table after deletions until it is less than 10 % full, and holds two
/// tables while it rehashes (a step per operation after each doubling): MEMORY USAGE on a real
/// server then counts more buckets than this.
fn buckets(n: usize) -> usize {
    dict_slots(n) * 8
}

/// The integer a listpack (or an intset, or a string object) stores `bytes` as: its canonical
/// decimal form, what `lpStringToInt64` and `string2ll` accept.
pub fn integer(bytes: &[u8]) -> Option<i64> {
    if bytes.len() > 20 {
        return None;
    }
    parse_i64(bytes)
}

/// Bytes a listpack integer element takes (encoding and back-length).
pub fn listpack_integer(n: i64) -> usize {
    let encoded = match n {
        0..=127 => 1,
        -4_096..=4_095 => 2,
        -32_768..=32_767 => 3,
        -8_388_608..=8_388_607 => 4,
        -2_147_483_648..=2_147_483_647 => 5,
        _ => 9,
    };
    encoded + backlen(encoded)
}

/// Bytes a listpack element holding `value` takes: an integer when it is one, else a string with
/// a 1-, 2- or 5-byte length, plus the back-length (`lpEncodeGetType`, `lpEncodeBacklen`).
pub fn listpack_element(value: &[u8]) -> usize {
    if let Some(n) = integer(value) {
        return listpack_integer(n);
    }
    let encoded = match value.len() {
        0..=63 => 1 + value.len(),
        64..=4_095 => 2 + value.len(),
        _ => 5 + value.len(),
    };
    encoded + backlen(encoded)
}

/// The back-length field of an element whose encoding takes `encoded` bytes.
fn backlen(encoded: usize) -> usize {
    match encoded {
        0..=127 => 1,
        128..=16_382 => 2,
        16_383..=2_097_150 => 3,
        2_097_151..=268_435_454 => 4,
        _ => 5,
    }
}

/// Bytes a sorted-set score takes in a listpack (`zzlInsertAt`): an integer when the score is
/// integral and within ±2^62 (`double2ll`), else its `%.17g` text (`d2string`).
pub fn listpack_score(score: f64) -> usize {
    const LIMIT: f64 = (i64::MAX / 2) as f64;
    if score.fract() == 0.0 && (-LIMIT..=LIMIT).contains(&score) {
        return listpack_integer(score as i64);
    }
    let text = super::number::format_f64(score);
    listpack_element(text.as_bytes())
}

/// The per-element average Redis multiplies by the element count: `elesize / samples * count`
/// in C's double arithmetic, added to `base` and truncated (`asize += (double)…`).
fn sampled(base: usize, sizes: impl Iterator<Item = usize>, samples: usize, count: usize) -> usize {
    let mut total = 0usize;
    let mut taken = 0usize;
    for size in sizes.take(samples.max(1)) {
        total += size;
        taken += 1;
    }
    if taken == 0 {
        return base;
    }
    (base as f64 + total as f64 / taken as f64 * count as f64) as usize
}

/// The bytes MEMORY USAGE reports for `key` holding `value`, sampling nested elements `samples`
/// times (`usize::MAX` for all).
pub fn usage(alloc: &Allocator, key: &[u8], value: &Value, samples: usize) -> usize {
    alloc.sds(key.len()) + DICT_ENTRY + value_size(alloc, value, samples)
}

/// A value object holding one listpack of these elements' sizes.
fn listpack_object(alloc: &Allocator, elements: impl Iterator<Item = usize>) -> usize {
    ROBJ + alloc.usable(LISTPACK_OVERHEAD + elements.sum::<usize>())
}

/// `objectComputeSize`: the value's own bytes.
pub fn value_size(alloc: &Allocator, value: &Value, samples: usize) -> usize {
    match value {
        Value::Str(s) => string_size(alloc, s),
        Value::List(list) => {
            // A quicklist (40 bytes) of nodes (40 bytes each) holding listpacks of at most 8 KB
            // (list-max-listpack-size -2). Exact for a list of one node; past that, the nodes'
            // split depends on the pushes' history, so this assumes full ones.
            let bytes = LISTPACK_OVERHEAD + list.iter().map(listpack_element).sum::<usize>();
            let nodes = bytes.div_ceil(QUICKLIST_NODE_BYTES).max(1);
            let node = if nodes == 1 {
                alloc.usable(bytes)
            } else {
                alloc.usable(QUICKLIST_NODE_BYTES)
            };
            ROBJ + QUICKLIST + nodes * (QUICKLIST_NODE + node)
        }
        Value::Hash(h) => {
            if h.is_listpack() {
                listpack_object(
                    alloc,
                    h.iter()
                        .map(|(f, v)| listpack_element(f) + listpack_element(v)),
                )
            } else {
                let base = ROBJ + DICT + buckets(h.len());
                let sizes = h
                    .iter()
                    .map(|(f, v)| alloc.sds(f.len()) + alloc.sds(v.len()) + DICT_ENTRY);
                sampled(base, sizes, samples, h.len())
            }
        }
        Value::Set(set) => {
            if set.is_intset() {
                // An intset: encoding and length (8 bytes), then the members at its width.
                ROBJ + alloc.usable(8 + set.len() * set.intset_width())
            } else {
                let base = ROBJ + DICT + buckets(set.len());
                let sizes = set.iter().map(|m| DICT_ENTRY + alloc.sds(m.len()));
                sampled(base, sizes, samples, set.len())
            }
        }
        Value::ZSet(z) => {
            if z.is_listpack() {
                listpack_object(
                    alloc,
                    z.iter()
                        .map(|(m, s)| listpack_element(m) + listpack_score(s)),
                )
            } else {
                let header = alloc.usable(ZSKIPLIST_NODE + ZSKIPLIST_MAXLEVEL * ZSKIPLIST_LEVEL);
                let base = ROBJ + ZSET + ZSKIPLIST + DICT + buckets(z.len()) + header;
                let node = skiplist_node(alloc);
                let sizes = z
                    .iter()
                    .map(|(m, _)| alloc.sds(m.len()) + DICT_ENTRY + node);
                sampled(base, sizes, samples, z.len())
            }
        }
    }
}

/// A string object: `int` 16 bytes, `embstr` one allocation of header and bytes, `raw` the
/// header plus the sds, whose spare room after APPEND, SETRANGE, SETBIT or BITFIELD the vector's
/// capacity keeps (see [`Str::raw_mut`]).
pub fn string_size(alloc: &Allocator, s: &Str) -> usize {
    match s {
        Str::Int(_) => ROBJ,
        Str::Bytes(b) if b.len() <= super::value::EMBSTR_MAX_LEN => {
            alloc.usable(ROBJ + 3 + b.len() + 1)
        }
        Str::Bytes(b) => ROBJ + alloc.sds(b.len()),
        Str::Raw(b) => {
            let room = b.capacity().max(b.len());
            ROBJ + alloc.usable(sds_header(room) + room + 1)
        }
    }
}

/// A skip-list node's allocation at the level Redis draws most often weighed by how often it draws
/// it (`zslRandomLevel`: level k with probability 0.75 × 0.25^(k−1)), rounded to whole bytes.
/// Redis draws each node's level at random, so its own MEMORY USAGE of a skip list varies from
/// run to run by a few percent around this.
fn skiplist_node(alloc: &Allocator) -> usize {
    let mut expected = 0.0;
    let mut p = 0.75;
    for level in 1..=ZSKIPLIST_MAXLEVEL {
        expected += p * alloc.usable(ZSKIPLIST_NODE + level * ZSKIPLIST_LEVEL) as f64;
        p *= 0.25;
    }
    expected.round() as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jemalloc_size_classes() {
        let bundled = Allocator::REDIS_BUNDLED;
        let classes: Vec<usize> = [1, 9, 17, 24, 25, 64, 65, 81, 128, 129, 4097]
            .iter()
            .map(|&n| bundled.usable(n))
            .collect();
        assert_eq!(classes, [8, 16, 24, 24, 32, 64, 80, 96, 128, 160, 5120]);
        let system = Allocator::SYSTEM;
        let classes: Vec<usize> = [1, 9, 17, 24, 33, 128, 129]
            .iter()
            .map(|&n| system.usable(n))
            .collect();
        assert_eq!(classes, [8, 16, 32, 32, 48, 128, 160]);
    }

    #[test]
    fn listpack_elements_take_redis_sizes() {
        assert_eq!(listpack_element(b"likes"), 7);
        assert_eq!(listpack_element(b"1"), 2);
        assert_eq!(listpack_element(b"4095"), 3);
        assert_eq!(listpack_element(b"123456"), 5);
        assert_eq!(listpack_element(b"007"), 5); // not canonical: a string
        assert_eq!(listpack_score(1.0), 2);
        assert_eq!(listpack_score(-0.0), 2);
        assert_eq!(listpack_score(1.5), 5);
    }

    #[test]
    fn strings_as_debian_redis_reports_them() {
        // Measured on Debian's redis-server 7.0.15: SET foo bar → 64, SET foo 12345 → 48, a
        // 54-byte value → 112.
        let a = Allocator::SYSTEM;
        let v = |s: &str| Value::Str(Str::from_bytes(s.as_bytes()));
        assert_eq!(usage(&a, b"foo", &v("bar"), 5), 64);
        assert_eq!(usage(&a, b"foo", &v("12345"), 5), 48);
        assert_eq!(usage(&a, b"foo", &v(&"a".repeat(54)), 5), 112);
    }
}

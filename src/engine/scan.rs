//! The SCAN family's cursors (HSCAN today; SCAN, SSCAN and ZSCAN can share it): Redis' `dictScan`
//! walk over a model of its hash table, and the parsing `scanGenericCommand` does.
//!
//! Redis places an element in bucket `hash & (slots - 1)` of a table of `slots` (a power of two)
//! and walks buckets in reverse-binary order: the cursor's bits reversed, incremented, reversed
//! back. Reversed, that order is plain counting, so the buckets a call visits hold exactly the
//! elements whose *reversed* hash falls in one range — and an element present for a whole scan is
//! returned however the table grows or shrinks between calls, the guarantee clients rely on.
//!
//! The engine models the table's size as Redis sizes it, but hashes with its own fixed function:
//! Redis seeds SipHash at random on every start, so which elements share a bucket, how many a call
//! returns and the cursors in between differ from run to run there too. What a client can rely
//! on is the same: cursors below the table's size, about COUNT elements a call, every element once
//! (or more) by the time the cursor is 0 again.

use std::ops::Range;

use super::command::is;
use super::error::Error;
use super::number::{parse_i64, push_i64};
use super::reply::Reply;

/// The hash that places an element in the table's model: FNV-1a, then MurmurHash3's finaliser so
/// that every byte reaches the low bits. Fixed, so scans replay the same on every platform.
pub fn scan_hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Reads a cursor as Redis' `parseScanCursorOrReply` does (C's `strtoul`, base 10): an optional
/// sign (a negative cursor wraps around), digits, nothing after them before the end of the C
/// string (so `""` is cursor 0). A leading space, another byte, or a value past `u64` is
/// `ERR invalid cursor`.
pub fn parse_cursor(arg: &[u8]) -> Result<u64, Error> {
    let arg = super::command::c_str(arg);
    // isspace: space, \t, \n, \v, \f, \r.
    if arg.first().is_some_and(|b| b" \t\n\x0b\x0c\r".contains(b)) {
        return Err(Error::InvalidCursor);
    }
    let (negative, digits) = match arg.first() {
        Some(b'-') => (true, &arg[1..]),
        Some(b'+') => (false, &arg[1..]),
        _ => (false, arg),
    };
    if digits.is_empty() {
        // No digits: strtoul stops at the start, which is the end only for "".
        return if arg.is_empty() {
            Ok(0)
        } else {
            Err(Error::InvalidCursor)
        };
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return Err(Error::InvalidCursor);
        }
        value = value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
            .ok_or(Error::InvalidCursor)?;
    }
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// The COUNT and MATCH options of HSCAN, SSCAN and ZSCAN, and SCAN's TYPE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScanOptions<'a> {
    /// COUNT (10 by default; at least 1).
    pub count: i64,
    /// MATCH's pattern; None for none or `*`.
    pub pattern: Option<&'a [u8]>,
    /// SCAN's TYPE.
    pub type_name: Option<&'a [u8]>,
}

impl<'a> ScanOptions<'a> {
    /// Parses the options from `argv[from]` on, as `scanGenericCommand` does for a key's
    /// collection (TYPE is SCAN's own: here a syntax error).
    pub fn parse(argv: &[&'a [u8]], from: usize) -> Result<ScanOptions<'a>, Error> {
        Self::parse_options(argv, from, false)
    }

    /// Parses SCAN's options from `argv[from]` on: COUNT, MATCH and TYPE.
    pub fn parse_keyspace(argv: &[&'a [u8]], from: usize) -> Result<ScanOptions<'a>, Error> {
        Self::parse_options(argv, from, true)
    }

    fn parse_options(
        argv: &[&'a [u8]],
        from: usize,
        keyspace: bool,
    ) -> Result<ScanOptions<'a>, Error> {
        let mut options = ScanOptions {
            count: 10,
            pattern: None,
            type_name: None,
        };
        let mut i = from;
        while i < argv.len() {
            let has_value = argv.len() - i >= 2;
            if is(argv[i], "count") && has_value {
                let n = parse_i64(argv[i + 1]).ok_or(Error::NotInteger)?;
                if n < 1 {
                    return Err(Error::Syntax);
                }
                options.count = n;
            } else if is(argv[i], "match") && has_value {
                options.pattern = Some(argv[i + 1]).filter(|p| *p != b"*");
            } else if is(argv[i], "type") && keyspace && has_value {
                options.type_name = Some(argv[i + 1]);
            } else {
                return Err(Error::Syntax);
            }
            i += 2;
        }
        Ok(options)
    }
}

/// A SCAN-family reply: the cursor (an unsigned long Redis prints as a signed one) and the page.
pub fn scan_reply(cursor: u64, page: Vec<Reply>) -> Reply {
    let mut text = Vec::with_capacity(20);
    push_i64(&mut text, cursor as i64);
    Reply::Array(vec![Reply::Bulk(text), Reply::Array(page)])
}

/// Redis' `dict` size for `used` elements after growing one insertion at a time: the smallest
/// power of two holding them, at least 4 (`_dictExpandIfNeeded`, `_dictNextExp`).
pub fn dict_slots(used: usize) -> usize {
    used.checked_next_power_of_two()
        .unwrap_or(usize::MAX)
        .max(4)
}

/// One call's walk of `scanGenericCommand` over a table of `slots` buckets from `cursor`: the
/// elements it visits — a range of `order`, the elements sorted by their reversed [`scan_hash`] —
/// and the cursor to continue from (0 at the end).
///
/// It visits a bucket, then more while the cursor is not 0, `max_iterations` (decremented after
/// each test, as C's `maxiterations--`) is not 0 and the reply holds fewer than `want` entries
/// (`per_element` each: 2 for a field and its value) — with Redis' own arithmetic, so a COUNT whose
/// doubling and tenfold wrap around behaves as there.
pub fn dict_scan<T>(
    order: &[(u64, T)],
    slots: usize,
    cursor: u64,
    (want, per_element): (u64, u64),
    mut max_iterations: i64,
) -> (u64, Range<usize>) {
    if order.is_empty() {
        return (0, 0..0);
    }
    let mask = slots as u64 - 1;
    let bits = slots.trailing_zeros();
    let bucket_start = |v: u64| -> usize {
        let reversed = u128::from((v & mask).reverse_bits());
        order.partition_point(|(r, _)| u128::from(*r) < reversed)
    };
    let first = bucket_start(cursor);
    let mut v = cursor;
    let mut end;
    loop {
        // This bucket's elements: those whose reversed hash starts with its reversed bits.
        let reversed = u128::from((v & mask).reverse_bits());
        let next = reversed + (1u128 << (64 - bits));
        end = order.partition_point(|(r, _)| u128::from(*r) < next);
        v |= !mask;
        v = v.reverse_bits().wrapping_add(1).reverse_bits();
        let entries = ((end - first) as u64).wrapping_mul(per_element);
        let more = v != 0 && max_iterations != 0 && entries < want;
        max_iterations = max_iterations.wrapping_sub(1);
        if !more {
            break;
        }
    }
    (v, first..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_parse_like_strtoul() {
        for (text, want) in [
            ("0", Some(0)),
            ("", Some(0)),
            ("17", Some(17)),
            ("+5", Some(5)),
            ("-1", Some(u64::MAX)),
            ("-0", Some(0)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            (" 1", None),
            ("1 ", None),
            ("0x10", None),
            ("-", None),
            ("+", None),
            ("5\0junk", Some(5)),
        ] {
            assert_eq!(parse_cursor(text.as_bytes()).ok(), want, "{text:?}");
        }
    }

    /// Walking a table to the end returns every element exactly once, whatever COUNT, and a
    /// table that doubles between calls still returns every element present throughout.
    #[test]
    fn a_full_walk_returns_every_element_across_resizes() {
        let words: Vec<Vec<u8>> = (0..300).map(|i| format!("f{i}").into_bytes()).collect();
        let sorted = |n: usize| {
            let mut order: Vec<(u64, &[u8])> = words[..n]
                .iter()
                .map(|w| (scan_hash(w).reverse_bits(), w.as_slice()))
                .collect();
            order.sort_unstable();
            order
        };
        for count in [1u64, 3, 10, 1000] {
            let order = sorted(300);
            let (mut cursor, mut seen) = (0, Vec::new());
            loop {
                let (next, range) = dict_scan(&order, dict_slots(300), cursor, (count, 1), 10);
                seen.extend(order[range].iter().map(|(_, w)| *w));
                cursor = next;
                if cursor == 0 {
                    break;
                }
                assert!(cursor < 512);
            }
            seen.sort_unstable();
            let mut all: Vec<&[u8]> = words.iter().map(Vec::as_slice).collect();
            all.sort_unstable();
            assert_eq!(seen, all, "COUNT {count}");
        }
        // Start on 100 elements (128 slots), grow to 300 (512 slots) half-way.
        let (small, big) = (sorted(100), sorted(300));
        let (mut cursor, mut seen, mut calls) = (0, Vec::new(), 0);
        loop {
            let (order, slots) = if calls < 5 {
                (&small, 128)
            } else {
                (&big, 512)
            };
            let (next, range) = dict_scan(order, slots, cursor, (5, 1), 50);
            seen.extend(order[range].iter().map(|(_, w)| *w));
            calls += 1;
            cursor = next;
            if cursor == 0 {
                break;
            }
        }
        for w in &words[..100] {
            assert!(seen.contains(&w.as_slice()), "{w:?} missed");
        }
    }
}

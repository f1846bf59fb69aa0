//! What the SCAN family shares (`parseScanCursorOrReply` and `scanGenericCommand` in Redis'
//! `db.c`): the cursor, the COUNT / MATCH / TYPE options and the reply.
//!
//! Redis checks, in this order: the cursor, then the key (missing: an empty page; another type:
//! WRONGTYPE), then the options. A collection in a compact encoding (intset, listpack) answers all
//! its elements at once with cursor 0; a hash table a page at a time.

use super::is;
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::number::{parse_i64, push_i64};
use crate::engine::reply::Reply;

/// Reads a cursor as C's `strtoul(…, 10)` does, as Redis does: an optional sign (a negative
/// cursor wraps around), decimal digits, nothing after them but the end of the C string (so `""`
/// is cursor 0); a leading space, another byte or a value past `u64` is `ERR invalid cursor`.
pub(crate) fn parse_cursor(arg: &[u8]) -> Result<u64, Error> {
    let arg = super::c_str(arg);
    let invalid = Err(Error::InvalidCursor);
    if arg
        .first()
        .is_some_and(|&b| b.is_ascii_whitespace() || b == 0x0b)
    {
        return invalid;
    }
    let (negative, digits) = match arg.first() {
        Some(b'-') => (true, &arg[1..]),
        Some(b'+') => (false, &arg[1..]),
        _ => (false, arg),
    };
    if digits.is_empty() {
        // No digits: strtoul stops at the start, which is the end only for "".
        return if arg.is_empty() { Ok(0) } else { invalid };
    }
    let mut value: u64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return invalid;
        }
        value = match value
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(b - b'0')))
        {
            Some(v) => v,
            None => return invalid,
        };
    }
    Ok(if negative {
        value.wrapping_neg()
    } else {
        value
    })
}

/// The options after a SCAN-family cursor.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ScanOptions<'a> {
    /// COUNT: how many elements a step looks at (10 unless given).
    pub count: usize,
    /// MATCH, unless it is `*` (which matches everything, the empty element included).
    pub pattern: Option<&'a [u8]>,
    /// TYPE (SCAN only).
    pub type_name: Option<&'a [u8]>,
}

impl<'a> ScanOptions<'a> {
    /// Parses `args` (the arguments after the cursor). `keyspace` is true for SCAN itself, the only
    /// one that takes TYPE.
    pub(crate) fn parse(args: &[&'a [u8]], keyspace: bool) -> Result<ScanOptions<'a>, Error> {
        let mut options = ScanOptions {
            count: 10,
            pattern: None,
            type_name: None,
        };
        let mut i = 0;
        while i < args.len() {
            let has_value = args.len() - i >= 2;
            if is(args[i], "count") && has_value {
                let count = parse_i64(args[i + 1]).ok_or(Error::NotInteger)?;
                if count < 1 {
                    return Err(Error::Syntax);
                }
                options.count = usize::try_from(count).unwrap_or(usize::MAX);
            } else if is(args[i], "match") && has_value {
                let pattern = args[i + 1];
                options.pattern = (pattern != b"*").then_some(pattern);
            } else if is(args[i], "type") && keyspace && has_value {
                options.type_name = Some(args[i + 1]);
            } else {
                return Err(Error::Syntax);
            }
            i += 2;
        }
        Ok(options)
    }

    /// True when `element` passes MATCH.
    pub(crate) fn matches(&self, element: &[u8]) -> bool {
        self.pattern.is_none_or(|p| glob_match(p, element))
    }
}

/// The reply: the next cursor (printed as Redis prints an `unsigned long` through `long long`)
/// and the elements.
pub(crate) fn reply(cursor: u64, elements: Vec<Vec<u8>>) -> Reply {
    let mut text = Vec::with_capacity(20);
    push_i64(&mut text, cursor as i64);
    Reply::Array(vec![
        Reply::Bulk(text),
        Reply::Array(elements.into_iter().map(Reply::Bulk).collect()),
    ])
}

#[cfg(test)]
mod tests {
    use super::parse_cursor;

    #[test]
    fn cursors_read_as_strtoul_reads_them() {
        for (text, cursor) in [
            ("0", 0),
            ("", 0),
            ("17", 17),
            ("+5", 5),
            ("-1", u64::MAX),
            ("18446744073709551615", u64::MAX),
            ("007", 7),
            ("5\0junk", 5),
        ] {
            assert_eq!(parse_cursor(text.as_bytes()), Ok(cursor), "{text:?}");
        }
        for text in [
            " 1",
            "1 ",
            "+",
            "-",
            "0x10",
            "18446744073709551616",
            "-18446744073709551616",
            "1.0",
            "\t1",
            "a",
        ] {
            assert!(parse_cursor(text.as_bytes()).is_err(), "{text:?}");
        }
    }
}

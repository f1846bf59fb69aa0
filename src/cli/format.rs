//! Printing a reply exactly as `redis-cli --no-raw` does (`cliFormatReplyTTY` in redis-cli.c), as
//! it arrives over RESP2 (plain `redis-cli`) or RESP3 (`redis-cli -3`).
//!
//! | reply                | printed                                   |
//! |----------------------|-------------------------------------------|
//! | status `+OK`         | `OK`                                      |
//! | error `-ERR x`       | `(error) ERR x`                           |
//! | integer `:1`         | `(integer) 1`                             |
//! | bulk `$2 hi`         | `"hi"`, escaped as `sdscatrepr` does      |
//! | nil bulk, nil array  | `(nil)`                                   |
//! | empty array          | `(empty array)`                           |
//! | array                | numbered items, nested ones indented      |
//!
//! In RESP3 a few more types arrive, and redis-cli prints them apart:
//!
//! | RESP3 reply          | printed                                   |
//! |----------------------|-------------------------------------------|
//! | double `,1.5`        | `(double) 1.5`                            |
//! | boolean `#t`         | `(true)`                                  |
//! | null `_`             | `(nil)`                                   |
//! | verbatim `=… txt:…`  | the text as it is, unquoted               |
//! | big number `(123`    | `Unknown reply type: 13` (then redis-cli exits) |
//! | map `%1`             | `1# "key" => "value"`, `(empty hash)`     |
//! | set `~1`             | `1~ "member"`, `(empty set)`              |
//!
//! Over RESP2 those arrive in RESP2's shapes ([`Reply::resp2`]) and print as such. Every line ends
//! with `\n`. Status and error texts are C strings to redis-cli: a NUL ends them.
//!
//! ```
//! use incr_lab::cli::format::{format_reply, format_reply_in};
//! use incr_lab::engine::{Protocol, Reply};
//! let reply = Reply::Array(vec![Reply::bulk("a\"b"), Reply::Integer(7)]);
//! assert_eq!(format_reply(&reply), b"1) \"a\\\"b\"\n2) (integer) 7\n");
//! let map = Reply::Map(vec![(Reply::bulk("f"), Reply::Double(1.5))]);
//! assert_eq!(format_reply(&map), b"1) \"f\"\n2) \"1.5\"\n");
//! assert_eq!(format_reply_in(&map, Protocol::Resp3), b"1# \"f\" => (double) 1.5\n");
//! ```

use crate::engine::number::{format_f64, push_i64};
use crate::engine::reply::{Protocol, Reply};

/// The bytes `redis-cli --no-raw` prints for `reply` received over RESP2.
pub fn format_reply(reply: &Reply) -> Vec<u8> {
    format_reply_in(reply, Protocol::Resp2)
}

/// The bytes `redis-cli --no-raw` prints for `reply` received over `protocol` (`redis-cli -3`
/// for RESP3).
pub fn format_reply_in(reply: &Reply, protocol: Protocol) -> Vec<u8> {
    let mut out = Vec::new();
    write_reply_in(&mut out, reply, protocol);
    out
}

/// Appends the bytes `redis-cli --no-raw` prints for `reply` received over RESP2 to `out`.
pub fn write_reply(out: &mut Vec<u8>, reply: &Reply) {
    write_reply_in(out, reply, Protocol::Resp2);
}

/// Appends the bytes `redis-cli --no-raw` prints for `reply` received over `protocol` to `out`.
pub fn write_reply_in(out: &mut Vec<u8>, reply: &Reply, protocol: Protocol) {
    write_nested(out, reply, b"", protocol);
}

/// One element of an aggregate: a reply, or a pair that RESP3 sends as a two-element array.
#[derive(Clone, Copy)]
enum Element<'a> {
    One(&'a Reply),
    Pair(&'a Reply, &'a Reply),
}

/// `cliFormatReplyTTY(reply, prefix)`: `prefix` is the indentation of the lines after the first
/// one of a nested aggregate (the first line already follows its parent's index).
fn write_nested(out: &mut Vec<u8>, reply: &Reply, prefix: &[u8], protocol: Protocol) {
    let resp3 = protocol == Protocol::Resp3;
    match reply {
        Reply::Error(text) => {
            out.extend_from_slice(b"(error) ");
            out.extend_from_slice(c_str(text));
            out.push(b'\n');
        }
        Reply::Status(text) => {
            out.extend_from_slice(c_str(text.as_bytes()));
            out.push(b'\n');
        }
        Reply::Integer(n) => {
            out.extend_from_slice(b"(integer) ");
            push_i64(out, *n);
            out.push(b'\n');
        }
        Reply::Bulk(bytes) => {
            write_repr(out, bytes);
            out.push(b'\n');
        }
        Reply::Nil | Reply::NilArray => out.extend_from_slice(b"(nil)\n"),
        Reply::InProtocol(written, reply) => write_nested(out, reply, prefix, *written),
        Reply::Array(items) => {
            let elements = items.iter().map(Element::One);
            write_list(out, elements, items.len(), b')', prefix, protocol);
        }
        // What a RESP2 connection receives for RESP3's types: a flat array, a bulk string, an
        // integer (always a RESP2 variant, so this recursion is one level deep).
        _ if !resp3 => write_nested(out, &reply.resp2(), prefix, protocol),
        Reply::Pairs(pairs) => {
            let elements = pairs.iter().map(|(a, b)| Element::Pair(a, b));
            write_list(out, elements, pairs.len(), b')', prefix, protocol);
        }
        Reply::Set(items) => {
            let elements = items.iter().map(Element::One);
            write_list(out, elements, items.len(), b'~', prefix, protocol);
        }
        Reply::Map(pairs) => write_map(out, pairs, prefix, protocol),
        Reply::Double(d) => {
            out.extend_from_slice(b"(double) ");
            out.extend_from_slice(format_f64(*d).as_bytes());
            out.push(b'\n');
        }
        Reply::Bool(b) => out.extend_from_slice(if *b { b"(true)\n" } else { b"(false)\n" }),
        Reply::Verbatim { text, .. } => {
            out.extend_from_slice(text);
            out.push(b'\n');
        }
        // redis-cli -3 has no case for a big number: it prints this (on stderr) and exits.
        Reply::BigNumber(_) => out.extend_from_slice(b"Unknown reply type: 13\n"),
    }
}

/// An array (`)`) or a set (`~`) of `len` elements: numbered, indexes right-aligned to the width
/// of the largest, nested replies indented by that width plus the two bytes of ") ".
fn write_list<'a>(
    out: &mut Vec<u8>,
    elements: impl Iterator<Item = Element<'a>>,
    len: usize,
    separator: u8,
    prefix: &[u8],
    protocol: Protocol,
) {
    if len == 0 {
        let empty: &[u8] = if separator == b'~' {
            b"(empty set)\n"
        } else {
            b"(empty array)\n"
        };
        out.extend_from_slice(empty);
        return;
    }
    let width = decimal_width(len);
    let inner = indented(prefix, width);
    for (i, element) in elements.enumerate() {
        write_index(out, if i == 0 { b"" } else { prefix }, i, width, separator);
        match element {
            Element::One(reply) => write_nested(out, reply, &inner, protocol),
            Element::Pair(a, b) => {
                let pair = [Element::One(a), Element::One(b)];
                write_list(out, pair.into_iter(), 2, b')', &inner, protocol);
            }
        }
    }
}

/// A RESP3 map: `1# key => value`, the value on the next line when it takes several.
fn write_map(out: &mut Vec<u8>, pairs: &[(Reply, Reply)], prefix: &[u8], protocol: Protocol) {
    if pairs.is_empty() {
        out.extend_from_slice(b"(empty hash)\n");
        return;
    }
    let width = decimal_width(pairs.len());
    let inner = indented(prefix, width);
    for (i, (key, value)) in pairs.iter().enumerate() {
        write_index(out, if i == 0 { b"" } else { prefix }, i, width, b'#');
        write_nested(out, key, &inner, protocol);
        out.pop(); // the key's newline
        out.extend_from_slice(b" => ");
        if is_multiline(value, protocol) {
            out.push(b'\n');
            out.extend_from_slice(&inner);
        }
        write_nested(out, value, &inner, protocol);
    }
}

/// `prefix` and the room for an index of `width` digits and its two bytes (`") "`).
fn indented(prefix: &[u8], width: usize) -> Vec<u8> {
    let mut inner = prefix.to_vec();
    inner.resize(prefix.len() + width + 2, b' ');
    inner
}

/// `%s%*d<separator> `: the prefix, the 1-based index `i + 1` right-aligned to `width`.
fn write_index(out: &mut Vec<u8>, prefix: &[u8], i: usize, width: usize, separator: u8) {
    out.extend_from_slice(prefix);
    let index = i.saturating_add(1);
    out.resize(out.len() + width - decimal_width(index), b' ');
    push_i64(out, i64::try_from(index).unwrap_or(i64::MAX));
    out.extend_from_slice(&[separator, b' ']);
}

/// `cliIsMultilineValueTTY`: true when `reply` prints on several lines.
fn is_multiline(reply: &Reply, protocol: Protocol) -> bool {
    let several = |items: &[Reply]| match items {
        [] => false,
        [one] => is_multiline(one, protocol),
        _ => true,
    };
    match reply {
        Reply::InProtocol(written, reply) => is_multiline(reply, *written),
        Reply::Array(items) => several(items),
        Reply::Map(_) | Reply::Set(_) | Reply::Pairs(_) if protocol == Protocol::Resp2 => {
            is_multiline(&reply.resp2(), protocol)
        }
        Reply::Set(items) => several(items),
        // Each pair is itself a two-element array.
        Reply::Pairs(pairs) => !pairs.is_empty(),
        Reply::Map(pairs) => match pairs.as_slice() {
            [] => false,
            [(_, value)] => is_multiline(value, protocol),
            _ => true,
        },
        _ => false,
    }
}

/// How many decimal digits `n` has (1 for 0).
fn decimal_width(mut n: usize) -> usize {
    let mut width = 1;
    while n >= 10 {
        n /= 10;
        width += 1;
    }
    width
}

/// Redis' `sdscatrepr`: `bytes` in double quotes, with `\\ \" \n \r \t \a \b` escaped, printable
/// ASCII (0x20–0x7e) as is, and every other byte as `\xhh` (lowercase hex).
pub fn write_repr(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    for &b in bytes {
        match b {
            b'\\' | b'"' => out.extend_from_slice(&[b'\\', b]),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x07 => out.extend_from_slice(b"\\a"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x20..=0x7e => out.push(b),
            _ => out.extend_from_slice(&[
                b'\\',
                b'x',
                HEX[usize::from(b >> 4)],
                HEX[usize::from(b & 0x0f)],
            ]),
        }
    }
    out.push(b'"');
}

/// What C's `%s` prints of `bytes`: everything before the first NUL.
fn c_str(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(end) => &bytes[..end],
        None => bytes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(reply: &Reply) -> String {
        String::from_utf8(format_reply(reply)).expect("test replies print as UTF-8")
    }

    fn bulk(s: &str) -> Reply {
        Reply::bulk(s)
    }

    #[test]
    fn scalars() {
        assert_eq!(show(&Reply::ok()), "OK\n");
        assert_eq!(show(&Reply::Status("QUEUED".into())), "QUEUED\n");
        assert_eq!(show(&Reply::Integer(1)), "(integer) 1\n");
        assert_eq!(
            show(&Reply::Integer(i64::MIN)),
            "(integer) -9223372036854775808\n"
        );
        assert_eq!(show(&Reply::Nil), "(nil)\n");
        assert_eq!(show(&Reply::NilArray), "(nil)\n");
        assert_eq!(
            show(&Reply::error("ERR value is not an integer or out of range")),
            "(error) ERR value is not an integer or out of range\n"
        );
        assert_eq!(show(&bulk("")), "\"\"\n");
    }

    #[test]
    fn strings_are_quoted_and_escaped_like_sdscatrepr() {
        assert_eq!(
            show(&bulk("say \"hi\" \\o/")),
            "\"say \\\"hi\\\" \\\\o/\"\n"
        );
        assert_eq!(show(&bulk("\n\r\t\x07\x08")), "\"\\n\\r\\t\\a\\b\"\n");
        assert_eq!(
            show(&Reply::bulk(b"\x00\x1f ~\x7f\x80\xff\xc3\xa9".to_vec())),
            "\"\\x00\\x1f ~\\x7f\\x80\\xff\\xc3\\xa9\"\n"
        );
        assert_eq!(show(&Reply::bulk(b"\x0b\x0c".to_vec())), "\"\\x0b\\x0c\"\n");
    }

    #[test]
    fn status_and_error_texts_stop_at_nul_like_printf() {
        assert_eq!(show(&Reply::error(b"ERR a\0b".to_vec())), "(error) ERR a\n");
        assert_eq!(show(&Reply::Status("OK\0no".into())), "OK\n");
        assert_eq!(
            format_reply(&Reply::error(b"ERR \xff".to_vec())),
            b"(error) ERR \xff\n"
        );
    }

    #[test]
    fn arrays_are_numbered() {
        assert_eq!(show(&Reply::Array(vec![])), "(empty array)\n");
        assert_eq!(
            show(&Reply::Array(vec![bulk("f"), bulk("v"), Reply::Nil])),
            "1) \"f\"\n2) \"v\"\n3) (nil)\n"
        );
    }

    #[test]
    fn indexes_are_right_aligned_from_ten_items() {
        let items: Vec<Reply> = (1..=10).map(Reply::Integer).collect();
        let text = show(&Reply::Array(items));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], " 1) (integer) 1");
        assert_eq!(lines[8], " 9) (integer) 9");
        assert_eq!(lines[9], "10) (integer) 10");
    }

    #[test]
    fn nested_arrays_are_indented_under_their_index() {
        // MULTI; HGETALL h (12 items); PING; GET nokey; HGETALL nokey; EXEC — as redis-cli prints it.
        let hash: Vec<Reply> = (1..=6)
            .flat_map(|i| [bulk(&format!("f{i}")), bulk(&format!("v{i}"))])
            .collect();
        let exec = Reply::Array(vec![
            Reply::Array(hash),
            Reply::Status("PONG".into()),
            Reply::Nil,
            Reply::Array(vec![]),
        ]);
        assert_eq!(
            show(&exec),
            "1)  1) \"f1\"\n    2) \"v1\"\n    3) \"f2\"\n    4) \"v2\"\n    5) \"f3\"\n    6) \"v3\"\n\
             \x20   7) \"f4\"\n    8) \"v4\"\n    9) \"f5\"\n   10) \"v5\"\n   11) \"f6\"\n   12) \"v6\"\n\
             2) PONG\n3) (nil)\n4) (empty array)\n"
        );
    }

    #[test]
    fn deeper_nesting_accumulates_the_indentation() {
        let reply = Reply::Array(vec![
            Reply::Array(vec![Reply::Array(vec![bulk("a"), bulk("b")]), bulk("c")]),
            bulk("d"),
        ]);
        assert_eq!(
            show(&reply),
            "1) 1) 1) \"a\"\n      2) \"b\"\n   2) \"c\"\n2) \"d\"\n"
        );
        // Both levels wide: the inner indexes align after the outer two-digit one.
        let mut outer: Vec<Reply> = (1..=10).map(Reply::Integer).collect();
        outer.push(Reply::Array((1..=11).map(Reply::Integer).collect()));
        let text = show(&Reply::Array(outer));
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[9], "10) (integer) 10");
        assert_eq!(lines[10], "11)  1) (integer) 1");
        assert_eq!(lines[11], "     2) (integer) 2");
        assert_eq!(lines[20], "    11) (integer) 11");
    }
}

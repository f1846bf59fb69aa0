//! Replies, as Redis sends them over RESP2 or RESP3.
//!
//! A command builds one [`Reply`] whatever protocol its client speaks, in RESP3's vocabulary where
//! Redis uses it (a map for HGETALL, a double for ZSCORE, …); [`Reply::write`] encodes it for the
//! connection's [`Protocol`] as Redis 7.0's `networking.c` does (`addReplyMapLen`,
//! `addReplyDouble`, …), and [`Reply::resp2`] gives the RESP2 shape for printers that only know it.

use std::borrow::Cow;

/// The protocol a connection speaks (`HELLO 2` / `HELLO 3`); RESP2 until a client asks otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// RESP2: simple strings, errors, integers, bulk strings and arrays.
    #[default]
    Resp2,
    /// RESP3: RESP2 plus maps, sets, doubles, booleans, nulls, big numbers and verbatim strings.
    Resp3,
}

/// One reply to one command.
///
/// `Error` holds the whole error line as Redis sends it after the `-`, prefix included
/// (`"ERR syntax error"`, `"WRONGTYPE Operation against …"`).
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// A simple string (`+OK`). The engine's are all fixed words, hence `Cow` (no allocation).
    Status(Cow<'static, str>),
    /// An error (`-ERR …`): the bytes after the `-`. Bytes, not text: Redis echoes user arguments
    /// (an unknown command's name, say) into errors unchanged.
    Error(Vec<u8>),
    /// An integer (`:1`).
    Integer(i64),
    /// A bulk string (`$3\r\nfoo`).
    Bulk(Vec<u8>),
    /// The null bulk string (`$-1`), printed `(nil)` by redis-cli.
    Nil,
    /// An array (`*2 …`).
    Array(Vec<Reply>),
    /// The null array (`*-1`), what EXEC answers when a watched key changed.
    NilArray,
    /// A map (`addReplyMapLen`): RESP3 `%`, a flat array of key, value, … in RESP2.
    Map(Vec<(Reply, Reply)>),
    /// A set (`addReplySetLen`): RESP3 `~`, an array in RESP2.
    Set(Vec<Reply>),
    /// A double (`addReplyDouble`): RESP3 `,`, in RESP2 a bulk string; both print `%.17g`.
    Double(f64),
    /// A boolean (`addReplyBool`): RESP3 `#t` / `#f`, the integer 1 / 0 in RESP2.
    Bool(bool),
    /// Text with a three-byte format (`addReplyVerbatim`: `txt` for INFO, any for a script's
    /// `verbatim_string`): RESP3 `=` with `format:` before the text, a bulk string in RESP2.
    Verbatim {
        /// The format, as Redis writes it: up to 3 bytes, padded with spaces.
        format: [u8; 3],
        /// The text.
        text: Vec<u8>,
    },
    /// A big number (`addReplyBigNum`, a script's `big_number`): RESP3 `(`, a bulk string in
    /// RESP2. The digits as given, unchecked, as Redis sends them.
    BigNumber(Vec<u8>),
    /// Pairs such as member and score of `ZRANGE … WITHSCORES`: a flat array in RESP2, an array
    /// of two-element arrays in RESP3 (Redis' `if (c->resp > 2) addReplyArrayLen(c,2)`).
    Pairs(Vec<(Reply, Reply)>),
    /// A reply written while its connection spoke this protocol, whatever the connection speaks
    /// when the enclosing reply goes out. Only EXEC makes them, and only when a queued `HELLO`
    /// switched the protocol mid-transaction: Redis writes each queued command's reply as it runs,
    /// so the replies before the switch are in the old protocol and the rest in the new one.
    InProtocol(Protocol, Box<Reply>),
}

impl Reply {
    /// The `+OK` reply.
    pub fn ok() -> Reply {
        Reply::Status(Cow::Borrowed("OK"))
    }

    /// A status reply with a fixed text.
    pub fn status(text: &'static str) -> Reply {
        Reply::Status(Cow::Borrowed(text))
    }

    /// A bulk reply from anything byte-like.
    pub fn bulk(bytes: impl Into<Vec<u8>>) -> Reply {
        Reply::Bulk(bytes.into())
    }

    /// An error reply with this text.
    pub fn error(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Error(text.into())
    }

    /// A verbatim string of format `txt` (INFO's).
    pub fn verbatim_text(text: impl Into<Vec<u8>>) -> Reply {
        Reply::Verbatim {
            format: *b"txt",
            text: text.into(),
        }
    }

    /// A verbatim string of format `format` as `addReplyVerbatim` writes it: its first 3 bytes
    /// (a NUL ends it, as for C), padded with spaces.
    pub fn verbatim(format: &[u8], text: impl Into<Vec<u8>>) -> Reply {
        let mut padded = *b"   ";
        for (slot, &b) in padded
            .iter_mut()
            .zip(format.iter().take_while(|&&b| b != 0))
        {
            *slot = b;
        }
        Reply::Verbatim {
            format: padded,
            text: text.into(),
        }
    }

    /// True for an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends the RESP2 encoding of this reply to `out`.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
        self.write(out, Protocol::Resp2);
    }

    /// Appends this reply's encoding in `protocol` to `out`.
    pub fn write(&self, out: &mut Vec<u8>, protocol: Protocol) {
        let resp3 = protocol == Protocol::Resp3;
        match self {
            Reply::Status(s) => line(out, b'+', s.as_bytes()),
            Reply::Error(e) => line(out, b'-', e),
            Reply::Integer(n) => {
                out.push(b':');
                super::number::push_i64(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => bulk(out, b'$', b),
            Reply::Nil if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::NilArray if resp3 => out.extend_from_slice(b"_\r\n"),
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
            Reply::Array(items) => {
                header(out, b'*', items.len());
                for item in items {
                    item.write(out, protocol);
                }
            }
            Reply::Set(items) => {
                header(out, if resp3 { b'~' } else { b'*' }, items.len());
                for item in items {
                    item.write(out, protocol);
                }
            }
            Reply::Map(pairs) => {
                if resp3 {
                    header(out, b'%', pairs.len());
                } else {
                    header(out, b'*', pairs.len().saturating_mul(2));
                }
                for (key, value) in pairs {
                    key.write(out, protocol);
                    value.write(out, protocol);
                }
            }
            Reply::Pairs(pairs) => {
                let len = if resp3 {
                    pairs.len()
                } else {
                    pairs.len().saturating_mul(2)
                };
                header(out, b'*', len);
                for (first, second) in pairs {
                    if resp3 {
                        out.extend_from_slice(b"*2\r\n");
                    }
                    first.write(out, protocol);
                    second.write(out, protocol);
                }
            }
            Reply::Double(d) if resp3 => line(out, b',', super::number::format_f64(*d).as_bytes()),
            Reply::Double(d) => bulk(out, b'$', super::number::format_f64(*d).as_bytes()),
            Reply::Bool(b) if resp3 => {
                out.extend_from_slice(if *b { b"#t\r\n" } else { b"#f\r\n" })
            }
            Reply::Bool(b) => out.extend_from_slice(if *b { b":1\r\n" } else { b":0\r\n" }),
            Reply::Verbatim { format, text } if resp3 => {
                header(out, b'=', text.len().saturating_add(4));
                out.extend_from_slice(format);
                out.push(b':');
                out.extend_from_slice(text);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Verbatim { text, .. } => bulk(out, b'$', text),
            Reply::BigNumber(digits) if resp3 => line(out, b'(', digits),
            Reply::BigNumber(digits) => bulk(out, b'$', digits),
            Reply::InProtocol(written, reply) => reply.write(out, *written),
        }
    }

    /// The RESP2 encoding of this reply.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }

    /// This reply's encoding in `protocol`.
    pub fn to_protocol(&self, protocol: Protocol) -> Vec<u8> {
        let mut out = Vec::new();
        self.write(&mut out, protocol);
        out
    }

    /// The reply a RESP2 client receives, in RESP2's own variants only (status, error, integer,
    /// bulk, nil, array, nil array): for printers and converters that know only those. Borrows
    /// when there is nothing to convert.
    pub fn resp2(&self) -> Cow<'_, Reply> {
        match self {
            Reply::Status(_)
            | Reply::Error(_)
            | Reply::Integer(_)
            | Reply::Bulk(_)
            | Reply::Nil
            | Reply::NilArray => Cow::Borrowed(self),
            Reply::Array(items) if !items.iter().any(Reply::is_resp3_only) => Cow::Borrowed(self),
            Reply::Array(items) | Reply::Set(items) => Cow::Owned(Reply::Array(
                items.iter().map(|r| r.resp2().into_owned()).collect(),
            )),
            Reply::Map(pairs) | Reply::Pairs(pairs) => Cow::Owned(Reply::Array(
                pairs
                    .iter()
                    .flat_map(|(a, b)| [a.resp2().into_owned(), b.resp2().into_owned()])
                    .collect(),
            )),
            Reply::Double(d) => Cow::Owned(Reply::Bulk(super::number::format_f64(*d).into_bytes())),
            Reply::Bool(b) => Cow::Owned(Reply::Integer(i64::from(*b))),
            Reply::Verbatim { text, .. } | Reply::BigNumber(text) => {
                Cow::Owned(Reply::Bulk(text.clone()))
            }
            Reply::InProtocol(_, reply) => Cow::Owned(reply.resp2().into_owned()),
        }
    }

    /// True when this reply, or one nested in it, has a variant RESP2 does not have.
    fn is_resp3_only(&self) -> bool {
        match self {
            Reply::Array(items) => items.iter().any(Reply::is_resp3_only),
            Reply::Status(_)
            | Reply::Error(_)
            | Reply::Integer(_)
            | Reply::Bulk(_)
            | Reply::Nil
            | Reply::NilArray => false,
            _ => true,
        }
    }
}

fn header(out: &mut Vec<u8>, prefix: u8, len: usize) {
    out.push(prefix);
    super::number::push_i64(out, i64::try_from(len).unwrap_or(i64::MAX));
    out.extend_from_slice(b"\r\n");
}

fn bulk(out: &mut Vec<u8>, prefix: u8, bytes: &[u8]) {
    header(out, prefix, bytes.len());
    out.extend_from_slice(bytes);
    out.extend_from_slice(b"\r\n");
}

fn line(out: &mut Vec<u8>, prefix: u8, text: &[u8]) {
    out.push(prefix);
    out.extend_from_slice(text);
    out.extend_from_slice(b"\r\n");
}

#[cfg(test)]
mod tests {
    use super::{Protocol, Reply};

    fn both(reply: &Reply) -> (String, String) {
        let text = |p| String::from_utf8(reply.to_protocol(p)).expect("ASCII test replies");
        (text(Protocol::Resp2), text(Protocol::Resp3))
    }

    #[test]
    fn resp3_types_fall_back_to_resp2_shapes() {
        let map = Reply::Map(vec![(Reply::bulk("f"), Reply::bulk("v"))]);
        assert_eq!(
            both(&map),
            (
                "*2\r\n$1\r\nf\r\n$1\r\nv\r\n".into(),
                "%1\r\n$1\r\nf\r\n$1\r\nv\r\n".into()
            )
        );
        let set = Reply::Set(vec![Reply::bulk("a")]);
        assert_eq!(
            both(&set),
            ("*1\r\n$1\r\na\r\n".into(), "~1\r\n$1\r\na\r\n".into())
        );
        assert_eq!(
            both(&Reply::Double(0.1)),
            (
                "$19\r\n0.10000000000000001\r\n".into(),
                ",0.10000000000000001\r\n".into()
            )
        );
        assert_eq!(
            both(&Reply::Double(f64::NEG_INFINITY)),
            ("$4\r\n-inf\r\n".into(), ",-inf\r\n".into())
        );
        assert_eq!(both(&Reply::Bool(true)), (":1\r\n".into(), "#t\r\n".into()));
        assert_eq!(both(&Reply::Nil), ("$-1\r\n".into(), "_\r\n".into()));
        assert_eq!(both(&Reply::NilArray), ("*-1\r\n".into(), "_\r\n".into()));
        assert_eq!(
            both(&Reply::verbatim_text(b"a\r\nb".to_vec())),
            ("$4\r\na\r\nb\r\n".into(), "=8\r\ntxt:a\r\nb\r\n".into())
        );
        assert_eq!(
            both(&Reply::verbatim(b"md", "x")),
            ("$1\r\nx\r\n".into(), "=5\r\nmd :x\r\n".into())
        );
        assert_eq!(both(&Reply::verbatim(b"mkdown", "")).1, "=4\r\nmkd:\r\n");
        assert_eq!(
            both(&Reply::BigNumber(b"123".to_vec())),
            ("$3\r\n123\r\n".into(), "(123\r\n".into())
        );
        let pairs = Reply::Pairs(vec![(Reply::bulk("m"), Reply::Double(1.5))]);
        assert_eq!(
            both(&pairs),
            (
                "*2\r\n$1\r\nm\r\n$3\r\n1.5\r\n".into(),
                "*1\r\n*2\r\n$1\r\nm\r\n,1.5\r\n".into()
            )
        );
    }

    #[test]
    fn resp2_view_flattens_and_borrows_when_it_can() {
        let plain = Reply::Array(vec![Reply::Integer(1)]);
        assert!(matches!(plain.resp2(), std::borrow::Cow::Borrowed(_)));
        let nested = Reply::Array(vec![Reply::Map(vec![(
            Reply::bulk("k"),
            Reply::Bool(false),
        )])]);
        assert_eq!(
            nested.resp2().into_owned(),
            Reply::Array(vec![Reply::Array(vec![
                Reply::bulk("k"),
                Reply::Integer(0)
            ])])
        );
        assert_eq!(nested.to_resp(), nested.resp2().to_resp());
    }
}

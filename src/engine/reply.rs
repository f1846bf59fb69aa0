//! Replies, as Redis sends them over RESP2.

use std::borrow::Cow;

/// One reply to one command, in RESP2's vocabulary.
///
/// `Error` holds the whole error line as Redis sends it after the `-`, prefix included
/// (`"ERR syntax error"`, `"WRONGTYPE Operation against …"`).
#[derive(Clone, Debug, PartialEq, Eq)]
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

    /// True for an error reply.
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }

    /// Appends the RESP2 encoding of this reply to `out`.
    pub fn write_resp(&self, out: &mut Vec<u8>) {
        match self {
            Reply::Status(s) => line(out, b'+', s.as_bytes()),
            Reply::Error(e) => line(out, b'-', e),
            Reply::Integer(n) => {
                out.push(b':');
                super::number::push_i64(out, *n);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Bulk(b) => {
                out.push(b'$');
                super::number::push_i64(out, b.len() as i64);
                out.extend_from_slice(b"\r\n");
                out.extend_from_slice(b);
                out.extend_from_slice(b"\r\n");
            }
            Reply::Nil => out.extend_from_slice(b"$-1\r\n"),
            Reply::Array(items) => {
                out.push(b'*');
                super::number::push_i64(out, items.len() as i64);
                out.extend_from_slice(b"\r\n");
                for item in items {
                    item.write_resp(out);
                }
            }
            Reply::NilArray => out.extend_from_slice(b"*-1\r\n"),
        }
    }

    /// The RESP2 encoding of this reply.
    pub fn to_resp(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.write_resp(&mut out);
        out
    }
}

fn line(out: &mut Vec<u8>, prefix: u8, text: &[u8]) {
    out.push(prefix);
    out.extend_from_slice(text);
    out.extend_from_slice(b"\r\n");
}

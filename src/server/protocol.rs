//! Reading requests: RESP2 multibulk frames and inline commands, cut exactly where Redis 7.0's
//! `networking.c` cuts them, with its error texts.
//!
//! The parser never allocates a length a client merely announces: a multibulk count reserves at
//! most [`ARGS_PREALLOC`] slots and a bulk length reserves nothing — the bytes are counted as they
//! arrive in the client's own buffer. Arguments of a multibulk frame are kept as ranges into that
//! buffer, so a pipelined burst is parsed without copying or allocating per argument.
//!
//! Redis' quirks kept on purpose:
//! - a frame starting with `*` is multibulk, anything else is an inline command (one line, split
//!   with redis-cli's quoting rules);
//! - a line is found with C's `strchr`, which stops at a NUL byte: a NUL before the line end means
//!   "no line yet";
//! - the byte after a `\r` that ends a count line, and the two bytes after a bulk, are skipped
//!   without being checked;
//! - an empty multibulk (`*0`, `*-1`) and an empty or blank inline line are no command at all.

use std::ops::Range;

use crate::cli::tokenizer;
use crate::engine::number::parse_i64;

/// The longest inline request, or count line, Redis waits for (`PROTO_INLINE_MAX_SIZE`).
pub const INLINE_MAX: usize = 64 * 1024;

/// The longest bulk argument Redis accepts (`proto-max-bulk-len`, 512 MB).
pub const MAX_BULK_LEN: i64 = 512 * 1024 * 1024;

/// The most argument slots reserved up front for a multibulk frame, whatever count it announces.
pub const ARGS_PREALLOC: usize = 1024;

/// A request Redis rejects; the connection is closed after the error reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// No line end within [`INLINE_MAX`] bytes of an inline request.
    TooBigInline,
    /// An inline request with a quote left open, or a closing quote not followed by a space.
    UnbalancedQuotes,
    /// No `\r` within [`INLINE_MAX`] bytes after a `*`.
    TooBigMultibulkCount,
    /// The count after `*` is not an integer, or exceeds `INT_MAX`.
    InvalidMultibulkLength,
    /// No `\r` within [`INLINE_MAX`] bytes where a `$` line should be.
    TooBigBulkCount,
    /// Something else than `$` where a bulk should start.
    ExpectedDollar(u8),
    /// The length after `$` is not an integer, is negative or exceeds [`MAX_BULK_LEN`].
    InvalidBulkLength,
}

impl ProtocolError {
    /// The error reply as Redis sends it after the `-`.
    pub fn reply_text(&self) -> Vec<u8> {
        let text: &[u8] = match self {
            ProtocolError::TooBigInline => b"ERR Protocol error: too big inline request",
            ProtocolError::UnbalancedQuotes => b"ERR Protocol error: unbalanced quotes in request",
            ProtocolError::TooBigMultibulkCount => {
                b"ERR Protocol error: too big mbulk count string"
            }
            ProtocolError::InvalidMultibulkLength => {
                b"ERR Protocol error: invalid multibulk length"
            }
            ProtocolError::TooBigBulkCount => b"ERR Protocol error: too big bulk count string",
            ProtocolError::InvalidBulkLength => b"ERR Protocol error: invalid bulk length",
            ProtocolError::ExpectedDollar(got) => {
                // addReplyErrorFormat turns line breaks inside a message into spaces.
                let got = if matches!(got, b'\r' | b'\n') {
                    b' '
                } else {
                    *got
                };
                let mut text = b"ERR Protocol error: expected '$', got '".to_vec();
                text.push(got);
                text.push(b'\'');
                return text;
            }
        };
        text.to_vec()
    }
}

/// One complete request.
#[derive(Debug, PartialEq, Eq)]
pub enum Request {
    /// A multibulk frame: its arguments are [`Parser::args`], ranges into the buffer.
    Multibulk,
    /// An inline command, split and unescaped.
    Inline(Vec<Vec<u8>>),
}

/// Where the parser is inside a multibulk frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    /// Between requests.
    Idle,
    /// Inside a multibulk frame: `left` arguments to go; `bulk` is the announced length of the
    /// one being read, once its `$` line is in.
    Multibulk { left: i64, bulk: Option<usize> },
}

/// Incremental request parser for one connection.
///
/// The caller owns the buffer; [`Parser::parse`] reads it from `*pos` on and advances `*pos` past
/// what it consumed. Bytes of a frame still in progress must stay in the buffer: see
/// [`Parser::frame_start`] and [`Parser::shift`].
#[derive(Debug)]
pub struct Parser {
    state: State,
    /// Where the frame in progress starts in the buffer.
    start: usize,
    args: Vec<Range<usize>>,
}

impl Default for Parser {
    fn default() -> Self {
        Parser::new()
    }
}

impl Parser {
    /// A parser between requests.
    pub fn new() -> Parser {
        Parser {
            state: State::Idle,
            start: 0,
            args: Vec::new(),
        }
    }

    /// The arguments of the last [`Request::Multibulk`], as ranges into the buffer.
    pub fn args(&self) -> &[Range<usize>] {
        &self.args
    }

    /// True while a frame is half read.
    pub fn in_frame(&self) -> bool {
        self.state != State::Idle
    }

    /// The first buffer position the parser still needs: the start of the frame in progress, or
    /// `pos` between frames. Everything before it may be dropped (then call [`Parser::shift`]).
    pub fn frame_start(&self, pos: usize) -> usize {
        if self.in_frame() {
            self.start
        } else {
            pos
        }
    }

    /// Tells the parser that the first `by` bytes of the buffer were dropped.
    pub fn shift(&mut self, by: usize) {
        self.start = self.start.saturating_sub(by);
        for range in &mut self.args {
            *range = range.start.saturating_sub(by)..range.end.saturating_sub(by);
        }
    }

    /// Reads the next request from `buf[*pos..]`. `Ok(None)`: more bytes are needed (what was
    /// read of a frame is remembered). An empty request is skipped, as Redis skips it.
    pub fn parse(&mut self, buf: &[u8], pos: &mut usize) -> Result<Option<Request>, ProtocolError> {
        loop {
            if self.state == State::Idle {
                let Some(&first) = buf.get(*pos) else {
                    return Ok(None);
                };
                if first != b'*' {
                    match inline(buf, pos)? {
                        None => return Ok(None),
                        Some(args) if args.is_empty() => continue,
                        Some(args) => return Ok(Some(Request::Inline(args))),
                    }
                }
                let Some(count) = self.count_line(buf, pos)? else {
                    return Ok(None);
                };
                if count <= 0 {
                    continue;
                }
                self.start = *pos;
                self.args.clear();
                self.args.reserve(
                    usize::try_from(count).map_or(ARGS_PREALLOC, |n| n.min(ARGS_PREALLOC)),
                );
                self.state = State::Multibulk {
                    left: count,
                    bulk: None,
                };
            }
            return self.multibulk(buf, pos);
        }
    }

    /// The `*<count>\r\n` line; `*pos` is at the `*`.
    fn count_line(&mut self, buf: &[u8], pos: &mut usize) -> Result<Option<i64>, ProtocolError> {
        let Some(cr) = find_c(buf, *pos, b'\r') else {
            if buf.len() - *pos > INLINE_MAX {
                return Err(ProtocolError::TooBigMultibulkCount);
            }
            return Ok(None);
        };
        if cr + 2 > buf.len() {
            return Ok(None);
        }
        let count = buf
            .get(*pos + 1..cr)
            .and_then(parse_i64)
            .filter(|&n| n <= i64::from(i32::MAX))
            .ok_or(ProtocolError::InvalidMultibulkLength)?;
        *pos = cr + 2;
        Ok(Some(count))
    }

    /// The rest of a multibulk frame.
    fn multibulk(&mut self, buf: &[u8], pos: &mut usize) -> Result<Option<Request>, ProtocolError> {
        while let State::Multibulk { left, bulk } = self.state {
            if left <= 0 {
                self.state = State::Idle;
                return Ok(Some(Request::Multibulk));
            }
            let len = match bulk {
                Some(len) => len,
                None => {
                    let Some(len) = bulk_line(buf, pos)? else {
                        return Ok(None);
                    };
                    self.state = State::Multibulk {
                        left,
                        bulk: Some(len),
                    };
                    len
                }
            };
            // The bulk and the two bytes after it (meant to be "\r\n", never checked).
            if buf.len() - *pos < len + 2 {
                return Ok(None);
            }
            self.args.push(*pos..*pos + len);
            *pos += len + 2;
            self.state = State::Multibulk {
                left: left - 1,
                bulk: None,
            };
        }
        Ok(None)
    }
}

/// A `$<len>\r\n` line at `*pos`.
fn bulk_line(buf: &[u8], pos: &mut usize) -> Result<Option<usize>, ProtocolError> {
    let Some(cr) = find_c(buf, *pos, b'\r') else {
        if buf.len() - *pos > INLINE_MAX {
            return Err(ProtocolError::TooBigBulkCount);
        }
        return Ok(None);
    };
    if cr + 2 > buf.len() {
        return Ok(None);
    }
    let first = buf.get(*pos).copied().unwrap_or(b'\r');
    if first != b'$' {
        return Err(ProtocolError::ExpectedDollar(first));
    }
    let len = buf
        .get(*pos + 1..cr)
        .and_then(parse_i64)
        .filter(|&n| (0..=MAX_BULK_LEN).contains(&n))
        .and_then(|n| usize::try_from(n).ok())
        .ok_or(ProtocolError::InvalidBulkLength)?;
    *pos = cr + 2;
    Ok(Some(len))
}

/// An inline request at `*pos`: one line, `\n` or `\r\n` ended, split as redis-cli splits.
/// `Ok(Some(empty))` for a blank line.
fn inline(buf: &[u8], pos: &mut usize) -> Result<Option<Vec<Vec<u8>>>, ProtocolError> {
    let Some(nl) = find_c(buf, *pos, b'\n') else {
        if buf.len() - *pos > INLINE_MAX {
            return Err(ProtocolError::TooBigInline);
        }
        return Ok(None);
    };
    let mut end = nl;
    if end > *pos && buf[end - 1] == b'\r' {
        end -= 1;
    }
    let args =
        tokenizer::split_args(&buf[*pos..end]).map_err(|_| ProtocolError::UnbalancedQuotes)?;
    *pos = nl + 1;
    Ok(Some(args))
}

/// C's `strchr(buf + from, byte)`: the first `byte` at or after `from`, unless a NUL comes first.
fn find_c(buf: &[u8], from: usize, byte: u8) -> Option<usize> {
    let rest = buf.get(from..)?;
    let at = rest.iter().position(|&b| b == byte || b == 0)?;
    (rest[at] == byte).then_some(from + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Parses all of `input` at once: the requests (multibulk ones as their arguments), then the
    /// error if one stopped it, and how many bytes are left unconsumed.
    fn parse_all(input: &[u8]) -> (Vec<Vec<Vec<u8>>>, Option<ProtocolError>, usize) {
        let mut parser = Parser::new();
        let mut pos = 0;
        let mut requests = Vec::new();
        loop {
            match parser.parse(input, &mut pos) {
                Ok(Some(Request::Multibulk)) => requests.push(
                    parser
                        .args()
                        .iter()
                        .map(|r| input[r.clone()].to_vec())
                        .collect(),
                ),
                Ok(Some(Request::Inline(args))) => requests.push(args),
                Ok(None) => return (requests, None, input.len() - pos),
                Err(e) => return (requests, Some(e), input.len() - pos),
            }
        }
    }

    fn argv(words: &[&str]) -> Vec<Vec<u8>> {
        words.iter().map(|w| w.as_bytes().to_vec()).collect()
    }

    #[test]
    fn multibulk_frames_pipelined() {
        let (reqs, err, left) = parse_all(b"*2\r\n$4\r\nINCR\r\n$1\r\nk\r\n*1\r\n$4\r\nPING\r\n");
        assert_eq!(reqs, vec![argv(&["INCR", "k"]), argv(&["PING"])]);
        assert_eq!((err, left), (None, 0));
    }

    #[test]
    fn inline_commands_as_typed_into_nc() {
        let (reqs, err, _) = parse_all(b"SET k \"a b\"\r\nGET k\n\r\n   \nPING\r\n");
        assert_eq!(
            reqs,
            vec![
                argv(&["SET", "k", "a b"]),
                argv(&["GET", "k"]),
                argv(&["PING"])
            ]
        );
        assert_eq!(err, None);
        let (reqs, err, _) = parse_all(b"PING\r\nSET k \"open\r\nPING\r\n");
        assert_eq!(reqs, vec![argv(&["PING"])]);
        assert_eq!(err, Some(ProtocolError::UnbalancedQuotes));
        let (_, err, _) = parse_all(b"SET k \"a\"b\r\n");
        assert_eq!(err, Some(ProtocolError::UnbalancedQuotes));
    }

    #[test]
    fn empty_multibulk_is_skipped() {
        let (reqs, err, left) = parse_all(b"*0\r\n*-1\r\n*-5\r\n*1\r\n$4\r\nPING\r\n");
        assert_eq!(reqs, vec![argv(&["PING"])]);
        assert_eq!((err, left), (None, 0));
    }

    #[test]
    fn byte_at_a_time_gives_the_same_requests() {
        let input =
            b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nhello\r\nINCR n\r\n*2\r\n$3\r\nGET\r\n$0\r\n\r\n";
        let mut parser = Parser::new();
        let mut pos = 0;
        let mut got = Vec::new();
        for end in 1..=input.len() {
            while let Some(req) = parser.parse(&input[..end], &mut pos).unwrap() {
                got.push(match req {
                    Request::Multibulk => parser
                        .args()
                        .iter()
                        .map(|r| input[r.clone()].to_vec())
                        .collect(),
                    Request::Inline(args) => args,
                });
            }
        }
        assert_eq!(
            got,
            vec![
                argv(&["SET", "k", "hello"]),
                argv(&["INCR", "n"]),
                argv(&["GET", ""])
            ]
        );
    }

    #[test]
    fn shifting_keeps_a_half_read_frame() {
        let input = b"PING\r\n*2\r\n$3\r\nGET\r\n$1\r\nk\r\n";
        let mut parser = Parser::new();
        let mut pos = 0;
        assert!(matches!(
            parser.parse(&input[..20], &mut pos),
            Ok(Some(Request::Inline(_)))
        ));
        assert_eq!(parser.parse(&input[..20], &mut pos), Ok(None));
        let start = parser.frame_start(pos);
        assert_eq!(start, 10);
        let rest = input[start..].to_vec();
        parser.shift(start);
        pos -= start;
        assert_eq!(parser.parse(&rest, &mut pos), Ok(Some(Request::Multibulk)));
        let args: Vec<&[u8]> = parser.args().iter().map(|r| &rest[r.clone()]).collect();
        assert_eq!(args, vec![&b"GET"[..], b"k"]);
    }

    #[test]
    fn protocol_errors_as_redis_words_them() {
        let text = |e: ProtocolError| String::from_utf8(e.reply_text()).unwrap();
        let err = |input: &[u8]| parse_all(input).1.map(text);
        assert_eq!(
            err(b"*x\r\n").as_deref(),
            Some("ERR Protocol error: invalid multibulk length")
        );
        assert_eq!(
            err(b"*\r\n").as_deref(),
            Some("ERR Protocol error: invalid multibulk length")
        );
        assert_eq!(
            err(b"*2147483648\r\n").as_deref(),
            Some("ERR Protocol error: invalid multibulk length")
        );
        assert_eq!(
            err(b"*1\r\n$4294967296\r\n").as_deref(),
            Some("ERR Protocol error: invalid bulk length")
        );
        assert_eq!(
            err(b"*1\r\n$-1\r\n").as_deref(),
            Some("ERR Protocol error: invalid bulk length")
        );
        assert_eq!(
            err(b"*1\r\n$536870913\r\n").as_deref(),
            Some("ERR Protocol error: invalid bulk length")
        );
        assert_eq!(
            err(b"*1\r\nfoo\r\n").as_deref(),
            Some("ERR Protocol error: expected '$', got 'f'")
        );
        assert_eq!(
            err(b"*1\r\n\r\n").as_deref(),
            Some("ERR Protocol error: expected '$', got ' '")
        );
        let mut long = b"SET k ".to_vec();
        long.resize(INLINE_MAX + 1, b'v');
        assert_eq!(
            err(&long).as_deref(),
            Some("ERR Protocol error: too big inline request")
        );
        long[0] = b'*';
        assert_eq!(
            err(&long).as_deref(),
            Some("ERR Protocol error: too big mbulk count string")
        );
        let mut bulk = b"*1\r\n$".to_vec();
        bulk.resize(INLINE_MAX + 10, b'1');
        assert_eq!(
            err(&bulk).as_deref(),
            Some("ERR Protocol error: too big bulk count string")
        );
    }

    #[test]
    fn announced_lengths_are_not_allocated() {
        // 2^31-1 arguments of 512 MB each announced; a few bytes sent.
        let input = b"*2147483647\r\n$536870912\r\nabc";
        let mut parser = Parser::new();
        let mut pos = 0;
        assert_eq!(parser.parse(input, &mut pos), Ok(None));
        assert!(parser.args.capacity() <= ARGS_PREALLOC);
        assert!(parser.in_frame());
    }

    #[test]
    fn a_nul_byte_hides_the_line_end_as_strchr_does() {
        let (reqs, err, left) = parse_all(b"PI\0NG\r\n");
        assert_eq!((reqs.len(), err, left), (0, None, 7));
    }

    /// Bytes drawn mostly from the protocol's own alphabet, so frames half-make sense.
    fn protocol_bytes() -> impl proptest::strategy::Strategy<Value = Vec<u8>> {
        use proptest::prelude::*;
        let alphabet: Vec<u8> = b"*$\r\n\r\n0123456789--+ abcPING\"'\\x\0\t".to_vec();
        prop::collection::vec(
            prop_oneof![
                4 => prop::sample::select(alphabet),
                1 => any::<u8>(),
            ],
            0..300,
        )
    }

    proptest::proptest! {
        /// Any bytes, cut anywhere: no panic, and the same requests (and the same error) as when
        /// everything arrives at once.
        #[test]
        fn chunking_never_changes_the_outcome(
            input in protocol_bytes(),
            cuts in proptest::collection::vec(0usize..300, 0..8),
        ) {
            let whole = parse_all(&input);
            let mut ends: Vec<usize> = cuts.into_iter().map(|c| c.min(input.len())).collect();
            ends.push(input.len());
            ends.sort_unstable();
            let mut parser = Parser::new();
            let mut pos = 0;
            let mut requests = Vec::new();
            let mut error = None;
            'feed: for end in ends {
                loop {
                    match parser.parse(&input[..end], &mut pos) {
                        Ok(Some(Request::Multibulk)) => requests.push(
                            parser.args().iter().map(|r| input[r.clone()].to_vec()).collect(),
                        ),
                        Ok(Some(Request::Inline(args))) => requests.push(args),
                        Ok(None) => break,
                        Err(e) => {
                            error = Some(e);
                            break 'feed;
                        }
                    }
                }
            }
            proptest::prop_assert_eq!(requests, whole.0);
            proptest::prop_assert_eq!(error, whole.1);
        }
    }
}

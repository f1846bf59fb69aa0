//! Every error the engine answers, with Redis 7.0's exact wording.

use std::fmt;

/// An error reply. `Display` gives the exact text Redis sends after the `-`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    /// `unknown command '<name>', with args beginning with: '<arg>' …`, as processCommand words it.
    UnknownCommand {
        /// The command name as typed (case kept).
        name: Vec<u8>,
        /// The arguments after the name.
        args: Vec<Vec<u8>>,
    },
    /// `unknown subcommand '<sub>'. Try <CONTAINER> HELP.`, as processCommand words it.
    UnknownSubcommand {
        /// The subcommand as typed.
        sub: Vec<u8>,
        /// The container command's name as typed, uppercased.
        container: Vec<u8>,
    },
    /// An error a host words itself: the whole text after the `-`.
    Other(Vec<u8>),
    /// An integer argument outside the range a C type holds (`getRangeLongFromObjectOrReply`).
    IntOutOfRange {
        /// The smallest value accepted.
        min: i64,
        /// The largest value accepted.
        max: i64,
    },
    /// SELECT, MOVE, SWAPDB: no database of that index.
    DbIndexOutOfRange,
    /// RENAME of a missing key (`shared.nokeyerr`).
    NoSuchKey,
    /// MOVE to the database the key is in (`shared.sameobjecterr`).
    SameObject,
    /// Wrong arity; holds the command's lowercase name.
    WrongArity(&'static str),
    /// A key holds another type than the command works on.
    WrongType,
    /// `ERR syntax error`.
    Syntax,
    /// An argument or a stored string is not a 64-bit integer.
    NotInteger,
    /// An argument or a stored string is not a float (strings, scores).
    NotFloat,
    /// INCR/INCRBY/DECR/DECRBY/HINCRBY would leave the i64 range.
    IncrOverflow,
    /// DECRBY with the minimum i64 as decrement (its negation overflows).
    DecrOverflow,
    /// INCRBYFLOAT / HINCRBYFLOAT result is NaN or infinite.
    IncrNanOrInf,
    /// HINCRBYFLOAT increment is NaN or infinite.
    ValueNanOrInf,
    /// HINCRBY on a field whose value is not an integer.
    HashNotInteger,
    /// HINCRBYFLOAT on a field whose value is not a float.
    HashNotFloat,
    /// An expire time out of range; holds the command's lowercase name.
    InvalidExpireTime(&'static str),
    /// EXPIRE family: NX with XX, GT or LT.
    ExpireNxAndOthers,
    /// EXPIRE family: GT with LT.
    ExpireGtAndLt,
    /// EXPIRE family: an option that is not NX/XX/GT/LT.
    UnsupportedOption(Vec<u8>),
    /// ZADD with both XX and NX.
    ZaddXxAndNx,
    /// ZADD with GT/LT together or with NX.
    ZaddGtLtNx,
    /// ZADD INCR with several score-member pairs.
    ZaddIncrSinglePair,
    /// A score computation gave NaN (`inf` + `-inf`).
    ScoreNan,
    /// ZRANGE BYSCORE min/max that are not floats.
    MinMaxNotFloat,
    /// ZRANGE BYLEX min/max that are not `[`/`(`/`-`/`+` items.
    MinMaxNotLex,
    /// ZRANGE LIMIT without BYSCORE/BYLEX.
    LimitWithoutBy,
    /// ZRANGE BYLEX with WITHSCORES.
    WithscoresWithBylex,
    /// MULTI inside MULTI.
    NestedMulti,
    /// WATCH inside MULTI.
    WatchInsideMulti,
    /// EXEC without MULTI.
    ExecWithoutMulti,
    /// DISCARD without MULTI.
    DiscardWithoutMulti,
    /// EXEC after a command failed to queue.
    ExecAbortPrevious,
    /// EXEC rejected before running (wrong arity, OOM): the transaction is discarded.
    ExecAbort(Box<Error>),
    /// The memory guard: a write past the configured cap.
    OutOfMemory,
}

/// Writes `bytes` the way C's `%s` does: stop at the first NUL; bytes are not re-encoded.
fn c_str(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(n) => &bytes[..n],
        None => bytes,
    }
}

impl Error {
    /// An error whose text quotes user arguments, as Redis' `addReplyErrorFormat` sends it: CR
    /// and LF become spaces so the reply stays one line.
    pub fn formatted(mut text: Vec<u8>) -> Error {
        for b in text.iter_mut() {
            if *b == b'\r' || *b == b'\n' {
                *b = b' ';
            }
        }
        Error::Other(text)
    }

    /// The error text as bytes (Redis error texts may carry arbitrary bytes from user arguments).
    pub fn to_bytes(&self) -> Vec<u8> {
        match self {
            Error::UnknownCommand { name, args } => {
                let mut s = b"ERR unknown command '".to_vec();
                let name = c_str(name);
                s.extend_from_slice(&name[..name.len().min(128)]);
                s.extend_from_slice(b"', with args beginning with: ");
                // processCommand: for each arg while the list is shorter than 128 bytes,
                // append "'%.*s' " with the precision limited to what is left of 128.
                let mut list: Vec<u8> = Vec::new();
                for arg in args {
                    if list.len() >= 128 {
                        break;
                    }
                    let room = 128 - list.len();
                    let arg = c_str(arg);
                    list.push(b'\'');
                    list.extend_from_slice(&arg[..arg.len().min(room)]);
                    list.extend_from_slice(b"' ");
                }
                s.extend_from_slice(&list);
                // addReplyErrorFormat turns CR and LF into spaces to keep the protocol valid.
                for b in s.iter_mut() {
                    if *b == b'\r' || *b == b'\n' {
                        *b = b' ';
                    }
                }
                s
            }
            Error::UnknownSubcommand { sub, container } => {
                let mut s = b"ERR unknown subcommand '".to_vec();
                let sub = c_str(sub);
                s.extend_from_slice(&sub[..sub.len().min(128)]);
                s.extend_from_slice(b"'. Try ");
                s.extend_from_slice(c_str(container));
                s.extend_from_slice(b" HELP.");
                for b in s.iter_mut() {
                    if *b == b'\r' || *b == b'\n' {
                        *b = b' ';
                    }
                }
                s
            }
            Error::Other(text) => text.clone(),
            Error::UnsupportedOption(opt) => {
                let mut s = b"ERR Unsupported option ".to_vec();
                s.extend_from_slice(c_str(opt));
                for b in s.iter_mut() {
                    if *b == b'\r' || *b == b'\n' {
                        *b = b' ';
                    }
                }
                s
            }
            other => other.to_string().into_bytes(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::UnknownCommand { .. }
            | Error::UnknownSubcommand { .. }
            | Error::Other(_)
            | Error::UnsupportedOption(_) => {
                f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
            }
            Error::WrongArity(cmd) => {
                write!(f, "ERR wrong number of arguments for '{cmd}' command")
            }
            Error::IntOutOfRange { min, max } => {
                write!(f, "ERR value is out of range, value must between {min} and {max}")
            }
            Error::DbIndexOutOfRange => f.write_str("ERR DB index is out of range"),
            Error::SameObject => f.write_str("ERR source and destination objects are the same"),
            Error::NoSuchKey => f.write_str("ERR no such key"),
            Error::WrongType => f.write_str(
                "WRONGTYPE Operation against a key holding the wrong kind of value",
            ),
            Error::Syntax => f.write_str("ERR syntax error"),
            Error::NotInteger => f.write_str("ERR value is not an integer or out of range"),
            Error::NotFloat => f.write_str("ERR value is not a valid float"),
            Error::IncrOverflow => f.write_str("ERR increment or decrement would overflow"),
            Error::DecrOverflow => f.write_str("ERR decrement would overflow"),
            Error::IncrNanOrInf => f.write_str("ERR increment would produce NaN or Infinity"),
            Error::ValueNanOrInf => f.write_str("ERR value is NaN or Infinity"),
            Error::HashNotInteger => f.write_str("ERR hash value is not an integer"),
            Error::HashNotFloat => f.write_str("ERR hash value is not a float"),
            Error::InvalidExpireTime(cmd) => {
                write!(f, "ERR invalid expire time in '{cmd}' command")
            }
            Error::ExpireNxAndOthers => f.write_str(
                "ERR NX and XX, GT or LT options at the same time are not compatible",
            ),
            Error::ExpireGtAndLt => {
                f.write_str("ERR GT and LT options at the same time are not compatible")
            }
            Error::ZaddXxAndNx => {
                f.write_str("ERR XX and NX options at the same time are not compatible")
            }
            Error::ZaddGtLtNx => f.write_str(
                "ERR GT, LT, and/or NX options at the same time are not compatible",
            ),
            Error::ZaddIncrSinglePair => {
                f.write_str("ERR INCR option supports a single increment-element pair")
            }
            Error::ScoreNan => f.write_str("ERR resulting score is not a number (NaN)"),
            Error::MinMaxNotFloat => f.write_str("ERR min or max is not a float"),
            Error::MinMaxNotLex => f.write_str("ERR min or max not valid string range item"),
            Error::LimitWithoutBy => f.write_str(
                "ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX",
            ),
            Error::WithscoresWithBylex => f.write_str(
                "ERR syntax error, WITHSCORES not supported in combination with BYLEX",
            ),
            Error::NestedMulti => f.write_str("ERR MULTI calls can not be nested"),
            Error::WatchInsideMulti => f.write_str("ERR WATCH inside MULTI is not allowed"),
            Error::ExecWithoutMulti => f.write_str("ERR EXEC without MULTI"),
            Error::DiscardWithoutMulti => f.write_str("ERR DISCARD without MULTI"),
            Error::ExecAbortPrevious => {
                f.write_str("EXECABORT Transaction discarded because of previous errors.")
            }
            Error::ExecAbort(inner) => {
                // execCommandAbort: the inner error without its leading code word's dash.
                let text = inner.to_string();
                let text = text.strip_prefix("ERR ").unwrap_or(&text);
                write!(f, "EXECABORT Transaction discarded because of: {text}")
            }
            Error::OutOfMemory => {
                f.write_str("OOM command not allowed when used memory > 'maxmemory'.")
            }
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for super::Reply {
    fn from(e: Error) -> Self {
        super::Reply::Error(e.to_bytes())
    }
}

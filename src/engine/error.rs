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
    /// An error worded at run time (a host's own commands): the whole text after the `-`, code
    /// word first (`ERR …`), as built from the arguments; [`error_format`] makes it valid RESP as
    /// Redis' `addReplyErrorFormat` does.
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
    /// RENAME or LSET of a missing key (`shared.nokeyerr`).
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
    /// EVALSHA / FCALL of a script the cache does not hold.
    NoScript,
    /// EVAL's numkeys above the number of arguments.
    NumKeysTooLarge,
    /// EVAL's numkeys below zero.
    NumKeysNegative,
    /// SCRIPT KILL / FUNCTION KILL with no script running (always, here: a script runs whole).
    NotBusy,
    /// SCRIPT FLUSH with an option other than SYNC or ASYNC.
    ScriptFlushOption,
    /// EVAL_RO / EVALSHA_RO of a script whose shebang lacks `no-writes`.
    WriteScriptRo,
    /// A script that does not compile: Lua's message (`user_script:1: …`).
    ScriptCompile(Vec<u8>),
    /// A string would pass `proto-max-bulk-len` (512 MB): APPEND, SETRANGE.
    StringTooLong,
    /// SETRANGE with a negative offset.
    OffsetOutOfRange,
    /// SETBIT/GETBIT/BITFIELD offset that is not an integer, negative or past 512 MB.
    BitOffset,
    /// SETBIT with a value other than 0 or 1.
    BitValue,
    /// BITPOS with a bit other than 0 or 1.
    BitposBit,
    /// BITOP NOT with more than one source key.
    BitopNotSingleKey,
    /// BITFIELD type that is not `i1`..`i64` or `u1`..`u63`.
    BitfieldType,
    /// BITFIELD OVERFLOW with another word than WRAP, SAT or FAIL.
    BitfieldOverflowType,
    /// BITFIELD_RO with SET or INCRBY.
    BitfieldReadOnly,
    /// LCS on a key holding another type than a string.
    LcsNotStrings,
    /// LCS with both LEN and IDX.
    LcsLenAndIdx,
    /// LCS on strings of 4 GB or more.
    LcsTooLong,
    /// LCS whose table would pass `proto-max-bulk-len`.
    LcsTableTooBig,
    /// LCS whose table cannot be allocated (in the engine: past its byte limit).
    LcsNoMemory,
    /// A SCAN-family cursor that is not an unsigned 64-bit number.
    InvalidCursor,
    /// HRANDFIELD WITHVALUES with a count whose pairs would overflow.
    ValueOutOfRange,
    /// `getRangeLongFromObjectOrReply`'s message: an integer outside `min..=max`.
    ValueNotBetween(i64, i64),
    /// `getPositiveLongFromObjectOrReply`'s message (SPOP's count, LPOP's): not an integer ≥ 0.
    MustBePositive,
    /// SINTERCARD / ZINTERCARD / LMPOP numkeys that is not an integer ≥ 1.
    NumkeysNotPositive,
    /// SINTERCARD / ZINTERCARD numkeys past the arguments given.
    NumkeysTooMany,
    /// SINTERCARD / ZINTERCARD LIMIT that is not an integer ≥ 0.
    LimitNegative,
    /// ZMPOP / BZMPOP COUNT that is not an integer ≥ 1.
    CountNotPositive,
    /// ZUNION, ZINTER, ZDIFF (and their STORE forms), ZINTERCARD with numkeys 0 or less; holds the
    /// command's lowercase name.
    NoInputKeys(&'static str),
    /// ZUNION / ZINTER WEIGHTS that is not a float.
    WeightNotFloat,
    /// A blocking command's timeout that is not a float.
    TimeoutNotFloat,
    /// A blocking command's negative timeout.
    TimeoutNegative,
    /// A string that is not a HyperLogLog given to a PF command.
    HllWrongType,
    /// A HyperLogLog whose sparse representation is corrupt.
    HllCorrupt,
    /// PFDEBUG on a missing key.
    PfdebugNoKey,
    /// PFDEBUG DECODE of a dense HyperLogLog.
    HllNotSparse,
    /// PFDEBUG with an unknown subcommand (as typed, up to a NUL).
    PfdebugUnknown(Vec<u8>),
    /// LSET past the list's ends.
    IndexOutOfRange,
    /// LPOS RANK 0.
    LposRankZero,
    /// LPOS COUNT negative or not an integer.
    LposCountNegative,
    /// LPOS MAXLEN negative or not an integer.
    LposMaxlenNegative,
}

/// Writes `bytes` the way C's `%s` does: stop at the first NUL; bytes are not re-encoded.
fn c_str(bytes: &[u8]) -> &[u8] {
    match bytes.iter().position(|&b| b == 0) {
        Some(n) => &bytes[..n],
        None => bytes,
    }
}

/// The one function every error reply goes through: Redis 7.0's `addReplyErrorFormat`
/// (networking.c), which keeps a message that quotes user arguments valid RESP.
///
/// `text` is the error as built, code word first (`"ERR Unsupported option x\r\n"`). Redis formats
/// the message after the code (it adds `-ERR ` itself unless the format begins with `-CODE`),
/// trims CR and LF from both ends of it (`sdstrim(s, "\r\n")`), then turns any CR or LF left
/// inside into a space (`sdsmapchars`). Errors Redis sends with `addReplyError` /
/// `addReplyErrorObject` are fixed texts without CR or LF, and `rejectCommandFormat` (unknown
/// command or subcommand) only maps, but its messages never end in an argument: for all of them
/// this rule changes nothing, so every error can take the same path.
///
/// For the default `ERR` code the trim applies to the message after `ERR ` (a message that
/// begins with an argument loses that argument's leading CR/LF); any other code was part of the
/// format (`-EXECABORT …`), so there the whole text is trimmed, as Redis does.
pub fn error_format(text: &[u8]) -> Vec<u8> {
    let is_crlf = |b: &u8| *b == b'\r' || *b == b'\n';
    let (code, message) = match text.strip_prefix(b"ERR ") {
        Some(message) => (&b"ERR "[..], message),
        None => (&b""[..], text),
    };
    let start = message
        .iter()
        .position(|b| !is_crlf(b))
        .unwrap_or(message.len());
    let end = message
        .iter()
        .rposition(|b| !is_crlf(b))
        .map_or(start, |i| i + 1);
    let mut out = Vec::with_capacity(code.len() + end - start);
    out.extend_from_slice(code);
    out.extend(
        message[start..end]
            .iter()
            .map(|&b| if is_crlf(&b) { b' ' } else { b }),
    );
    out
}

impl Error {
    /// The error text as bytes, after the `-` (Redis error texts may carry arbitrary bytes from
    /// user arguments), through [`error_format`].
    pub fn to_bytes(&self) -> Vec<u8> {
        error_format(&self.raw())
    }

    /// The text as formatted, before [`error_format`].
    fn raw(&self) -> Vec<u8> {
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
                s
            }
            Error::UnknownSubcommand { sub, container } => {
                let mut s = b"ERR unknown subcommand '".to_vec();
                let sub = c_str(sub);
                s.extend_from_slice(&sub[..sub.len().min(128)]);
                s.extend_from_slice(b"'. Try ");
                s.extend_from_slice(c_str(container));
                s.extend_from_slice(b" HELP.");
                s
            }
            Error::Other(text) => text.clone(),
            Error::UnsupportedOption(opt) => {
                let mut s = b"ERR Unsupported option ".to_vec();
                s.extend_from_slice(c_str(opt));
                s
            }
            Error::PfdebugUnknown(sub) => {
                let mut s = b"ERR Unknown PFDEBUG subcommand '".to_vec();
                s.extend_from_slice(c_str(sub));
                s.push(b'\'');
                s
            }
            Error::ScriptCompile(message) => {
                let mut s = b"ERR Error compiling script (new function): ".to_vec();
                s.extend_from_slice(c_str(message));
                s
            }
            Error::ExecAbort(inner) => {
                // execCommandAbort: the rejection's text without its dash (and without the `ERR `
                // addReplyErrorLength would have added), formatted again.
                let mut s = b"EXECABORT Transaction discarded because of: ".to_vec();
                let inner = inner.to_bytes();
                s.extend_from_slice(inner.strip_prefix(b"ERR ").unwrap_or(&inner));
                s
            }
            other => Fixed(other).to_string().into_bytes(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(&self.to_bytes()))
    }
}

/// The text of an error worded by Redis alone, before [`error_format`].
struct Fixed<'a>(&'a Error);

impl fmt::Display for Fixed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Error::UnknownCommand { .. }
            | Error::UnknownSubcommand { .. }
            | Error::Other(_)
            | Error::UnsupportedOption(_)
            | Error::ScriptCompile(_)
            | Error::PfdebugUnknown(_)
            | Error::ExecAbort(_) => f.write_str(&String::from_utf8_lossy(&self.0.raw())),
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
            Error::MustBePositive => f.write_str("ERR value is out of range, must be positive"),
            Error::NumkeysNotPositive => f.write_str("ERR numkeys should be greater than 0"),
            Error::NumkeysTooMany => {
                f.write_str("ERR Number of keys can't be greater than number of args")
            }
            Error::LimitNegative => f.write_str("ERR LIMIT can't be negative"),
            Error::HllWrongType => {
                f.write_str("WRONGTYPE Key is not a valid HyperLogLog string value.")
            }
            Error::HllCorrupt => f.write_str("INVALIDOBJ Corrupted HLL object detected"),
            Error::PfdebugNoKey => f.write_str("ERR The specified key does not exist"),
            Error::HllNotSparse => f.write_str("ERR HLL encoding is not sparse"),
            Error::IndexOutOfRange => f.write_str("ERR index out of range"),
            Error::LposRankZero => f.write_str(
                "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... \
                 or use negative to start from the end of the list",
            ),
            Error::LposCountNegative => f.write_str("ERR COUNT can't be negative"),
            Error::LposMaxlenNegative => f.write_str("ERR MAXLEN can't be negative"),
            Error::OutOfMemory => {
                f.write_str("OOM command not allowed when used memory > 'maxmemory'.")
            }
            Error::NoScript => f.write_str("NOSCRIPT No matching script. Please use EVAL."),
            Error::NumKeysTooLarge => {
                f.write_str("ERR Number of keys can't be greater than number of args")
            }
            Error::NumKeysNegative => f.write_str("ERR Number of keys can't be negative"),
            Error::NotBusy => f.write_str("NOTBUSY No scripts in execution right now."),
            Error::ScriptFlushOption => {
                f.write_str("ERR SCRIPT FLUSH only support SYNC|ASYNC option")
            }
            Error::WriteScriptRo => {
                f.write_str("ERR Can not execute a script with write flag using *_ro command.")
            }
            Error::StringTooLong => {
                f.write_str("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
            }
            Error::OffsetOutOfRange => f.write_str("ERR offset is out of range"),
            Error::BitOffset => f.write_str("ERR bit offset is not an integer or out of range"),
            Error::BitValue => f.write_str("ERR bit is not an integer or out of range"),
            Error::BitposBit => f.write_str("ERR The bit argument must be 1 or 0."),
            Error::BitopNotSingleKey => {
                f.write_str("ERR BITOP NOT must be called with a single source key.")
            }
            Error::BitfieldType => f.write_str(
                "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.",
            ),
            Error::BitfieldOverflowType => f.write_str("ERR Invalid OVERFLOW type specified"),
            Error::BitfieldReadOnly => {
                f.write_str("ERR BITFIELD_RO only supports the GET subcommand")
            }
            Error::LcsNotStrings => {
                f.write_str("ERR The specified keys must contain string values")
            }
            Error::LcsLenAndIdx => f.write_str(
                "ERR If you want both the length and indexes, please just use IDX.",
            ),
            Error::LcsTooLong => f.write_str("ERR String too long for LCS"),
            Error::LcsTableTooBig => f.write_str(
                "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
            ),
            Error::LcsNoMemory => f.write_str(
                "ERR Insufficient memory, failed allocating transient memory for LCS",
            ),
            Error::InvalidCursor => f.write_str("ERR invalid cursor"),
            Error::ValueOutOfRange => f.write_str("ERR value is out of range"),
            Error::ValueNotBetween(min, max) => {
                write!(f, "ERR value is out of range, value must between {min} and {max}")
            }
            Error::CountNotPositive => f.write_str("ERR count should be greater than 0"),
            Error::NoInputKeys(cmd) => {
                write!(f, "ERR at least 1 input key is needed for '{cmd}' command")
            }
            Error::WeightNotFloat => f.write_str("ERR weight value is not a float"),
            Error::TimeoutNotFloat => f.write_str("ERR timeout is not a float or out of range"),
            Error::TimeoutNegative => f.write_str("ERR timeout is negative"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Error> for super::Reply {
    fn from(e: Error) -> Self {
        super::Reply::Error(e.to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::{error_format, Error};

    #[test]
    fn formatted_errors_lose_cr_lf_at_both_ends_and_map_the_rest_to_spaces() {
        // EXPIRE k 10 "nx\r\n": Redis sends "-ERR Unsupported option nx", no trailing spaces.
        let opt = Error::UnsupportedOption(b"nx\r\n".to_vec());
        assert_eq!(opt.to_bytes(), b"ERR Unsupported option nx");
        let opt = Error::UnsupportedOption(b"\r\na\rb\n\n\r".to_vec());
        assert_eq!(opt.to_bytes(), b"ERR Unsupported option   a b");
        // The message after `ERR ` is what Redis formats: its leading CR/LF go too.
        assert_eq!(error_format(b"ERR \r\nx\r"), b"ERR x");
        assert_eq!(error_format(b"ERR \r\n"), b"ERR ");
        // Spaces are not trimmed: only CR and LF.
        assert_eq!(error_format(b"ERR  \r \n "), b"ERR      ");
        // Another code is part of the format: the whole text is trimmed.
        assert_eq!(error_format(b"EXECABORT a\r\nb\r\n"), b"EXECABORT a  b");
        // %s stops at a NUL.
        let opt = Error::UnsupportedOption(b"a\r\0\nb".to_vec());
        assert_eq!(opt.to_bytes(), b"ERR Unsupported option a");
        // Texts without CR/LF are untouched.
        assert_eq!(Error::Syntax.to_bytes(), b"ERR syntax error");
        assert_eq!(error_format(b"\xff\x00"), b"\xff\x00");
    }

    #[test]
    fn unknown_commands_map_inner_line_breaks_and_never_end_with_one() {
        let e = Error::UnknownCommand {
            name: b"a\r\nb".to_vec(),
            args: vec![b"x\n".to_vec()],
        };
        assert_eq!(
            e.to_bytes(),
            b"ERR unknown command 'a  b', with args beginning with: 'x ' "
        );
        let e = Error::ExecAbort(Box::new(Error::Other(b"ERR no\r\n".to_vec())));
        assert_eq!(
            e.to_bytes(),
            b"EXECABORT Transaction discarded because of: no"
        );
    }
}

//! Strings and counters: GET, SET, GETSET, GETDEL, INCR, DECR, INCRBY, DECRBY (and INCRBYFLOAT).
//!
//! Redis keeps counters as strings; INCR parses the string strictly as an i64 (`string2ll`) and
//! writes the result back as a string, keeping the key's TTL.

use super::is;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::{parse_i64, LongDouble};
use crate::engine::reply::Reply;
use crate::engine::value::{Str, Value};

/// Redis' `getGenericCommand`: the string at `key` as a reply (nil when missing).
fn get_generic(db: &mut Db, key: &[u8]) -> Result<Reply, Error> {
    Ok(match db.get_str(key)? {
        Some(s) => Reply::Bulk(s.to_bytes().into_owned()),
        None => Reply::Nil,
    })
}

/// Returns the string value of a key.
///
/// ```text
/// GET key
/// ```
pub fn get(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    get_generic(db, argv[1])
}

/// How SET's and GETEX's expire argument counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expire {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// The options of SET and GETEX (Redis' `parseExtendedStringArgumentsOrReply`).
#[derive(Default)]
struct Extended<'a> {
    nx: bool,
    xx: bool,
    get: bool,
    keep_ttl: bool,
    persist: bool,
    expire: Option<(Expire, &'a [u8])>,
}

impl<'a> Extended<'a> {
    /// Parses SET's options (`set`: from `argv[3]`; NX, XX, GET, KEEPTTL) or GETEX's (from
    /// `argv[2]`; PERSIST). Options may repeat; EX/PX/EXAT/PXAT/KEEPTTL/PERSIST exclude each other
    /// except that the same one may be given again.
    fn parse(argv: &[&'a [u8]], set: bool) -> Result<Extended<'a>, Error> {
        let mut o = Extended::default();
        let mut j = if set { 3 } else { 2 };
        while j < argv.len() {
            let opt = argv[j];
            let next = argv.get(j + 1).copied();
            let timed = o.expire.is_some();
            if set && is(opt, "nx") && !o.xx {
                o.nx = true;
            } else if set && is(opt, "xx") && !o.nx {
                o.xx = true;
            } else if set && is(opt, "get") {
                o.get = true;
            } else if set && is(opt, "keepttl") && !timed {
                o.keep_ttl = true;
            } else if !set && is(opt, "persist") && !timed && !o.keep_ttl {
                o.persist = true;
            } else if let (Some(kind), Some(arg)) = (expire_kind(opt), next) {
                let other_kind = o.expire.is_some_and(|(k, _)| k != kind);
                if o.keep_ttl || o.persist || other_kind {
                    return Err(Error::Syntax);
                }
                o.expire = Some((kind, arg));
                j += 1;
            } else {
                return Err(Error::Syntax);
            }
            j += 1;
        }
        Ok(o)
    }
}

/// Sets a key to a string value, with conditions and an expire time.
///
/// ```text
/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///     PXAT unix-time-milliseconds | KEEPTTL]
/// ```
/// Replies OK, or nil when NX/XX stopped it; with GET, the old value (nil if none) instead.
pub fn set(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let o = Extended::parse(argv, true)?;
    set_generic(db, argv[1], argv[2], &o, "set", Reply::ok(), Reply::Nil)
}

/// Redis' `setGenericCommand`: SET, SETNX, SETEX and PSETEX. `ok` and `abort` are the replies when
/// the key is set and when NX/XX stopped it (GET replaces both with the old value).
fn set_generic(
    db: &mut Db,
    key: &[u8],
    value: &[u8],
    o: &Extended<'_>,
    command: &'static str,
    ok: Reply,
    abort: Reply,
) -> Result<Reply, Error> {
    let expire_at = match o.expire {
        Some((kind, arg)) => Some(expire_ms(db.now_ms(), kind, arg, command)?),
        None => None,
    };
    let old = if o.get {
        Some(get_generic(db, key)?)
    } else {
        None
    };
    // lookupKeyWrite: an expired key is deleted first (and that counts as a change for WATCH).
    db.expire_if_needed(key);
    if o.nx || o.xx {
        let found = db.contains_raw(key);
        if (o.nx && found) || (o.xx && !found) {
            return Ok(old.unwrap_or(abort));
        }
    }
    db.set_str(key, value, o.keep_ttl);
    if let Some(at) = expire_at {
        db.set_expire(key, at);
    }
    Ok(old.unwrap_or(ok))
}

fn expire_kind(opt: &[u8]) -> Option<Expire> {
    if is(opt, "ex") {
        Some(Expire::Ex)
    } else if is(opt, "px") {
        Some(Expire::Px)
    } else if is(opt, "exat") {
        Some(Expire::ExAt)
    } else if is(opt, "pxat") {
        Some(Expire::PxAt)
    } else {
        None
    }
}

/// Redis' `getExpireMillisecondsOrReply`: the absolute expire time in ms; errors name `command`.
fn expire_ms(now_ms: i64, kind: Expire, arg: &[u8], command: &'static str) -> Result<i64, Error> {
    let n = parse_i64(arg).ok_or(Error::NotInteger)?;
    let seconds = matches!(kind, Expire::Ex | Expire::ExAt);
    if n <= 0 || (seconds && n > i64::MAX / 1000) {
        return Err(Error::InvalidExpireTime(command));
    }
    let mut ms = if seconds { n * 1000 } else { n };
    if matches!(kind, Expire::Ex | Expire::Px) {
        // C's signed overflow wraps on the machines Redis runs on; the check below catches it.
        ms = ms.wrapping_add(now_ms);
    }
    if ms <= 0 {
        return Err(Error::InvalidExpireTime(command));
    }
    Ok(ms)
}

/// Sets a key only if it does not exist; replies 1 if it was set, 0 if not.
///
/// ```text
/// SETNX key value
/// ```
pub fn setnx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let o = Extended {
        nx: true,
        ..Extended::default()
    };
    set_generic(
        db,
        argv[1],
        argv[2],
        &o,
        "setnx",
        Reply::Integer(1),
        Reply::Integer(0),
    )
}

/// Sets a key with an expire time in seconds.
///
/// ```text
/// SETEX key seconds value
/// ```
pub fn setex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    set_expiring(db, argv, Expire::Ex, "setex")
}

/// Sets a key with an expire time in milliseconds.
///
/// ```text
/// PSETEX key milliseconds value
/// ```
pub fn psetex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    set_expiring(db, argv, Expire::Px, "psetex")
}

fn set_expiring(
    db: &mut Db,
    argv: &[&[u8]],
    kind: Expire,
    command: &'static str,
) -> Result<Reply, Error> {
    let o = Extended {
        expire: Some((kind, argv[2])),
        ..Extended::default()
    };
    set_generic(db, argv[1], argv[3], &o, command, Reply::ok(), Reply::Nil)
}

/// Returns the string value of a key and changes or removes its expire time.
///
/// ```text
/// GETEX key [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///     PXAT unix-time-milliseconds | PERSIST]
/// ```
/// An EXAT/PXAT time already past deletes the key (after replying its value).
pub fn getex(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let o = Extended::parse(argv, false)?;
    let Some(value) = db.get_str(key)? else {
        return Ok(Reply::Nil);
    };
    let value = Reply::Bulk(value.to_bytes().into_owned());
    let expire_at = match o.expire {
        Some((kind, arg)) => Some((kind, expire_ms(db.now_ms(), kind, arg, "getex")?)),
        None => None,
    };
    match expire_at {
        Some((Expire::ExAt | Expire::PxAt, at)) if at <= db.now_ms() => {
            db.remove(key);
        }
        Some((_, at)) => {
            db.set_expire(key, at);
            db.touch(key);
        }
        None if o.persist && db.persist(key) => db.touch(key),
        None => {}
    }
    Ok(value)
}

/// Sets a key and returns its old value. Deprecated since Redis 6.2 in favour of `SET … GET`.
/// Clears the TTL.
///
/// ```text
/// GETSET key value
/// ```
pub fn getset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let old = get_generic(db, argv[1])?;
    db.set_str(argv[1], argv[2], false);
    Ok(old)
}

/// Returns the value of a key and deletes it.
///
/// ```text
/// GETDEL key
/// ```
pub fn getdel(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let old = get_generic(db, argv[1])?;
    if !matches!(old, Reply::Nil) {
        db.remove(argv[1]);
    }
    Ok(old)
}

/// Adds `by` to the integer at `key` (missing counts as 0), keeping the TTL — Redis'
/// `incrDecrCommand`.
fn incr_decr(db: &mut Db, key: &[u8], by: i64) -> Result<Reply, Error> {
    let updated = db.update(key, |value| match value {
        Value::Str(s) => {
            let Some(old) = s.as_int() else {
                return Err(Error::NotInteger);
            };
            let Some(new) = old.checked_add(by) else {
                return Err(Error::IncrOverflow);
            };
            *s = Str::Int(new);
            Ok(new)
        }
        _ => Err(Error::WrongType),
    });
    let new = match updated {
        Some(result) => result?,
        None => {
            db.set(key, Value::Str(Str::Int(by)), false);
            by
        }
    };
    Ok(Reply::Integer(new))
}

/// Increments the integer value of a key by one; a missing key counts as 0.
///
/// ```text
/// INCR key
/// ```
pub fn incr(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    incr_decr(db, argv[1], 1)
}

/// Decrements the integer value of a key by one; a missing key counts as 0.
///
/// ```text
/// DECR key
/// ```
pub fn decr(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    incr_decr(db, argv[1], -1)
}

/// Increments the integer value of a key by a number.
///
/// ```text
/// INCRBY key increment
/// ```
pub fn incrby(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let by = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    incr_decr(db, argv[1], by)
}

/// Decrements the integer value of a key by a number.
///
/// ```text
/// DECRBY key decrement
/// ```
pub fn decrby(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let by = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let by = by.checked_neg().ok_or(Error::DecrOverflow)?;
    incr_decr(db, argv[1], by)
}

/// Increments the number at a key by a floating-point amount; replies the new value as a string.
///
/// ```text
/// INCRBYFLOAT key increment
/// ```
/// Redis computes in an 80-bit x87 `long double` and prints with `%.17Lf`, trailing zeros cut: so
/// three `INCRBYFLOAT k 0.1` give `"0.3"`, where 64-bit doubles would give `0.30000000000000004`.
/// The TTL is kept.
pub fn incrbyfloat(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let current = match db.get_str(key)? {
        Some(Str::Int(n)) => LongDouble::from_i64(*n),
        Some(Str::Bytes(s) | Str::Raw(s)) => LongDouble::parse(s).ok_or(Error::NotFloat)?,
        None => LongDouble::from_i64(0),
    };
    let incr = LongDouble::parse(argv[2]).ok_or(Error::NotFloat)?;
    let value = current.add(incr);
    if !value.is_finite() {
        return Err(Error::IncrNanOrInf);
    }
    let text = value.to_human_string().into_bytes();
    // createStringObjectFromLongDouble: a new string object, never an integer ("3" is embstr).
    db.set(key, Value::Str(Str::from_text(text.clone())), true);
    Ok(Reply::Bulk(text))
}

/// Redis' `proto-max-bulk-len` default: the largest string a client may build (512 MB).
pub const PROTO_MAX_BULK_LEN: u64 = 512 * 1024 * 1024;

/// Redis' `checkStringLength`: a string of `len + extra` bytes must fit `proto-max-bulk-len`.
fn check_string_length(len: u64, extra: u64) -> Result<(), Error> {
    match len.checked_add(extra) {
        Some(total) if total <= PROTO_MAX_BULK_LEN => Ok(()),
        _ => Err(Error::StringTooLong),
    }
}

/// Sets several keys at once (their TTLs cleared).
///
/// ```text
/// MSET key value [key value ...]
/// ```
pub fn mset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    if argv.len().is_multiple_of(2) {
        return Err(Error::WrongArity("mset"));
    }
    for pair in argv[1..].chunks_exact(2) {
        db.set_str(pair[0], pair[1], false);
    }
    Ok(Reply::ok())
}

/// Sets several keys at once, only if none of them exists; replies 1 if it set them, else 0.
///
/// ```text
/// MSETNX key value [key value ...]
/// ```
pub fn msetnx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    if argv.len().is_multiple_of(2) {
        return Err(Error::WrongArity("msetnx"));
    }
    for pair in argv[1..].chunks_exact(2) {
        if db.get(pair[0]).is_some() {
            return Ok(Reply::Integer(0));
        }
    }
    for pair in argv[1..].chunks_exact(2) {
        db.set_str(pair[0], pair[1], false);
    }
    Ok(Reply::Integer(1))
}

/// The values of several keys; nil for a missing key or one that is not a string.
///
/// ```text
/// MGET key [key ...]
/// ```
pub fn mget(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let values = argv[1..]
        .iter()
        .map(|key| match db.get(key) {
            Some(Value::Str(s)) => Reply::Bulk(s.to_bytes().into_owned()),
            _ => Reply::Nil,
        })
        .collect();
    Ok(Reply::Array(values))
}

/// Appends to the string at a key (creating it); replies the new length.
///
/// ```text
/// APPEND key value
/// ```
pub fn append(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (key, tail) = (argv[1], argv[2]);
    let len = match db.str_mut(key)? {
        None => {
            db.set(key, Value::Str(Str::from_bytes(tail)), false);
            tail.len()
        }
        Some(s) => {
            check_string_length(s.len() as u64, tail.len() as u64)?;
            let new_len = s.len() + tail.len();
            let bytes = s.raw_mut_for(new_len);
            bytes.extend_from_slice(tail);
            let len = bytes.len();
            db.touch(key);
            len
        }
    };
    Ok(Reply::Integer(len as i64))
}

/// The length of the string at a key (0 when missing).
///
/// ```text
/// STRLEN key
/// ```
pub fn strlen(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(
        db.get_str(argv[1])?.map_or(0, |s| s.len() as i64),
    ))
}

/// A substring, by inclusive byte offsets (negative ones count from the end).
///
/// ```text
/// GETRANGE key start end
/// ```
pub fn getrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let start = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let end = parse_i64(argv[3]).ok_or(Error::NotInteger)?;
    let Some(s) = db.get_str(argv[1])? else {
        return Ok(Reply::Bulk(Vec::new()));
    };
    let bytes = s.to_bytes();
    Ok(Reply::Bulk(match byte_range(bytes.len(), start, end) {
        Some((from, to)) => bytes[from..=to].to_vec(),
        None => Vec::new(),
    }))
}

/// GETRANGE's old name (Redis 1.0), the same command.
///
/// ```text
/// SUBSTR key start end
/// ```
pub fn substr(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    getrange(db, argv)
}

/// `getrangeCommand`'s index arithmetic: the inclusive range `start..=end` of a string of `len`
/// bytes, or None when it is empty.
fn byte_range(len: usize, start: i64, end: i64) -> Option<(usize, usize)> {
    if start < 0 && end < 0 && start > end {
        return None;
    }
    let len = len as i64;
    let start = if start < 0 { len + start } else { start }.max(0);
    let end = if end < 0 { len + end } else { end }.max(0);
    let end = end.min(len - 1);
    if start > end || len == 0 {
        return None;
    }
    Some((start as usize, end as usize))
}

/// Overwrites part of the string at a key from a byte offset, padding with zero bytes; replies
/// the new length.
///
/// ```text
/// SETRANGE key offset value
/// ```
pub fn setrange(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (key, value) = (argv[1], argv[3]);
    let offset = parse_i64(argv[2]).ok_or(Error::NotInteger)?;
    let offset = u64::try_from(offset).map_err(|_| Error::OffsetOutOfRange)?;
    let old_len = match db.str_mut(key)? {
        None if value.is_empty() => return Ok(Reply::Integer(0)),
        None => None,
        Some(s) if value.is_empty() => return Ok(Reply::Integer(s.len() as i64)),
        Some(s) => Some(s.len()),
    };
    check_string_length(offset, value.len() as u64)?;
    // At most 512 MB: fits a usize on the 32-bit wasm target too.
    let offset = offset as usize;
    let end = offset + value.len();
    db.check_growth(end.saturating_sub(old_len.unwrap_or(0)))?;
    let len = match db.str_mut(key)? {
        Some(s) => {
            let bytes = s.raw_mut_for(end);
            if bytes.len() < end {
                bytes.resize(end, 0);
            }
            bytes[offset..end].copy_from_slice(value);
            bytes.len()
        }
        None => {
            let mut bytes = vec![0; end];
            bytes[offset..].copy_from_slice(value);
            db.set(key, Value::Str(Str::new_raw(bytes)), false);
            end
        }
    };
    db.touch(key);
    Ok(Reply::Integer(len as i64))
}

/// The longest common subsequence of the strings at two keys (missing keys are empty strings).
///
/// ```text
/// LCS key1 key2 [LEN] [IDX] [MINMATCHLEN min-match-len] [WITHMATCHLEN]
/// ```
/// Replies the subsequence; with LEN its length; with IDX a map of the matching ranges (from the
/// end of the strings, as Redis walks its table back), each `[[start1, end1], [start2, end2]]`
/// (plus the range's length with WITHMATCHLEN, and only ranges of at least MINMATCHLEN bytes),
/// and the length.
pub fn lcs(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mut text = |key: &[u8]| -> Result<Vec<u8>, Error> {
        match db.get(key) {
            None => Ok(Vec::new()),
            Some(Value::Str(s)) => Ok(s.to_bytes().into_owned()),
            Some(_) => Err(Error::LcsNotStrings),
        }
    };
    // Both lookups happen before either type is checked.
    let (a, b) = (text(argv[1]), text(argv[2]));
    let (a, b) = (a?, b?);
    let (mut len_only, mut idx, mut with_len, mut min_len) = (false, false, false, 0u64);
    let mut j = 3;
    while j < argv.len() {
        let opt = argv[j];
        if is(opt, "idx") {
            idx = true;
        } else if is(opt, "len") {
            len_only = true;
        } else if is(opt, "withmatchlen") {
            with_len = true;
        } else if is(opt, "minmatchlen") && j + 1 < argv.len() {
            let n = parse_i64(argv[j + 1]).ok_or(Error::NotInteger)?;
            min_len = n.max(0) as u64;
            j += 1;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    if len_only && idx {
        return Err(Error::LcsLenAndIdx);
    }
    let limit = u32::MAX as usize - 1;
    if a.len() >= limit || b.len() >= limit {
        return Err(Error::LcsTooLong);
    }
    let table = LcsTable::new(&a, &b, db.max_bytes())?;
    let total = table.at(a.len(), b.len());
    if len_only {
        return Ok(Reply::Integer(i64::from(total)));
    }

    // Walk the table back from the end, collecting the subsequence and the matching ranges.
    let mut result = vec![0u8; total as usize];
    let mut k = result.len();
    let mut ranges = Vec::new();
    // The current range: (start in a, end in a, start in b, end in b).
    let mut current: Option<(usize, usize, usize, usize)> = None;
    let (mut i, mut j) = (a.len(), b.len());
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            k -= 1;
            result[k] = a[i - 1];
            current = Some(match current {
                None => (i - 1, i - 1, j - 1, j - 1),
                // Contiguous: extend the range backward.
                Some((a0, a1, b0, b1)) if a0 == i && b0 == j => (a0 - 1, a1, b0 - 1, b1),
                Some(range) => {
                    emit = true;
                    range
                }
            });
            // A range that reached the start of either string ends here.
            if current.is_some_and(|(a0, _, b0, _)| a0 == 0 || b0 == 0) {
                emit = true;
            }
            i -= 1;
            j -= 1;
        } else {
            if table.at(i - 1, j) > table.at(i, j - 1) {
                i -= 1;
            } else {
                j -= 1;
            }
            emit = current.is_some();
        }
        if emit {
            if let Some((a0, a1, b0, b1)) = current.take() {
                let len = (a1 - a0 + 1) as u64;
                if idx && (min_len == 0 || len >= min_len) {
                    let pair = |x: usize, y: usize| {
                        Reply::Array(vec![Reply::Integer(x as i64), Reply::Integer(y as i64)])
                    };
                    let mut range = vec![pair(a0, a1), pair(b0, b1)];
                    if with_len {
                        range.push(Reply::Integer(len as i64));
                    }
                    ranges.push(Reply::Array(range));
                }
            }
        }
    }
    if idx {
        return Ok(Reply::Map(vec![
            (Reply::bulk("matches"), Reply::Array(ranges)),
            (Reply::bulk("len"), Reply::Integer(i64::from(total))),
        ]));
    }
    Ok(Reply::Bulk(result))
}

/// LCS's dynamic-programming table: `at(i, j)` is the length of the LCS of `a[..i]` and `b[..j]`.
struct LcsTable {
    cells: Vec<u32>,
    width: usize,
}

impl LcsTable {
    /// Fills the table, refusing as Redis does one past `proto-max-bulk-len`, and as Redis does
    /// when its allocation fails one past the engine's byte limit (a tab could not hold the
    /// 512 MB Redis allows itself).
    fn new(a: &[u8], b: &[u8], max_bytes: Option<usize>) -> Result<LcsTable, Error> {
        let width = b.len() + 1;
        let cells = (a.len() as u64 + 1) * width as u64;
        let bytes = cells * 4;
        if bytes > PROTO_MAX_BULK_LEN {
            return Err(Error::LcsTableTooBig);
        }
        if max_bytes.is_some_and(|max| bytes > max as u64) {
            return Err(Error::LcsNoMemory);
        }
        // At most 512 MB / 4 cells: fits a usize on the 32-bit wasm target too.
        let cells = cells as usize;
        let mut table = Vec::new();
        table
            .try_reserve_exact(cells)
            .map_err(|_| Error::LcsNoMemory)?;
        table.resize(width, 0);
        for i in 1..=a.len() {
            table.push(0);
            for j in 1..width {
                let up = table[(i - 1) * width + j];
                let value = if a[i - 1] == b[j - 1] {
                    table[(i - 1) * width + j - 1] + 1
                } else {
                    up.max(table[i * width + j - 1])
                };
                table.push(value);
            }
        }
        Ok(LcsTable {
            cells: table,
            width,
        })
    }

    fn at(&self, i: usize, j: usize) -> u32 {
        self.cells[i * self.width + j]
    }
}

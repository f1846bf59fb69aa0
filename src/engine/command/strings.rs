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

/// How SET's expire argument counts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Expire {
    Ex,
    Px,
    ExAt,
    PxAt,
}

/// Sets a key to a string value, with conditions and an expire time.
///
/// ```text
/// SET key value [NX | XX] [GET] [EX seconds | PX milliseconds | EXAT unix-time-seconds |
///     PXAT unix-time-milliseconds | KEEPTTL]
/// ```
/// Replies OK, or nil when NX/XX stopped it; with GET, the old value (nil if none) instead.
pub fn set(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (key, value) = (argv[1], argv[2]);
    let (mut nx, mut xx, mut get, mut keep_ttl) = (false, false, false, false);
    let mut expire: Option<(Expire, &[u8])> = None;
    // Redis' parseExtendedStringArgumentsOrReply: options may repeat; EX/PX/EXAT/PXAT/KEEPTTL
    // exclude each other except that the same one may be given again.
    let mut j = 3;
    while j < argv.len() {
        let opt = argv[j];
        let next = argv.get(j + 1).copied();
        let timed = |kind: Expire| expire.is_none_or(|(k, _)| k == kind);
        if is(opt, "nx") && !xx {
            nx = true;
        } else if is(opt, "xx") && !nx {
            xx = true;
        } else if is(opt, "get") {
            get = true;
        } else if is(opt, "keepttl") && expire.is_none() {
            keep_ttl = true;
        } else if let (Some(kind), Some(arg)) = (expire_kind(opt), next) {
            if keep_ttl || !timed(kind) {
                return Err(Error::Syntax);
            }
            expire = Some((kind, arg));
            j += 1;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }

    let expire_at = match expire {
        Some((kind, arg)) => Some(expire_ms(db.now_ms(), kind, arg)?),
        None => None,
    };
    let old = if get {
        Some(get_generic(db, key)?)
    } else {
        None
    };
    // lookupKeyWrite: an expired key is deleted first (and that counts as a change for WATCH).
    db.expire_if_needed(key);
    if nx || xx {
        let found = db.contains_raw(key);
        if (nx && found) || (xx && !found) {
            return Ok(old.unwrap_or(Reply::Nil));
        }
    }
    db.set_str(key, value, keep_ttl);
    if let Some(at) = expire_at {
        db.set_expire(key, at);
    }
    Ok(old.unwrap_or_else(Reply::ok))
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

/// Redis' `getExpireMillisecondsOrReply`: the absolute expire time in ms.
fn expire_ms(now_ms: i64, kind: Expire, arg: &[u8]) -> Result<i64, Error> {
    let n = parse_i64(arg).ok_or(Error::NotInteger)?;
    let seconds = matches!(kind, Expire::Ex | Expire::ExAt);
    if n <= 0 || (seconds && n > i64::MAX / 1000) {
        return Err(Error::InvalidExpireTime("set"));
    }
    let mut ms = if seconds { n * 1000 } else { n };
    if matches!(kind, Expire::Ex | Expire::Px) {
        // C's signed overflow wraps on the machines Redis runs on; the check below catches it.
        ms = ms.wrapping_add(now_ms);
    }
    if ms <= 0 {
        return Err(Error::InvalidExpireTime("set"));
    }
    Ok(ms)
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
        Some(Str::Bytes(s)) => LongDouble::parse(s).ok_or(Error::NotFloat)?,
        None => LongDouble::from_i64(0),
    };
    let incr = LongDouble::parse(argv[2]).ok_or(Error::NotFloat)?;
    let value = current.add(incr);
    if !value.is_finite() {
        return Err(Error::IncrNanOrInf);
    }
    let text = value.to_human_string().into_bytes();
    db.set_str(key, &text, true);
    Ok(Reply::Bulk(text))
}

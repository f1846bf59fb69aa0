//! Keys and expiry: DEL, EXISTS, TYPE, KEYS, DBSIZE, FLUSHDB, the EXPIRE family, TTL,
//! PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
//!
//! Expiry follows Redis' `expire.c` and `db.c`: a key is gone once the clock is past its expire
//! time; reads delete it lazily and the active cycle removes it even if nobody reads it; an expire
//! time already in the past deletes the key at once.

use super::{c_str, is};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;

/// Deletes keys; replies how many existed.
///
/// ```text
/// DEL key [key ...]
/// ```
pub fn del(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mut deleted = 0;
    for key in &argv[1..] {
        db.expire_if_needed(key);
        if db.remove(key).is_some() {
            deleted += 1;
        }
    }
    Ok(Reply::Integer(deleted))
}

/// Counts how many of the keys exist (a key named twice counts twice).
///
/// ```text
/// EXISTS key [key ...]
/// ```
pub fn exists(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let count = argv[1..].iter().filter(|key| db.get(key).is_some()).count();
    Ok(Reply::Integer(count as i64))
}

/// The type of the value at a key: `string`, `hash`, `set`, `zset` or `none`.
///
/// ```text
/// TYPE key
/// ```
pub fn type_(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let name = db.get(argv[1]).map_or("none", |v| v.value_type().name());
    Ok(Reply::status(name))
}

/// The keys matching a glob-style pattern (`*`, `?`, `[a-z]`, `[^x]`, `\` escapes), sorted.
///
/// ```text
/// KEYS pattern
/// ```
/// Redis lists keys in its hash table's order, which has no meaning; we sort them.
pub fn keys(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let pattern = argv[1];
    let all = pattern == b"*";
    let mut found: Vec<Vec<u8>> = db
        .live_entries()
        .filter(|(key, _, _)| all || glob_match(pattern, key))
        .map(|(key, _, _)| key.to_vec())
        .collect();
    found.sort_unstable();
    Ok(Reply::Array(found.into_iter().map(Reply::Bulk).collect()))
}

/// The number of keys, counting expired keys the active cycle has not removed yet (as Redis).
///
/// ```text
/// DBSIZE
/// ```
pub fn dbsize(db: &mut Db, _argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(db.len() as i64))
}

/// Redis' `getFlushCommandFlags`: nothing, `ASYNC` or `SYNC` (FLUSHDB, FLUSHALL).
pub(crate) fn flush_flags(argv: &[&[u8]]) -> Result<(), Error> {
    match argv.get(1) {
        None => Ok(()),
        Some(mode) if argv.len() == 2 && (is(mode, "sync") || is(mode, "async")) => Ok(()),
        Some(_) => Err(Error::Syntax),
    }
}

/// Deletes every key.
///
/// ```text
/// FLUSHDB [ASYNC | SYNC]
/// ```
pub fn flushdb(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    flush_flags(argv)?;
    db.clear();
    Ok(Reply::ok())
}

/// Redis' `expireGenericCommand`. `base_ms` is added to the time given (now for EXPIRE/PEXPIRE,
/// 0 for the AT forms); `seconds` says the unit.
fn expire_generic(
    db: &mut Db,
    argv: &[&[u8]],
    name: &'static str,
    base_ms: i64,
    seconds: bool,
) -> Result<Reply, Error> {
    let (key, param) = (argv[1], argv[2]);
    let (mut nx, mut xx, mut gt, mut lt) = (false, false, false, false);
    for opt in &argv[3..] {
        if is(opt, "nx") {
            nx = true;
        } else if is(opt, "xx") {
            xx = true;
        } else if is(opt, "gt") {
            gt = true;
        } else if is(opt, "lt") {
            lt = true;
        } else {
            return Err(Error::UnsupportedOption(c_str(opt).to_vec()));
        }
    }
    if nx && (xx || gt || lt) {
        return Err(Error::ExpireNxAndOthers);
    }
    if gt && lt {
        return Err(Error::ExpireGtAndLt);
    }
    let mut when = parse_i64(param).ok_or(Error::NotInteger)?;
    if seconds {
        when = when
            .checked_mul(1000)
            .ok_or(Error::InvalidExpireTime(name))?;
    }
    when = when
        .checked_add(base_ms)
        .ok_or(Error::InvalidExpireTime(name))?;

    if db.get_mut(key).is_none() {
        return Ok(Reply::Integer(0));
    }
    let current = db.expire_at(key);
    let refused = (nx && current.is_some())
        || (xx && current.is_none())
        || (gt && current.is_none_or(|cur| when <= cur))
        || (lt && current.is_some_and(|cur| when >= cur));
    if refused {
        return Ok(Reply::Integer(0));
    }
    if when <= db.now_ms() {
        db.remove(key);
    } else {
        db.set_expire(key, when);
        db.touch(key);
    }
    Ok(Reply::Integer(1))
}

/// Sets a key's time to live in seconds; a time in the past deletes the key.
///
/// ```text
/// EXPIRE key seconds [NX | XX | GT | LT]
/// ```
pub fn expire(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let now = db.now_ms();
    expire_generic(db, argv, "expire", now, true)
}

/// Sets a key's time to live in milliseconds.
///
/// ```text
/// PEXPIRE key milliseconds [NX | XX | GT | LT]
/// ```
pub fn pexpire(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let now = db.now_ms();
    expire_generic(db, argv, "pexpire", now, false)
}

/// Sets a key's expire time as a Unix time in seconds.
///
/// ```text
/// EXPIREAT key unix-time-seconds [NX | XX | GT | LT]
/// ```
pub fn expireat(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    expire_generic(db, argv, "expireat", 0, true)
}

/// Sets a key's expire time as a Unix time in milliseconds.
///
/// ```text
/// PEXPIREAT key unix-time-milliseconds [NX | XX | GT | LT]
/// ```
pub fn pexpireat(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    expire_generic(db, argv, "pexpireat", 0, false)
}

/// Redis' `ttlGenericCommand`: -2 for no key, -1 for no TTL, else the TTL (relative or absolute),
/// in ms or rounded to the nearest second.
fn ttl_generic(db: &mut Db, key: &[u8], ms: bool, absolute: bool) -> Result<Reply, Error> {
    if db.get(key).is_none() {
        return Ok(Reply::Integer(-2));
    }
    let Some(at) = db.expire_at(key) else {
        return Ok(Reply::Integer(-1));
    };
    let ttl = if absolute {
        at
    } else {
        at.saturating_sub(db.now_ms())
    }
    .max(0);
    if ms {
        return Ok(Reply::Integer(ttl));
    }
    // `(ttl + 500) / 1000` on a non-negative ttl, which Redis' compiled code evaluates unsigned: it
    // does not wrap near i64::MAX (EXPIRETIME of PEXPIREAT 9223372036854775807 is 9223372036854776).
    let seconds = (ttl.unsigned_abs() + 500) / 1000;
    Ok(Reply::Integer(seconds as i64))
}

/// A key's time to live in seconds (rounded), -1 without TTL, -2 without key.
///
/// ```text
/// TTL key
/// ```
pub fn ttl(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    ttl_generic(db, argv[1], false, false)
}

/// A key's time to live in milliseconds, -1 without TTL, -2 without key.
///
/// ```text
/// PTTL key
/// ```
pub fn pttl(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    ttl_generic(db, argv[1], true, false)
}

/// A key's expire time as a Unix time in seconds, -1 without TTL, -2 without key.
///
/// ```text
/// EXPIRETIME key
/// ```
pub fn expiretime(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    ttl_generic(db, argv[1], false, true)
}

/// A key's expire time as a Unix time in milliseconds, -1 without TTL, -2 without key.
///
/// ```text
/// PEXPIRETIME key
/// ```
pub fn pexpiretime(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    ttl_generic(db, argv[1], true, true)
}

/// Removes a key's TTL; 1 if it had one, else 0.
///
/// ```text
/// PERSIST key
/// ```
pub fn persist(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    if db.get_mut(key).is_some() && db.persist(key) {
        db.touch(key);
        return Ok(Reply::Integer(1));
    }
    Ok(Reply::Integer(0))
}

//! Keys and expiry: DEL, UNLINK, EXISTS, TOUCH, TYPE, KEYS, SCAN, RANDOMKEY, DBSIZE, FLUSHDB,
//! RENAME, RENAMENX, COPY, the EXPIRE family, TTL, PTTL, EXPIRETIME, PEXPIRETIME, PERSIST.
//!
//! Expiry follows Redis' `expire.c` and `db.c`: a key is gone once the clock is past its expire
//! time; reads delete it lazily and the active cycle removes it even if nobody reads it; an expire
//! time already in the past deletes the key at once.

use super::databases::{db_index, int_arg};
use super::{c_str, is, Call};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::number::{parse_i64, push_i64};
use crate::engine::reply::Reply;
use crate::engine::scan::{self, ScanOptions};
use crate::engine::value::Value;
use crate::engine::Engine;

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

/// Deletes keys, as DEL does (Redis frees large values in the background; the reply is the same).
///
/// ```text
/// UNLINK key [key ...]
/// ```
pub fn unlink(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    del(db, argv)
}

/// Counts how many of the keys exist (a key named twice counts twice), without touching them.
///
/// ```text
/// EXISTS key [key ...]
/// ```
pub fn exists(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let count = argv[1..]
        .iter()
        .filter(|key| db.get_untouched(key).is_some())
        .count();
    Ok(Reply::Integer(count as i64))
}

/// Counts how many of the keys exist, as a read of each: their idle time starts again.
///
/// ```text
/// TOUCH key [key ...]
/// ```
pub fn touch(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let count = argv[1..].iter().filter(|key| db.get(key).is_some()).count();
    Ok(Reply::Integer(count as i64))
}

/// The type of the value at a key: `string`, `hash`, `set`, `zset` or `none`.
///
/// ```text
/// TYPE key
/// ```
pub fn type_(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let name = db
        .get_untouched(argv[1])
        .map_or("none", |v| v.value_type().name());
    Ok(Reply::status(name))
}

/// Iterates the keyspace: a page of keys and the cursor to continue from (0 when the scan is
/// complete). Every key present from the first call to the last is returned (some possibly twice);
/// MATCH, TYPE and expiry filter a page after it is collected, so a page may be empty before the
/// end.
///
/// ```text
/// SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]
/// ```
pub fn scan(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let cursor = scan::parse_cursor(argv[1])?;
    let options = ScanOptions::parse_keyspace(argv, 2)?;
    let count = usize::try_from(options.count).unwrap_or(usize::MAX);
    let (next, keys) = db.scan(cursor, count);
    let mut page = Vec::with_capacity(keys.len());
    for key in keys {
        if options.pattern.is_some_and(|p| !glob_match(p, &key)) {
            continue;
        }
        if let Some(wanted) = options.type_name {
            let found = db
                .get_untouched(&key)
                .map_or("none", |v| v.value_type().name());
            if !c_str(wanted).eq_ignore_ascii_case(found.as_bytes()) {
                continue;
            }
        }
        if db.expire_if_needed(&key) {
            continue;
        }
        page.push(Reply::Bulk(key));
    }
    let mut text = Vec::with_capacity(20);
    // The cursor is an unsigned long printed through addReplyBulkLongLong: as a signed number.
    push_i64(&mut text, next as i64);
    Ok(Reply::Array(vec![Reply::Bulk(text), Reply::Array(page)]))
}

/// A random live key, or nil when there is none (expired keys drawn on the way are deleted).
///
/// ```text
/// RANDOMKEY
/// ```
pub fn randomkey(db: &mut Db, _argv: &[&[u8]]) -> Result<Reply, Error> {
    while let Some(key) = db.random_key() {
        if !db.expire_if_needed(&key) {
            return Ok(Reply::Bulk(key));
        }
    }
    Ok(Reply::Nil)
}

/// Redis' `renameGenericCommand`: the value, its TTL and its access time move to the new name.
fn rename_generic(db: &mut Db, argv: &[&[u8]], nx: bool) -> Result<Reply, Error> {
    let (from, to) = (argv[1], argv[2]);
    if db.get_mut(from).is_none() {
        return Err(Error::NoSuchKey);
    }
    let done = if nx { Reply::Integer(1) } else { Reply::ok() };
    if from == to {
        return Ok(if nx { Reply::Integer(0) } else { done });
    }
    if db.get_mut(to).is_some() && nx {
        return Ok(Reply::Integer(0));
    }
    db.rename(from, to);
    Ok(done)
}

/// Renames a key, replacing any value at the new name; `ERR no such key` when missing.
///
/// ```text
/// RENAME key newkey
/// ```
pub fn rename(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    rename_generic(db, argv, false)
}

/// Renames a key unless the new name exists: 1 when renamed, 0 when not.
///
/// ```text
/// RENAMENX key newkey
/// ```
pub fn renamenx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    rename_generic(db, argv, true)
}

/// Copies a key's value and TTL to another key, in this database or another: 1 when copied, 0
/// when the source is missing or the destination exists (unless REPLACE).
///
/// ```text
/// COPY source destination [DB destination-db] [REPLACE]
/// ```
pub fn copy(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    let from = engine.selected_db(call.client);
    let mut to = from;
    let mut replace = false;
    let mut j = 3;
    while j < argv.len() {
        if is(argv[j], "replace") {
            replace = true;
        } else if is(argv[j], "db") && j + 1 < argv.len() {
            to = db_index(int_arg(argv[j + 1], None)?)?;
            j += 1;
        } else {
            return Err(Error::Syntax);
        }
        j += 1;
    }
    let (key, newkey) = (argv[1], argv[2]);
    if from == to && key == newkey {
        return Err(Error::SameObject);
    }
    let source = engine.db_for(call.client);
    let Some(value) = source.get(key).map(|v| match v {
        // dupStringObject: a raw string's copy gets a new sds string's room.
        Value::Str(s) => Value::Str(s.duplicate()),
        other => other.clone(),
    }) else {
        return Ok(Reply::Integer(0));
    };
    let expire_at = source.expire_at(key);
    let target = engine.enter(to);
    if target.get_mut(newkey).is_some() {
        if !replace {
            engine.enter(from);
            return Ok(Reply::Integer(0));
        }
        target.remove(newkey);
    }
    target.set(newkey, value, false);
    if let Some(at) = expire_at {
        target.set_expire(newkey, at);
    }
    // dupStringObject: a copied integer is an object of its own, never the shared one.
    target.make_private(newkey);
    if to != from {
        engine.signal_watchers(to, &[newkey.to_vec()]);
        engine.enter(from);
    }
    Ok(Reply::Integer(1))
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
    if db.get_untouched(key).is_none() {
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

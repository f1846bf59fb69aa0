//! Hashes: HSET, HMSET, HSETNX, HGET, HMGET, HGETALL, HKEYS, HVALS, HDEL, HLEN, HSTRLEN,
//! HEXISTS, HINCRBY, HINCRBYFLOAT, HRANDFIELD and HSCAN.

use super::random;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::glob::glob_match;
use crate::engine::number::{parse_i64, push_i64, LongDouble};
use crate::engine::reply::Reply;
use crate::engine::scan::{parse_cursor, scan_reply, ScanOptions};

/// HSET and HMSET: sets the field-value pairs of `argv[2..]`; returns how many fields were new.
fn set_fields(db: &mut Db, argv: &[&[u8]], command: &'static str) -> Result<i64, Error> {
    if argv.len() % 2 == 1 {
        return Err(Error::WrongArity(command));
    }
    let key = argv[1];
    let hash = db.hash_or_create(key)?;
    let mut created = 0;
    for pair in argv[2..].chunks_exact(2) {
        if hash.set(pair[0], pair[1].to_vec()) {
            created += 1;
        }
    }
    db.touch(key);
    Ok(created)
}

/// Sets fields of a hash; replies how many fields were new.
///
/// ```text
/// HSET key field value [field value ...]
/// ```
pub fn hset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    set_fields(db, argv, "hset").map(Reply::Integer)
}

/// Sets fields of a hash; replies OK (HSET's form before Redis 4.0, deprecated).
///
/// ```text
/// HMSET key field value [field value ...]
/// ```
pub fn hmset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    set_fields(db, argv, "hmset").map(|_| Reply::ok())
}

/// Sets a field only if the hash does not have it; replies 1 if it did, else 0.
///
/// ```text
/// HSETNX key field value
/// ```
pub fn hsetnx(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let hash = db.hash_or_create(key)?;
    if hash.get(argv[2]).is_some() {
        return Ok(Reply::Integer(0));
    }
    hash.set(argv[2], argv[3].to_vec());
    db.touch(key);
    Ok(Reply::Integer(1))
}

/// The values of several fields of a hash (nil for a missing field or key).
///
/// ```text
/// HMGET key field [field ...]
/// ```
pub fn hmget(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let hash = db.get_hash(argv[1])?;
    let values = argv[2..]
        .iter()
        .map(|field| match hash.and_then(|h| h.get(field)) {
            Some(v) => Reply::Bulk(v.to_vec()),
            None => Reply::Nil,
        })
        .collect();
    Ok(Reply::Array(values))
}

/// Every field of a hash, in the hash's order.
///
/// ```text
/// HKEYS key
/// ```
pub fn hkeys(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Array(match db.get_hash(argv[1])? {
        Some(h) => h.iter().map(|(f, _)| Reply::Bulk(f.to_vec())).collect(),
        None => Vec::new(),
    }))
}

/// Every value of a hash, in the hash's order.
///
/// ```text
/// HVALS key
/// ```
pub fn hvals(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Array(match db.get_hash(argv[1])? {
        Some(h) => h.iter().map(|(_, v)| Reply::Bulk(v.to_vec())).collect(),
        None => Vec::new(),
    }))
}

/// The length in bytes of a field's value (0 when missing).
///
/// ```text
/// HSTRLEN key field
/// ```
pub fn hstrlen(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let len = db
        .get_hash(argv[1])?
        .and_then(|h| h.get(argv[2]))
        .map_or(0, <[u8]>::len);
    Ok(Reply::Integer(len as i64))
}

/// The value of a hash field (nil when missing).
///
/// ```text
/// HGET key field
/// ```
pub fn hget(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(match db.get_hash(argv[1])?.and_then(|h| h.get(argv[2])) {
        Some(v) => Reply::Bulk(v.to_vec()),
        None => Reply::Nil,
    })
}

/// Every field and value of a hash, in the hash's order: a map (an empty one for a missing key).
///
/// ```text
/// HGETALL key
/// ```
pub fn hgetall(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mut out = Vec::new();
    if let Some(hash) = db.get_hash(argv[1])? {
        for (f, v) in hash.iter() {
            out.push((Reply::Bulk(f.to_vec()), Reply::Bulk(v.to_vec())));
        }
    }
    Ok(Reply::Map(out))
}

/// Deletes fields; replies how many existed. The key goes when its last field does.
///
/// ```text
/// HDEL key field [field ...]
/// ```
pub fn hdel(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let Some(hash) = db.hash_mut(key)? else {
        return Ok(Reply::Integer(0));
    };
    let mut deleted = 0;
    for field in &argv[2..] {
        if hash.remove(field) {
            deleted += 1;
            if hash.is_empty() {
                break;
            }
        }
    }
    if deleted > 0 {
        db.remove_if_empty(key);
        db.touch(key);
    }
    Ok(Reply::Integer(deleted))
}

/// The number of fields in a hash.
///
/// ```text
/// HLEN key
/// ```
pub fn hlen(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Integer(
        db.get_hash(argv[1])?.map_or(0, |h| h.len() as i64),
    ))
}

/// 1 if the field exists in the hash, else 0.
///
/// ```text
/// HEXISTS key field
/// ```
pub fn hexists(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let found = db
        .get_hash(argv[1])?
        .is_some_and(|h| h.get(argv[2]).is_some());
    Ok(Reply::Integer(i64::from(found)))
}

/// Increments the integer value of a hash field; a missing field counts as 0.
///
/// ```text
/// HINCRBY key field increment
/// ```
pub fn hincrby(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (key, field) = (argv[1], argv[2]);
    let by = parse_i64(argv[3]).ok_or(Error::NotInteger)?;
    let hash = db.hash_or_create(key)?;
    let old = match hash.get(field) {
        Some(v) => parse_i64(v).ok_or(Error::HashNotInteger)?,
        None => 0,
    };
    let new = old.checked_add(by).ok_or(Error::IncrOverflow)?;
    let mut text = Vec::with_capacity(20);
    push_i64(&mut text, new);
    hash.set(field, text);
    db.touch(key);
    Ok(Reply::Integer(new))
}

/// Increments the number in a hash field by a floating-point amount; replies the new value.
///
/// ```text
/// HINCRBYFLOAT key field increment
/// ```
/// Computed and printed like INCRBYFLOAT (80-bit long double, `%.17Lf`).
pub fn hincrbyfloat(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let (key, field) = (argv[1], argv[2]);
    let incr = LongDouble::parse(argv[3]).ok_or(Error::NotFloat)?;
    if !incr.is_finite() {
        return Err(Error::ValueNanOrInf);
    }
    let hash = db.hash_or_create(key)?;
    let current = match hash.get(field) {
        Some(v) => LongDouble::parse(v).ok_or(Error::HashNotFloat)?,
        None => LongDouble::from_i64(0),
    };
    let value = current.add(incr);
    if !value.is_finite() {
        return Err(Error::IncrNanOrInf);
    }
    let text = value.to_human_string().into_bytes();
    hash.set(field, text.clone());
    db.touch(key);
    Ok(Reply::Bulk(text))
}

/// Random fields of a hash.
///
/// ```text
/// HRANDFIELD key [count [WITHVALUES]]
/// ```
/// Without a count, one field (nil for a missing key). A positive count gives that many distinct
/// fields (the whole hash, in its order, when it has no more); a negative one that many fields
/// drawn independently, so some may repeat. WITHVALUES pairs each with its value.
pub fn hrandfield(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    if argv.len() < 3 {
        let Some(size) = db.get_hash(key)?.map(|h| h.len()) else {
            return Ok(Reply::Nil);
        };
        let i = db.rng().below(size as u64) as usize;
        let field = db.get_hash(key)?.and_then(|h| h.iter().nth(i));
        return Ok(field.map_or(Reply::Nil, |(f, _)| Reply::Bulk(f.to_vec())));
    }
    let (count, with_values) = random::parse_count(argv, "withvalues")?;
    let Some(hash) = db.get_hash(key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let size = hash.len();
    // Indexes into the hash's order: all of it, distinct ones, or independent draws.
    let picks: Vec<usize> = if count >= 0 && count.unsigned_abs() >= size as u64 {
        (0..size).collect()
    } else {
        let per_pick = 48 + hash.approx_bytes() / size.max(1);
        random::picks(db, size, count, per_pick)?
    };
    let Some(hash) = db.get_hash(key)? else {
        return Ok(Reply::Array(Vec::new()));
    };
    let pairs: Vec<(&[u8], &[u8])> = hash.iter().collect();
    let chosen = picks.iter().filter_map(|&i| pairs.get(i));
    Ok(if with_values {
        Reply::Pairs(
            chosen
                .map(|(f, v)| (Reply::Bulk(f.to_vec()), Reply::Bulk(v.to_vec())))
                .collect(),
        )
    } else {
        Reply::Array(chosen.map(|(f, _)| Reply::Bulk(f.to_vec())).collect())
    })
}

/// Iterates the fields of a hash with a cursor: a page of fields and values, and the cursor to
/// continue from (0 when done).
///
/// ```text
/// HSCAN key cursor [MATCH pattern] [COUNT count]
/// ```
/// A small (listpack) hash comes whole in one call. A larger one comes bucket by bucket of its
/// hash table, about COUNT fields a call; every field present from the first call to the last is
/// returned at least once. MATCH filters a page after it is collected, so a page may be empty
/// before the end.
pub fn hscan(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let cursor = parse_cursor(argv[2])?;
    let Some(hash) = db.get_hash(argv[1])? else {
        return Ok(scan_reply(0, Vec::new()));
    };
    let options = ScanOptions::parse(argv, 3)?;
    let (next, pairs) = hash.scan(cursor, &options);
    let mut page = Vec::with_capacity(pairs.len() * 2);
    for (field, value) in pairs {
        if options.pattern.is_some_and(|p| !glob_match(p, field)) {
            continue;
        }
        page.push(Reply::Bulk(field.to_vec()));
        page.push(Reply::Bulk(value.to_vec()));
    }
    Ok(scan_reply(next, page))
}

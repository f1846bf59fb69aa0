//! Hashes: HSET, HGET, HGETALL, HDEL, HLEN, HEXISTS, HINCRBY, HINCRBYFLOAT.

use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::{parse_i64, push_i64, LongDouble};
use crate::engine::reply::Reply;

/// Sets fields of a hash; replies how many fields were new.
///
/// ```text
/// HSET key field value [field value ...]
/// ```
pub fn hset(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    if argv.len() % 2 == 1 {
        return Err(Error::WrongArity("hset"));
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
    Ok(Reply::Integer(created))
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

//! HyperLogLog: PFADD, PFCOUNT, PFMERGE, PFDEBUG — Redis 7.0's `hyperloglog.c` commands over the
//! representation in [`crate::engine::hyperloglog`].
//!
//! A HyperLogLog is a string (TYPE says `string`, GET returns its bytes, OBJECT ENCODING `raw`):
//! every command that writes it, or reads it through PFCOUNT (which caches the estimate in the
//! header, and so counts as a modification of the key), leaves it `raw`, as Redis'
//! `dbUnshareStringValue` does.

use super::{c_str, is};
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::hyperloglog::{self as hll, Corrupt, REGISTERS};
use crate::engine::reply::Reply;
use crate::engine::value::{Str, Value};

impl From<Corrupt> for Error {
    fn from(_: Corrupt) -> Error {
        Error::HllCorrupt
    }
}

/// Redis' `isHLLObjectOrReply`: a string that is a HyperLogLog, else WRONGTYPE (the usual text for
/// another type, the HyperLogLog one for a string that is not one).
fn check(value: &Value) -> Result<(), Error> {
    match value {
        Value::Str(Str::Bytes(b) | Str::Raw(b)) if hll::is_valid(b) => Ok(()),
        Value::Str(_) => Err(Error::HllWrongType),
        _ => Err(Error::WrongType),
    }
}

/// The bytes of the (checked) HyperLogLog at `key`, to modify in place: the string becomes `raw`.
/// `Ok(None)` when the key is missing.
fn unshared<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a mut Vec<u8>>, Error> {
    match db.get_mut(key) {
        None => Ok(None),
        Some(value) => {
            check(value)?;
            match value {
                Value::Str(s) => Ok(Some(s.raw_mut())),
                _ => Err(Error::WrongType),
            }
        }
    }
}

/// The bytes of the (checked) HyperLogLog at `key`, to read. `Ok(None)` when the key is missing.
fn read<'a>(db: &'a mut Db, key: &[u8]) -> Result<Option<&'a [u8]>, Error> {
    match db.get(key) {
        None => Ok(None),
        Some(value) => {
            check(value)?;
            match value {
                Value::Str(Str::Bytes(b) | Str::Raw(b)) => Ok(Some(b)),
                _ => Err(Error::WrongType),
            }
        }
    }
}

/// Adds elements to a HyperLogLog (created if missing); 1 when its estimate may have changed.
///
/// ```text
/// PFADD key [element [element ...]]
/// ```
pub fn pfadd(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let key = argv[1];
    let elements = &argv[2..];
    let Some(bytes) = unshared(db, key)? else {
        let mut bytes = hll::new_sparse();
        for element in elements {
            hll::add(&mut bytes, element)?;
        }
        hll::invalidate(&mut bytes);
        db.set(key, Value::Str(Str::Raw(bytes)), false);
        return Ok(Reply::Integer(1));
    };
    let mut updated = false;
    for element in elements {
        // A corrupt representation stops here, keeping what the elements before changed (and
        // without signalling the key), as in Redis.
        updated |= hll::add(bytes, element)?;
    }
    if updated {
        hll::invalidate(bytes);
        db.touch(key);
    }
    Ok(Reply::Integer(i64::from(updated)))
}

/// The estimated number of distinct elements added to a HyperLogLog — or to the union of several,
/// without changing them.
///
/// ```text
/// PFCOUNT key [key ...]
/// ```
/// With one key the estimate is cached in the HyperLogLog's header (a write Redis signals, which
/// WATCH sees) until the next change.
pub fn pfcount(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    if argv.len() > 2 {
        let mut max = Box::new([0u8; REGISTERS]);
        for key in &argv[1..] {
            if let Some(bytes) = read(db, key)? {
                hll::merge_into(&mut max, bytes)?;
            }
        }
        return Ok(Reply::Integer(hll::count_registers(&max) as i64));
    }
    let key = argv[1];
    let Some(bytes) = unshared(db, key)? else {
        return Ok(Reply::Integer(0));
    };
    if let Some(cached) = hll::cached_count(bytes) {
        return Ok(Reply::Integer(cached as i64));
    }
    let count = hll::count(bytes)?;
    hll::set_cached_count(bytes, count);
    db.touch(key);
    Ok(Reply::Integer(count as i64))
}

/// Stores at `destkey` the union of the HyperLogLogs (`destkey`'s own included).
///
/// ```text
/// PFMERGE destkey [sourcekey [sourcekey ...]]
/// ```
/// The result is dense as soon as one of them is.
pub fn pfmerge(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let mut max = Box::new([0u8; REGISTERS]);
    let mut dense = false;
    for key in &argv[1..] {
        if let Some(bytes) = read(db, key)? {
            dense |= !hll::is_sparse(bytes);
            hll::merge_into(&mut max, bytes)?;
        }
    }
    let dest = argv[1];
    if db.get(dest).is_none() {
        db.set(dest, Value::Str(Str::Raw(hll::new_sparse())), false);
    }
    let Some(bytes) = unshared(db, dest)? else {
        return Err(Error::HllCorrupt);
    };
    if dense {
        hll::to_dense(bytes)?;
    }
    for (index, &value) in max.iter().enumerate() {
        if value != 0 {
            // As in Redis, a register the representation cannot take is skipped.
            let _ = hll::set_register(bytes, index, value);
        }
    }
    hll::invalidate(bytes);
    db.touch(dest);
    Ok(Reply::ok())
}

/// Redis' HyperLogLog debugging command: the registers, the sparse opcodes, the encoding, or a
/// conversion to dense (which Redis does not signal as a change of the key).
///
/// ```text
/// PFDEBUG GETREG|DECODE|ENCODING|TODENSE key
/// ```
pub fn pfdebug(db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    let sub = argv[1];
    let Some(bytes) = unshared(db, argv[2])? else {
        return Err(Error::PfdebugNoKey);
    };
    if is(sub, "getreg") {
        hll::to_dense(bytes)?;
        let registers = hll::registers(bytes);
        Ok(Reply::Array(
            registers
                .into_iter()
                .map(|r| Reply::Integer(i64::from(r)))
                .collect(),
        ))
    } else if is(sub, "decode") {
        if !hll::is_sparse(bytes) {
            return Err(Error::HllNotSparse);
        }
        Ok(Reply::Bulk(hll::decode(bytes).into_bytes()))
    } else if is(sub, "encoding") {
        Ok(Reply::status(if hll::is_sparse(bytes) {
            "sparse"
        } else {
            "dense"
        }))
    } else if is(sub, "todense") {
        Ok(Reply::Integer(i64::from(hll::to_dense(bytes)?)))
    } else {
        Err(Error::PfdebugUnknown(c_str(sub).to_vec()))
    }
}

//! The sixteen databases: SELECT, SWAPDB, MOVE and FLUSHALL, as `db.c` does them.
//!
//! A client starts in database 0 and SELECT moves it (inside MULTI the SELECT runs at EXEC, so
//! the commands queued after it run in the new database). WATCH watches a key in the database the
//! client had selected; SWAPDB touches the watched keys of both databases as Redis'
//! `touchAllWatchedKeysInDb` does, while clients stay in the database index they selected.

use super::Call;
use crate::engine::error::Error;
use crate::engine::number::parse_i64;
use crate::engine::reply::Reply;
use crate::engine::{Engine, DATABASES};

/// Redis' `getIntFromObjectOrReply`: an integer that fits C's `int`. With `msg`, every failure
/// answers `ERR <msg>`; without, Redis' two own texts.
pub(crate) fn int_arg(arg: &[u8], msg: Option<&'static str>) -> Result<i64, Error> {
    let fail =
        |default: Error| msg.map_or(default, |m| Error::Other(format!("ERR {m}").into_bytes()));
    let value = parse_i64(arg).ok_or_else(|| fail(Error::NotInteger))?;
    if i32::try_from(value).is_err() {
        return Err(fail(Error::IntOutOfRange {
            min: i64::from(i32::MIN),
            max: i64::from(i32::MAX),
        }));
    }
    Ok(value)
}

/// A database index, or `ERR DB index is out of range`.
pub(crate) fn db_index(value: i64) -> Result<usize, Error> {
    usize::try_from(value)
        .ok()
        .filter(|&i| i < DATABASES)
        .ok_or(Error::DbIndexOutOfRange)
}

/// Makes the connection work in another database.
///
/// ```text
/// SELECT index
/// ```
pub fn select(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let index = db_index(int_arg(call.argv[1], None)?)?;
    engine.select_db(call.client, index);
    Ok(Reply::ok())
}

/// Swaps the contents of two databases; clients stay in the index they selected.
///
/// ```text
/// SWAPDB index1 index2
/// ```
pub fn swapdb(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let first = int_arg(call.argv[1], Some("invalid first DB index"))?;
    let second = int_arg(call.argv[2], Some("invalid second DB index"))?;
    let (a, b) = (db_index(first)?, db_index(second)?);
    engine.swap_dbs(a, b);
    Ok(Reply::ok())
}

/// Moves a key to another database, with its TTL; 1 when moved, 0 when the key is missing here
/// or already there.
///
/// ```text
/// MOVE key db
/// ```
pub fn move_(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let key = call.argv[1];
    let to = db_index(int_arg(call.argv[2], None)?)?;
    let from = engine.selected_db(call.client);
    if from == to {
        return Err(Error::SameObject);
    }
    let source = engine.db_for(call.client);
    if source.get(key).is_none() {
        return Ok(Reply::Integer(0));
    }
    let expire_at = source.expire_at(key);
    if engine.move_key(from, to, key, expire_at) {
        Ok(Reply::Integer(1))
    } else {
        Ok(Reply::Integer(0))
    }
}

/// Deletes every key of every database.
///
/// ```text
/// FLUSHALL [ASYNC | SYNC]
/// ```
pub fn flushall(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    super::keys::flush_flags(call.argv)?;
    engine.flush_all(call.client);
    Ok(Reply::ok())
}

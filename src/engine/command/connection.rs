//! Connection commands: PING, ECHO.

use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::reply::Reply;

/// Answers PONG, or echoes its argument.
///
/// ```text
/// PING [message]
/// ```
pub fn ping(_db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    match argv {
        [_] => Ok(Reply::status("PONG")),
        [_, message] => Ok(Reply::Bulk(message.to_vec())),
        _ => Err(Error::WrongArity("ping")),
    }
}

/// Echoes its argument.
///
/// ```text
/// ECHO message
/// ```
pub fn echo(_db: &mut Db, argv: &[&[u8]]) -> Result<Reply, Error> {
    Ok(Reply::Bulk(argv[1].to_vec()))
}

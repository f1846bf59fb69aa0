//! The blocking pops: BZPOPMIN, BZPOPMAX, BZMPOP — Redis' `blockingGenericZpopCommand` and
//! `serveClientsBlockedOnSortedSetKey`, on the engine's blocked clients ([`crate::engine::blocking`]).

use super::pops::{pop_existing, pop_reply, End, Mpop};
use crate::engine::command::Call;
use crate::engine::db::Db;
use crate::engine::error::Error;
use crate::engine::number::LongDouble;
use crate::engine::reply::Reply;
use crate::engine::value::ValueType;
use crate::engine::{Block, Engine, ServeFn};

/// Like ZPOPMIN on the first of the keys that holds a sorted set; when none does, waits for one
/// up to `timeout` seconds (0: for ever).
///
/// ```text
/// BZPOPMIN key [key ...] timeout
/// ```
/// Replies the key, the member and its score, or a nil array when the timeout passes. Inside
/// MULTI (and wherever the client may not wait) it does not wait: the nil array comes at once.
pub fn bzpopmin(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    bzpop(engine, call, End::Min)
}

/// BZPOPMIN from the high end.
///
/// ```text
/// BZPOPMAX key [key ...] timeout
/// ```
pub fn bzpopmax(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    bzpop(engine, call, End::Max)
}

/// ZMPOP that waits up to `timeout` seconds (0: for ever) when no key holds a sorted set.
///
/// ```text
/// BZMPOP timeout numkeys key [key ...] MIN | MAX [COUNT count]
/// ```
/// Replies as ZMPOP, or a nil array when the timeout passes.
pub fn bzmpop(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let argv = call.argv;
    // zmpopGenericCommand reads numkeys, MIN|MAX and COUNT before the timeout.
    let mpop = Mpop::parse(argv, 2)?;
    let deadline = parse_timeout(argv[1], engine.now_ms())?;
    let db = engine.db_for(call.client);
    if let Some(reply) = pop_existing(db, mpop.keys, mpop.end, Some(mpop.count))? {
        return Ok(reply);
    }
    Ok(wait(engine, call, mpop.keys, deadline, serve_bzmpop))
}

/// `blockingGenericZpopCommand` for BZPOPMIN and BZPOPMAX (a plain pop, the key in the reply).
fn bzpop(engine: &mut Engine, call: &mut Call<'_>, end: End) -> Result<Reply, Error> {
    let argv = call.argv;
    let deadline = parse_timeout(argv[argv.len() - 1], engine.now_ms())?;
    let keys = &argv[1..argv.len() - 1];
    let db = engine.db_for(call.client);
    if let Some(reply) = pop_existing(db, keys, end, None)? {
        return Ok(reply);
    }
    let serve: ServeFn = match end {
        End::Min => serve_bzpopmin,
        End::Max => serve_bzpopmax,
    };
    Ok(wait(engine, call, keys, deadline, serve))
}

/// Blocks the client on `keys` until `deadline` (see [`crate::engine::blocking`]).
fn wait(
    engine: &mut Engine,
    call: &Call<'_>,
    keys: &[&[u8]],
    deadline: Option<i64>,
    serve: ServeFn,
) -> Reply {
    engine.block(
        call.client,
        Block {
            keys,
            deadline,
            wakes_on: ValueType::ZSet,
            serve,
            argv: call.argv,
            timeout_reply: Reply::NilArray,
        },
    )
}

/// `getTimeoutFromObjectOrReply(UNIT_SECONDS)`: a long double of seconds, rounded up to
/// milliseconds, from now; 0 waits for ever. A timeout so large that Redis' addition wraps around
/// to a negative deadline waits for ever too: Redis 7.0 keeps deadlines in a table ordered as
/// unsigned numbers, where a negative one comes after every time.
fn parse_timeout(arg: &[u8], now_ms: i64) -> Result<Option<i64>, Error> {
    let seconds = LongDouble::parse(arg).ok_or(Error::TimeoutNotFloat)?;
    let ms = seconds.seconds_to_ms_ceil();
    if ms < 0 {
        return Err(Error::TimeoutNegative);
    }
    Ok((ms > 0)
        .then(|| ms.wrapping_add(now_ms))
        .filter(|&deadline| deadline >= 0))
}

/// A woken BZPOPMIN (`serveClientsBlockedOnSortedSetKey`).
fn serve_bzpopmin(db: &mut Db, key: &[u8], _: &[Vec<u8>]) -> Option<Reply> {
    Some(pop_reply(db, key, End::Min, None))
}

/// A woken BZPOPMAX.
fn serve_bzpopmax(db: &mut Db, key: &[u8], _: &[Vec<u8>]) -> Option<Reply> {
    Some(pop_reply(db, key, End::Max, None))
}

/// A woken BZMPOP: its MIN|MAX and COUNT from its arguments.
fn serve_bzmpop(db: &mut Db, key: &[u8], argv: &[Vec<u8>]) -> Option<Reply> {
    let args: Vec<&[u8]> = argv.iter().map(Vec::as_slice).collect();
    let mpop = Mpop::parse(&args, 2).ok()?;
    Some(pop_reply(db, key, mpop.end, Some(mpop.count)))
}

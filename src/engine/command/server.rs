//! Server commands: CONFIG GET / SET / RESETSTAT / REWRITE / HELP, TIME and LASTSAVE.
//!
//! CONFIG covers the parameters the engine honours (see [`crate::engine::config`]) plus the
//! host's read-only ones, so the console and `redis-sim serve` answer the same for the engine's
//! and a client of the server also sees `save`, `appendonly`, `port`, ….

use super::{help_reply, Call};
use crate::engine::config;
use crate::engine::error::Error;
use crate::engine::reply::Reply;
use crate::engine::Engine;

/// The parameters matching any of the glob-style patterns (names and aliases,
/// case-insensitively), with their values.
///
/// ```text
/// CONFIG GET parameter [parameter ...]
/// ```
pub fn config_get(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    let host = call.host.parameters();
    let pairs = config::get(engine.config(), &host, &call.argv[2..]);
    Ok(Reply::Map(
        pairs
            .into_iter()
            .map(|(k, v)| (Reply::Bulk(k), Reply::Bulk(v)))
            .collect(),
    ))
}

/// Sets parameters, all or none.
///
/// ```text
/// CONFIG SET parameter value [parameter value ...]
/// ```
pub fn config_set(engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    if !call.argv.len().is_multiple_of(2) {
        return Err(Error::Syntax);
    }
    let host = call.host.parameters();
    let mut next = *engine.config();
    config::set(&mut next, &host, &call.argv[2..]).map_err(Error::Other)?;
    engine.set_config(next);
    Ok(Reply::ok())
}

/// Resets the statistics INFO reports (the engine keeps none: nothing to reset).
///
/// ```text
/// CONFIG RESETSTAT
/// ```
pub fn config_resetstat(_engine: &mut Engine, _call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(Reply::ok())
}

/// Rewrites the configuration file: there is none, as with a `redis-server` started without one.
///
/// ```text
/// CONFIG REWRITE
/// ```
pub fn config_rewrite(_engine: &mut Engine, _call: &mut Call<'_>) -> Result<Reply, Error> {
    Err(Error::Other(
        b"ERR The server is running without a config file".to_vec(),
    ))
}

/// CONFIG's subcommands, in Redis' words.
///
/// ```text
/// CONFIG HELP
/// ```
pub fn config_help(_engine: &mut Engine, call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(help_reply(
        call.argv[0],
        &[
            "GET <pattern>",
            "    Return parameters matching the glob-like <pattern> and their values.",
            "SET <directive> <value>",
            "    Set the configuration <directive> to <value>.",
            "RESETSTAT",
            "    Reset statistics reported by the INFO command.",
            "REWRITE",
            "    Rewrite the configuration file.",
        ],
    ))
}

/// The engine's clock: Unix seconds and the microseconds within the second, as two bulk strings.
///
/// ```text
/// TIME
/// ```
pub fn time(engine: &mut Engine, _call: &mut Call<'_>) -> Result<Reply, Error> {
    let now = engine.now_ms();
    Ok(Reply::Array(vec![
        Reply::bulk(now.div_euclid(1000).to_string()),
        Reply::bulk((now.rem_euclid(1000) * 1000).to_string()),
    ]))
}

/// The Unix time of the last save to disk: the engine saves nothing, so the time it started (as
/// a fresh `redis-server`, which reports its start until it first saves).
///
/// ```text
/// LASTSAVE
/// ```
pub fn lastsave(engine: &mut Engine, _call: &mut Call<'_>) -> Result<Reply, Error> {
    Ok(Reply::Integer(engine.started_ms().div_euclid(1000)))
}

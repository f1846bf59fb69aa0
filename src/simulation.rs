//! The race-condition simulation: clients, a network, one single-threaded server, a seeded clock.
//!
//! Pure Rust on logical time; the UI only renders what this produces. Build a run with
//! [`SimBuilder`], step it event by event or run it to the end; step two or three clients by hand
//! with [`Interleaving`]. The article's scenarios — likes, flash sale, rate limiter, leaderboard,
//! per-user counters, durability — are labs in [`scenarios`], each with its own [`Program`]s.
//!
//! ```
//! use incr_lab::simulation::{SimBuilder, StrategyKind};
//! let naive = SimBuilder::new().clients(1000).seed(7).build(StrategyKind::Naive).run();
//! let incr = SimBuilder::new().clients(1000).seed(7).build(StrategyKind::Atomic).run();
//! assert!(naive.lost_updates > 0 && naive.actual < 1000);
//! assert_eq!(incr.actual, 1000);
//! ```

pub mod checker;
pub mod hot_key;
pub mod interleave;
pub mod program;
pub mod queue;
pub mod scenarios;
pub mod sim;
pub mod sql;

/// The simulation's random source is the engine's (SPOP, SRANDMEMBER draw from the same kind).
pub use crate::engine::rng;

pub use interleave::{BadInterleaving, ClientView, Interleaving, StepRecord};
pub use program::{
    Arg, Batch, Command, Ctx, Finish, Likes, Program, Request, Response, Step, Strategy,
    StrategyFactory, StrategyKind, Timing,
};
pub use rng::Rng;
pub use sim::{
    Config, Counter, Executed, Flight, Latency, Outcome, PerClient, PerClientIter, Phase, Programs,
    Sample, Sim, SimBuilder, TraceEvent, TraceKind, Workload,
};

use crate::engine::Reply;

/// A reply on one line, for traces and logs: `OK`, `(integer) 101`, `"100"`, `(nil)`,
/// `[OK, QUEUED, …]`.
pub fn reply_text(reply: &Reply) -> String {
    match reply {
        Reply::Status(s) => s.to_string(),
        Reply::Error(e) => format!("(error) {}", String::from_utf8_lossy(e)),
        Reply::Integer(n) => format!("(integer) {n}"),
        Reply::Bulk(b) => format!("\"{}\"", String::from_utf8_lossy(b)),
        Reply::Nil | Reply::NilArray => "(nil)".to_owned(),
        Reply::Array(items) => {
            let inner: Vec<String> = items.iter().map(reply_text).collect();
            format!("[{}]", inner.join(", "))
        }
        // RESP3's types, shown as a RESP2 client sees them (the simulation's clients speak RESP2).
        Reply::Map(_)
        | Reply::Set(_)
        | Reply::Pairs(_)
        | Reply::Double(_)
        | Reply::Bool(_)
        | Reply::Verbatim { .. }
        | Reply::BigNumber(_)
        | Reply::InProtocol(..) => reply_text(&reply.resp2()),
    }
}

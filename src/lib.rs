//! incr-lab: an interactive tutorial on why Redis' atomic increments beat read-modify-write.
//!
//! # Layout
//!
//! - [`engine`]: a single-threaded, Redis 7.0-faithful engine (strings, hashes, sorted sets, expiry
//!   on a caller-supplied clock, MULTI/EXEC/WATCH). Pure Rust, no web dependency; byte-identical
//!   replies are checked against a real `redis-server` by the differential test suite.
//! - `ui` (wasm32 only): the Leptos components of the browser app; `src/main.rs` mounts them.
//! - `src/bin/redis-sim.rs`: the engine as a native command-line REPL.

pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod ui;

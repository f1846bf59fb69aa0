//! incr-lab: an interactive tutorial on why Redis' atomic increments beat read-modify-write.
//!
//! # Layout
//!
//! - [`engine`]: a single-threaded, Redis 7.0-faithful engine (strings, hashes, sorted sets, expiry
//!   on a caller-supplied clock, MULTI/EXEC/WATCH, Lua scripting on a pure-Rust Lua 5.1 VM in
//!   [`engine::scripting`]). Pure Rust, no web dependency; byte-identical replies are checked
//!   against a real `redis-server` by the differential test suite.
//! - [`simulation`]: simulated clients with network latency hitting one single-threaded server on
//!   a logical clock, seeded and reproducible (the scheduler in `sim`, a run's set-up in
//!   `sim::builder`); the strategies the race demo compares; the step-by-hand interleaving view's
//!   model; the labs' scenarios.
//! - [`lesson`]: the guided lesson as content: chapters, their text and runnable examples (as
//!   HTML strings for the page), the quiz's questions and how an answer is checked, and the
//!   learner's saved progress format.
//! - [`cli`]: redis-cli's parts — its tokenizer, its `--no-raw` reply printer, its HELP text —, the
//!   client side the engine knows nothing of.
//! - [`console`]: one console line in redis-cli syntax → what `redis-cli` prints (shared by
//!   `redis-sim` and the web console), built on [`cli`].
//! - [`console_lite`]: the console that answers while the app's WebAssembly loads
//!   (`src/bin/console-lite.rs`), on the engine's core table, and what it hands the app.
//! - [`wall_clock`]: the platform's clock, which hosts read and the engine never does.
//! - `ui` (wasm32 only): the Leptos components of the browser app, which render the lesson (the
//!   quiz's answer forms too), the race demo and the labs; `src/main.rs` mounts them.
//! - `src/bin/redis-sim.rs`: the engine as a native command-line REPL.
//! - [`server`] (native only): `redis-sim serve`, the engine behind a RESP2 server for real Redis
//!   clients.
//! - [`classroom`]: the live classroom — its messages (both targets) and, natively, `redis-sim
//!   classroom`, which serves the built site and a WebSocket room for a class of phones.

pub mod classroom;
pub mod cli;
pub mod console;
pub mod console_lite;
pub mod engine;
pub mod lesson;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;
pub mod simulation;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod wall_clock;

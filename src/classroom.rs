//! The live classroom: every student's phone is a client of one shared Redis, and the projector
//! shows the race.
//!
//! - [`protocol`]: the JSON messages between the pages and the server (both targets).
//! - `server` (native only): `redis-sim classroom`, the built site and the WebSocket endpoint,
//!   on axum; `room` the room's figures and what each request does; `link` the shared Redis —
//!   the engine on its own thread, or a real Redis (`--redis HOST:PORT`), one connection per
//!   student.

#[cfg(not(target_arch = "wasm32"))]
pub mod link;
pub mod protocol;
#[cfg(not(target_arch = "wasm32"))]
pub mod room;
#[cfg(not(target_arch = "wasm32"))]
pub mod server;

//! redis-cli's parts, the client side of the console: what the page's console and `redis-sim`
//! share with `redis-cli` and a real server never does.
//!
//! - [`tokenizer`]: a typed line split into arguments, as redis-cli splits it (`sdssplitargs`; the
//!   RESP server's inline commands are split by the same rules, as Redis splits them).
//! - [`format`]: a reply printed as `redis-cli --no-raw` prints it.
//! - [`help`]: `HELP` and `HELP <command>`, answered by the client from its own table.
//!
//! [`crate::console`] puts them together: one line in, what redis-cli prints out.

pub mod format;
pub mod help;
pub mod tokenizer;

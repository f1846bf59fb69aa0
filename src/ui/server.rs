//! The Redis servers on the page, and how the console names the one it talks to.
//!
//! The page runs several engines: its own (the console's, from the first chapter on) and one per
//! lab, which the lab's simulated clients talk to. The console is connected to exactly one of
//! them at a time, and says which, as redis-cli's prompt names its host (`127.0.0.1:6379>`,
//! `rate-limit lab>`). The rule the page keeps (see the README):
//!
//! - a command you **click** runs on the server it belongs to — a lab's command (in its text, its
//!   command log, its "No TTL" list) on that lab's server, any other on the page's own — and the
//!   console stays connected there;
//! - a command you **type** runs on the server the prompt names;
//! - one button ("Back to this page's server") leaves a lab's server.

use crate::simulation::scenarios::LabId;

/// A Redis server the console can talk to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ServerId {
    /// The page's own engine: the console's server unless a lab's command was clicked.
    Page,
    /// The engine a lab's simulated clients talk to.
    Lab(LabId),
}

impl ServerId {
    /// The server as the prompt names it, in place of redis-cli's `host:port`.
    pub fn prompt_name(self) -> &'static str {
        match self {
            ServerId::Page => "127.0.0.1:6379",
            ServerId::Lab(id) => id.server_name(),
        }
    }

    /// The server in words: "this page's server", "the rate-limit lab's server".
    pub fn describe(self) -> String {
        match self {
            ServerId::Page => "this page's server".to_owned(),
            ServerId::Lab(id) => format!("the {}'s server", id.server_name()),
        }
    }
}

/// The prompt redis-cli shows for a connection: `name`, then `[db]` after a SELECT of any
/// database but 0, then `(TX)` inside MULTI, then `>` (redis-cli's `cliRefreshPrompt`).
pub fn prompt(name: &str, db: usize, in_multi: bool) -> String {
    let db = if db == 0 {
        String::new()
    } else {
        format!("[{db}]")
    };
    let tx = if in_multi { "(TX)" } else { "" };
    format!("{name}{db}{tx}>")
}

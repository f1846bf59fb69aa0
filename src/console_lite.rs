//! The console-lite's session: the console that answers while the page's big WebAssembly is still
//! on its way (src/bin/console-lite.rs puts it on the page), and what it hands the app.
//!
//! It is the app's console with less: the same [`console`](crate::console) line handling, on an
//! [`Engine::core`] — every command but COMMAND and scripting's, so that the Lua VM and COMMAND's
//! data stay out of its binary —, printing as plain redis-cli (RESP2), as the app's console does
//! until its RESP3 box is ticked. What it cannot answer faithfully it does not answer: a line that
//! asks for HELP (whose text it has not), for a command only the full table has
//! ([`FULL_ONLY`]), or whose client blocks (the app's console shows a blocked client, and lets a
//! second client type), **waits** — and so does every line after it, so that lines still run in
//! the order they were typed.
//!
//! When the app mounts it takes over ([`Handed`]): it runs the lines the lite ran again, each at
//! the virtual time it ran at, on its own engine — which then holds the same keys, values and
//! TTLs, and whose transcript shows the same entries — and then the waiting lines, at once.
//!
//! Both consoles keep the engine's time the same way before a line: the clock is set to the
//! console's origin plus the virtual time, and Redis' active expiry runs (the app's
//! `Lab::sync_clock`); so the replay sees what the lite saw.

use crate::console::{eval_line_core, Kind, Output, Wait};
use crate::engine::command::FULL_ONLY;
use crate::engine::{ClientId, Engine, Protocol};

/// The global (a property of `window`) through which the lite hands its lines to the app: an
/// object `{ origin, lines: [{ at, line, ran }], taken }` (see [`Handed`]). The app sets `taken`
/// (or the whole object, when no lite ran) when it mounts; a lite that finds the object does not
/// start.
pub const HANDOFF_GLOBAL: &str = "incrLabConsole";

/// The `id` of the static page's console section, which the lite fills.
pub const SLOT_ID: &str = "static-console";

/// The console's client: the app's console's (`ui::lab::CONSOLE_CLIENT`).
pub const CLIENT: ClientId = 1;

/// What a waiting line shows.
pub const WAITING_NOTE: &str = "(this runs when the page has loaded: a moment…)";

/// One line the lite took, as the app replays it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handed {
    /// Virtual time when it was typed, in ms since the origin.
    pub at_ms: i64,
    /// The typed line.
    pub line: String,
    /// Whether the lite ran it (else it waits for the app).
    pub ran: bool,
}

/// The lite console's engine and state.
#[derive(Debug)]
pub struct LiteConsole {
    engine: Engine,
    origin_ms: i64,
    waiting: bool,
}

impl LiteConsole {
    /// A console whose virtual time 0 is `origin_ms` (Unix ms).
    pub fn new(origin_ms: i64) -> LiteConsole {
        LiteConsole {
            engine: Engine::core(origin_ms),
            origin_ms,
            waiting: false,
        }
    }

    /// Runs `line` at virtual time `at_ms`: its output, or `None` when it waits for the app (see
    /// the module documentation).
    pub fn run(&mut self, at_ms: i64, line: &str) -> Option<Output> {
        if self.waiting {
            return None;
        }
        let now = self.origin_ms.saturating_add(at_ms);
        if self.engine.now_ms() != now {
            self.engine.set_now_ms(now);
        }
        self.engine.active_expire_cycle();
        let output = eval_line_core(
            &mut self.engine,
            CLIENT,
            line.as_bytes(),
            Protocol::Resp2,
            Wait::Blocked,
            |name| !is_full_only(name),
        );
        match &output {
            Some(out) if out.kind != Kind::Waiting => {}
            _ => self.waiting = true,
        }
        output
    }

    /// Whether lines wait now (one did: all after it do).
    pub fn waiting(&self) -> bool {
        self.waiting
    }

    /// Whether the console's client is inside MULTI (the prompt shows `(TX)`).
    pub fn in_multi(&self) -> bool {
        self.engine.in_multi(CLIENT)
    }

    /// The database the console's client has selected (the prompt shows it after a SELECT).
    pub fn selected_db(&self) -> usize {
        self.engine.selected_db(CLIENT)
    }

    /// The engine, for tests.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }
}

/// Whether `name` (as typed, any case) is a command only the full table has.
pub fn is_full_only(name: &[u8]) -> bool {
    FULL_ONLY
        .iter()
        .any(|full| full.as_bytes().eq_ignore_ascii_case(name))
}

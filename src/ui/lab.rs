//! The lab: the engine the page talks to, its virtual clock, and the console transcript, shared by
//! every component through Leptos context (`expect_context::<Lab>()`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::console::{eval_line_in, Kind};
use crate::engine::{ClientId, Engine, Protocol};

use super::clock::{format_elapsed, VirtualClock};
use super::history::History;
use super::keyspace::{keyspace_view, KeyspaceView};

/// The console's client id in the engine.
pub const CONSOLE_CLIENT: ClientId = 1;
/// The transcript keeps this many entries; older ones scroll away.
pub const MAX_ENTRIES: usize = 200;
/// An entry shows at most this many output lines (a `10000 INCR n` prints 10,000).
pub const MAX_LINES_SHOWN: usize = 500;
/// The echo of a typed line shows at most this many characters.
pub const MAX_ECHO_CHARS: usize = 300;

/// One line typed in the console and what it printed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Unique, increasing: the key of the transcript's `<For>`.
    pub id: u64,
    /// The prompt as it read when the line ran (virtual time and redis-cli's prompt).
    pub prompt: String,
    /// The typed line, cut after [`MAX_ECHO_CHARS`] characters.
    pub echo: String,
    /// How to style the output.
    pub kind: Kind,
    /// The lines redis-cli would print, at most [`MAX_LINES_SHOWN`].
    pub lines: Vec<String>,
    /// How many more lines were printed than are kept.
    pub hidden_lines: usize,
}

/// The engine and the reactive state around it. `Copy`: every field is an arena handle.
#[derive(Clone, Copy, Debug)]
pub struct Lab {
    engine: StoredValue<Engine>,
    /// Engine time when the virtual clock read 0 (Unix ms).
    origin_ms: i64,
    /// The virtual clock driving the engine's time.
    pub clock: VirtualClock,
    /// Bumped whenever the keyspace may have changed (a command ran, keys expired).
    pub revision: RwSignal<u64>,
    /// The keys the last console command modified, for highlighting.
    pub touched: RwSignal<Vec<Vec<u8>>>,
    /// The console transcript, oldest first. Entries are shared, not copied, when it changes.
    pub transcript: RwSignal<Vec<Arc<Entry>>>,
    /// Whether the console client is inside MULTI (the prompt then shows `(TX)`).
    pub in_multi: RwSignal<bool>,
    /// Whether the console prints replies as they arrive over RESP3, as `redis-cli -3` does
    /// (maps, doubles, sets shown apart); off, as plain `redis-cli` (RESP2).
    pub resp3: RwSignal<bool>,
    /// Lines entered, for ↑/↓.
    pub history: StoredValue<History>,
    next_id: StoredValue<u64>,
}

impl Lab {
    /// A lab whose engine time is `origin_ms` (Unix ms) plus the clock's elapsed time.
    pub fn new(origin_ms: i64, clock: VirtualClock) -> Self {
        let now = origin_ms.saturating_add(clock.elapsed_ms.get_untracked());
        Self {
            engine: StoredValue::new(Engine::new(now)),
            origin_ms,
            clock,
            revision: RwSignal::new(0),
            touched: RwSignal::new(Vec::new()),
            transcript: RwSignal::new(Vec::new()),
            in_multi: RwSignal::new(false),
            resp3: RwSignal::new(false),
            history: StoredValue::new(History::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// The engine's time (Unix ms), reactive on the clock.
    pub fn now_ms(&self) -> i64 {
        self.origin_ms.saturating_add(self.clock.elapsed_ms.get())
    }

    /// Brings the engine's clock to the virtual clock and runs Redis' active expiry, so expired
    /// keys leave the keyspace (and the inspector) without being read.
    pub fn sync_clock(&self) {
        let now = self
            .origin_ms
            .saturating_add(self.clock.elapsed_ms.get_untracked());
        let removed = self
            .engine
            .try_update_value(|engine| {
                if engine.now_ms() != now {
                    engine.set_now_ms(now);
                }
                engine.active_expire_cycle()
            })
            .unwrap_or(0);
        if removed > 0 {
            self.revision.update(|r| *r = r.wrapping_add(1));
        }
    }

    /// The console prompt right now: virtual time, then redis-cli's `127.0.0.1:6379>` (with
    /// `(TX)` inside MULTI).
    pub fn prompt(&self) -> String {
        let tx = if self.in_multi.get() { "(TX)" } else { "" };
        format!(
            "[{}] 127.0.0.1:6379{tx}>",
            format_elapsed(self.clock.elapsed_ms.get())
        )
    }

    /// Runs one console line as redis-cli would, records it in the transcript and the history,
    /// and updates what the inspector shows. Never panics, whatever `line` holds.
    pub fn run(&self, line: &str) {
        self.sync_clock();
        let prompt = self.prompt_untracked();
        let protocol = if self.resp3.get_untracked() {
            Protocol::Resp3
        } else {
            Protocol::Resp2
        };
        self.history.update_value(|h| h.push(line));
        let Some((output, touched, in_multi)) = self.engine.try_update_value(|engine| {
            let output = eval_line_in(engine, CONSOLE_CLIENT, line.as_bytes(), protocol);
            (
                output,
                engine.touched().to_vec(),
                engine.in_multi(CONSOLE_CLIENT),
            )
        }) else {
            return;
        };
        match output.kind {
            Kind::Clear => {
                self.clear_transcript();
                return;
            }
            Kind::Reply | Kind::Error => {
                self.touched.set(touched);
                self.revision.update(|r| *r = r.wrapping_add(1));
                self.in_multi.set(in_multi);
            }
            Kind::Nothing | Kind::Invalid | Kind::Help | Kind::Quit => {}
        }
        let mut lines = output.text_lines();
        if output.kind == Kind::Quit {
            lines.push("(this console stays open: there is nothing to quit)".to_owned());
        }
        let hidden_lines = lines.len().saturating_sub(MAX_LINES_SHOWN);
        lines.truncate(MAX_LINES_SHOWN);
        let id = self.next_id.try_update_value(|n| {
            *n += 1;
            *n
        });
        let entry = Entry {
            id: id.unwrap_or_default(),
            prompt,
            echo: echo(line),
            kind: output.kind,
            lines,
            hidden_lines,
        };
        self.transcript.update(|t| {
            if t.len() >= MAX_ENTRIES {
                t.drain(..=t.len() - MAX_ENTRIES);
            }
            t.push(Arc::new(entry));
        });
    }

    /// Empties the transcript (Ctrl+L), without running anything or touching the history.
    pub fn clear_transcript(&self) {
        self.transcript.set(Vec::new());
    }

    /// The inspector's view of the keyspace; call inside a reactive scope that tracks
    /// [`Lab::revision`].
    pub fn keyspace(&self) -> KeyspaceView {
        self.engine
            .try_with_value(keyspace_view)
            .unwrap_or_default()
    }

    fn prompt_untracked(&self) -> String {
        untrack(|| self.prompt())
    }
}

/// The typed line as echoed: cut after [`MAX_ECHO_CHARS`] characters, with the full length.
fn echo(line: &str) -> String {
    match line.char_indices().nth(MAX_ECHO_CHARS) {
        Some((cut, _)) => format!("{}… ({} characters)", &line[..cut], line.chars().count()),
        None => line.to_owned(),
    }
}

//! The lab: the engine the page talks to, its virtual clock, and the console transcript, shared by
//! every component through Leptos context (`expect_context::<Lab>()`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::console::{eval_line_with, reply_lines, Kind, Wait};
use crate::console_lite::Handed;
use crate::engine::{ClientId, Engine, Protocol, Reply};

use super::clock::{format_elapsed, VirtualClock};
use super::history::History;
use super::keyspace::{keyspace_view, KeyspaceView};

/// The console's client id in the engine.
pub const CONSOLE_CLIENT: ClientId = 1;
/// The client that lines typed while the console's client is blocked run as (a second
/// redis-cli, so that a learner can send the write that wakes the first).
pub const SECOND_CLIENT: ClientId = 2;
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

/// The console's client waiting in a blocking command (BZPOPMIN with nothing to pop): the
/// transcript entry that gets its reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Blocked {
    /// The waiting entry's id.
    pub entry_id: u64,
    /// Its prompt and echo, to show the reply again if the transcript was cleared meanwhile.
    prompt: String,
    echo: String,
    /// What its earlier repeats printed (`3 BZPOPMIN q 5`).
    before: Vec<String>,
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
    /// Whether the client typing is inside MULTI (the prompt then shows `(TX)`).
    pub in_multi: RwSignal<bool>,
    /// The console's client is blocked: what it waits in. Lines typed meanwhile run as
    /// [`SECOND_CLIENT`]; the virtual clock passing the timeout, or a write by the second client,
    /// wakes it (see [`crate::engine::blocking`]).
    pub blocked: RwSignal<Option<Blocked>>,
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
            blocked: RwSignal::new(None),
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
        // The clock may have passed a blocked console's timeout.
        self.deliver_wakeup();
    }

    /// The console prompt right now: virtual time, then redis-cli's `127.0.0.1:6379>` (with
    /// `(TX)` inside MULTI), after `(client 2)` while the console's client is blocked.
    pub fn prompt(&self) -> String {
        let tx = if self.in_multi.get() { "(TX)" } else { "" };
        let who = if self.blocked.with(Option::is_some) {
            "(client 2) "
        } else {
            ""
        };
        format!(
            "[{}] {who}127.0.0.1:6379{tx}>",
            format_elapsed(self.clock.elapsed_ms.get())
        )
    }

    /// Runs one console line as redis-cli would, records it in the transcript and the history,
    /// and updates what the inspector shows. Never panics, whatever `line` holds.
    pub fn run(&self, line: &str) {
        self.sync_clock();
        let prompt = self.prompt_untracked();
        let protocol = self.protocol();
        self.history.update_value(|h| h.push(line));
        // While the console's client waits, a second client types; it does not wait itself (who
        // would wake it?): its blocking command waits out its timeout at once, as in redis-sim.
        let (client, wait) = if self.blocked.with_untracked(Option::is_some) {
            (SECOND_CLIENT, Wait::Alone)
        } else {
            (CONSOLE_CLIENT, Wait::Blocked)
        };
        let Some((output, touched, deadline)) = self.engine.try_update_value(|engine| {
            let output = eval_line_with(engine, client, line.as_bytes(), protocol, wait);
            let deadline = engine.block_deadline(CONSOLE_CLIENT);
            (output, engine.touched().to_vec(), deadline)
        }) else {
            return;
        };
        if output.waited_ms > 0 {
            // A blocking command waited out its timeout on the engine's clock (nobody else can
            // wake it here): the virtual clock jumps with it.
            self.clock.advance(output.waited_ms);
        }
        match output.kind {
            Kind::Clear => {
                self.clear_transcript();
                return;
            }
            // A waiting line's earlier repeats may have written.
            Kind::Reply | Kind::Error | Kind::Waiting => {
                self.touched.set(touched);
                self.revision.update(|r| *r = r.wrapping_add(1));
            }
            Kind::Nothing | Kind::Invalid | Kind::Help | Kind::Quit => {}
        }
        let mut lines = output.text_lines();
        let before = lines.clone();
        if output.kind == Kind::Waiting {
            lines.extend(self.waiting_note(deadline));
        }
        if output.waited_ms >= 500 {
            // redis-cli's line for a command that took half a second or more.
            lines.push(format!("({:.2}s)", output.waited_ms as f64 / 1000.0));
        }
        if output.kind == Kind::Quit {
            lines.push("(this console stays open: there is nothing to quit)".to_owned());
        }
        let entry = self.entry(prompt, echo(line), output.kind, lines);
        if output.kind == Kind::Waiting {
            self.blocked.set(Some(Blocked {
                entry_id: entry.id,
                prompt: entry.prompt.clone(),
                echo: entry.echo.clone(),
                before,
            }));
        }
        self.transcript.update(|t| {
            if t.len() >= MAX_ENTRIES {
                t.drain(..=t.len() - MAX_ENTRIES);
            }
            t.push(Arc::new(entry));
        });
        // The second client's write may have woken the first.
        self.deliver_wakeup();
        self.refresh_in_multi();
    }

    /// The protocol the console prints replies as arriving over (see [`Lab::resp3`]).
    fn protocol(&self) -> Protocol {
        if self.resp3.get_untracked() {
            Protocol::Resp3
        } else {
            Protocol::Resp2
        }
    }

    /// Shows `(TX)` in the prompt when the client typing next is inside MULTI.
    fn refresh_in_multi(&self) {
        let client = if self.blocked.with_untracked(Option::is_some) {
            SECOND_CLIENT
        } else {
            CONSOLE_CLIENT
        };
        let in_multi = self
            .engine
            .try_with_value(|engine| engine.in_multi(client))
            .unwrap_or(false);
        if self.in_multi.get_untracked() != in_multi {
            self.in_multi.set(in_multi);
        }
    }

    /// A new transcript entry (with a new id), its lines cut at [`MAX_LINES_SHOWN`].
    fn entry(&self, prompt: String, echo: String, kind: Kind, mut lines: Vec<String>) -> Entry {
        let hidden_lines = lines.len().saturating_sub(MAX_LINES_SHOWN);
        lines.truncate(MAX_LINES_SHOWN);
        let id = self.next_id.try_update_value(|n| {
            *n += 1;
            *n
        });
        Entry {
            id: id.unwrap_or_default(),
            prompt,
            echo,
            kind,
            lines,
            hidden_lines,
        }
    }

    /// What a waiting entry says: blocked until what, and how to wake it.
    fn waiting_note(&self, deadline: Option<i64>) -> [String; 2] {
        let until = match deadline {
            Some(at) => format!(
                "or until its timeout at {} on the clock",
                format_elapsed(at.saturating_sub(self.origin_ms))
            ),
            None => "for ever (timeout 0)".to_owned(),
        };
        [
            format!("(waiting: blocked until another client writes to a key it waits on, {until})"),
            "(advance the clock to reach the timeout, or type the write that wakes it: what you \
             type now runs as client 2)"
                .to_owned(),
        ]
    }

    /// Shows the reply of the console's client once it is woken (by the clock or the second
    /// client) in place of its waiting entry, and gives the console back to it.
    fn deliver_wakeup(&self) {
        let Some(blocked) = self.blocked.get_untracked() else {
            return;
        };
        let Some(Some(reply)) = self
            .engine
            .try_update_value(|engine| engine.take_wakeup(CONSOLE_CLIENT))
        else {
            return;
        };
        let kind = if matches!(reply, Reply::Error(_)) {
            Kind::Error
        } else {
            Kind::Reply
        };
        let mut lines = blocked.before;
        lines.extend(
            reply_lines(&reply, self.protocol())
                .iter()
                .map(|l| String::from_utf8_lossy(l).into_owned()),
        );
        let entry = Arc::new(self.entry(blocked.prompt, blocked.echo, kind, lines));
        self.blocked.set(None);
        self.refresh_in_multi();
        self.revision.update(|r| *r = r.wrapping_add(1));
        self.transcript.update(|t| {
            match t.iter_mut().find(|e| e.id == blocked.entry_id) {
                // A new id, so that the transcript shows the new lines.
                Some(slot) => *slot = entry,
                None => {
                    if t.len() >= MAX_ENTRIES {
                        t.drain(..=t.len() - MAX_ENTRIES);
                    }
                    t.push(entry);
                }
            }
        });
    }

    /// Takes over from the console-lite (src/bin/console-lite.rs), which answered while the app
    /// loaded: the lines it ran run again here, each at the virtual time it ran at, so that the
    /// engine holds what the lite's held and the transcript shows what the lite's showed; the
    /// clock then moves to `now_elapsed_ms` (it goes on from the lite's); and the lines that
    /// waited for the app run, in order (see [`crate::console_lite`]).
    pub fn take_over(&self, lines: &[Handed], now_elapsed_ms: i64) {
        let at = |ms: i64| {
            let ms = ms.max(self.clock.elapsed_ms.get_untracked());
            self.clock.elapsed_ms.set(ms);
        };
        for handed in lines.iter().filter(|h| h.ran) {
            at(handed.at_ms);
            self.run(&handed.line);
        }
        at(now_elapsed_ms);
        self.sync_clock();
        for handed in lines.iter().filter(|h| !h.ran) {
            self.run(&handed.line);
        }
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
pub fn echo(line: &str) -> String {
    match line.char_indices().nth(MAX_ECHO_CHARS) {
        Some((cut, _)) => format!("{}… ({} characters)", &line[..cut], line.chars().count()),
        None => line.to_owned(),
    }
}

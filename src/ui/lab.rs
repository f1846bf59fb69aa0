//! The console's side of the page: the page's own engine and its clock, the server the console is
//! connected to (the page's or a lab's, see [`super::server`]), the transcript and the history,
//! shared by every component through Leptos context (`expect_context::<Lab>()`).

use std::sync::Arc;

use leptos::prelude::*;

use crate::console::{eval_line_with, reply_lines, Kind, Output, Wait};
use crate::console_lite::Handed;
use crate::engine::{ClientId, Engine, Protocol, Reply};
use crate::simulation::scenarios::{LabId, CONSOLE_CLIENT as LAB_CONSOLE_CLIENT};

use super::clock::{format_elapsed, VirtualClock};
use super::history::History;
use super::keyspace::{keyspace_view, KeyspaceView};
use super::scenarios::fixed;
use super::scenarios::runner::{LabHandle, Unreachable};
use super::server::{prompt, ServerId};

/// The console's client id in the page's engine.
pub const CONSOLE_CLIENT: ClientId = 1;
/// The client that lines typed while the console's client is blocked on the page's server run
/// as (a second redis-cli, so that a learner can send the write that wakes the first).
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
    /// True for a line from the page itself (the console changed servers), not a command: its
    /// text is in `lines`, and `prompt` and `echo` are empty.
    pub note: bool,
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

/// The page's engine, the console's connection and the reactive state around them. `Copy`: every
/// field is an arena handle.
#[derive(Clone, Copy, Debug)]
pub struct Lab {
    engine: StoredValue<Engine>,
    /// Engine time when the virtual clock read 0 (Unix ms).
    origin_ms: i64,
    /// The virtual clock driving the engine's time.
    pub clock: VirtualClock,
    /// Bumped whenever the page's keyspace may have changed (a command ran, keys expired).
    pub revision: RwSignal<u64>,
    /// The keys the last console command modified on the page's server, for highlighting.
    pub touched: RwSignal<Vec<Vec<u8>>>,
    /// The console transcript, oldest first. Entries are shared, not copied, when it changes.
    pub transcript: RwSignal<Vec<Arc<Entry>>>,
    /// The server the console talks to.
    pub connected: RwSignal<ServerId>,
    /// The console's client on the page's server is blocked: what it waits in. Lines typed there
    /// meanwhile run as [`SECOND_CLIENT`]; the virtual clock passing the timeout, or a write by
    /// the second client, wakes it (see [`crate::engine::blocking`]).
    pub blocked: RwSignal<Option<Blocked>>,
    /// Whether the console prints replies as they arrive over RESP3, as `redis-cli -3` does
    /// (maps, doubles, sets shown apart); off, as plain `redis-cli` (RESP2).
    pub resp3: RwSignal<bool>,
    /// Lines entered, for ↑/↓.
    pub history: StoredValue<History>,
    /// The labs on the page, each a server the console can connect to.
    labs: StoredValue<Vec<LabHandle>, LocalStorage>,
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
            connected: RwSignal::new(ServerId::Page),
            blocked: RwSignal::new(None),
            resp3: RwSignal::new(false),
            history: StoredValue::new(History::new()),
            labs: StoredValue::new_local(Vec::new()),
            next_id: StoredValue::new(0),
        }
    }

    /// The page engine's time (Unix ms), reactive on the clock.
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

    /// Makes lab `handle`'s server one the console can connect to (each lab's panel does).
    pub fn register(&self, handle: LabHandle) {
        self.labs.update_value(|labs| {
            labs.retain(|h| h.id != handle.id);
            labs.push(handle);
        });
    }

    fn handle(&self, id: LabId) -> Option<LabHandle> {
        self.labs
            .try_with_value(|labs| labs.iter().find(|h| h.id == id).copied())
            .flatten()
    }

    /// True while the console talks to `server` (untracked).
    pub fn is_connected_to(&self, server: ServerId) -> bool {
        self.connected.get_untracked() == server
    }

    /// Connects the console to `server`; a change is said in the transcript.
    pub fn connect(&self, server: ServerId) {
        if self.is_connected_to(server) {
            return;
        }
        self.connected.set(server);
        let text = match server {
            ServerId::Page => "Connected to this page's server (127.0.0.1:6379) again.".to_owned(),
            ServerId::Lab(id) => format!(
                "Connected to the {name}'s server: what you type now runs on its keyspace, on its \
                 clock, as its clients' commands do. “Back to this page's server” returns.",
                name = id.server_name()
            ),
        };
        self.note(text);
    }

    /// Adds a line from the page itself to the transcript.
    pub fn note(&self, text: String) {
        let mut entry = self.entry(String::new(), String::new(), Kind::Help, vec![text]);
        entry.note = true;
        self.push_entry(entry);
    }

    /// The database and MULTI state of the console's connection to the server it talks to,
    /// reactive.
    fn session(&self) -> (usize, bool) {
        let state = |engine: &Engine, client: ClientId| {
            (engine.selected_db(client), engine.in_multi(client))
        };
        match self.connected.get() {
            ServerId::Page => {
                self.revision.track();
                let client = self.page_client();
                self.engine
                    .try_with_value(|e| state(e, client))
                    .unwrap_or_default()
            }
            ServerId::Lab(id) => self
                .handle(id)
                .and_then(|h| h.with_engine(|e| state(e, LAB_CONSOLE_CLIENT)))
                .unwrap_or_default(),
        }
    }

    /// The database the console has selected on its server, reactive.
    pub fn selected_db(&self) -> usize {
        self.session().0
    }

    /// The page's client that typed lines run as: the console's, or [`SECOND_CLIENT`] while the
    /// console's is blocked. Reactive.
    fn page_client(&self) -> ClientId {
        if self.blocked.with(Option::is_some) {
            SECOND_CLIENT
        } else {
            CONSOLE_CLIENT
        }
    }

    /// The prompt of the input line, as redis-cli's: the server's name, `[db]` after a SELECT,
    /// `(TX)` inside MULTI (`127.0.0.1:6379>`, `rate-limit lab[2](TX)>`), after `(client 2)`
    /// while the console's client on the page's server is blocked. Reactive.
    pub fn prompt(&self) -> String {
        let (db, in_multi) = self.session();
        let server = self.connected.get();
        let prompt = prompt(server.prompt_name(), db, in_multi);
        if server == ServerId::Page && self.page_client() == SECOND_CLIENT {
            format!("(client 2) {prompt}")
        } else {
            prompt
        }
    }

    /// The time on the clock of the server the console talks to, in ms since its start (the
    /// page's: the virtual clock; a lab's: the virtual clock since the lab started). Reactive.
    pub fn server_elapsed_ms(&self) -> i64 {
        match self.connected.get() {
            ServerId::Page => self.clock.elapsed_ms.get(),
            ServerId::Lab(id) => self.handle(id).map_or(0, |h| h.lab_time_ms()),
        }
    }

    /// When the lab the console talks to started, on the virtual clock (ms); `None` on the
    /// page's server or before the lab started. Reactive.
    pub fn server_origin_ms(&self) -> Option<i64> {
        match self.connected.get() {
            ServerId::Page => None,
            ServerId::Lab(id) => self
                .handle(id)
                .filter(|h| h.started.get())
                .map(|h| h.origin_ms()),
        }
    }

    /// The engine time (Unix ms) of the server the console talks to. Reactive.
    pub fn server_now_ms(&self) -> i64 {
        match self.connected.get() {
            ServerId::Page => self.now_ms(),
            ServerId::Lab(id) => self.handle(id).map_or(0, |h| h.engine_now_ms()),
        }
    }

    /// The keys the latest command on the server the console talks to modified. Reactive.
    pub fn server_touched(&self) -> Vec<Vec<u8>> {
        match self.connected.get() {
            ServerId::Page => self.touched.get(),
            ServerId::Lab(id) => self.handle(id).map(|h| h.touched.get()).unwrap_or_default(),
        }
    }

    /// Connects the console to `server`, then runs `line` there (a clicked command).
    pub fn run_on(&self, server: ServerId, line: &str) {
        self.connect(server);
        self.run(line);
    }

    /// Runs one console line as redis-cli would on the server the console talks to, records it
    /// in the transcript and the history, and updates what the inspector shows. Never panics,
    /// whatever `line` holds.
    pub fn run(&self, line: &str) {
        let server = self.connected.get_untracked();
        let prompt = untrack(|| {
            format!(
                "[{}] {}",
                format_elapsed(self.server_elapsed_ms()),
                self.prompt()
            )
        });
        self.history.update_value(|h| h.push(line));
        let protocol = self.protocol();
        let (output, deadline) = match server {
            ServerId::Page => self.run_on_page(line, protocol),
            ServerId::Lab(id) => (self.run_on_lab(id, line, protocol), None),
        };
        if output.waited_ms > 0 {
            // A blocking command waited out its timeout on its server's clock (nobody else can
            // wake it there): the virtual clock jumps with it, and so does a lab's time.
            self.clock.advance(output.waited_ms);
        }
        if output.kind == Kind::Clear {
            self.clear_transcript();
            return;
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
        let entry = self.push_entry(self.entry(prompt, echo(line), output.kind, lines));
        if output.kind == Kind::Waiting {
            self.blocked.set(Some(Blocked {
                entry_id: entry.id,
                prompt: entry.prompt.clone(),
                echo: entry.echo.clone(),
                before,
            }));
        }
        // The second client's write may have woken the first.
        self.deliver_wakeup();
    }

    /// The protocol the console prints replies as arriving over (see [`Lab::resp3`]).
    fn protocol(&self) -> Protocol {
        if self.resp3.get_untracked() {
            Protocol::Resp3
        } else {
            Protocol::Resp2
        }
    }

    /// Runs `line` on the page's engine; with the console's client's deadline if it blocked.
    fn run_on_page(&self, line: &str, protocol: Protocol) -> (Output, Option<i64>) {
        self.sync_clock();
        // While the console's client waits, a second client types; it does not wait itself (who
        // would wake it?): its blocking command waits out its timeout at once, as in redis-sim.
        let client = self.page_client_untracked();
        let wait = if client == CONSOLE_CLIENT {
            Wait::Blocked
        } else {
            Wait::Alone
        };
        let Some((output, touched, deadline)) = self.engine.try_update_value(|engine| {
            let output = eval_line_with(engine, client, line.as_bytes(), protocol, wait);
            let deadline = engine.block_deadline(CONSOLE_CLIENT);
            (output, engine.touched().to_vec(), deadline)
        }) else {
            return (
                Output {
                    kind: Kind::Invalid,
                    lines: Vec::new(),
                    waited_ms: 0,
                },
                None,
            );
        };
        // A waiting line's earlier repeats may have written.
        if matches!(output.kind, Kind::Reply | Kind::Error | Kind::Waiting) {
            self.touched.set(touched);
            self.revision.update(|r| *r = r.wrapping_add(1));
        }
        (output, deadline)
    }

    fn page_client_untracked(&self) -> ClientId {
        untrack(|| self.page_client())
    }

    /// Runs `line` on lab `id`'s engine as one more client of it. A blocking command there
    /// waits out its timeout at once (the lab's clients do not write for it).
    fn run_on_lab(&self, id: LabId, line: &str, protocol: Protocol) -> Output {
        let refused = |text: String| Output {
            kind: Kind::Invalid,
            lines: vec![text.into_bytes()],
            waited_ms: 0,
        };
        let Some(handle) = self.handle(id) else {
            return refused(format!("The {} is not on this page.", id.server_name()));
        };
        let ran = handle.with_console_engine(|engine| {
            let output = eval_line_with(
                engine,
                LAB_CONSOLE_CLIENT,
                line.as_bytes(),
                protocol,
                Wait::Alone,
            );
            (output, engine.touched().to_vec())
        });
        match ran {
            Ok((output, touched)) => {
                if matches!(output.kind, Kind::Reply | Kind::Error) {
                    handle.log_console(line, &output, touched);
                }
                output
            }
            Err(Unreachable::NotStarted) => refused(format!(
                "Could not connect to the {}: it is not running yet. Press its Start button, or \
                 go back to this page's server.",
                id.server_name()
            )),
            Err(Unreachable::Down { at_us }) => refused(format!(
                "Could not connect to the {}: its Redis crashed at {} s (the lab's table shows \
                 what a restart would bring back). Start the likes again for a new server.",
                id.server_name(),
                fixed((at_us / 1_000) as i64, 3)
            )),
        }
    }

    /// Adds `entry` to the transcript (the oldest scroll away); a handle to it.
    fn push_entry(&self, entry: Entry) -> Arc<Entry> {
        let entry = Arc::new(entry);
        self.transcript.update(|t| {
            if t.len() >= MAX_ENTRIES {
                t.drain(..=t.len() - MAX_ENTRIES);
            }
            t.push(Arc::clone(&entry));
        });
        entry
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
            note: false,
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

    /// The inspector's view of the keyspace of the server the console talks to, in the database
    /// the console has selected there. Reactive.
    pub fn keyspace(&self) -> KeyspaceView {
        match self.connected.get() {
            ServerId::Page => {
                self.revision.track();
                let client = self.page_client();
                self.engine
                    .try_with_value(|e| keyspace_view(e, e.selected_db(client)))
                    .unwrap_or_default()
            }
            ServerId::Lab(id) => self
                .handle(id)
                .and_then(|h| {
                    h.with_engine(|e| keyspace_view(e, e.selected_db(LAB_CONSOLE_CLIENT)))
                })
                .unwrap_or_default(),
        }
    }
}

/// The typed line as echoed: cut after [`MAX_ECHO_CHARS`] characters, with the full length.
pub fn echo(line: &str) -> String {
    match line.char_indices().nth(MAX_ECHO_CHARS) {
        Some((cut, _)) => format!("{}… ({} characters)", &line[..cut], line.chars().count()),
        None => line.to_owned(),
    }
}

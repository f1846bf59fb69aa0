//! A lab running on the page: the model (any [`scenarios::Lab`](crate::simulation::scenarios::Lab))
//! driven by the virtual clock, and the reactive state its panel renders — the command log, the
//! keys the latest commands wrote, a revision to recompute figures on.
//!
//! A lab's server has one clock, the page's virtual clock counted from the lab's start: its "Lab
//! time", the time its engine reads, and what the clock bar shows while the console is connected
//! to it. "Run to the end" therefore moves the virtual clock on to the lab's end rather than
//! letting the lab's time run ahead of it.

use std::any::Any;
use std::marker::PhantomData;

use leptos::prelude::*;

use crate::console::Output;
use crate::engine::{Engine, Limits};
use crate::simulation::scenarios::{Lab, LabId, EPOCH_MS};
use crate::simulation::{Executed, Request};
use crate::ui::clock::VirtualClock;
use crate::ui::lab::Lab as Console;
use crate::ui::server::ServerId;

/// The command log keeps this many lines.
pub const LOG_LINES: usize = 40;

/// A lab behind a trait object, which its panel's [`TypedLab`] turns back into its own type.
pub trait AnyLab: Lab {
    /// The lab, to downcast.
    fn as_any(&self) -> &dyn Any;
    /// The lab, to downcast mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

impl<T: Lab + Any> AnyLab for T {
    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// One line of a lab's command log.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    /// Unique, increasing: the key of the log's `<For>`.
    pub id: u64,
    /// When the server executed it, in lab seconds (`12.345 s`).
    pub at: String,
    /// Who sent it (`client 17`, `flush job`, `user 123`).
    pub who: String,
    /// The command as typed.
    pub command: String,
    /// True for a Redis command the console can run (not SQL, not a dropped connection).
    pub runnable: bool,
    /// The reply as redis-cli prints it (on one line).
    pub reply: String,
}

/// Names a lab's clients in its log.
pub type WhoFn = fn(usize) -> String;

/// Why the console could not reach a lab's server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unreachable {
    /// The lab has not been started: no server runs yet.
    NotStarted,
    /// The lab's Redis crashed (the durability lab), at this lab time in µs.
    Down {
        /// When it crashed.
        at_us: u64,
    },
}

/// A lab on the page, whatever its type: what the parts every panel shares take (the head, the
/// controls, the log, the keyspace). `Copy`: every field is an arena handle. A panel holds it as
/// a [`TypedLab`], which starts and reads its own type of lab.
// Size: the lab behind `dyn AnyLab` keeps this handle and the shared parts non-generic, one copy
// in the wasm for the six labs; a generic `LabHandle<L>` costs +11.9 KB gzip (measured, issue 17).
#[derive(Clone, Copy)]
pub struct LabHandle {
    /// Which lab.
    pub id: LabId,
    lab: StoredValue<Option<Box<dyn AnyLab>>, LocalStorage>,
    /// The virtual clock's reading (ms) at the lab's time 0.
    origin_ms: RwSignal<i64>,
    who: StoredValue<WhoFn>,
    next_id: StoredValue<u64>,
    clock: VirtualClock,
    /// The page's console, told when this lab's server restarts under it.
    console: Option<Console>,
    /// Bumped whenever the lab moved: figures recompute on it.
    pub revision: RwSignal<u64>,
    /// The newest [`LOG_LINES`] commands, oldest first.
    pub log: RwSignal<Vec<LogLine>>,
    /// Keys the latest batch of commands wrote (highlighted in the lab's keyspace).
    pub touched: RwSignal<Vec<Vec<u8>>>,
    /// True once a lab was started.
    pub started: RwSignal<bool>,
}

impl LabHandle {
    /// An empty handle for lab `id` on the [`VirtualClock`] in context, registered with the page's
    /// console (when there is one) as a server it can connect to; `who` names clients in the log.
    fn new(id: LabId, who: WhoFn) -> LabHandle {
        let console = use_context::<Console>();
        let handle = LabHandle {
            id,
            lab: StoredValue::new_local(None),
            origin_ms: RwSignal::new(0),
            who: StoredValue::new(who),
            next_id: StoredValue::new(0),
            clock: expect_context::<VirtualClock>(),
            console,
            revision: RwSignal::new(0),
            log: RwSignal::new(Vec::new()),
            touched: RwSignal::new(Vec::new()),
            started: RwSignal::new(false),
        };
        if let Some(console) = console {
            console.register(handle);
        }
        handle
    }

    /// Starts `lab` now: its time 0 is the clock's present reading; the clock is set running.
    fn start(&self, mut lab: Box<dyn AnyLab>) {
        // The console may type anything into this engine: give it the page engine's memory guard
        // (the simulations themselves never come near it).
        lab.engine_mut().set_limits(Limits::default());
        let restarted = self.started.get_untracked();
        self.lab.set_value(Some(lab));
        self.origin_ms.set(self.clock.elapsed_ms.get_untracked());
        self.log.set(Vec::new());
        self.touched.set(Vec::new());
        self.started.set(true);
        self.clock.running.set(true);
        self.bump();
        let server = ServerId::Lab(self.id);
        if let Some(console) = self.console.filter(|c| c.is_connected_to(server)) {
            let what = if restarted { "restarted" } else { "started" };
            console.note(format!(
                "The {} {what}: its server is new, its keyspace starts over and its clock at 0.",
                self.id.server_name()
            ));
        }
    }

    /// The virtual clock's reading (ms) at the lab's time 0, reactive.
    pub fn origin_ms(&self) -> i64 {
        self.origin_ms.get()
    }

    /// The lab's time in ms — the virtual clock since the lab started (0 before) — reactive on
    /// the clock.
    pub fn lab_time_ms(&self) -> i64 {
        if !self.started.get() {
            return 0;
        }
        self.clock
            .elapsed_ms
            .get()
            .saturating_sub(self.origin_ms.get())
            .max(0)
    }

    /// The lab's time (µs) the clock's reading `elapsed_ms` stands for.
    fn lab_time_us(&self, elapsed_ms: i64) -> u64 {
        let ms = elapsed_ms
            .saturating_sub(self.origin_ms.get_untracked())
            .max(0);
        (ms as u64).saturating_mul(1_000)
    }

    /// Runs the lab up to the clock's reading `elapsed_ms` and logs what it executed; its
    /// engine's clock then reads that time, even once the lab's clients are done.
    pub fn advance(&self, elapsed_ms: i64) {
        let target = self.lab_time_us(elapsed_ms);
        self.drive(|lab| {
            lab.run_until(target);
            let now = EPOCH_MS.saturating_add((target / 1_000) as i64);
            let engine = lab.engine_mut();
            if engine.now_ms() < now {
                engine.set_now_ms(now);
            }
        });
    }

    /// Runs the lab to its end at once (the instant result, for reduced motion or impatience),
    /// then moves the virtual clock on to the lab's end: the lab's clock stays the virtual clock
    /// counted from its start, and every other server on the page sees the same time pass.
    pub fn finish(&self) {
        self.drive(|lab| {
            // Step by virtual minutes so that labs with periodic work keep their rhythm.
            while let Some(next) = lab.next_event_us() {
                lab.run_until(next.saturating_add(60_000_000));
            }
        });
        let end_ms = self
            .lab
            .try_with_value(|slot| slot.as_ref().map(|lab| lab.now_us().div_ceil(1_000)))
            .flatten()
            .unwrap_or(0);
        let now_ms = self
            .clock
            .elapsed_ms
            .get_untracked()
            .saturating_sub(self.origin_ms.get_untracked());
        self.clock.advance(
            i64::try_from(end_ms)
                .unwrap_or(i64::MAX)
                .saturating_sub(now_ms),
        );
    }

    /// True once the lab's clients are all done (or its Redis crashed), tracking
    /// [`LabHandle::revision`].
    pub fn is_finished(&self) -> bool {
        self.revision.track();
        self.lab
            .try_with_value(|slot| slot.as_ref().map(|lab| lab.is_finished()))
            .flatten()
            .unwrap_or(false)
    }

    /// Runs `f` on the lab's engine for the console: the lab first runs up to the present, and
    /// the engine's clock reads the lab's time, as for the lab's own clients. Bumps
    /// [`LabHandle::revision`] (the command may have changed what the lab shows).
    pub fn with_console_engine<R>(
        &self,
        f: impl FnOnce(&mut Engine) -> R,
    ) -> Result<R, Unreachable> {
        self.advance(self.clock.elapsed_ms.get_untracked());
        let out = self
            .lab
            .try_update_value(|slot| {
                let lab = slot.as_mut().ok_or(Unreachable::NotStarted)?;
                if lab.is_down() {
                    return Err(Unreachable::Down {
                        at_us: lab.now_us(),
                    });
                }
                Ok(f(lab.engine_mut()))
            })
            .unwrap_or(Err(Unreachable::NotStarted));
        if out.is_ok() {
            self.bump();
        }
        out
    }

    /// Adds a line the console sent to the command log, at the lab's present time, and
    /// highlights the keys it wrote.
    pub fn log_console(&self, command: &str, output: &Output, touched: Vec<Vec<u8>>) {
        let lines = output.text_lines();
        let reply = match lines.as_slice() {
            [] => String::new(),
            [one] => one.clone(),
            [first, rest @ ..] => format!("{first} … ({} more lines)", rest.len()),
        };
        let ms = self
            .clock
            .elapsed_ms
            .get_untracked()
            .saturating_sub(self.origin_ms.get_untracked())
            .max(0);
        let id = self.next_id.get_value();
        self.next_id.set_value(id + 1);
        self.log.update(|log| {
            log.push(LogLine {
                id,
                at: format!("{} s", super::fixed(ms, 3)),
                who: "console".to_owned(),
                command: command.to_owned(),
                runnable: true,
                reply,
            });
            let excess = log.len().saturating_sub(LOG_LINES);
            log.drain(..excess);
        });
        self.touched.set(touched);
    }

    /// Applies `f` to the lab (if any), then takes its journal into the log.
    fn drive(&self, f: impl FnOnce(&mut dyn AnyLab)) {
        let who = self.who.get_value();
        let Some(Some((lines, touched))) = self.lab.try_update_value(|slot| {
            let lab = slot.as_mut()?;
            f(lab.as_mut());
            let journal = lab.take_journal();
            Some(log_lines(&journal, who))
        }) else {
            return;
        };
        if !lines.is_empty() {
            let first = self.next_id.get_value();
            self.next_id.set_value(first + lines.len() as u64);
            self.log.update(|log| {
                log.extend(lines.into_iter().enumerate().map(|(i, mut line)| {
                    line.id = first + i as u64;
                    line
                }));
                let excess = log.len().saturating_sub(LOG_LINES);
                log.drain(..excess);
            });
            self.touched.set(touched);
        }
        self.bump();
    }

    fn bump(&self) {
        self.revision.update(|r| *r = r.wrapping_add(1));
    }

    /// Calls `f` with the lab's engine, tracking [`LabHandle::revision`].
    pub fn with_engine<R>(&self, f: impl FnOnce(&crate::engine::Engine) -> R) -> Option<R> {
        self.revision.track();
        self.lab
            .try_with_value(|slot| slot.as_ref().map(|lab| f(lab.engine())))
            .flatten()
    }

    /// The lab's engine time (Unix ms) at the clock's present reading, reactive on the clock.
    pub fn engine_now_ms(&self) -> i64 {
        EPOCH_MS.saturating_add(self.lab_time_ms())
    }

    /// The lab's own time (µs), tracking [`LabHandle::revision`].
    pub fn now_us(&self) -> u64 {
        self.revision.track();
        self.lab
            .try_with_value(|slot| slot.as_ref().map(|lab| lab.now_us()))
            .flatten()
            .unwrap_or(0)
    }
}

/// A lab of type `L` on the page: its panel's handle. Only an `L` can be started through it, so
/// reading the lab back as an `L` ([`TypedLab::with`], [`query`](TypedLab::query),
/// [`update`](TypedLab::update)) never meets another type; their `None` means no lab runs yet.
/// The parts every panel shares take it as a [`LabHandle`] (`handle` converts with `into`).
pub struct TypedLab<L> {
    handle: LabHandle,
    lab: PhantomData<fn() -> L>,
}

impl<L> Clone for TypedLab<L> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<L> Copy for TypedLab<L> {}

impl<L> From<TypedLab<L>> for LabHandle {
    fn from(lab: TypedLab<L>) -> LabHandle {
        lab.handle
    }
}

impl<L: AnyLab + 'static> TypedLab<L> {
    /// An empty handle for lab `id` on the [`VirtualClock`] in context, registered with the
    /// page's console as a server it can connect to; `who` names clients in the log.
    pub fn new(id: LabId, who: WhoFn) -> TypedLab<L> {
        TypedLab {
            handle: LabHandle::new(id, who),
            lab: PhantomData,
        }
    }

    /// Starts `lab` now: its time 0 is the clock's present reading; the clock is set running.
    pub fn start(&self, lab: L) {
        self.handle.start(Box::new(lab));
    }

    /// True once a lab was started (tracked, as [`LabHandle::started`]).
    pub fn started(&self) -> bool {
        self.handle.started.get()
    }

    /// Calls `f` with the lab, tracking [`LabHandle::revision`]; `None` before the first start.
    pub fn with<R>(&self, f: impl FnOnce(&L) -> R) -> Option<R> {
        self.handle.revision.track();
        self.handle
            .lab
            .try_with_value(|slot| Some(f(downcast_ref(slot.as_deref()?)?)))
            .flatten()
    }

    /// Calls `f` with the lab, mutably, for a read-only question that needs `&mut` (a command run
    /// on its engine), tracking [`LabHandle::revision`] and changing nothing else.
    pub fn query<R>(&self, f: impl FnOnce(&mut L) -> R) -> Option<R> {
        self.handle.revision.track();
        self.handle
            .lab
            .try_update_value(|slot| Some(f(downcast_mut(slot.as_deref_mut()?)?)))
            .flatten()
    }

    /// Calls `f` with the lab, mutably (to change it while it runs), then logs and re-renders.
    pub fn update<R>(&self, f: impl FnOnce(&mut L) -> R) -> Option<R> {
        let out = self
            .handle
            .lab
            .try_update_value(|slot| Some(f(downcast_mut(slot.as_deref_mut()?)?)))
            .flatten();
        self.handle.drive(|_| {});
        out
    }
}

/// `lab` as an `L`. Only [`TypedLab<L>`] starts labs, and only `L`s, so this cannot fail; if it
/// ever did, a debug build (the tests) stops here rather than showing an empty panel.
fn downcast_ref<L: 'static>(lab: &dyn AnyLab) -> Option<&L> {
    let lab = lab.as_any().downcast_ref::<L>();
    debug_assert!(
        lab.is_some(),
        "a lab panel's handle holds another type of lab"
    );
    lab
}

/// [`downcast_ref`], mutably.
fn downcast_mut<L: 'static>(lab: &mut dyn AnyLab) -> Option<&mut L> {
    let lab = lab.as_any_mut().downcast_mut::<L>();
    debug_assert!(
        lab.is_some(),
        "a lab panel's handle holds another type of lab"
    );
    lab
}

/// The log lines of the newest [`LOG_LINES`] journal entries, and the keys written by them.
fn log_lines(journal: &[Executed], who: WhoFn) -> (Vec<LogLine>, Vec<Vec<u8>>) {
    let tail = journal
        .get(journal.len().saturating_sub(LOG_LINES)..)
        .unwrap_or_default();
    let mut touched: Vec<Vec<u8>> = Vec::new();
    let lines = tail
        .iter()
        .map(|e| {
            let runnable = matches!(e.request, Request::Redis(_));
            if let (true, Request::Redis(c)) = (e.wrote, &e.request) {
                let key = c.text().split(' ').nth(1).map(|k| k.as_bytes().to_vec());
                if let Some(key) = key.filter(|k| !touched.contains(k)) {
                    touched.push(key);
                }
            }
            LogLine {
                id: 0,
                at: format!("{} s", super::fixed((e.time_us / 1_000) as i64, 3)),
                who: who(e.client),
                command: e.request.text(),
                runnable,
                reply: e.response.text(),
            }
        })
        .collect();
    (lines, touched)
}

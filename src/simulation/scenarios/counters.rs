//! Lab 5 — per-user counters: one string key per counter, or one hash per user.
//!
//! The same stream of events ("user 42 liked something") runs twice on the same schedule: once as
//! `INCR user:42:likes`, once as `HINCRBY user:42 likes 1`. Both are atomic; what differs is
//! memory. The [`memory`](super::memory) model prices each keyspace, and sweeps the number of
//! counters per user to show where the hash's saving stops: at the 513th field (or the first value
//! longer than 64 bytes) the hash turns into a hash table and costs about what separate keys do.
//!
//! Two caveats the "use hashes to save memory" advice leaves out: with one or two counters per
//! user a hash costs *more* than plain keys (its own header and listpack outweigh the shared key
//! name), and a hash field cannot have its own TTL in Redis 7.0 (`HEXPIRE` came with 7.4), so
//! counters that must expire separately cannot share a hash.

use std::rc::Rc;

use super::memory::{field_name, Estimate, Layout, MemoryModel};
use super::{redis, text, Driver, Lab, EPOCH_MS, SECOND_US};
use crate::engine::{Engine, Value};
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CountersConfig {
    /// Users.
    pub users: u32,
    /// Counters per user (`likes`, `views`, …).
    pub counters: u32,
    /// Events (increments), spread at random over the run.
    pub events: usize,
    /// How long the run lasts, in seconds.
    pub seconds: u32,
    /// The layout whose commands the page shows.
    pub shown: Layout,
    /// The memory model.
    pub model: MemoryModel,
    /// The seed.
    pub seed: u64,
}

impl Default for CountersConfig {
    /// 200 users with 4 counters each, 4,000 events over 20 s, Redis 7.0 as built from source.
    fn default() -> Self {
        CountersConfig {
            users: 200,
            counters: 4,
            events: 4_000,
            seconds: 20,
            shown: Layout::Hash,
            model: MemoryModel::REDIS_7_0,
            seed: 1,
        }
    }
}

/// One event: an increment of one user's counter.
#[derive(Clone, Debug)]
pub struct Event {
    layout: Layout,
    users: u32,
    fields: Rc<[Rc<str>]>,
    /// The (user, counter index) chosen.
    pub target: Option<(u32, usize)>,
}

impl Program for Event {
    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        let user = ctx.rng.below(u64::from(self.users.max(1))) as u32;
        let j = ctx.rng.below(self.fields.len() as u64) as usize;
        self.target = Some((user, j));
        let Some(field) = self.fields.get(j) else {
            return Step::Done(Finish::Acknowledged);
        };
        let request = match self.layout {
            Layout::Strings => redis(vec![
                Arg::Word("INCR"),
                text(&format!("user:{user}:{field}")),
            ]),
            Layout::Hash => redis(vec![
                Arg::Word("HINCRBY"),
                text(&format!("user:{user}")),
                Arg::Text(field.clone()),
                Arg::Int(1),
            ]),
        };
        Step::Send {
            think_us: 0,
            batch: Batch::one(request, 0),
        }
    }

    fn next(&mut self, _replies: &[Response], _ctx: &mut Ctx<'_>) -> Step {
        Step::Done(Finish::Acknowledged)
    }
}

/// The lab's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CountersOutcome {
    /// The string-key layout's keyspace, priced.
    pub strings: Estimate,
    /// The hash layout's keyspace, priced.
    pub hash: Estimate,
}

/// Lab 5, running: the two layouts side by side.
pub struct CountersLab {
    config: CountersConfig,
    strings: Driver<Event>,
    hash: Driver<Event>,
}

impl CountersLab {
    /// A run of `config`.
    pub fn new(config: CountersConfig) -> CountersLab {
        let fields: Rc<[Rc<str>]> = (0..config.counters.max(1) as usize)
            .map(|j| Rc::from(field_name(j)))
            .collect();
        let build = |layout: Layout| {
            let sim = SimBuilder::new()
                .clients(config.events)
                .seed(config.seed)
                .arrival_window_us(u64::from(config.seconds) * SECOND_US)
                .epoch_ms(EPOCH_MS)
                .journal(layout == config.shown)
                .build(Programs::new(|_| Event {
                    layout,
                    users: config.users,
                    fields: fields.clone(),
                    target: None,
                }));
            Driver::new(sim)
        };
        CountersLab {
            strings: build(Layout::Strings),
            hash: build(Layout::Hash),
            config,
        }
    }

    /// Runs to the end and returns the figures.
    pub fn run(&mut self) -> CountersOutcome {
        self.run_until(u64::MAX);
        self.outcome()
    }

    /// Both keyspaces, priced by the model.
    pub fn outcome(&self) -> CountersOutcome {
        CountersOutcome {
            strings: self.config.model.keyspace(self.strings.sim.engine().db()),
            hash: self.config.model.keyspace(self.hash.sim.engine().db()),
        }
    }

    /// The engine of `layout`.
    pub fn engine_of(&self, layout: Layout) -> &Engine {
        match layout {
            Layout::Strings => self.strings.sim.engine(),
            Layout::Hash => self.hash.sim.engine(),
        }
    }

    fn shown(&self) -> &Driver<Event> {
        match self.config.shown {
            Layout::Strings => &self.strings,
            Layout::Hash => &self.hash,
        }
    }
}

impl Lab for CountersLab {
    fn engine(&self) -> &Engine {
        self.shown().sim.engine()
    }

    fn engine_mut(&mut self) -> &mut Engine {
        match self.config.shown {
            Layout::Strings => self.strings.sim.engine_mut(),
            Layout::Hash => self.hash.sim.engine_mut(),
        }
    }

    fn now_us(&self) -> u64 {
        self.shown().sim.now_us()
    }

    fn run_until(&mut self, t_us: u64) {
        self.strings.run_until(t_us, |_| {});
        self.hash.run_until(t_us, |_| {});
    }

    fn is_finished(&self) -> bool {
        self.strings.sim.is_finished() && self.hash.sim.is_finished()
    }

    fn take_journal(&mut self) -> Vec<Executed> {
        match self.config.shown {
            Layout::Strings => self.strings.take_journal(),
            Layout::Hash => self.hash.take_journal(),
        }
    }

    fn next_event_us(&self) -> Option<u64> {
        match (
            self.strings.sim.next_event_us(),
            self.hash.sim.next_event_us(),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

/// Adds fields one by one with `HINCRBY user:big <field> 1` on a fresh engine, up to `max_fields`,
/// and returns the number of fields at which the engine's hash stopped being a listpack (None if it
/// never did). The engine follows Redis: 513 with the default limit of 512.
pub fn conversion_point(max_fields: usize) -> Option<usize> {
    let mut engine = Engine::new(EPOCH_MS);
    for j in 0..max_fields {
        let field = field_name(j);
        engine.execute(1, &["HINCRBY", "user:big", field.as_str(), "1"]);
        if let Some(Value::Hash(h)) = engine.db().peek(b"user:big") {
            if !h.is_listpack() {
                return Some(j + 1);
            }
        }
    }
    None
}

//! Lab 7 — reward points: one `INCRBY key 50`, or `INCR key` called 50 times.
//!
//! A game grants user 42 a stream of rewards of N points each. The same rewards run twice on the
//! same schedule, with the same clients dying at the same moments:
//!
//! - [`Way::IncrLoop`]: each reward sends `INCR user:42:points` N times, each waiting for the
//!   previous reply: N round trips, N separate steps with other clients' commands in between.
//! - [`Way::IncrBy`]: each reward sends one `INCRBY user:42:points N`: one round trip, one atomic
//!   step.
//!
//! A share of the clients die mid-reward (the process is killed, its connection drops): at a
//! moment drawn uniformly among its commands, from "before the first was sent" to "after the last
//! was sent, before its reply came back". A dying INCR client leaves the reward half given (some
//! of its points added, and nobody knows how many); an INCRBY client's reward is all there or not
//! at all.
//!
//! Starting the balance at [`NEAR_MAX`], 7 below 2⁶³ − 1, shows overflow: Redis answers
//! `ERR increment or decrement would overflow` and leaves the value as it was
//! (`incrDecrCommand` in Redis 7.0's `t_string.c` checks before adding). INCRBY refuses the whole
//! reward; the INCR loop adds the 7 points left and is then refused, leaving the rewards whose
//! INCRs got in half given.

use std::rc::Rc;

use super::{peek_int, redis, text, Driver, Lab, EPOCH_MS};
use crate::engine::{Engine, Reply};
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Request, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// The balance's key.
pub const KEY: &str = "user:42:points";

/// A starting balance 7 below the largest 64-bit integer (9223372036854775807): the next
/// `INCRBY … 50` overflows.
pub const NEAR_MAX: i64 = 9_223_372_036_854_775_800;

/// How a client grants a reward.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Way {
    /// `INCR key`, N times, one round trip each.
    IncrLoop,
    /// One `INCRBY key N`.
    IncrBy,
}

impl Way {
    /// Both ways, in the order the page lists them.
    pub const ALL: [Way; 2] = [Way::IncrLoop, Way::IncrBy];

    /// A short stable name.
    pub fn slug(self) -> &'static str {
        match self {
            Way::IncrLoop => "incr-loop",
            Way::IncrBy => "incrby",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Way::IncrLoop => "INCR, once per point",
            Way::IncrBy => "one INCRBY per reward",
        }
    }
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PointsConfig {
    /// Rewards granted, one client each.
    pub rewards: usize,
    /// Points per reward.
    pub points: i64,
    /// Chance, in percent, that a client dies before its reward is done.
    pub die_percent: u32,
    /// The balance before the run.
    pub start: i64,
    /// The way whose commands the page shows (both always run).
    pub shown: Way,
    /// Clients arrive at random within this window, in ms.
    pub window_ms: u64,
    /// The seed.
    pub seed: u64,
}

impl Default for PointsConfig {
    /// 100 rewards of 50 points within 2 s, 10 % of the clients dying, from a balance of 0.
    fn default() -> Self {
        PointsConfig {
            rewards: 100,
            points: 50,
            die_percent: 10,
            start: 0,
            shown: Way::IncrLoop,
            window_ms: 2_000,
            seed: 1,
        }
    }
}

/// How a reward ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// Every point was added, and the client was told so.
    Whole,
    /// The client died before it was done.
    Died,
    /// Redis refused an increment (overflow); the client stopped there.
    Refused,
}

/// The requests every client sends unchanged, built once per run.
#[derive(Debug)]
struct Shared {
    step: Batch,
    step_then_die: Batch,
    die: Batch,
}

impl Shared {
    fn new(way: Way, points: i64) -> Shared {
        let command = match way {
            Way::IncrLoop => redis(vec![Arg::Word("INCR"), text(KEY)]),
            Way::IncrBy => redis(vec![Arg::Word("INCRBY"), text(KEY), Arg::Int(points)]),
        };
        Shared {
            step: Batch::one(command.clone(), 0),
            step_then_die: Batch::new(vec![command, Request::Disconnect], 0),
            die: Batch::one(Request::Disconnect, 0),
        }
    }
}

/// One client granting one reward.
#[derive(Clone, Debug)]
pub struct Granter {
    way: Way,
    points: i64,
    die_percent: u32,
    shared: Rc<Shared>,
    /// The client dies once this many of its commands were sent (0: before the first; all of
    /// them: after the last was sent, before its reply).
    death: Option<i64>,
    dying: bool,
    started_us: u64,
    /// Commands sent, one round trip each.
    pub sent: i64,
    /// Points the server added for this reward (what the server did, whether or not the client
    /// lived to hear it).
    pub given: i64,
    /// How the reward ended, once it has.
    pub result: Option<Grant>,
    /// From the client's start to its last reply, for a client that lived, in µs.
    pub took_us: Option<u64>,
}

impl Granter {
    /// Round trips a whole reward takes.
    fn steps(&self) -> i64 {
        match self.way {
            Way::IncrLoop => self.points,
            Way::IncrBy => 1,
        }
    }

    /// The increment one command adds.
    fn increment(&self) -> i64 {
        match self.way {
            Way::IncrLoop => 1,
            Way::IncrBy => self.points,
        }
    }

    fn end(&mut self, grant: Grant, now_us: u64) -> Step {
        self.result = Some(grant);
        if grant != Grant::Died {
            self.took_us = Some(now_us.saturating_sub(self.started_us));
        }
        Step::Done(Finish::Acknowledged)
    }

    /// The step after `self.sent` commands were answered.
    fn send_next(&mut self, now_us: u64) -> Step {
        let steps = self.steps();
        if self.death == Some(self.sent) && self.sent < steps {
            self.dying = true;
            return Step::Send {
                think_us: 0,
                batch: self.shared.die.clone(),
            };
        }
        if self.sent >= steps {
            return self.end(Grant::Whole, now_us);
        }
        self.sent += 1;
        let batch = if self.sent == steps && self.death == Some(steps) {
            self.dying = true;
            self.shared.step_then_die.clone()
        } else {
            self.shared.step.clone()
        };
        Step::Send { think_us: 0, batch }
    }
}

impl Program for Granter {
    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        self.started_us = ctx.now_us;
        // Two draws whatever the outcome, so that both ways' clients use their random streams
        // alike and the same clients die in both runs.
        let dies = ctx.rng.below(100) < u64::from(self.die_percent);
        let at = ctx.rng.between(0, self.steps().max(0) as u64) as i64;
        self.death = dies.then_some(at);
        self.send_next(ctx.now_us)
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        let refused = match replies.first() {
            Some(Response::Redis(Reply::Integer(_))) => {
                self.given += self.increment();
                false
            }
            Some(Response::Redis(_)) => true,
            _ => false,
        };
        if self.dying {
            return self.end(Grant::Died, ctx.now_us);
        }
        if refused {
            return self.end(Grant::Refused, ctx.now_us);
        }
        self.send_next(ctx.now_us)
    }
}

/// One way's figures.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WayOutcome {
    /// Rewards every point of which was added, acknowledged to the client.
    pub whole: i64,
    /// Clients that died before they were done.
    pub died: i64,
    /// Rewards left half given: some of their points added, not all.
    pub partial: i64,
    /// Points the half-given rewards added.
    pub partial_points: i64,
    /// Rewards Redis refused (overflow), whole or after some points.
    pub refused: i64,
    /// Round trips that carried a command.
    pub round_trips: i64,
    /// The average time of a reward whose client lived, from its start to its last reply, in µs.
    pub mean_reward_us: u64,
    /// The balance now.
    pub balance: i64,
    /// Points added in the run (the balance minus its start).
    pub added: i64,
    /// Points the acknowledged whole rewards account for.
    pub owed: i64,
    /// Logical time until the last reply, in µs.
    pub duration_us: u64,
    /// True when every client is done.
    pub finished: bool,
}

/// The lab's figures: both ways.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PointsOutcome {
    /// `INCR` once per point.
    pub incr_loop: WayOutcome,
    /// One `INCRBY` per reward.
    pub incrby: WayOutcome,
}

impl PointsOutcome {
    /// The figures of `way`.
    pub fn of(&self, way: Way) -> &WayOutcome {
        match way {
            Way::IncrLoop => &self.incr_loop,
            Way::IncrBy => &self.incrby,
        }
    }
}

/// Lab 7, running: the two ways side by side.
pub struct PointsLab {
    config: PointsConfig,
    incr_loop: Driver<Granter>,
    incrby: Driver<Granter>,
}

impl PointsLab {
    /// A run of `config`.
    pub fn new(config: PointsConfig) -> PointsLab {
        let points = config.points.max(1);
        let build = |way: Way| {
            let shared = Rc::new(Shared::new(way, points));
            let mut sim = SimBuilder::new()
                .clients(config.rewards)
                .seed(config.seed)
                .arrival_window_us(config.window_ms.saturating_mul(1_000))
                .epoch_ms(EPOCH_MS)
                .journal(way == config.shown)
                .build(Programs::new(|_| Granter {
                    way,
                    points,
                    die_percent: config.die_percent,
                    shared: shared.clone(),
                    death: None,
                    dying: false,
                    started_us: 0,
                    sent: 0,
                    given: 0,
                    result: None,
                    took_us: None,
                }));
            let start = config.start.to_string();
            sim.engine_mut().execute(0, &["SET", KEY, start.as_str()]);
            Driver::new(sim)
        };
        PointsLab {
            incr_loop: build(Way::IncrLoop),
            incrby: build(Way::IncrBy),
            config,
        }
    }

    /// The run's settings.
    pub fn config(&self) -> &PointsConfig {
        &self.config
    }

    /// Runs to the end and returns the figures.
    pub fn run(&mut self) -> PointsOutcome {
        self.run_until(u64::MAX);
        self.outcome()
    }

    /// The figures so far.
    pub fn outcome(&self) -> PointsOutcome {
        PointsOutcome {
            incr_loop: self.way_outcome(&self.incr_loop),
            incrby: self.way_outcome(&self.incrby),
        }
    }

    fn way_outcome(&self, driver: &Driver<Granter>) -> WayOutcome {
        let sim = &driver.sim;
        let points = self.config.points.max(1);
        let mut o = WayOutcome::default();
        let (mut lived, mut took) = (0u64, 0u64);
        for g in sim.programs() {
            o.round_trips += g.sent;
            match g.result {
                Some(Grant::Whole) => o.whole += 1,
                Some(Grant::Died) => o.died += 1,
                Some(Grant::Refused) => o.refused += 1,
                None => {}
            }
            if g.result.is_some() && g.given > 0 && g.given < points {
                o.partial += 1;
                o.partial_points += g.given;
            }
            if let Some(us) = g.took_us {
                lived += 1;
                took += us;
            }
        }
        o.mean_reward_us = took.checked_div(lived).unwrap_or(0);
        o.balance = peek_int(sim.engine(), KEY).unwrap_or(self.config.start);
        o.added = o.balance.saturating_sub(self.config.start);
        o.owed = o.whole.saturating_mul(points);
        let outcome = sim.outcome();
        o.duration_us = outcome.total_time_us;
        o.finished = outcome.finished;
        o
    }

    /// The engine of `way`.
    pub fn engine_of(&self, way: Way) -> &Engine {
        self.driver(way).sim.engine()
    }

    fn driver(&self, way: Way) -> &Driver<Granter> {
        match way {
            Way::IncrLoop => &self.incr_loop,
            Way::IncrBy => &self.incrby,
        }
    }
}

impl Lab for PointsLab {
    fn engine(&self) -> &Engine {
        self.driver(self.config.shown).sim.engine()
    }

    fn engine_mut(&mut self) -> &mut Engine {
        match self.config.shown {
            Way::IncrLoop => self.incr_loop.sim.engine_mut(),
            Way::IncrBy => self.incrby.sim.engine_mut(),
        }
    }

    fn now_us(&self) -> u64 {
        self.driver(self.config.shown).sim.now_us()
    }

    fn run_until(&mut self, t_us: u64) {
        self.incr_loop.run_until(t_us, |_| {});
        self.incrby.run_until(t_us, |_| {});
    }

    fn is_finished(&self) -> bool {
        self.incr_loop.sim.is_finished() && self.incrby.sim.is_finished()
    }

    fn take_journal(&mut self) -> Vec<Executed> {
        match self.config.shown {
            Way::IncrLoop => self.incr_loop.take_journal(),
            Way::IncrBy => self.incrby.take_journal(),
        }
    }

    fn next_event_us(&self) -> Option<u64> {
        match (
            self.incr_loop.sim.next_event_us(),
            self.incrby.sim.next_event_us(),
        ) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

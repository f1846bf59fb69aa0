//! One flood being watched: two simulations of the same clients on the same schedule, one per
//! strategy, kept at the same instant of simulated time, and advanced within a time budget so that
//! a frame never stalls the page.

use crate::simulation::{Outcome, Sim, SimBuilder, Strategy};

use super::params::FloodParams;

/// How many events run between two looks at the real clock.
const CHECK_EVERY: usize = 512;
/// The same when a side runs the Lua script: an EVAL costs real CPU in the Lua VM (about 4 µs
/// natively, several times that in the page), so 512 of them could overrun a frame's budget.
const CHECK_EVERY_SCRIPT: usize = 32;

/// The two runs of a flood.
pub struct FloodRun {
    /// The settings it was built from.
    pub params: FloodParams,
    /// One simulation per strategy of `params.kinds`, in that order.
    pub sims: [Sim<Strategy>; 2],
    /// Events between two looks at the real clock.
    check_every: usize,
}

/// The figures of one side, for the results table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideStats {
    /// The run's figures so far.
    pub outcome: Outcome,
    /// The counter as the server holds it now.
    pub counter: i64,
    /// Requests waiting in the server's event-loop queue.
    pub queue: usize,
    /// Simulated time, in µs.
    pub now_us: u64,
}

impl FloodRun {
    /// Builds both runs; nothing has happened yet.
    pub fn new(params: FloodParams) -> FloodRun {
        let build = |kind| {
            SimBuilder::new()
                .clients(params.clients)
                .seed(params.seed)
                .arrival_window_us(params.spread_ms.saturating_mul(1_000))
                .build(params.workload(kind))
        };
        let script = params.kinds.iter().any(|k| k.runs_script());
        let every = if script {
            CHECK_EVERY_SCRIPT
        } else {
            CHECK_EVERY
        };
        // A pipelined batch is up to 100 commands in one event: look at the clock as often per
        // command as for single commands.
        let batch = if (0..2).any(|i| params.workload(i).one_batch()) {
            params.likes.max(1) as usize
        } else {
            1
        };
        FloodRun {
            params,
            sims: [build(0), build(1)],
            check_every: (every / batch).max(1),
        }
    }

    /// True when both runs are over.
    pub fn is_finished(&self) -> bool {
        self.sims.iter().all(|s| s.is_finished())
    }

    /// The simulated time shown: the later of the two clocks.
    pub fn now_us(&self) -> u64 {
        self.sims.iter().map(|s| s.now_us()).max().unwrap_or(0)
    }

    /// Share of the work done, 0–1: likes counted or given up (a client that gives up counts all
    /// its likes), over the likes of every client.
    pub fn progress(&self) -> f64 {
        let total = self.params.total_likes().max(1) as f64;
        let likes = f64::from(self.params.likes);
        let one = |s: &Sim<Strategy>| {
            let o = s.outcome();
            if o.finished {
                1.0
            } else {
                ((o.expected.max(0) as f64 + o.gave_up as f64 * likes) / total).min(0.999)
            }
        };
        (one(&self.sims[0]) + one(&self.sims[1])) / 2.0
    }

    /// Advances both runs to simulated time `target_us`, stopping early once the real clock (`now`,
    /// in ms) passes `deadline_ms`. Both runs end at the same instant when time allows; returns that
    /// instant.
    pub fn advance_to(&mut self, target_us: u64, deadline_ms: f64, now: &impl Fn() -> f64) -> u64 {
        let mut reached = target_us;
        let check_every = self.check_every;
        for sim in self.sims.iter_mut() {
            if !run_before(sim, reached, check_every, deadline_ms, now) {
                reached = reached.min(sim.now_us());
            }
        }
        for sim in self.sims.iter_mut() {
            if sim.next_event_us().is_none_or(|t| t > reached) {
                sim.run_until(reached);
            }
        }
        reached
    }

    /// Advances both runs to the next event of either (the Step button).
    pub fn step(&mut self) {
        let next = self.sims.iter().filter_map(|s| s.next_event_us()).min();
        if let Some(t) = next {
            for sim in self.sims.iter_mut() {
                sim.run_until(t);
            }
        }
    }

    /// Runs both to the end, or until the real clock passes `deadline_ms`; true when finished.
    pub fn finish_some(&mut self, deadline_ms: f64, now: &impl Fn() -> f64) -> bool {
        let check_every = self.check_every;
        for sim in self.sims.iter_mut() {
            while !sim.is_finished() {
                sim.run_events(check_every);
                if now() > deadline_ms {
                    return false;
                }
            }
        }
        true
    }

    /// The figures of side `i` (0 or 1).
    pub fn stats(&self, i: usize) -> Option<SideStats> {
        let sim = self.sims.get(i)?;
        Some(SideStats {
            outcome: sim.outcome(),
            counter: sim.counter(),
            queue: sim.queue_len(),
            now_us: sim.now_us(),
        })
    }
}

/// Runs `sim`'s events up to `target_us`; false if the deadline cut it short.
fn run_before(
    sim: &mut Sim<Strategy>,
    target_us: u64,
    check_every: usize,
    deadline_ms: f64,
    now: &impl Fn() -> f64,
) -> bool {
    let mut n = 0usize;
    while sim.next_event_us().is_some_and(|t| t <= target_us) {
        sim.step();
        n += 1;
        if n.is_multiple_of(check_every) && now() > deadline_ms {
            return false;
        }
    }
    true
}

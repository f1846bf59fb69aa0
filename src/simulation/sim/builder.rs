//! How a run is set up: the network's [`Latency`], the whole [`Config`], the [`SimBuilder`] that
//! fills it in, and what the clients do ([`Workload`]).

use super::Sim;
use crate::simulation::program::{Likes, Program, Strategy, StrategyFactory, StrategyKind, Timing};
use crate::simulation::rng::Rng;

/// Network delay of one message, one way.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Latency {
    /// The usual one-way delay, in µs.
    pub one_way_us: u64,
    /// Up to this much is added at random, in µs.
    pub jitter_us: u64,
}

impl Latency {
    /// One message's delay, drawn from `rng`.
    #[inline(always)]
    pub(super) fn draw(self, rng: &mut Rng) -> u64 {
        self.one_way_us
            .saturating_add(rng.between(0, self.jitter_us))
    }
}

impl Default for Latency {
    /// A same-datacentre network: 250–750 µs one way.
    fn default() -> Self {
        Latency {
            one_way_us: 250,
            jitter_us: 500,
        }
    }
}

/// Everything that defines a run.
#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    /// Number of clients; each adds one like (or as many as a [`Likes`] workload says).
    pub clients: usize,
    /// The seed of every random draw.
    pub seed: u64,
    /// The counter's key (and the SQL row's column, in spirit).
    pub key: String,
    /// The counter's value before the run.
    pub initial: i64,
    /// The network.
    pub latency: Latency,
    /// Server time to execute one request, in µs.
    pub service_us: u64,
    /// Clients start at random instants within this window, in µs ("the same microsecond" is 0).
    pub arrival_window_us: u64,
    /// Client-side timing.
    pub timing: Timing,
    /// Keep at most this many trace events (0: none — large floods need no trace).
    pub trace_limit: usize,
    /// The engine's clock at time 0, in Unix ms.
    pub epoch_ms: i64,
    /// Keep a journal of every executed request (see [`Sim::take_journal`]).
    pub journal: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            clients: 2,
            seed: 1,
            key: "likes".to_owned(),
            initial: 0,
            latency: Latency::default(),
            service_us: 2,
            arrival_window_us: 1_000,
            timing: Timing::default(),
            trace_limit: 0,
            epoch_ms: 1_700_000_000_000,
            journal: false,
        }
    }
}

/// Builds a [`Sim`]; every setter is optional.
#[derive(Clone, Debug, Default)]
pub struct SimBuilder {
    config: Config,
}

impl SimBuilder {
    /// A builder with the default configuration (2 clients, seed 1).
    pub fn new() -> SimBuilder {
        SimBuilder::default()
    }

    /// Number of clients.
    pub fn clients(mut self, n: usize) -> Self {
        self.config.clients = n;
        self
    }

    /// The seed.
    pub fn seed(mut self, seed: u64) -> Self {
        self.config.seed = seed;
        self
    }

    /// The counter's key.
    pub fn key(mut self, key: &str) -> Self {
        self.config.key = key.to_owned();
        self
    }

    /// The counter's starting value.
    pub fn initial(mut self, initial: i64) -> Self {
        self.config.initial = initial;
        self
    }

    /// The network latency model.
    pub fn latency(mut self, latency: Latency) -> Self {
        self.config.latency = latency;
        self
    }

    /// Server time per request.
    pub fn service_us(mut self, us: u64) -> Self {
        self.config.service_us = us;
        self
    }

    /// The window in which clients start.
    pub fn arrival_window_us(mut self, us: u64) -> Self {
        self.config.arrival_window_us = us;
        self
    }

    /// Client-side timing.
    pub fn timing(mut self, timing: Timing) -> Self {
        self.config.timing = timing;
        self
    }

    /// How many trace events to keep.
    pub fn trace_limit(mut self, n: usize) -> Self {
        self.config.trace_limit = n;
        self
    }

    /// The engine's clock at time 0, in Unix ms.
    pub fn epoch_ms(mut self, epoch_ms: i64) -> Self {
        self.config.epoch_ms = epoch_ms;
        self
    }

    /// Whether to keep a journal of every executed request.
    pub fn journal(mut self, on: bool) -> Self {
        self.config.journal = on;
        self
    }

    /// The run: every client adds one like the race demo's way ([`StrategyKind`]), or runs a
    /// scenario's own program ([`Programs`]).
    ///
    /// ```
    /// use incr_lab::simulation::{Programs, SimBuilder, StrategyKind};
    /// # use incr_lab::simulation::{Ctx, Finish, Program, Response, Step};
    /// # struct Idle;
    /// # impl Program for Idle {
    /// #     fn start(&mut self, _: &mut Ctx) -> Step { Step::Done(Finish::Acknowledged) }
    /// #     fn next(&mut self, _: &[Response], _: &mut Ctx) -> Step { Step::Done(Finish::Acknowledged) }
    /// # }
    /// let race = SimBuilder::new().clients(10).build(StrategyKind::Atomic);
    /// let scenario = SimBuilder::new().clients(10).build(Programs::new(|_client| Idle));
    /// # let _ = (race, scenario);
    /// ```
    pub fn build<W: Workload>(self, workload: W) -> Sim<W::Program> {
        let counter = workload.counter();
        let programs = workload.programs(&self.config);
        Sim::new(self.config, counter, programs)
    }
}

/// What a run's clients do, and where the counter that [`Outcome`] reports on lives: the race
/// demo's strategies ([`StrategyKind`]) or a scenario's own programs ([`Programs`]).
pub trait Workload {
    /// Each client's program.
    type Program: Program;

    /// Where the counter lives, and whether the run creates it.
    fn counter(&self) -> Counter;

    /// Client *i*'s program, for every *i* in turn.
    fn programs(self, config: &Config) -> impl FnMut(usize) -> Self::Program + use<Self>;
}

impl Workload for StrategyKind {
    type Program = Strategy;

    /// The SQL row for the SQL strategies, else the Redis key, created holding [`Config::initial`].
    fn counter(&self) -> Counter {
        if self.is_sql() {
            Counter::SqlRow
        } else {
            Counter::RedisKey
        }
    }

    fn programs(self, config: &Config) -> impl FnMut(usize) -> Strategy + use<> {
        Likes::from(self).programs(config)
    }
}

impl Workload for Likes {
    type Program = Strategy;

    fn counter(&self) -> Counter {
        self.kind.counter()
    }

    fn programs(self, config: &Config) -> impl FnMut(usize) -> Strategy + use<> {
        let factory = StrategyFactory::with_likes(self, &config.key, config.timing);
        move |_| factory.client()
    }
}

/// A scenario's own programs (client *i* runs the closure's program for *i*) on an empty keyspace:
/// no counter key is created, and the programs (with any set-up done through
/// [`Sim::engine_mut`]) decide every key. The lost-update bookkeeping of [`Outcome`] still
/// watches [`Config::key`], so such programs usually send batches with [`Batch::likes`] 0 and
/// keep their own figures.
///
/// [`Batch::likes`]: super::Batch::likes
pub struct Programs<F>(F);

impl<F> Programs<F> {
    /// Client *i* runs `program(i)`.
    pub fn new<P: Program>(program: F) -> Programs<F>
    where
        F: FnMut(usize) -> P,
    {
        Programs(program)
    }
}

impl<P: Program, F: FnMut(usize) -> P> Workload for Programs<F> {
    type Program = P;

    fn counter(&self) -> Counter {
        Counter::Untouched
    }

    fn programs(self, _config: &Config) -> impl FnMut(usize) -> P + use<P, F> {
        self.0
    }
}

/// Where the counter that [`Outcome`] reports on lives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// The Redis key [`Config::key`], created with [`Config::initial`].
    RedisKey,
    /// The SQL row.
    SqlRow,
    /// The Redis key [`Config::key`], not created: the scenario sets up the keyspace.
    Untouched,
}

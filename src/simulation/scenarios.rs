//! The article's six scenarios, and the reward points of its quiz, as labs: each one a [`Sim`] of the scenario's own [`Program`]s
//! running real commands on the engine, plus the figures that make the lab's point.
//!
//! | lab | module | the point, and the caveat the article leaves out |
//! |---|---|---|
//! | likes counter | [`likes`] | INCR never loses a like; a write-behind job that flushes with GET then SET 0 does |
//! | flash sale | [`flash_sale`] | DECR sells exactly the stock; the stock goes negative (fix: compensate, or WATCH) |
//! | rate limiter | [`rate_limiter`] | a crash between INCR and EXPIRE leaves a key that never expires; the window edge lets 2× through |
//! | leaderboard | [`leaderboard`] | ZINCRBY ranks; ties are ordered by member name, not by who got there first |
//! | per-user counters | [`counters`] (model: [`memory`]) | a small hash saves memory, until it turns into a hash table |
//! | durability | [`durability`] | what survives a crash depends on `appendfsync`, and on what crashed |
//! | reward points | [`points`] | one INCRBY is one round trip and all-or-nothing; 50 INCRs leave half-given rewards; overflow is refused |
//!
//! [`summary`] is the article's "which command for which use" table, each row naming its lab.
//!
//! Every lab implements [`Lab`], which is all the web page needs to drive it on the virtual clock,
//! show its command log and its keyspace.
//!
//! [`Sim`]: super::Sim
//! [`Program`]: super::Program

/// The [`Lab`] methods that only ask the lab's one `driver` field, to put inside `impl Lab for …`;
/// `lab_reads_its_driver!(run_until)` forwards `run_until` too, for labs that watch nothing on the way.
macro_rules! lab_reads_its_driver {
    (run_until) => {
        fn run_until(&mut self, t_us: u64) {
            self.driver.run_until(t_us, |_| {});
        }
        $crate::simulation::scenarios::lab_reads_its_driver!();
    };
    () => {
        fn engine(&self) -> &Engine {
            self.driver.sim.engine()
        }

        fn engine_mut(&mut self) -> &mut Engine {
            self.driver.sim.engine_mut()
        }

        fn now_us(&self) -> u64 {
            self.driver.sim.now_us()
        }

        fn is_finished(&self) -> bool {
            self.driver.sim.is_finished()
        }

        fn take_journal(&mut self) -> Vec<Executed> {
            self.driver.take_journal()
        }

        fn next_event_us(&self) -> Option<u64> {
            self.driver.sim.next_event_us()
        }
    };
}
pub(crate) use lab_reads_its_driver;

pub mod counters;
pub mod durability;
pub mod flash_sale;
pub mod leaderboard;
pub mod likes;
pub mod memory;
pub mod points;
pub mod rate_limiter;
pub mod summary;

use std::rc::Rc;

use super::program::{Arg, Command, Request, Response};
use super::sim::{Executed, Sim};
use super::Program;
use crate::engine::{Engine, Reply};

/// The labs' clock at time 0: 2023-11-14 22:00:00 UTC, on the hour, so minute windows read `:00`,
/// `:01`, … from the start.
pub const EPOCH_MS: i64 = 1_699_999_200_000;

/// The client id labs use for their own read-only queries (a dashboard, the inspector's questions),
/// never one of the simulated clients' ids.
pub const DASHBOARD_CLIENT: crate::engine::ClientId = u64::MAX;

/// The client id of the page's console connected to a lab's server: its own connection (its own
/// MULTI, WATCH and SELECT), never a simulated client's id nor the dashboard's.
pub const CONSOLE_CLIENT: crate::engine::ClientId = u64::MAX - 1;

/// At most this many journal lines wait for the page to take them; older ones are dropped.
pub const JOURNAL_CAP: usize = 20_000;

/// The labs, for links between them (the summary table's rows open one).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LabId {
    /// Lab 1: likes and write-behind.
    Likes,
    /// Lab 2: the flash sale.
    FlashSale,
    /// Lab 3: the fixed-window rate limiter.
    RateLimiter,
    /// Lab 4: the leaderboard.
    Leaderboard,
    /// Lab 5: per-user counters and memory.
    Counters,
    /// Lab 6: durability.
    Durability,
    /// Lab 7: reward points, INCRBY against INCR called N times, and overflow.
    Points,
}

impl LabId {
    /// Every lab, in the article's order.
    pub const ALL: [LabId; 7] = [
        LabId::Likes,
        LabId::FlashSale,
        LabId::RateLimiter,
        LabId::Leaderboard,
        LabId::Counters,
        LabId::Durability,
        LabId::Points,
    ];

    /// A short stable name (for URLs and element ids).
    pub fn slug(self) -> &'static str {
        match self {
            LabId::Likes => "likes",
            LabId::FlashSale => "flash-sale",
            LabId::RateLimiter => "rate-limiter",
            LabId::Leaderboard => "leaderboard",
            LabId::Counters => "counters",
            LabId::Durability => "durability",
            LabId::Points => "points",
        }
    }

    /// The lab named by `slug`.
    pub fn from_slug(slug: &str) -> Option<LabId> {
        LabId::ALL.into_iter().find(|l| l.slug() == slug)
    }

    /// The lab's server as the console's prompt names it, in place of redis-cli's `host:port`
    /// (`rate-limit lab>`).
    pub fn server_name(self) -> &'static str {
        match self {
            LabId::Likes => "likes lab",
            LabId::FlashSale => "flash-sale lab",
            LabId::RateLimiter => "rate-limit lab",
            LabId::Leaderboard => "leaderboard lab",
            LabId::Counters => "counters lab",
            LabId::Durability => "durability lab",
            LabId::Points => "points lab",
        }
    }

    /// The lab's title.
    pub fn title(self) -> &'static str {
        match self {
            LabId::Likes => "Likes counter and write-behind",
            LabId::FlashSale => "Flash sale: 100 phones, 10,000 buyers",
            LabId::RateLimiter => "Rate limiter, fixed window",
            LabId::Leaderboard => "Leaderboard",
            LabId::Counters => "Per-user counters and memory",
            LabId::Durability => "Durability: what survives a crash",
            LabId::Points => "Reward points: one INCRBY or 50 INCRs",
        }
    }
}

/// What the web page needs of a lab: run it on the virtual clock, read its keyspace, take the
/// commands it executed for the log.
pub trait Lab {
    /// The engine the lab's clients talk to.
    fn engine(&self) -> &Engine;
    /// The same engine, for another client to talk to (the page's console, as
    /// [`CONSOLE_CLIENT`]) or to set its clock.
    fn engine_mut(&mut self) -> &mut Engine;
    /// True when the lab's Redis is not running (it crashed): nobody can connect to it.
    fn is_down(&self) -> bool {
        false
    }
    /// The lab's logical clock, in µs since it began.
    fn now_us(&self) -> u64;
    /// Runs every event up to `t_us`.
    fn run_until(&mut self, t_us: u64);
    /// True when nothing is left to happen.
    fn is_finished(&self) -> bool;
    /// The commands executed since the last call, oldest first (at most [`JOURNAL_CAP`]).
    fn take_journal(&mut self) -> Vec<Executed>;
    /// The time of the next event, if any (to skip idle stretches).
    fn next_event_us(&self) -> Option<u64>;
}

/// A sim plus the journal lines the page has not taken yet; labs look at each line once, as it
/// comes out of the sim, to keep their own figures.
pub(crate) struct Driver<P: Program> {
    pub sim: Sim<P>,
    pending: Vec<Executed>,
}

impl<P: Program> Driver<P> {
    pub fn new(sim: Sim<P>) -> Driver<P> {
        Driver {
            sim,
            pending: Vec::new(),
        }
    }

    /// Runs to `t_us` and hands each executed request to `observe`, then keeps it for the page.
    pub fn run_until(&mut self, t_us: u64, mut observe: impl FnMut(&Executed)) {
        self.sim.run_until(t_us);
        let fresh = self.sim.take_journal();
        for line in &fresh {
            observe(line);
        }
        self.pending.extend(fresh);
        if self.pending.len() > JOURNAL_CAP {
            let excess = self.pending.len() - JOURNAL_CAP;
            self.pending.drain(..excess);
        }
    }

    pub fn take_journal(&mut self) -> Vec<Executed> {
        std::mem::take(&mut self.pending)
    }
}

/// A key or other text chosen at run time.
pub(crate) fn text(s: &str) -> Arg {
    Arg::Text(Rc::from(s))
}

/// A Redis request from its arguments.
pub(crate) fn redis(args: Vec<Arg>) -> Request {
    Request::Redis(Command::new(args))
}

/// The integer in a reply: an integer reply, or a bulk string holding one. Nil and anything else:
/// `None`.
pub(crate) fn int_of(response: Option<&Response>) -> Option<i64> {
    match response {
        Some(Response::Redis(reply)) => int_of_reply(reply),
        _ => None,
    }
}

/// The integer in a Redis reply (see [`int_of`]).
pub(crate) fn int_of_reply(reply: &Reply) -> Option<i64> {
    match reply {
        Reply::Integer(n) => Some(*n),
        Reply::Bulk(b) => crate::engine::number::parse_i64(b),
        _ => None,
    }
}

/// The integer a string key holds now (without touching expiry or statistics).
pub(crate) fn peek_int(engine: &Engine, key: &str) -> Option<i64> {
    match engine.db().peek(key.as_bytes()) {
        Some(crate::engine::Value::Str(s)) => s.as_int(),
        _ => None,
    }
}

/// True when `line` is a Redis command whose first word is `name` (ASCII case ignored).
pub(crate) fn is_command(line: &Executed, name: &str) -> bool {
    match &line.request {
        Request::Redis(c) => {
            matches!(c.args().first(), Some(Arg::Word(w)) if w.eq_ignore_ascii_case(name))
        }
        _ => false,
    }
}

/// Microseconds in a second, for readability.
pub(crate) const SECOND_US: u64 = 1_000_000;

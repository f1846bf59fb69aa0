//! Lab 1 — the likes counter, and the write-behind job that moves the count to SQL.
//!
//! A flood of likers each send `INCR post:99:likes`. A periodic job moves the count into the SQL
//! row `posts(id = 99).likes` in one `UPDATE … SET likes = likes + n`, so the database takes one
//! write per period instead of one per like. How the job takes the count out of Redis decides
//! whether likes vanish:
//!
//! - [`Flush::GetThenSet`]: `GET`, write to SQL, wait for the commit, `SET post:99:likes 0`. Every
//!   like whose INCR runs between the GET and the SET is wiped by the SET: counted by Redis, then
//!   lost. (It resets only after the commit so that a failed commit loses nothing — and so it keeps
//!   the window open for a whole commit.)
//! - [`Flush::SetGet`]: `SET post:99:likes 0 GET` reads and resets in one command (Redis ≥ 6.2).
//! - [`Flush::GetDel`]: `GETDEL post:99:likes` reads and deletes in one command; the next INCR
//!   starts again from 0. (`GETSET`, the old way, is deprecated since 6.2.)
//!
//! The two atomic ways lose nothing while the job runs. Their own caveat: if the job dies after
//! taking the count and before the UPDATE commits, that batch is gone — the count left Redis but
//! never reached SQL.
//!
//! Model: the SQL row is the simulation's one-row model ([`crate::simulation::sql`]); the
//! database's commit time is a wait of [`LikesConfig::commit_us`] before the job's next command.

use std::rc::Rc;

use super::{int_of, is_command, peek_int, redis, text, Driver, Lab, EPOCH_MS, SECOND_US};
use crate::engine::Engine;
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Request, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};
use crate::simulation::sql::Statement;

/// The counter's key.
pub const KEY: &str = "post:99:likes";

/// How the write-behind job takes the count out of Redis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Flush {
    /// `GET`, UPDATE, then `SET key 0`: loses likes.
    GetThenSet,
    /// `SET key 0 GET`: atomic read-and-reset.
    SetGet,
    /// `GETDEL key`: atomic read-and-delete.
    GetDel,
}

impl Flush {
    /// Every way, in the order the page lists them.
    pub const ALL: [Flush; 3] = [Flush::GetThenSet, Flush::SetGet, Flush::GetDel];

    /// A short stable name.
    pub fn slug(self) -> &'static str {
        match self {
            Flush::GetThenSet => "get-then-set",
            Flush::SetGet => "set-get",
            Flush::GetDel => "getdel",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Flush::GetThenSet => "GET, UPDATE, then SET 0 (naive)",
            Flush::SetGet => "SET key 0 GET (atomic)",
            Flush::GetDel => "GETDEL (atomic)",
        }
    }

    /// The command that takes the count.
    fn take(self) -> Request {
        match self {
            Flush::GetThenSet => redis(vec![Arg::Word("GET"), text(KEY)]),
            Flush::SetGet => redis(vec![
                Arg::Word("SET"),
                text(KEY),
                Arg::Int(0),
                Arg::Word("GET"),
            ]),
            Flush::GetDel => redis(vec![Arg::Word("GETDEL"), text(KEY)]),
        }
    }
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikesConfig {
    /// Likes arriving per second (spread at random over the run).
    pub likes_per_s: u32,
    /// How long likes arrive, in seconds.
    pub seconds: u32,
    /// The job's period, in ms.
    pub flush_every_ms: u32,
    /// How the job takes the count.
    pub flush: Flush,
    /// How long the SQL database takes to commit an UPDATE, in µs.
    pub commit_us: u64,
    /// The seed.
    pub seed: u64,
}

impl Default for LikesConfig {
    /// 1,000 likes a second for 10 s, a flush every second, a 20 ms commit, the naive flush.
    fn default() -> Self {
        LikesConfig {
            likes_per_s: 1_000,
            seconds: 10,
            flush_every_ms: 1_000,
            flush: Flush::GetThenSet,
            commit_us: 20_000,
            seed: 1,
        }
    }
}

/// The most likes one run simulates (a bound on memory).
pub const MAX_LIKES: u64 = 1_000_000;

/// Where the job is in a flush.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for the next period.
    Idle,
    /// Sent the command that takes the count.
    Taking,
    /// Sent the UPDATE.
    Saving,
    /// Sent `SET key 0` (naive only).
    Resetting,
}

/// The write-behind job.
#[derive(Clone, Debug)]
pub struct Flusher {
    flush: Flush,
    every_us: u64,
    last_us: u64,
    commit_us: u64,
    next_us: u64,
    stage: Stage,
    taken: i64,
    /// Likes moved to SQL so far.
    pub moved: i64,
    /// Flushes done.
    pub flushes: u32,
    /// UPDATEs sent.
    pub updates: u32,
}

impl Flusher {
    fn after_flush(&mut self, now_us: u64) -> Step {
        self.flushes += 1;
        self.stage = Stage::Idle;
        if self.next_us >= self.last_us {
            return Step::Done(Finish::Acknowledged);
        }
        while self.next_us <= now_us {
            self.next_us += self.every_us;
        }
        Step::Wait {
            us: self.next_us - now_us,
        }
    }

    fn step(&mut self, replies: &[Response], now_us: u64) -> Step {
        match self.stage {
            Stage::Idle => {
                self.stage = Stage::Taking;
                send(0, self.flush.take())
            }
            Stage::Taking => {
                let n = int_of(replies.first()).unwrap_or(0);
                if n <= 0 {
                    return self.after_flush(now_us);
                }
                self.taken = n;
                self.stage = Stage::Saving;
                self.updates += 1;
                send(0, Request::Sql(Statement::Add(n)))
            }
            Stage::Saving => {
                self.moved += self.taken;
                if self.flush == Flush::GetThenSet {
                    self.stage = Stage::Resetting;
                    let reset = redis(vec![Arg::Word("SET"), text(KEY), Arg::Int(0)]);
                    return send(self.commit_us, reset);
                }
                self.after_flush(now_us)
            }
            Stage::Resetting => self.after_flush(now_us),
        }
    }
}

fn send(think_us: u64, request: Request) -> Step {
    Step::Send {
        think_us,
        batch: Batch::one(request, 0),
    }
}

/// A client of the lab: a liker, or the job.
#[derive(Clone, Debug)]
pub enum LikesClient {
    /// Sends one `INCR post:99:likes`.
    Liker {
        /// Told its like was counted.
        acked: bool,
        /// The INCR, shared by every liker.
        incr: Rc<Batch>,
    },
    /// The write-behind job.
    Flusher(Flusher),
}

impl Program for LikesClient {
    fn start_at(&self, drawn_us: u64) -> u64 {
        match self {
            LikesClient::Liker { .. } => drawn_us,
            LikesClient::Flusher(_) => 0,
        }
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        match self {
            LikesClient::Liker { incr, .. } => Step::Send {
                think_us: 0,
                batch: (**incr).clone(),
            },
            LikesClient::Flusher(f) => Step::Wait {
                us: f.next_us.saturating_sub(ctx.now_us),
            },
        }
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        match self {
            LikesClient::Liker { acked, .. } => {
                *acked = true;
                Step::Done(Finish::Acknowledged)
            }
            LikesClient::Flusher(f) => f.step(replies, ctx.now_us),
        }
    }
}

/// The lab's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LikesOutcome {
    /// INCRs Redis executed: likes that were counted at some point.
    pub counted: i64,
    /// Likes whose sender was told they were counted.
    pub acknowledged: i64,
    /// The SQL row's `likes`.
    pub in_sql: i64,
    /// What `post:99:likes` holds now (not yet flushed).
    pub in_redis: i64,
    /// Likes counted by Redis and then wiped by the job's `SET 0` (`counted − in_sql − in_redis`
    /// once the run is over).
    pub lost: i64,
    /// Flushes done.
    pub flushes: u32,
    /// UPDATEs the database received (one per non-empty flush, instead of one per like).
    pub sql_updates: u32,
    /// Redis commands and SQL statements sent.
    pub commands: u64,
}

/// Lab 1, running.
pub struct LikesLab {
    driver: Driver<LikesClient>,
    tally: Tally,
}

/// What the lab counts as commands execute.
#[derive(Debug, Default)]
struct Tally {
    naive: bool,
    counted: i64,
    /// INCRs executed while the naive job's GET…SET window was open.
    lost: i64,
    window_open: bool,
}

impl Tally {
    fn observe(&mut self, line: &Executed) {
        if line.client != 0 {
            if is_command(line, "INCR") {
                self.counted += 1;
                if self.window_open {
                    self.lost += 1;
                }
            }
            return;
        }
        if !self.naive {
            return;
        }
        if is_command(line, "GET") {
            self.window_open = true;
        } else if is_command(line, "SET") {
            self.window_open = false;
        }
    }
}

impl LikesLab {
    /// A run of `config`.
    pub fn new(config: LikesConfig) -> LikesLab {
        let likes = (u64::from(config.likes_per_s) * u64::from(config.seconds)).min(MAX_LIKES);
        let run_us = u64::from(config.seconds) * SECOND_US;
        let every_us = u64::from(config.flush_every_ms.max(1)) * 1_000;
        // The last flush comes a whole period after the last like, so the count drains.
        let periods = run_us / every_us + 2;
        let incr = Rc::new(Batch::one(redis(vec![Arg::Word("INCR"), text(KEY)]), 0));
        let flusher = Flusher {
            flush: config.flush,
            every_us,
            last_us: periods * every_us,
            commit_us: config.commit_us,
            next_us: every_us,
            stage: Stage::Idle,
            taken: 0,
            moved: 0,
            flushes: 0,
            updates: 0,
        };
        let sim = SimBuilder::new()
            .clients(likes as usize + 1)
            .seed(config.seed)
            .key(KEY)
            .arrival_window_us(run_us)
            .epoch_ms(EPOCH_MS)
            .journal(true)
            .build(Programs::new(|i| {
                if i == 0 {
                    LikesClient::Flusher(flusher.clone())
                } else {
                    LikesClient::Liker {
                        acked: false,
                        incr: incr.clone(),
                    }
                }
            }));
        LikesLab {
            tally: Tally {
                naive: config.flush == Flush::GetThenSet,
                ..Tally::default()
            },
            driver: Driver::new(sim),
        }
    }

    /// Runs to the end and returns the figures.
    pub fn run(&mut self) -> LikesOutcome {
        self.run_until(u64::MAX);
        self.outcome()
    }

    /// The figures so far.
    pub fn outcome(&self) -> LikesOutcome {
        let sim = &self.driver.sim;
        let (mut acknowledged, mut flushes, mut updates) = (0, 0, 0);
        for p in sim.programs() {
            match p {
                LikesClient::Liker { acked: true, .. } => acknowledged += 1,
                LikesClient::Liker { .. } => {}
                LikesClient::Flusher(f) => {
                    flushes = f.flushes;
                    updates = f.updates;
                }
            }
        }
        LikesOutcome {
            counted: self.tally.counted,
            acknowledged,
            in_sql: sim.row().likes,
            in_redis: peek_int(sim.engine(), KEY).unwrap_or(0),
            lost: self.tally.lost,
            flushes,
            sql_updates: updates,
            commands: sim.outcome().commands,
        }
    }
}

impl Lab for LikesLab {
    lab_reads_its_driver!();

    fn run_until(&mut self, t_us: u64) {
        let LikesLab { driver, tally, .. } = self;
        driver.run_until(t_us, |line| tally.observe(line));
    }
}

//! Lab 6 — durability: likes flow in, Redis crashes at a moment the learner picks, and each
//! persistence setting brings back what it had on disk.
//!
//! Redis keeps the data in memory; what survives a crash is what reached the disk. One run of
//! likes (`INCR post:99:likes`) is replayed against every setting at once, for two kinds of crash.
//!
//! # The model, stated
//!
//! - **AOF** (`appendonly yes`): every write command is appended to the AOF with `write(2)` before
//!   Redis answers the client — into the kernel's page cache, not yet the disk. `fsync(2)` moves it
//!   to the disk:
//!   - `appendfsync always`: fsync before the replies go out, so no acknowledged like is ever lost.
//!   - `appendfsync everysec` (that setting's default; the AOF itself is off by default): a background fsync whenever the clock's second has
//!     changed since the last one (`server.unixtime > server.aof_last_fsync` in `aof.c`). The disk
//!     is taken to be fast: fsync completes at once. (A disk slower than that makes Redis postpone
//!     writes for up to 2 s, so up to ~2 s could be lost; not modelled.)
//!   - `appendfsync no`: Redis never fsyncs; Linux writes dirty pages back when they are older than
//!     30 s (`vm.dirty_expire_centisecs = 3000`), on flusher wake-ups every 5 s
//!     (`vm.dirty_writeback_centisecs = 500`). Memory pressure can make it write sooner; the model
//!     takes the quiet machine, where up to ~35 s are at risk.
//! - **RDB** (`save N 1`, no AOF): Redis forks a snapshot when at least one key changed and more
//!   than N whole seconds passed since the last successful save (checked every 100 ms, as
//!   `serverCron` does at `hz 10`). The snapshot holds the data as of the fork and counts once the
//!   child has written, fsynced and renamed it ([`DurabilityConfig::bgsave_ms`] later). A crash loses
//!   everything after the last completed snapshot's fork.
//! - **Two kinds of crash.** When only the Redis *process* dies (killed, a segfault, the OOM
//!   killer), the kernel still holds what Redis wrote: on the model's fast disk the AOF loses
//!   nothing under any `appendfsync`. (On a slow disk, `everysec` keeps writes in Redis' own buffer
//!   for up to 2 s while an fsync runs — `flushAppendOnlyFile()` in `aof.c` — and a process crash
//!   loses those; not modelled.) When the *machine* loses power (or the kernel panics), the page cache is gone:
//!   only fsynced data survives. RDB loses the same either way.
//! - On restart Redis loads the AOF if it is on, else the RDB file. The lab replays the surviving
//!   INCRs into a fresh engine.
//! - **A replica and a failover.** Replication is asynchronous: the primary answers the client,
//!   then streams the write to its replica, which has it [`DurabilityConfig::replica_lag_ms`]
//!   later (a link or a replica that falls behind under load). When the primary dies and the
//!   replica is promoted, every write executed in the last `lag` before the crash is gone, though
//!   the primary had answered each of them. A client that runs `WAIT 1 <timeout>` after its INCR
//!   is told the like is safe only when the replica has acknowledged it, another `lag` later (the
//!   primary asks for the acknowledgment at once, `REPLCONF GETACK`, in `replication.c`): no write
//!   confirmed that way is lost with one replica, but the write still ran on the primary and is
//!   not undone when the confirmation does not come ([`Failover`]).

use std::rc::Rc;

use super::{is_command, redis, text, Driver, Lab, EPOCH_MS, SECOND_US};
use crate::engine::Engine;
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// The counter's key.
pub const KEY: &str = "post:99:likes";

/// Linux's `vm.dirty_expire_centisecs` default, in µs.
pub const DIRTY_EXPIRE_US: u64 = 30 * SECOND_US;
/// Linux's `vm.dirty_writeback_centisecs` default, in µs.
pub const WRITEBACK_EVERY_US: u64 = 5 * SECOND_US;
/// Redis' `serverCron` period at the default `hz 10`, in µs.
pub const CRON_US: u64 = 100_000;

/// `appendfsync`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Fsync {
    /// fsync before every reply.
    Always,
    /// fsync once a second, in the background.
    EverySec,
    /// Never fsync: the kernel decides.
    No,
}

/// A persistence setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Persistence {
    /// `appendonly yes` with this `appendfsync`.
    Aof(Fsync),
    /// `save <N> 1`, no AOF (N: [`DurabilityConfig::rdb_every_s`]).
    Rdb,
    /// Neither.
    Off,
}

impl Persistence {
    /// Every setting, in the order the page lists them.
    pub const ALL: [Persistence; 5] = [
        Persistence::Aof(Fsync::Always),
        Persistence::Aof(Fsync::EverySec),
        Persistence::Aof(Fsync::No),
        Persistence::Rdb,
        Persistence::Off,
    ];

    /// A human label (`rdb_every_s` fills in the RDB period).
    pub fn label(self, rdb_every_s: u32) -> String {
        match self {
            Persistence::Aof(Fsync::Always) => "AOF, appendfsync always".to_owned(),
            Persistence::Aof(Fsync::EverySec) => "AOF, appendfsync everysec".to_owned(),
            Persistence::Aof(Fsync::No) => "AOF, appendfsync no".to_owned(),
            Persistence::Rdb => format!("RDB, save {rdb_every_s} 1"),
            Persistence::Off => "no persistence".to_owned(),
        }
    }
}

/// What crashed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Crash {
    /// The Redis process died; the machine and its page cache lived on.
    Process,
    /// The machine lost power: the page cache is gone too.
    PowerLoss,
}

impl Crash {
    /// Both kinds.
    pub const ALL: [Crash; 2] = [Crash::Process, Crash::PowerLoss];

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Crash::Process => "Redis process killed",
            Crash::PowerLoss => "power loss",
        }
    }
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DurabilityConfig {
    /// Likes per second.
    pub likes_per_s: u32,
    /// How long likes flow, in seconds.
    pub seconds: u32,
    /// The RDB setting's period N (`save N 1`), in seconds.
    pub rdb_every_s: u32,
    /// How long a snapshot takes to write, fsync and rename, in ms.
    pub bgsave_ms: u32,
    /// How far the replica is behind the primary, in ms: it has every write executed that long
    /// before, and acknowledges one that long after receiving it.
    pub replica_lag_ms: u32,
    /// The seed.
    pub seed: u64,
}

impl Default for DurabilityConfig {
    /// 200 likes a second for 60 s; `save 10 1`; a 200 ms snapshot; a replica 100 ms behind.
    fn default() -> Self {
        DurabilityConfig {
            likes_per_s: 200,
            seconds: 60,
            rdb_every_s: 10,
            bgsave_ms: 200,
            replica_lag_ms: 100,
            seed: 1,
        }
    }
}

/// One liker.
#[derive(Clone, Debug)]
pub struct Liker {
    incr: Rc<Batch>,
    /// Told its like was counted.
    pub acked: bool,
}

impl Program for Liker {
    fn start(&mut self, _ctx: &mut Ctx<'_>) -> Step {
        Step::Send {
            think_us: 0,
            batch: (*self.incr).clone(),
        }
    }

    fn next(&mut self, _replies: &[Response], _ctx: &mut Ctx<'_>) -> Step {
        self.acked = true;
        Step::Done(Finish::Acknowledged)
    }
}

/// What one setting brings back after one kind of crash.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Survival {
    /// The setting.
    pub persistence: Persistence,
    /// What crashed.
    pub crash: Crash,
    /// Likes on disk: the counter after restart.
    pub survived: u64,
    /// Likes Redis had counted and the restart does not bring back.
    pub lost: u64,
    /// The newest moment whose writes are all on disk, in µs (None: nothing is).
    pub durable_until_us: Option<u64>,
}

/// A completed snapshot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Snapshot {
    /// When the child forked (the data is as of then), in µs.
    pub fork_us: u64,
    /// When the file was complete on disk, in µs.
    pub done_us: u64,
    /// Likes in it.
    pub likes: u64,
}

/// The replica promoted after the primary died.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Failover {
    /// Likes the primary had counted, and answered, at the crash.
    pub counted: u64,
    /// Likes the replica had received: the promoted primary's counter.
    pub on_replica: u64,
    /// Likes the primary had answered that the promoted replica never got.
    pub lost: u64,
    /// Likes that `WAIT 1` had confirmed (the replica acknowledged them) by the crash.
    pub confirmed_by_wait: u64,
    /// Of those, how many the promoted replica lacks: none, with one replica.
    pub confirmed_and_lost: u64,
}

/// Lab 6, running.
pub struct DurabilityLab {
    config: DurabilityConfig,
    driver: Driver<Liker>,
    /// When each INCR executed, in µs, in order.
    writes: Vec<u64>,
    crashed_at: Option<u64>,
}

impl DurabilityLab {
    /// A run of `config`.
    pub fn new(config: DurabilityConfig) -> DurabilityLab {
        let likes = (u64::from(config.likes_per_s) * u64::from(config.seconds))
            .min(super::likes::MAX_LIKES);
        let incr = Rc::new(Batch::one(redis(vec![Arg::Word("INCR"), text(KEY)]), 0));
        let sim = SimBuilder::new()
            .clients(likes as usize)
            .seed(config.seed)
            .key(KEY)
            .arrival_window_us(u64::from(config.seconds) * SECOND_US)
            .epoch_ms(EPOCH_MS)
            .journal(true)
            .build(Programs::new(|_| Liker {
                incr: incr.clone(),
                acked: false,
            }));
        DurabilityLab {
            config,
            driver: Driver::new(sim),
            writes: Vec::new(),
            crashed_at: None,
        }
    }

    /// Crashes Redis now: nothing more happens in this run.
    pub fn crash(&mut self) {
        if self.crashed_at.is_none() {
            self.crashed_at = Some(self.now_us());
        }
    }

    /// Runs to `t_us` and crashes there.
    pub fn crash_at(&mut self, t_us: u64) {
        self.run_until(t_us);
        self.crash();
    }

    /// When Redis crashed, if it has.
    pub fn crashed_at(&self) -> Option<u64> {
        self.crashed_at
    }

    /// Likes Redis counted (INCRs executed) so far.
    pub fn counted(&self) -> u64 {
        self.writes.len() as u64
    }

    /// Likes whose sender was told they counted.
    pub fn acknowledged(&self) -> u64 {
        self.driver
            .sim
            .programs()
            .iter()
            .filter(|l| l.acked)
            .count() as u64
    }

    /// INCRs executed strictly before `t_us`.
    pub fn writes_before(&self, t_us: u64) -> u64 {
        self.writes.partition_point(|&w| w < t_us) as u64
    }

    /// The snapshots `save N 1` completed by `until_us`.
    pub fn snapshots(&self, until_us: u64) -> Vec<Snapshot> {
        let every_s = u64::from(self.config.rdb_every_s);
        let bgsave_us = u64::from(self.config.bgsave_ms) * 1_000;
        let mut out = Vec::new();
        let mut lastsave_s = 0u64;
        let mut saved_likes = 0u64;
        let mut tick = CRON_US;
        while tick <= until_us {
            let dirty = self.writes_before(tick) > saved_likes;
            if dirty && tick / SECOND_US > lastsave_s + every_s {
                let done = tick + bgsave_us;
                if done > until_us {
                    break;
                }
                let likes = self.writes_before(tick);
                out.push(Snapshot {
                    fork_us: tick,
                    done_us: done,
                    likes,
                });
                saved_likes = likes;
                lastsave_s = done / SECOND_US;
                // The next check comes after the child has finished.
                tick = done.div_ceil(CRON_US) * CRON_US;
            }
            tick += CRON_US;
        }
        out
    }

    /// The newest moment all of whose writes are on disk at time `t_us`, for a setting and a kind
    /// of crash (None when nothing is).
    pub fn durable_until(&self, persistence: Persistence, crash: Crash, t_us: u64) -> Option<u64> {
        let whole_second = |t: u64| t / SECOND_US * SECOND_US;
        match (persistence, crash) {
            (Persistence::Off, _) => None,
            (Persistence::Aof(_), Crash::Process) | (Persistence::Aof(Fsync::Always), _) => {
                Some(t_us)
            }
            (Persistence::Aof(Fsync::EverySec), Crash::PowerLoss) => Some(whole_second(t_us)),
            (Persistence::Aof(Fsync::No), Crash::PowerLoss) => {
                let wakeup = t_us / WRITEBACK_EVERY_US * WRITEBACK_EVERY_US;
                wakeup.checked_sub(DIRTY_EXPIRE_US)
            }
            (Persistence::Rdb, _) => self.snapshots(t_us).last().map(|s| s.fork_us),
        }
    }

    /// What `persistence` brings back after a `crash` of the given kind at `t_us` (at most the
    /// time the run has reached).
    pub fn survival(&self, persistence: Persistence, crash: Crash, t_us: u64) -> Survival {
        let t_us = t_us.min(self.now_us());
        let counted = self.writes_before(t_us.saturating_add(1));
        let durable_until_us = self.durable_until(persistence, crash, t_us);
        let survived = match (persistence, durable_until_us) {
            (_, None) => 0,
            // Always and the process-crash cases: everything executed up to the crash.
            (_, Some(d)) if d == t_us => counted,
            (_, Some(d)) => self.writes_before(d),
        };
        Survival {
            persistence,
            crash,
            survived,
            lost: counted - survived,
            durable_until_us,
        }
    }

    /// Every setting against both kinds of crash, at the crash (or now, if Redis has not crashed).
    pub fn report(&self) -> Vec<Survival> {
        let t = self.crashed_at.unwrap_or(self.now_us());
        Persistence::ALL
            .iter()
            .flat_map(|&p| Crash::ALL.iter().map(move |&c| (p, c)))
            .map(|(p, c)| self.survival(p, c, t))
            .collect()
    }

    /// The replica promoted at the crash (or now): what it has, and what the primary had answered
    /// or `WAIT` had confirmed.
    pub fn failover(&self) -> Failover {
        let t = self.crashed_at.unwrap_or(self.now_us());
        let lag = u64::from(self.config.replica_lag_ms) * 1_000;
        let counted = self.writes_before(t.saturating_add(1));
        // Received by the replica: executed at least `lag` before the crash.
        let on_replica = match t.checked_sub(lag) {
            Some(by) => self.writes_before(by.saturating_add(1)),
            None => 0,
        };
        // Acknowledged by the replica, and so confirmed to WAIT: another `lag` earlier.
        let confirmed_by_wait = match t.checked_sub(2 * lag) {
            Some(by) => self.writes_before(by.saturating_add(1)),
            None => 0,
        };
        Failover {
            counted,
            on_replica,
            lost: counted - on_replica,
            confirmed_by_wait,
            confirmed_and_lost: confirmed_by_wait.saturating_sub(on_replica),
        }
    }

    /// The replica after it was promoted: a fresh engine holding the likes it had received.
    pub fn promoted_replica(&self) -> Engine {
        let t = self.crashed_at.unwrap_or(self.now_us());
        let mut engine = Engine::new(EPOCH_MS + (t / 1_000) as i64);
        for _ in 0..self.failover().on_replica {
            engine.execute(1, &["INCR", KEY]);
        }
        engine
    }

    /// Redis after restarting with `persistence` following a `crash`: a fresh engine that loaded
    /// the surviving likes (replays the surviving INCRs, as loading the AOF does).
    pub fn restart(&self, persistence: Persistence, crash: Crash) -> Engine {
        let t = self.crashed_at.unwrap_or(self.now_us());
        let survived = self.survival(persistence, crash, t).survived;
        let mut engine = Engine::new(EPOCH_MS + (t / 1_000) as i64);
        for _ in 0..survived {
            engine.execute(1, &["INCR", KEY]);
        }
        engine
    }
}

impl Lab for DurabilityLab {
    fn engine(&self) -> &Engine {
        self.driver.sim.engine()
    }

    fn engine_mut(&mut self) -> &mut Engine {
        self.driver.sim.engine_mut()
    }

    fn is_down(&self) -> bool {
        self.crashed_at.is_some()
    }

    fn now_us(&self) -> u64 {
        self.crashed_at.unwrap_or(self.driver.sim.now_us())
    }

    fn run_until(&mut self, t_us: u64) {
        if self.crashed_at.is_some() {
            return;
        }
        let DurabilityLab { driver, writes, .. } = self;
        driver.run_until(t_us, |line: &Executed| {
            if is_command(line, "INCR") {
                writes.push(line.time_us);
            }
        });
    }

    fn is_finished(&self) -> bool {
        self.crashed_at.is_some() || self.driver.sim.is_finished()
    }

    fn take_journal(&mut self) -> Vec<Executed> {
        self.driver.take_journal()
    }

    fn next_event_us(&self) -> Option<u64> {
        if self.crashed_at.is_some() {
            return None;
        }
        self.driver.sim.next_event_us()
    }
}

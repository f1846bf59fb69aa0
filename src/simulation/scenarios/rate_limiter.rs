//! Lab 3 — a fixed-window rate limiter: at most 100 requests per user per minute.
//!
//! Each request runs `INCR user:123:min:MM` (MM: the minute of the hour on the client's clock) and
//! is blocked when the reply is above the limit; the key gets `EXPIRE key 60` so old windows clean
//! themselves up. Callers send at rates the learner sets, on the virtual clock. Three ways
//! ([`Guard`]) to pair the INCR with its expiry:
//!
//! - [`Guard::IncrThenExpire`]: `INCR`, and when it answers 1 (a new window), `EXPIRE key 60` in a
//!   second round trip. Redis' INCR page ("Pattern: Rate limiter 2") points out the race: a client
//!   that dies between the two leaves a key with no TTL (`TTL` answers −1). Here the key's name
//!   comes back every hour, so an hour later the user starts that minute already over the limit:
//!   blocked for the whole minute, every hour, for ever.
//! - [`Guard::MultiExec`]: `MULTI` / `INCR` / `EXPIRE` / `EXEC` in one round trip. A client that
//!   dies before EXEC never commits anything: Redis drops the queued commands with the connection.
//! - [`Guard::SetNxIncr`]: `SET key 0 EX 60 NX` then `INCR`, pipelined. The key is born with its
//!   TTL, so a crash after the SET leaves a key that still expires. But the gap is only narrowed:
//!   when `SET … NX` finds the key and the key expires before the `INCR` runs, `INCR` creates it
//!   again with no TTL. Redis reads its clock afresh for each command outside `MULTI`/`EXEC` and
//!   scripts (`keyIsExpired()` in `db.c`). [`CallerProgram::stall_from`] shows it: on a request in
//!   the last second of a minute, the caller stalls [`STALL_US`] between the two (a pause of its
//!   process, a slow network), and the window's key is gone when its `INCR` arrives.
//! - [`Guard::LuaScript`]: one `EVAL` of [`RATE_SCRIPT`] (`INCR`, and `EXPIRE` when it answered 1),
//!   Redis' own INCR-page fix: the script runs whole or not at all, so no key is ever left without
//!   its TTL, in one round trip.
//!
//! The other caveat is the window's edge: a caller who sends 100 requests in the last second of a
//! minute and 100 in the first second of the next gets 200 through in two seconds — twice the
//! limit. [`RateLab::max_allowed_within`] measures it; sliding windows (a sorted set of timestamps)
//! avoid it at a higher cost.
//!
//! Redis' active expiry runs every 100 ms of virtual time (its default `hz 10`), as it would in
//! the server.

use std::rc::Rc;

use super::{int_of, int_of_reply, redis, Driver, Lab, EPOCH_MS, SECOND_US};
use crate::engine::{Engine, Reply, Value};
use crate::simulation::program::{Arg, Batch, Ctx, Finish, Program, Request, Response, Step};
use crate::simulation::sim::{Executed, Programs, SimBuilder};

/// The window's length, in seconds.
pub const WINDOW_S: u64 = 60;
/// How long a crashed caller takes to come back, in µs.
pub const RESTART_US: u64 = SECOND_US;
/// How long a stalled caller pauses between `SET … NX` and `INCR`, in µs: long enough that the
/// window's key, born in the first ~1.5 s of its minute, expires in between.
pub const STALL_US: u64 = 3 * SECOND_US;
/// The rate limiter's script: the INCR and, for a new window, its EXPIRE, atomically.
pub const RATE_SCRIPT: &str = "local n = redis.call('INCR', KEYS[1])\n\
if n == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end\nreturn n";
/// Redis' active expiry period (`hz 10`), in µs.
const EXPIRE_CYCLE_US: u64 = 100_000;

/// How the INCR is paired with its expiry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Guard {
    /// `INCR`, then `EXPIRE key 60` when it answered 1: two round trips.
    IncrThenExpire,
    /// `MULTI` / `INCR` / `EXPIRE` / `EXEC`: one atomic round trip.
    MultiExec,
    /// `SET key 0 EX 60 NX`, then `INCR`: the key is born with its TTL.
    SetNxIncr,
    /// One `EVAL` of a script that INCRs and EXPIREs atomically.
    LuaScript,
}

impl Guard {
    /// Every way, in the order the page lists them.
    pub const ALL: [Guard; 4] = [
        Guard::IncrThenExpire,
        Guard::MultiExec,
        Guard::SetNxIncr,
        Guard::LuaScript,
    ];

    /// A short stable name.
    pub fn slug(self) -> &'static str {
        match self {
            Guard::IncrThenExpire => "incr-then-expire",
            Guard::MultiExec => "multi-exec",
            Guard::SetNxIncr => "set-nx-incr",
            Guard::LuaScript => "lua-script",
        }
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            Guard::IncrThenExpire => "INCR, then EXPIRE (two round trips)",
            Guard::MultiExec => "MULTI / INCR / EXPIRE / EXEC",
            Guard::SetNxIncr => "SET key 0 EX 60 NX, then INCR",
            Guard::LuaScript => "Lua script: INCR and EXPIRE in one EVAL",
        }
    }
}

/// One caller: a user's client sending at a steady rate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller {
    /// The user id in the key (`user:<id>:min:MM`).
    pub user: u32,
    /// Requests per minute (0: idle).
    pub per_minute: u32,
    /// When it starts, in seconds.
    pub from_s: u64,
    /// When it stops, in seconds.
    pub until_s: u64,
    /// Crash once, on the first request of a new window at or after this second, right after that
    /// request's first command.
    pub crash_at_s: Option<u64>,
}

/// A run of the lab.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LimiterConfig {
    /// Requests allowed per user per window.
    pub limit: i64,
    /// How the INCR is paired with its expiry.
    pub guard: Guard,
    /// The callers.
    pub callers: Vec<Caller>,
    /// The seed.
    pub seed: u64,
}

impl Default for LimiterConfig {
    /// User 123 at 150 requests a minute and user 42 at 60, for three minutes; limit 100.
    fn default() -> Self {
        LimiterConfig {
            limit: 100,
            guard: Guard::IncrThenExpire,
            callers: vec![
                Caller {
                    user: 123,
                    per_minute: 150,
                    from_s: 0,
                    until_s: 180,
                    crash_at_s: None,
                },
                Caller {
                    user: 42,
                    per_minute: 60,
                    from_s: 0,
                    until_s: 180,
                    crash_at_s: None,
                },
            ],
            seed: 1,
        }
    }
}

/// What happened to one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Under the limit: served.
    Allowed,
    /// Over the limit: refused.
    Blocked,
    /// The caller crashed in the middle of it.
    Crashed,
}

/// One request of a caller.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Attempt {
    /// When it was sent, in µs.
    pub time_us: u64,
    /// The minute of the hour in its key.
    pub minute: u8,
    /// The counter's value after its INCR (0 when the INCR did not run).
    pub count: i64,
    /// What happened.
    pub verdict: Verdict,
}

/// Where a caller is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for its next request.
    Waiting,
    /// Sent INCR (two-trip way); `crash` says whether it dies before the EXPIRE.
    Incr { crash: bool },
    /// Sent the EXPIRE after an INCR that answered `count`.
    Expire { count: i64 },
    /// Sent the whole request in one batch.
    OneTrip,
    /// Sent its dying batch.
    Crashing { count: i64 },
    /// Sent `SET … NX` alone; it stalls before the `INCR`.
    SetBeforeStall,
    /// Stalled; the `INCR` goes when it wakes.
    Stalled,
}

/// A caller's program.
#[derive(Clone, Debug)]
pub struct CallerProgram {
    caller: Caller,
    guard: Guard,
    limit: i64,
    stage: Stage,
    key: Rc<str>,
    minute: u8,
    sent_us: u64,
    last_window: Option<i64>,
    crash_armed: bool,
    stall_at_us: Option<u64>,
    /// Every request so far, in order.
    pub attempts: Vec<Attempt>,
}

impl CallerProgram {
    fn new(caller: Caller, guard: Guard, limit: i64) -> CallerProgram {
        CallerProgram {
            crash_armed: caller.crash_at_s.is_some(),
            caller,
            guard,
            limit,
            stage: Stage::Waiting,
            key: Rc::from(""),
            minute: 0,
            sent_us: 0,
            last_window: None,
            stall_at_us: None,
            attempts: Vec::new(),
        }
    }

    /// The caller's settings.
    pub fn caller(&self) -> &Caller {
        &self.caller
    }

    /// Changes the rate; it applies from the next request.
    pub fn set_per_minute(&mut self, per_minute: u32) {
        self.caller.per_minute = per_minute;
    }

    /// Makes the caller crash on the first request of the next window from `at_s` on.
    pub fn crash_from(&mut self, at_s: u64) {
        self.caller.crash_at_s = Some(at_s);
        self.crash_armed = true;
    }

    /// Makes the caller stall once, from `at_s` on, on a request in the last second of a minute:
    /// with [`Guard::SetNxIncr`] it sends `SET … NX` alone, pauses [`STALL_US`], then sends the
    /// `INCR`. The other ways have no second command that a stall could delay (the two-trip way's
    /// `EXPIRE` comes only on a window's first request), so it changes nothing for them.
    pub fn stall_from(&mut self, at_s: u64) {
        self.stall_at_us = Some(at_s.saturating_mul(SECOND_US));
    }

    fn request(&mut self, ctx: &mut Ctx<'_>) -> Step {
        if ctx.now_us >= self.caller.until_s.saturating_mul(SECOND_US) {
            return Step::Done(Finish::Acknowledged);
        }
        if self.caller.per_minute == 0 {
            self.stage = Stage::Waiting;
            return Step::Wait { us: SECOND_US };
        }
        let now_ms = ctx.now_ms();
        let window = now_ms.div_euclid(WINDOW_S as i64 * 1_000);
        self.minute = (now_ms.div_euclid(60_000).rem_euclid(60)) as u8;
        self.key = Rc::from(format!("user:{}:min:{:02}", self.caller.user, self.minute));
        let crash_due = self
            .caller
            .crash_at_s
            .is_some_and(|at| ctx.now_us >= at.saturating_mul(SECOND_US));
        let crash = self.crash_armed && crash_due && self.last_window != Some(window);
        let stall = !crash
            && self.stall_at_us.is_some_and(|at| ctx.now_us >= at)
            && now_ms.rem_euclid(60_000) >= 59_000;
        if stall {
            self.stall_at_us = None;
        }
        self.last_window = Some(window);
        self.sent_us = ctx.now_us;
        let key = || Arg::Text(self.key.clone());
        let incr = redis(vec![Arg::Word("INCR"), key()]);
        let set_nx = redis(vec![
            Arg::Word("SET"),
            key(),
            Arg::Int(0),
            Arg::Word("EX"),
            Arg::Int(WINDOW_S as i64),
            Arg::Word("NX"),
        ]);
        let requests = match (self.guard, crash) {
            (Guard::IncrThenExpire, _) => {
                self.stage = Stage::Incr { crash };
                vec![incr]
            }
            (Guard::MultiExec, false) => {
                self.stage = Stage::OneTrip;
                vec![
                    Request::redis(&["MULTI"]),
                    incr,
                    self.expire(),
                    Request::redis(&["EXEC"]),
                ]
            }
            (Guard::MultiExec, true) => {
                self.stage = Stage::Crashing { count: 0 };
                vec![Request::redis(&["MULTI"]), incr, Request::Disconnect]
            }
            (Guard::SetNxIncr, false) if stall => {
                self.stage = Stage::SetBeforeStall;
                vec![set_nx]
            }
            (Guard::SetNxIncr, false) => {
                self.stage = Stage::OneTrip;
                vec![set_nx, incr]
            }
            (Guard::SetNxIncr, true) => {
                self.stage = Stage::Crashing { count: 0 };
                vec![set_nx, Request::Disconnect]
            }
            (Guard::LuaScript, crash) => {
                let eval = redis(vec![
                    Arg::Word("EVAL"),
                    Arg::Word(RATE_SCRIPT),
                    Arg::Int(1),
                    key(),
                    Arg::Int(WINDOW_S as i64),
                ]);
                if crash {
                    // The script ran whole before the connection died: nothing half done.
                    self.stage = Stage::Crashing { count: 0 };
                    vec![eval, Request::Disconnect]
                } else {
                    self.stage = Stage::OneTrip;
                    vec![eval]
                }
            }
        };
        Step::Send {
            think_us: 0,
            batch: Batch::new(requests, 0),
        }
    }

    fn expire(&self) -> Request {
        redis(vec![
            Arg::Word("EXPIRE"),
            Arg::Text(self.key.clone()),
            Arg::Int(WINDOW_S as i64),
        ])
    }

    fn record(&mut self, count: i64, verdict: Verdict) {
        self.attempts.push(Attempt {
            time_us: self.sent_us,
            minute: self.minute,
            count,
            verdict,
        });
    }

    /// Judges a request by its INCR's answer and waits for the next one.
    fn judge(&mut self, count: i64, ctx: &mut Ctx<'_>) -> Step {
        let verdict = if count <= self.limit {
            Verdict::Allowed
        } else {
            Verdict::Blocked
        };
        self.record(count, verdict);
        self.wait_next(ctx)
    }

    fn wait_next(&mut self, ctx: &mut Ctx<'_>) -> Step {
        self.stage = Stage::Waiting;
        let per_minute = u64::from(self.caller.per_minute.max(1));
        let interval = 60 * SECOND_US / per_minute;
        let gap = ctx
            .rng
            .between(interval / 2, interval + interval / 2)
            .max(1);
        let at = self.sent_us.saturating_add(gap);
        Step::Wait {
            us: at.saturating_sub(ctx.now_us),
        }
    }
}

impl Program for CallerProgram {
    fn start_at(&self, drawn_us: u64) -> u64 {
        self.caller.from_s.saturating_mul(SECOND_US) + drawn_us
    }

    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step {
        self.request(ctx)
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        match self.stage {
            Stage::Waiting => self.request(ctx),
            Stage::Incr { crash } => {
                let count = int_of(replies.first()).unwrap_or(0);
                if crash {
                    self.stage = Stage::Crashing { count };
                    return Step::Send {
                        think_us: 0,
                        batch: Batch::one(Request::Disconnect, 0),
                    };
                }
                if count == 1 {
                    self.stage = Stage::Expire { count };
                    return Step::Send {
                        think_us: 0,
                        batch: Batch::one(self.expire(), 0),
                    };
                }
                self.judge(count, ctx)
            }
            Stage::Expire { count } => self.judge(count, ctx),
            Stage::OneTrip => {
                let count = match replies.last() {
                    // MULTI … EXEC: the EXEC's first item is the INCR's answer.
                    Some(Response::Redis(Reply::Array(items))) => {
                        items.first().and_then(int_of_reply).unwrap_or(0)
                    }
                    other => int_of(other).unwrap_or(0),
                };
                self.judge(count, ctx)
            }
            Stage::SetBeforeStall => {
                self.stage = Stage::Stalled;
                Step::Wait { us: STALL_US }
            }
            Stage::Stalled => {
                self.stage = Stage::OneTrip;
                let incr = redis(vec![Arg::Word("INCR"), Arg::Text(self.key.clone())]);
                Step::Send {
                    think_us: 0,
                    batch: Batch::one(incr, 0),
                }
            }
            Stage::Crashing { count } => {
                self.crash_armed = false;
                self.record(count, Verdict::Crashed);
                self.stage = Stage::Waiting;
                Step::Wait { us: RESTART_US }
            }
        }
    }
}

/// The sorted `a` and the sorted `b`, merged in order.
fn merge(a: &[u64], b: impl Iterator<Item = u64>) -> Vec<u64> {
    let mut out = Vec::with_capacity(a.len());
    let mut a = a.iter().copied().peekable();
    for t in b {
        while let Some(x) = a.next_if(|&x| x <= t) {
            out.push(x);
        }
        out.push(t);
    }
    out.extend(a);
    out
}

/// The densest stretch of one user's allowed requests (see [`RateLab::max_allowed_within`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Burst {
    /// How many requests were allowed within the stretch.
    pub allowed: u32,
    /// When the stretch starts, in µs.
    pub start_us: u64,
}

/// Requests allowed and blocked in one stretch of time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Bin {
    /// Start of the stretch, in µs.
    pub start_us: u64,
    /// Requests allowed.
    pub allowed: u32,
    /// Requests blocked.
    pub blocked: u32,
}

/// A key left without a TTL.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Leak {
    /// The key.
    pub key: String,
    /// Its count.
    pub count: i64,
}

/// A caller's figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CallerOutcome {
    /// The caller's user id.
    pub user: u32,
    /// Requests allowed.
    pub allowed: u32,
    /// Requests blocked.
    pub blocked: u32,
    /// Requests cut short by a crash.
    pub crashed: u32,
}

/// Lab 3, running.
pub struct RateLab {
    driver: Driver<CallerProgram>,
    next_cycle_us: u64,
}

impl RateLab {
    /// A run of `config`.
    pub fn new(config: LimiterConfig) -> RateLab {
        let sim = SimBuilder::new()
            .clients(config.callers.len())
            .seed(config.seed)
            .arrival_window_us(10_000)
            .epoch_ms(EPOCH_MS)
            .journal(true)
            .build(Programs::new(|i| {
                let caller = config.callers.get(i).cloned().unwrap_or(Caller {
                    user: 0,
                    per_minute: 0,
                    from_s: 0,
                    until_s: 0,
                    crash_at_s: None,
                });
                CallerProgram::new(caller, config.guard, config.limit)
            }));
        RateLab {
            driver: Driver::new(sim),
            next_cycle_us: EXPIRE_CYCLE_US,
        }
    }

    /// Caller `i`'s program (its attempts, its settings).
    pub fn caller(&self, i: usize) -> Option<&CallerProgram> {
        self.driver.sim.programs().get(i)
    }

    /// Caller `i`'s program, to change its rate or plan a crash while the lab runs.
    pub fn caller_mut(&mut self, i: usize) -> Option<&mut CallerProgram> {
        self.driver.sim.program_mut(i)
    }

    /// Runs to the end.
    pub fn run(&mut self) {
        self.run_until(u64::MAX);
    }

    /// Each caller's figures.
    pub fn outcome(&self) -> Vec<CallerOutcome> {
        self.driver
            .sim
            .programs()
            .iter()
            .map(|p| {
                let count = |v| p.attempts.iter().filter(|a| a.verdict == v).count() as u32;
                CallerOutcome {
                    user: p.caller.user,
                    allowed: count(Verdict::Allowed),
                    blocked: count(Verdict::Blocked),
                    crashed: count(Verdict::Crashed),
                }
            })
            .collect()
    }

    /// Keys of the limiter (`user:…`) that have no TTL: they will never expire (in keyspace
    /// order).
    pub fn leaks(&self) -> Vec<Leak> {
        self.engine()
            .db()
            .live_entries()
            .filter(|(key, _, ttl)| ttl.is_none() && key.starts_with(b"user:"))
            .map(|(key, value, _)| Leak {
                key: String::from_utf8_lossy(key).into_owned(),
                count: match value {
                    Value::Str(s) => s.as_int().unwrap_or(0),
                    _ => 0,
                },
            })
            .collect()
    }

    /// The most requests of `user` allowed within any `span_us` stretch, and when that stretch
    /// starts. With a fixed window of 60 s and a limit of 100, up to 200 fit in far less than 60 s.
    pub fn max_allowed_within(&self, user: u32, span_us: u64) -> Burst {
        self.most_allowed_within(Some(user), span_us)
    }

    /// The most requests of any user allowed within any `span_us` stretch (a sliding span, where
    /// [`RateLab::timeline`]'s bins are fixed), and when that stretch starts.
    pub fn max_allowed_within_all(&self, span_us: u64) -> Burst {
        self.most_allowed_within(None, span_us)
    }

    fn most_allowed_within(&self, user: Option<u32>, span_us: u64) -> Burst {
        // Each caller's attempts are in time order: merge them rather than sort.
        let mut times: Vec<u64> = Vec::new();
        for p in self.driver.sim.programs() {
            if user.is_some_and(|u| p.caller.user != u) {
                continue;
            }
            let mine = p
                .attempts
                .iter()
                .filter(|a| a.verdict == Verdict::Allowed)
                .map(|a| a.time_us);
            times = merge(&times, mine);
        }
        let (mut best, mut best_start, mut lo) = (0u32, 0u64, 0usize);
        for (hi, &t) in times.iter().enumerate() {
            while times.get(lo).is_some_and(|&s| t - s >= span_us) {
                lo += 1;
            }
            let n = (hi + 1 - lo) as u32;
            if n > best {
                best = n;
                best_start = times.get(lo).copied().unwrap_or(0);
            }
        }
        Burst {
            allowed: best,
            start_us: best_start,
        }
    }

    /// Allowed and blocked requests of every caller per `bin_us` stretch, from time 0 to the last
    /// request.
    pub fn timeline(&self, bin_us: u64) -> Vec<Bin> {
        let bin_us = bin_us.max(1);
        let mut bins: Vec<Bin> = Vec::new();
        for a in self
            .driver
            .sim
            .programs()
            .iter()
            .flat_map(|p| p.attempts.iter())
        {
            let i = (a.time_us / bin_us) as usize;
            if i >= 1_000_000 {
                continue;
            }
            while bins.len() <= i {
                let start_us = bins.len() as u64 * bin_us;
                bins.push(Bin {
                    start_us,
                    allowed: 0,
                    blocked: 0,
                });
            }
            if let Some(bin) = bins.get_mut(i) {
                match a.verdict {
                    Verdict::Allowed => bin.allowed += 1,
                    Verdict::Blocked => bin.blocked += 1,
                    Verdict::Crashed => {}
                }
            }
        }
        bins
    }
}

impl Lab for RateLab {
    lab_reads_its_driver!();

    fn run_until(&mut self, t_us: u64) {
        // Redis' active expiry, every 100 ms of virtual time, for as long as anything happens.
        while self.next_cycle_us <= t_us && !self.driver.sim.is_finished() {
            let at = self.next_cycle_us;
            self.driver.run_until(at, |_| {});
            let engine = self.driver.sim.engine_mut();
            engine.set_now_ms(EPOCH_MS + (at / 1_000) as i64);
            engine.active_expire_cycle();
            // Skip idle stretches: the next cycle that matters is just before the next event.
            let next = self.driver.sim.next_event_us().unwrap_or(at);
            let skip = next.saturating_sub(at) / EXPIRE_CYCLE_US;
            self.next_cycle_us = at + EXPIRE_CYCLE_US * skip.max(1);
        }
        self.driver.run_until(t_us, |_| {});
    }
}

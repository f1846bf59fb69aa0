//! What a simulated client does: a small program of requests, each chosen after the previous reply.
//!
//! [`Strategy`] is the race demo's set of programs — the same "add one like" done four ways (plus
//! the SQL comparison). Scenario labs bring their own [`Program`]s.

use std::cell::RefCell;
use std::rc::Rc;

use super::rng::Rng;
use super::sql::{SqlResult, Statement};
use crate::engine::Reply;

/// One argument of a [`Command`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Arg {
    /// A fixed word (`GET`, `likes`).
    Word(&'static str),
    /// A text chosen at run time (a key with a user id in it).
    Text(Rc<str>),
    /// An integer, written in decimal when sent.
    Int(i64),
}

/// A Redis command: its arguments, shared, so that a million clients sending `GET likes` share one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command(Rc<[Arg]>);

impl Command {
    /// A command from its arguments.
    pub fn new(args: Vec<Arg>) -> Command {
        Command(args.into())
    }

    /// A command from a fixed number of arguments (one allocation).
    pub fn of<const N: usize>(args: [Arg; N]) -> Command {
        Command(Rc::new(args))
    }

    /// A command made of fixed words.
    pub fn words(words: &[&'static str]) -> Command {
        Command::new(words.iter().map(|w| Arg::Word(w)).collect())
    }

    /// The arguments.
    pub fn args(&self) -> &[Arg] {
        &self.0
    }

    /// Calls `f` with the command as argv bytes, built on the stack (integers formatted there).
    pub fn with_argv<R>(&self, f: impl FnOnce(&[&[u8]]) -> R) -> R {
        const INLINE: usize = 8;
        let mut digits = [[0u8; 20]; INLINE];
        if self.0.len() > INLINE {
            let owned: Vec<Vec<u8>> = self.0.iter().map(|a| a.bytes().into_owned()).collect();
            let argv: Vec<&[u8]> = owned.iter().map(Vec::as_slice).collect();
            return f(&argv);
        }
        let mut lens = [0usize; INLINE];
        for (i, arg) in self.0.iter().enumerate() {
            if let Arg::Int(n) = arg {
                lens[i] = write_int(&mut digits[i], *n);
            }
        }
        let mut argv: [&[u8]; INLINE] = [&[]; INLINE];
        for (i, (slot, arg)) in argv.iter_mut().zip(self.0.iter()).enumerate() {
            *slot = match arg {
                Arg::Word(w) => w.as_bytes(),
                Arg::Text(t) => t.as_bytes(),
                Arg::Int(_) => &digits[i][..lens[i]],
            };
        }
        f(&argv[..self.0.len()])
    }

    /// The command as a learner would type it.
    pub fn text(&self) -> String {
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|a| a.bytes().into_owned())
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .collect();
        parts.join(" ")
    }
}

impl Arg {
    fn bytes(&self) -> std::borrow::Cow<'_, [u8]> {
        match self {
            Arg::Word(w) => w.as_bytes().into(),
            Arg::Text(t) => t.as_bytes().into(),
            Arg::Int(n) => n.to_string().into_bytes().into(),
        }
    }
}

/// Writes `n` in decimal at the start of `buf`; returns the length. On the stack: every `SET likes
/// <n>` a flood sends passes here, and a heap buffer per call cost more than the SET itself.
/// Twenty bytes hold any i64 (19 digits and a sign).
fn write_int(buf: &mut [u8; 20], n: i64) -> usize {
    let mut v = n.unsigned_abs();
    let mut len = 0;
    // Least significant digit first, reversed at the end.
    for slot in buf.iter_mut() {
        *slot = b'0' + (v % 10) as u8;
        len += 1;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    if n < 0 {
        if let Some(slot) = buf.get_mut(len) {
            *slot = b'-';
            len += 1;
        }
    }
    if let Some(digits) = buf.get_mut(..len) {
        digits.reverse();
    }
    len
}

/// One request to a server: a Redis command, or a SQL statement to the row model.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A Redis command.
    Redis(Command),
    /// A statement for the SQL row model.
    Sql(Statement),
    /// The client's connection closes (the process crashed, or quit): the server forgets the
    /// connection's transaction and WATCHes, as Redis' `freeClient` does. Put it last in a batch;
    /// the client's next batch travels on a new connection.
    Disconnect,
}

impl Request {
    /// A Redis command of fixed words.
    pub fn redis(words: &[&'static str]) -> Request {
        Request::Redis(Command::words(words))
    }

    /// The request as a learner would type it (`GET likes`, `UPDATE posts SET …`).
    pub fn text(&self) -> String {
        match self {
            Request::Redis(c) => c.text(),
            Request::Sql(s) => s.text(),
            Request::Disconnect => "(connection closed)".to_owned(),
        }
    }
}

/// The answer to one [`Request`].
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    /// Redis' reply.
    Redis(Reply),
    /// The row model's result.
    Sql(SqlResult),
    /// The server closed the connection (the answer to [`Request::Disconnect`]).
    Disconnected,
}

impl Response {
    /// The answer as a console would print it.
    pub fn text(&self) -> String {
        match self {
            Response::Redis(r) => crate::simulation::reply_text(r),
            Response::Sql(r) => r.text(),
            Response::Disconnected => "(disconnected)".to_owned(),
        }
    }
}

/// Requests sent together in one round trip (a pipeline), executed back to back by the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The requests, in order (shared: cloning a batch does not copy them).
    pub requests: Rc<[Request]>,
    /// How many likes this batch adds if it succeeds (what the client believes it is doing). The
    /// simulator compares it with the counter before and after to spot lost updates.
    pub likes: i64,
}

impl Batch {
    /// A batch of one request (one allocation).
    pub fn one(request: Request, likes: i64) -> Batch {
        Batch {
            requests: Rc::new([request]),
            likes,
        }
    }

    /// A batch of `requests` adding `likes`.
    pub fn new(requests: Vec<Request>, likes: i64) -> Batch {
        Batch {
            requests: requests.into(),
            likes,
        }
    }
}

/// What a program does next.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// Think for `think_us` microseconds, then send `batch`.
    Send {
        /// Client-side time before sending (computation, back-off).
        think_us: u64,
        /// What to send.
        batch: Batch,
    },
    /// Send nothing, and decide again in `us` microseconds (the program's `next` then gets no
    /// replies): an idle client waiting for its next period.
    Wait {
        /// How long to wait, in µs.
        us: u64,
    },
    /// The program is over.
    Done(Finish),
}

/// How a client's program ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    /// The client was told its like was counted.
    Acknowledged,
    /// The client stopped retrying and reported a failure (optimistic locking under heavy
    /// contention).
    GaveUp,
}

/// What a program may look at when it decides: the clock and its own random stream.
pub struct Ctx<'a> {
    /// Logical time since the run began, in µs.
    pub now_us: u64,
    /// The run's Unix time at its start, in ms (the engine's clock reads `epoch_ms + now_us / 1000`).
    pub epoch_ms: i64,
    /// This client's random stream.
    pub rng: &'a mut Rng,
}

impl Ctx<'_> {
    /// The engine's clock now, in Unix ms.
    pub fn now_ms(&self) -> i64 {
        self.epoch_ms + (self.now_us / 1000) as i64
    }
}

/// A client program: told the replies to its last batch, it answers with the next step.
///
/// The simulator detects lost updates with [`Batch::likes`]; a program whose batches set it must
/// only change the counter in those batches.
pub trait Program {
    /// When the client starts, in µs, given the instant the run's arrival window drew for it
    /// (the default keeps that instant; a periodic job may prefer time 0).
    fn start_at(&self, drawn_us: u64) -> u64 {
        drawn_us
    }
    /// The first step.
    fn start(&mut self, ctx: &mut Ctx<'_>) -> Step;
    /// The step after `replies` (one per request of the last batch).
    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step;
    /// The value the program last read and holds locally (shown in the interleaving view).
    fn local(&self) -> Option<i64> {
        None
    }
}

/// The ways to add one like that the race demo compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StrategyKind {
    /// `GET likes` → v, then `SET likes v+1`: the article's race.
    Naive,
    /// `INCR likes`.
    Atomic,
    /// `WATCH likes` + `GET likes`, then `MULTI` / `SET likes v+1` / `EXEC`, retried on a nil EXEC.
    Optimistic,
    /// One `EVAL` of [`LIKE_SCRIPT`]: the naive GET-then-SET, run inside the server, so nothing
    /// comes between the read and the write — one round trip, no retry.
    LuaScript,
    /// `SELECT likes …` → v, then `UPDATE … SET likes = v+1`: the same race in SQL.
    SqlReadModifyWrite,
    /// `UPDATE … SET likes = likes + 1`: atomic in SQL too.
    SqlAtomicUpdate,
}

impl StrategyKind {
    /// Every strategy, in the order the UI lists them.
    pub const ALL: [StrategyKind; 6] = [
        StrategyKind::Naive,
        StrategyKind::Atomic,
        StrategyKind::Optimistic,
        StrategyKind::LuaScript,
        StrategyKind::SqlReadModifyWrite,
        StrategyKind::SqlAtomicUpdate,
    ];

    /// A short stable name (for URLs).
    pub fn slug(self) -> &'static str {
        match self {
            StrategyKind::Naive => "naive",
            StrategyKind::Atomic => "incr",
            StrategyKind::Optimistic => "watch",
            StrategyKind::LuaScript => "lua",
            StrategyKind::SqlReadModifyWrite => "sql-naive",
            StrategyKind::SqlAtomicUpdate => "sql-atomic",
        }
    }

    /// The strategy named by `slug`.
    pub fn from_slug(slug: &str) -> Option<StrategyKind> {
        StrategyKind::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// A human label.
    pub fn label(self) -> &'static str {
        match self {
            StrategyKind::Naive => "GET then SET (read-modify-write)",
            StrategyKind::Atomic => "INCR (atomic)",
            StrategyKind::Optimistic => "WATCH / MULTI / EXEC (optimistic, retries)",
            StrategyKind::LuaScript => "Lua script: GET and SET in one EVAL (atomic)",
            StrategyKind::SqlReadModifyWrite => "SQL: SELECT then UPDATE … = v + 1",
            StrategyKind::SqlAtomicUpdate => "SQL: UPDATE … SET likes = likes + 1",
        }
    }

    /// True for the strategy that runs a Lua script in the server: each of its requests costs real
    /// CPU in the Lua VM (see the race demo's flood, which checks the clock more often for it).
    pub fn runs_script(self) -> bool {
        self == StrategyKind::LuaScript
    }

    /// True for the strategies whose likes need no earlier reply (INCR, the Lua script, SQL's
    /// `likes = likes + 1`): with [`Likes::pipelining`] a client sends all its likes in one round
    /// trip. The others read, then write what the read returned: a write cannot leave before its
    /// read's reply, so each like still takes two round trips (see [`Likes`]).
    pub fn pipelines(self) -> bool {
        matches!(
            self,
            StrategyKind::Atomic | StrategyKind::LuaScript | StrategyKind::SqlAtomicUpdate
        )
    }

    /// True for the strategies that talk to the SQL row model.
    pub fn is_sql(self) -> bool {
        matches!(
            self,
            StrategyKind::SqlReadModifyWrite | StrategyKind::SqlAtomicUpdate
        )
    }
}

/// A race run's workload: every client adds `per_client` likes the `kind` way, one after the
/// other or pipelined. [`StrategyKind`] alone is one like each, unpipelined.
///
/// Pipelining means a client sends every command that needs no earlier reply without waiting:
/// - INCR: all N `INCR`s in one batch, one round trip; Lua: N `EVAL`s; SQL `likes = likes + 1`:
///   N `UPDATE`s (a driver's pipeline mode, such as libpq's since PostgreSQL 14).
/// - GET-then-SET and SQL SELECT-then-UPDATE: the write carries the value read, so it cannot
///   leave before the read's reply; every like still takes two round trips and can still be lost.
/// - WATCH/MULTI/EXEC: it already sends `MULTI`, `SET`, `EXEC` together, after `WATCH` + `GET`
///   answered; two round trips per like (more when EXEC fails).
///
/// Without pipelining a client starts its next like when the previous one is done.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Likes {
    /// How each like is added.
    pub kind: StrategyKind,
    /// Likes per client (0 counts as 1).
    pub per_client: u32,
    /// Whether a client sends what it can without waiting for replies.
    pub pipelining: bool,
}

impl Likes {
    /// `per_client` likes per client added the `kind` way, pipelined or not.
    pub fn new(kind: StrategyKind, per_client: u32, pipelining: bool) -> Likes {
        Likes {
            kind,
            per_client: per_client.max(1),
            pipelining,
        }
    }

    /// True when a client sends all its likes in one batch: the kind pipelines, pipelining is on
    /// and there is more than one like.
    pub fn one_batch(&self) -> bool {
        self.pipelining && self.kind.pipelines() && self.per_client > 1
    }
}

impl From<StrategyKind> for Likes {
    /// One like per client, unpipelined: the race demo's original run.
    fn from(kind: StrategyKind) -> Likes {
        Likes::new(kind, 1, false)
    }
}

/// The Lua strategy's script: GET-then-SET, but inside the server, where no other client's command
/// can run between the two calls. One line, because the step log prints the EVAL as sent.
pub const LIKE_SCRIPT: &str = "local v = tonumber(redis.call('GET', KEYS[1]) or 0) + 1; \
redis.call('SET', KEYS[1], v); return v";

/// Client-side timing of the strategies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timing {
    /// Time between reading a value and sending the write that depends on it, in µs (min, max).
    pub think_us: (u64, u64),
    /// First back-off after a failed EXEC, in µs; doubles on every further failure.
    pub backoff_us: u64,
    /// Failed EXECs after which an optimistic client gives up.
    pub max_retries: u32,
}

impl Default for Timing {
    fn default() -> Self {
        Timing {
            think_us: (50, 200),
            backoff_us: 100,
            max_retries: 16,
        }
    }
}

/// The batches every client of a run sends unchanged, built once and shared.
#[derive(Debug)]
struct Shared {
    key: Rc<str>,
    get: Batch,
    incr: Batch,
    eval: Batch,
    watch_get: Batch,
    select: Batch,
    increment: Batch,
    /// All of a client's likes in one batch, when [`Likes::one_batch`].
    pipeline: Option<Batch>,
    timing: Timing,
    /// The last write batch built and the value it writes: under contention most clients write
    /// the same value (that is the race), so they share one batch instead of allocating two `Rc`s
    /// each (about an eighth of a naive client's cost in a million-client flood).
    last_write: RefCell<Option<(i64, Batch)>>,
}

/// One client running one strategy to add one like to a key.
#[derive(Clone, Debug)]
pub struct Strategy {
    shared: Rc<Shared>,
    /// The value read (naive, optimistic, SQL read-modify-write), when `has_read`. Not an
    /// `Option<i64>`, which takes 16 bytes: a million clients are a million of these, and a
    /// smaller client record is fewer cache misses.
    read: i64,
    /// Failed EXECs so far.
    retries: u32,
    /// Likes still to start after the current one.
    left: u32,
    kind: StrategyKind,
    has_read: bool,
}

/// Makes the clients of one run, sharing what they send unchanged.
#[derive(Clone, Debug)]
pub struct StrategyFactory {
    kind: StrategyKind,
    shared: Rc<Shared>,
    per_client: u32,
}

impl StrategyFactory {
    /// Clients adding one like to `key` the `kind` way.
    pub fn new(kind: StrategyKind, key: &str, timing: Timing) -> StrategyFactory {
        StrategyFactory::with_likes(kind.into(), key, timing)
    }

    /// Clients adding `likes.per_client` likes each to `key`, as `likes` says.
    pub fn with_likes(likes: Likes, key: &str, timing: Timing) -> StrategyFactory {
        let kind = likes.kind;
        let per_client = likes.per_client.max(1);
        let key: Rc<str> = key.into();
        let k = || Arg::Text(key.clone());
        let cmd = |args: Vec<Arg>| Request::Redis(Command::new(args));
        let shared = Shared {
            get: Batch::new(vec![cmd(vec![Arg::Word("GET"), k()])], 0),
            incr: Batch::new(vec![cmd(vec![Arg::Word("INCR"), k()])], 1),
            eval: Batch::new(
                vec![cmd(vec![
                    Arg::Word("EVAL"),
                    Arg::Word(LIKE_SCRIPT),
                    Arg::Int(1),
                    k(),
                ])],
                1,
            ),
            watch_get: Batch::new(
                vec![
                    cmd(vec![Arg::Word("WATCH"), k()]),
                    cmd(vec![Arg::Word("GET"), k()]),
                ],
                0,
            ),
            select: Batch::new(vec![Request::Sql(Statement::Select)], 0),
            increment: Batch::new(vec![Request::Sql(Statement::Increment)], 1),
            pipeline: None,
            key,
            timing,
            last_write: RefCell::new(None),
        };
        let pipeline = likes.one_batch().then(|| {
            let one = first_batch(kind, &shared);
            let requests: Vec<Request> = (0..per_client)
                .flat_map(|_| one.requests.iter().cloned())
                .collect();
            Batch::new(requests, i64::from(per_client).saturating_mul(one.likes))
        });
        StrategyFactory {
            kind,
            shared: Rc::new(Shared { pipeline, ..shared }),
            per_client,
        }
    }

    /// A new client.
    pub fn client(&self) -> Strategy {
        Strategy {
            kind: self.kind,
            shared: self.shared.clone(),
            read: 0,
            has_read: false,
            retries: 0,
            left: self.per_client - 1,
        }
    }
}

/// The batch a like starts with.
fn first_batch(kind: StrategyKind, shared: &Shared) -> Batch {
    match kind {
        StrategyKind::Naive => shared.get.clone(),
        StrategyKind::Atomic => shared.incr.clone(),
        StrategyKind::LuaScript => shared.eval.clone(),
        StrategyKind::Optimistic => shared.watch_get.clone(),
        StrategyKind::SqlReadModifyWrite => shared.select.clone(),
        StrategyKind::SqlAtomicUpdate => shared.increment.clone(),
    }
}

impl Strategy {
    /// A client adding one like to `key` the `kind` way.
    pub fn new(kind: StrategyKind, key: &str, timing: Timing) -> Strategy {
        StrategyFactory::new(kind, key, timing).client()
    }

    fn send(&self, think_us: u64, batch: Batch) -> Step {
        Step::Send { think_us, batch }
    }

    /// A like is done: the client starts its next one at once, or is done.
    fn like_done(&mut self) -> Step {
        if self.left == 0 {
            return Step::Done(Finish::Acknowledged);
        }
        self.left -= 1;
        self.has_read = false;
        self.retries = 0;
        self.send(0, first_batch(self.kind, &self.shared))
    }

    fn think(&self, rng: &mut Rng) -> u64 {
        let (lo, hi) = self.shared.timing.think_us;
        rng.between(lo, hi)
    }

    /// `SET key n` (with MULTI/EXEC around it for the optimistic strategy; `UPDATE … SET likes = n`
    /// for SQL), shared with the previous client that wrote the same value.
    fn write(&self, n: i64) -> Batch {
        if let Some((value, batch)) = &*self.shared.last_write.borrow() {
            if *value == n {
                return batch.clone();
            }
        }
        let set = Request::Redis(Command::of([
            Arg::Word("SET"),
            Arg::Text(self.shared.key.clone()),
            Arg::Int(n),
        ]));
        let batch = match self.kind {
            StrategyKind::Optimistic => Batch::new(
                vec![Request::redis(&["MULTI"]), set, Request::redis(&["EXEC"])],
                1,
            ),
            StrategyKind::SqlReadModifyWrite => Batch::one(Request::Sql(Statement::Assign(n)), 1),
            _ => Batch::one(set, 1),
        };
        *self.shared.last_write.borrow_mut() = Some((n, batch.clone()));
        batch
    }
}

/// The integer a GET reply holds (nil counts as 0, like a missing counter).
fn reply_int(reply: Option<&Response>) -> i64 {
    match reply {
        Some(Response::Redis(Reply::Bulk(b))) => crate::engine::number::parse_i64(b).unwrap_or(0),
        Some(Response::Sql(SqlResult::Value(v))) => *v,
        _ => 0,
    }
}

impl Program for Strategy {
    fn start(&mut self, _ctx: &mut Ctx<'_>) -> Step {
        if let Some(all) = &self.shared.pipeline {
            self.left = 0;
            return self.send(0, all.clone());
        }
        self.send(0, first_batch(self.kind, &self.shared))
    }

    fn next(&mut self, replies: &[Response], ctx: &mut Ctx<'_>) -> Step {
        let rng = &mut *ctx.rng;
        match self.kind {
            StrategyKind::Naive | StrategyKind::SqlReadModifyWrite => {
                if self.has_read {
                    return self.like_done();
                }
                let v = reply_int(replies.first());
                self.read = v;
                self.has_read = true;
                let think = self.think(rng);
                self.send(think, self.write(v.saturating_add(1)))
            }
            StrategyKind::Atomic | StrategyKind::LuaScript | StrategyKind::SqlAtomicUpdate => {
                self.like_done()
            }
            StrategyKind::Optimistic => {
                if replies.len() == 2 {
                    // WATCH + GET answered: queue the write.
                    let v = reply_int(replies.get(1));
                    self.read = v;
                    self.has_read = true;
                    let think = self.think(rng);
                    return self.send(think, self.write(v.saturating_add(1)));
                }
                match replies.last() {
                    Some(Response::Redis(Reply::Array(_))) => self.like_done(),
                    _ => {
                        self.retries += 1;
                        self.has_read = false;
                        let timing = self.shared.timing;
                        if self.retries > timing.max_retries {
                            return Step::Done(Finish::GaveUp);
                        }
                        let shift = (self.retries - 1).min(20);
                        let cap = timing.backoff_us.saturating_mul(1 << shift);
                        let backoff = rng.between(cap / 2, cap);
                        self.send(backoff, self.shared.watch_get.clone())
                    }
                }
            }
        }
    }

    fn local(&self) -> Option<i64> {
        self.has_read.then_some(self.read)
    }
}

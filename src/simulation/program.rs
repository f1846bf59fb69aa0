//! What a simulated client does: a small program of requests, each chosen after the previous reply.
//!
//! [`Strategy`] is the race demo's set of programs — the same "add one like" done four ways (plus
//! the SQL comparison). Scenario labs bring their own [`Program`]s.

use super::rng::Rng;
use super::sql::{SqlResult, Statement};
use crate::engine::Reply;

/// One request to a server: Redis argv, or a SQL statement to the row model.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// A Redis command.
    Redis(Vec<Vec<u8>>),
    /// A statement for the SQL row model.
    Sql(Statement),
}

impl Request {
    /// A Redis command from words.
    pub fn redis(words: &[&str]) -> Request {
        Request::Redis(words.iter().map(|w| w.as_bytes().to_vec()).collect())
    }

    /// The request as a learner would type it (`GET likes`, `UPDATE posts SET …`).
    pub fn text(&self) -> String {
        match self {
            Request::Redis(argv) => argv
                .iter()
                .map(|a| String::from_utf8_lossy(a).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            Request::Sql(s) => s.text(),
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
}

impl Response {
    /// The answer as a console would print it.
    pub fn text(&self) -> String {
        match self {
            Response::Redis(r) => crate::simulation::reply_text(r),
            Response::Sql(r) => r.text(),
        }
    }
}

/// Requests sent together in one round trip (a pipeline), executed back to back by the server.
#[derive(Clone, Debug, PartialEq)]
pub struct Batch {
    /// The requests, in order.
    pub requests: Vec<Request>,
    /// How many likes this batch adds if it succeeds (what the client believes it is doing). The
    /// simulator compares it with the counter before and after to spot lost updates.
    pub likes: i64,
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

/// A client program: told the replies to its last batch, it answers with the next step.
pub trait Program {
    /// The first step.
    fn start(&mut self, rng: &mut Rng) -> Step;
    /// The step after `replies` (one per request of the last batch).
    fn next(&mut self, replies: &[Response], rng: &mut Rng) -> Step;
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
    /// `SELECT likes …` → v, then `UPDATE … SET likes = v+1`: the same race in SQL.
    SqlReadModifyWrite,
    /// `UPDATE … SET likes = likes + 1`: atomic in SQL too.
    SqlAtomicUpdate,
}

impl StrategyKind {
    /// Every strategy, in the order the UI lists them.
    pub const ALL: [StrategyKind; 5] = [
        StrategyKind::Naive,
        StrategyKind::Atomic,
        StrategyKind::Optimistic,
        StrategyKind::SqlReadModifyWrite,
        StrategyKind::SqlAtomicUpdate,
    ];

    /// A short stable name (for URLs).
    pub fn slug(self) -> &'static str {
        match self {
            StrategyKind::Naive => "naive",
            StrategyKind::Atomic => "incr",
            StrategyKind::Optimistic => "watch",
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
            StrategyKind::SqlReadModifyWrite => "SQL: SELECT then UPDATE … = v + 1",
            StrategyKind::SqlAtomicUpdate => "SQL: UPDATE … SET likes = likes + 1",
        }
    }

    /// True for the strategies that talk to the SQL row model.
    pub fn is_sql(self) -> bool {
        matches!(
            self,
            StrategyKind::SqlReadModifyWrite | StrategyKind::SqlAtomicUpdate
        )
    }
}

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

/// One client running one strategy to add one like to `key`.
#[derive(Clone, Debug)]
pub struct Strategy {
    kind: StrategyKind,
    key: String,
    timing: Timing,
    /// The value read (naive, optimistic, SQL read-modify-write).
    read: Option<i64>,
    /// Failed EXECs so far.
    retries: u32,
}

impl Strategy {
    /// A client adding one like to `key` the `kind` way.
    pub fn new(kind: StrategyKind, key: &str, timing: Timing) -> Strategy {
        Strategy {
            kind,
            key: key.to_owned(),
            timing,
            read: None,
            retries: 0,
        }
    }

    /// Failed EXECs so far (optimistic only).
    pub fn retries(&self) -> u32 {
        self.retries
    }

    fn send(&self, think_us: u64, requests: Vec<Request>, likes: i64) -> Step {
        Step::Send {
            think_us,
            batch: Batch { requests, likes },
        }
    }

    fn think(&self, rng: &mut Rng) -> u64 {
        rng.between(self.timing.think_us.0, self.timing.think_us.1)
    }

    fn watch_and_get(&self, think_us: u64) -> Step {
        let key = self.key.as_str();
        self.send(
            think_us,
            vec![
                Request::redis(&["WATCH", key]),
                Request::redis(&["GET", key]),
            ],
            0,
        )
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
    fn start(&mut self, _rng: &mut Rng) -> Step {
        let key = self.key.as_str();
        match self.kind {
            StrategyKind::Naive => self.send(0, vec![Request::redis(&["GET", key])], 0),
            StrategyKind::Atomic => self.send(0, vec![Request::redis(&["INCR", key])], 1),
            StrategyKind::Optimistic => self.watch_and_get(0),
            StrategyKind::SqlReadModifyWrite => {
                self.send(0, vec![Request::Sql(Statement::Select)], 0)
            }
            StrategyKind::SqlAtomicUpdate => {
                self.send(0, vec![Request::Sql(Statement::Increment)], 1)
            }
        }
    }

    fn next(&mut self, replies: &[Response], rng: &mut Rng) -> Step {
        let key = self.key.clone();
        match self.kind {
            StrategyKind::Naive => {
                if self.read.is_some() {
                    return Step::Done(Finish::Acknowledged);
                }
                let v = reply_int(replies.first());
                self.read = Some(v);
                let think = self.think(rng);
                let new = v.saturating_add(1).to_string();
                self.send(think, vec![Request::redis(&["SET", &key, &new])], 1)
            }
            StrategyKind::SqlReadModifyWrite => {
                if self.read.is_some() {
                    return Step::Done(Finish::Acknowledged);
                }
                let v = reply_int(replies.first());
                self.read = Some(v);
                let think = self.think(rng);
                self.send(
                    think,
                    vec![Request::Sql(Statement::Assign(v.saturating_add(1)))],
                    1,
                )
            }
            StrategyKind::Atomic | StrategyKind::SqlAtomicUpdate => {
                Step::Done(Finish::Acknowledged)
            }
            StrategyKind::Optimistic => {
                if replies.len() == 2 {
                    // WATCH + GET answered: queue the write.
                    let v = reply_int(replies.get(1));
                    self.read = Some(v);
                    let think = self.think(rng);
                    let new = v.saturating_add(1).to_string();
                    return self.send(
                        think,
                        vec![
                            Request::redis(&["MULTI"]),
                            Request::redis(&["SET", &key, &new]),
                            Request::redis(&["EXEC"]),
                        ],
                        1,
                    );
                }
                match replies.last() {
                    Some(Response::Redis(Reply::Array(_))) => Step::Done(Finish::Acknowledged),
                    _ => {
                        self.retries += 1;
                        self.read = None;
                        if self.retries > self.timing.max_retries {
                            return Step::Done(Finish::GaveUp);
                        }
                        let shift = (self.retries - 1).min(20);
                        let cap = self.timing.backoff_us.saturating_mul(1 << shift);
                        let backoff = rng.between(cap / 2, cap);
                        self.watch_and_get(backoff)
                    }
                }
            }
        }
    }

    fn local(&self) -> Option<i64> {
        self.read
    }
}

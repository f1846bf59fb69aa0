//! Challenge mode's levels: goals a learner reaches by writing a client program (*fix it*) or by
//! being the scheduler (*break it*), judged by the exhaustive checker
//! ([`crate::simulation::checker`]).
//!
//! A *break it* level gives the clients' programs; the learner types a schedule (`1 2 1 2`,
//! `crash 1`) and wins when the replay breaks the invariant. A *fix it* level gives a broken client;
//! the learner rewrites it, as Lua (or, in the first level, as a list of commands), run as a client
//! or inside EVAL, and wins only when the checker proves the invariant in every interleaving.
//! Every level carries a reference solution, and a test shows each one wins and each starting
//! text loses.

use crate::lesson::progress::MAX_PROGRAM_CHARS;
use crate::simulation::checker::{
    commands_to_lua, parse_schedule, Adversary, Budget, Checker, Move, Placement, Problem, Program,
    Search, Trace, Verdict, When,
};

/// What the learner does in a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// Type a schedule that breaks the invariant.
    BreakIt,
    /// Write a client that keeps it in every interleaving.
    FixIt,
}

/// How a fix-it level's text is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Form {
    /// Lua, with `redis.call`.
    Lua,
    /// One Redis command per line.
    Commands,
}

/// A client of a level: the learner's program or a fixed one. `{n}` in keys and arguments is the
/// client's number (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Seat {
    /// The fixed Lua text, or None for the learner's program.
    pub fixed: Option<&'static str>,
    /// `KEYS`.
    pub keys: &'static [&'static str],
    /// `ARGV`.
    pub args: &'static [&'static str],
}

const fn learner(keys: &'static [&'static str]) -> Seat {
    Seat {
        fixed: None,
        keys,
        args: &[],
    }
}

const fn given(text: &'static str, keys: &'static [&'static str]) -> Seat {
    Seat {
        fixed: Some(text),
        keys,
        args: &[],
    }
}

/// One level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Level {
    /// Stable id (progress and the page address use it).
    pub id: &'static str,
    /// The lesson chapter it practises.
    pub chapter: &'static str,
    /// Its title.
    pub title: &'static str,
    /// Break it or fix it.
    pub kind: Kind,
    /// The goal, in inline markup.
    pub goal: &'static str,
    /// The invariant in words.
    pub invariant_words: &'static str,
    /// The invariant as the checker runs it: Lua answering true, or false / a reason.
    pub invariant: &'static str,
    /// When it must hold.
    pub when: When,
    /// A hint, in inline markup.
    pub hint: &'static str,
    /// The keyspace at the start.
    pub setup: &'static [&'static str],
    /// The clients.
    pub seats: &'static [Seat],
    /// For a break-it level, the program every seat runs (seats' `fixed` may override it); for a
    /// fix-it level, the learner's starting text.
    pub start: &'static str,
    /// How a fix-it level's text is read.
    pub form: Form,
    /// Whether the learner may place the program inside EVAL.
    pub eval_allowed: bool,
    /// A solution: a schedule (break it) or a program (fix it).
    pub solution: &'static str,
    /// Where the solution runs.
    pub solution_placement: Placement,
    /// What the adversary may do.
    pub adversary: Adversary,
    /// Round trips per client.
    pub round_trips: usize,
}

const NO_ADVERSARY: Adversary = Adversary {
    crashes: 0,
    clock_jumps: 0,
    jump_ms: 0,
};

const CRASH: Adversary = Adversary {
    crashes: 1,
    clock_jumps: 0,
    jump_ms: 0,
};

const NAIVE_LIKE: &str = "local n = tonumber(redis.call('GET', 'likes'))\n\
redis.call('SET', 'likes', n + 1)";

const CHECK_THEN_BUY: &str = "local stock = tonumber(redis.call('GET', 'stock'))\n\
if stock > 0 then\n  redis.call('DECR', 'stock')\n  redis.call('INCR', 'sold')\nend";

const LIMIT_NAIVE: &str = "redis.call('INCR', KEYS[1])\nredis.call('EXPIRE', KEYS[1], 60)";

const EVERY_KEY_HAS_A_TTL: &str = "for _, k in ipairs(redis.call('KEYS', '*')) do\n\
  if redis.call('TTL', k) < 0 then return k .. ' has no TTL' end\n\
end\n\
return true";

const STOCK_OK: &str = "local stock = tonumber(redis.call('GET', 'stock'))\n\
local sold = tonumber(redis.call('GET', 'sold') or '0')\n\
if stock < 0 then return 'stock is ' .. stock end\n\
if stock + sold ~= 2 then return 'stock + sold is ' .. (stock + sold) end\n\
return true";

/// The levels, in playing order.
pub static LEVELS: &[Level] = &[
    Level {
        id: "lose-a-like",
        chapter: "race",
        title: "Be the scheduler: lose a like",
        kind: Kind::BreakIt,
        goal: "Two clients each add one like the slow way: `GET`, then `SET` to one more. \
               Choose who runs when so that the counter ends at **101**, not 102.",
        invariant_words: "likes = 100 + 2 once both clients are done",
        invariant: "return redis.call('GET', 'likes') == '102'",
        when: When::AtEnd,
        hint: "Type client numbers, one per step: `1 1 2 2` runs client 1's two commands, then \
               client 2's. What if both read before either writes?",
        setup: &["SET likes 100"],
        seats: &[learner(&[]), learner(&[])],
        start: NAIVE_LIKE,
        form: Form::Lua,
        eval_allowed: false,
        solution: "1 2 1 2",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 4,
    },
    Level {
        id: "lose-two-likes",
        chapter: "race",
        title: "Be the scheduler: lose two likes",
        kind: Kind::BreakIt,
        goal: "Three clients, the same slow code. Make the counter end at **101**: two of the \
               three likes lost.",
        invariant_words: "likes > 101 once every client is done",
        invariant: "return tonumber(redis.call('GET', 'likes')) > 101",
        when: When::AtEnd,
        hint: "All three must read 100 before the first write lands.",
        setup: &["SET likes 100"],
        seats: &[learner(&[]), learner(&[]), learner(&[])],
        start: NAIVE_LIKE,
        form: Form::Lua,
        eval_allowed: false,
        solution: "1 2 3 1 2 3",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 4,
    },
    Level {
        id: "fix-likes",
        chapter: "likes",
        title: "Fix the likes counter",
        kind: Kind::FixIt,
        goal: "Write the commands one client sends to add a like. Two clients run them at once, \
               in every possible order: not one like may be lost.",
        invariant_words: "likes = 100 + 2 once both clients are done",
        invariant: "return redis.call('GET', 'likes') == '102'",
        when: When::AtEnd,
        hint: "A list of commands cannot compute `n + 1` itself. Which command adds one \
               inside the server?",
        setup: &["SET likes 100"],
        seats: &[learner(&["likes"]), learner(&["likes"])],
        start: "GET likes\nSET likes 101",
        form: Form::Commands,
        eval_allowed: false,
        solution: "INCR likes",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 6,
    },
    Level {
        id: "one-text-two-places",
        chapter: "likes",
        title: "One text, two places",
        kind: Kind::FixIt,
        goal: "The same Lua text, unchanged, can run as a client (each `redis.call` a round \
               trip) or inside `EVAL` (atomic). Keep the read-then-write code and make it safe \
               by where it runs — three clients this time.",
        invariant_words: "likes = 100 + 3 once every client is done",
        invariant: "return redis.call('GET', 'likes') == '103'",
        when: When::AtEnd,
        hint: "Tick “inside EVAL”: nothing runs between a script's commands.",
        setup: &["SET likes 100"],
        seats: &[learner(&["likes"]), learner(&["likes"]), learner(&["likes"])],
        start: "local n = tonumber(redis.call('GET', KEYS[1]))\n\
                redis.call('SET', KEYS[1], n + 1)",
        form: Form::Lua,
        eval_allowed: true,
        solution: "local n = tonumber(redis.call('GET', KEYS[1]))\n\
                   redis.call('SET', KEYS[1], n + 1)",
        solution_placement: Placement::Eval,
        adversary: NO_ADVERSARY,
        round_trips: 6,
    },
    Level {
        id: "double-it",
        chapter: "likes",
        title: "Double it, optimistically",
        kind: Kind::FixIt,
        goal: "Each of two clients doubles `score`. There is no DOUBLE command, and no EVAL \
               here: use `WATCH`, `MULTI` and `EXEC`, and retry when `EXEC` answers nil.",
        invariant_words: "score = 1 × 2 × 2 = 4 once both clients are done, and neither gives up",
        invariant: "return redis.call('GET', 'score') == '4'",
        when: When::AtEnd,
        hint: "`redis.call('EXEC')` returns false when a watched key changed: loop until it \
               does not.",
        setup: &["SET score 1"],
        seats: &[learner(&["score"]), learner(&["score"])],
        start: "local n = tonumber(redis.call('GET', KEYS[1]))\n\
                redis.call('SET', KEYS[1], n * 2)",
        form: Form::Lua,
        eval_allowed: false,
        solution: "for attempt = 1, 3 do\n\
                   \x20 redis.call('WATCH', KEYS[1])\n\
                   \x20 local n = tonumber(redis.call('GET', KEYS[1]))\n\
                   \x20 redis.call('MULTI')\n\
                   \x20 redis.call('SET', KEYS[1], n * 2)\n\
                   \x20 if redis.call('EXEC') then return 'done' end\n\
                   end\n\
                   return redis.error_reply('gave up')",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 16,
    },
    Level {
        id: "retry-forever",
        chapter: "likes",
        title: "Be the scheduler: retry forever",
        kind: Kind::BreakIt,
        goal: "Two clients each add an item to a shared cart with `WATCH`, `MULTI` and `EXEC`, \
               retrying until `EXEC` succeeds. Before each try, each one keeps the cart alive with \
               `EXPIRE`. Make **both** retry until they give up (here after 13 round trips; on a \
               real server, forever) while the cart stays empty.",
        invariant_words: "at least one client's EXEC succeeds (cart > 0) once both are done",
        invariant: "if tonumber(redis.call('GET', 'cart')) > 0 then return true end\n\
                    return 'nobody got through: both retried until they gave up'",
        when: When::AtEnd,
        hint: "`EXPIRE` is a write: it makes every client watching `cart` fail its next `EXEC`. \
               Let each client's `EXPIRE` land between the other's `WATCH` and `EXEC`, again \
               and again. Client 1 can start: `1 1 2 2` (both refresh and watch)…",
        setup: &["SET cart 0"],
        seats: &[learner(&[]), learner(&[])],
        start: "while true do\n\
                \x20 redis.call('EXPIRE', 'cart', 600)\n\
                \x20 redis.call('WATCH', 'cart')\n\
                \x20 local n = tonumber(redis.call('GET', 'cart'))\n\
                \x20 redis.call('MULTI')\n\
                \x20 redis.call('SET', 'cart', n + 1, 'KEEPTTL')\n\
                \x20 if redis.call('EXEC') then return 'added' end\n\
                end",
        form: Form::Lua,
        eval_allowed: false,
        solution: "1 1 2 2 1 1 1 1 1 1 2 2 2 2 2 2 1 1 1 1 1 2 2 2 2 2",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 13,
    },
    Level {
        id: "oversell",
        chapter: "flash-sale",
        title: "Be the scheduler: oversell",
        kind: Kind::BreakIt,
        goal: "One item left, two buyers who check the stock before they `DECR` it. Make the \
               stock go below zero.",
        invariant_words: "stock ≥ 0, at every moment",
        invariant: "local stock = tonumber(redis.call('GET', 'stock'))\n\
                    if stock < 0 then return 'stock is ' .. stock end\n\
                    return true",
        when: When::Always,
        hint: "Both buyers must see `stock` = 1 before either buys.",
        setup: &["SET stock 1"],
        seats: &[learner(&[]), learner(&[])],
        start: CHECK_THEN_BUY,
        form: Form::Lua,
        eval_allowed: false,
        solution: "1 2 1 2",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 4,
    },
    Level {
        id: "flash-sale",
        chapter: "flash-sale",
        title: "Flash sale: sell exactly the stock",
        kind: Kind::FixIt,
        goal: "Two items, three buyers. Write a buyer so the stock never goes below zero — \
               not even for a moment — and every item sold is counted in `sold`.",
        invariant_words: "stock ≥ 0 and stock + sold = 2, at every moment",
        invariant: STOCK_OK,
        when: When::Always,
        hint: "`DECR` then undo leaves the stock at −1 for a moment. Check and buy in one atomic \
               step: a script.",
        setup: &["SET stock 2"],
        seats: &[learner(&[]), learner(&[]), learner(&[])],
        start: CHECK_THEN_BUY,
        form: Form::Lua,
        eval_allowed: true,
        solution: CHECK_THEN_BUY,
        solution_placement: Placement::Eval,
        adversary: NO_ADVERSARY,
        round_trips: 6,
    },
    Level {
        id: "leak-a-key",
        chapter: "rate-limit",
        title: "Be the adversary: leak a key",
        kind: Kind::BreakIt,
        goal: "A rate limiter counts requests with `INCR`, then sets a TTL with `EXPIRE`. You \
               may crash one client between two of its commands (`crash 1`). Leave a counter \
               that never expires.",
        invariant_words: "every key has a TTL once every client is done",
        invariant: EVERY_KEY_HAS_A_TTL,
        when: When::AtEnd,
        hint: "A client that dies after its INCR never sends its EXPIRE.",
        setup: &[],
        seats: &[learner(&["rate:{n}"]), learner(&["rate:{n}"])],
        start: LIMIT_NAIVE,
        form: Form::Lua,
        eval_allowed: false,
        solution: "1 crash 1 2 2",
        solution_placement: Placement::Client,
        adversary: CRASH,
        round_trips: 4,
    },
    Level {
        id: "rate-limiter",
        chapter: "rate-limit",
        title: "A rate limiter that never leaks a key",
        kind: Kind::FixIt,
        goal: "Count a request for your address (`KEYS[1]`) so that, whichever client crashes \
               between two commands, no counter is left without a TTL. No EVAL.",
        invariant_words: "every key has a TTL once every client is done (one client may crash)",
        invariant: EVERY_KEY_HAS_A_TTL,
        when: When::AtEnd,
        hint: "Create the key with its TTL first (`SET … EX 60 NX`): `INCR` keeps a TTL. Or \
               send both inside `MULTI`/`EXEC`.",
        setup: &[],
        seats: &[learner(&["rate:{n}"]), learner(&["rate:{n}"])],
        start: LIMIT_NAIVE,
        form: Form::Lua,
        eval_allowed: false,
        solution: "redis.call('SET', KEYS[1], 0, 'EX', 60, 'NX')\nredis.call('INCR', KEYS[1])",
        solution_placement: Placement::Client,
        adversary: CRASH,
        round_trips: 6,
    },
    Level {
        id: "leaderboard",
        chapter: "leaderboard",
        title: "A leaderboard that adds up",
        kind: Kind::FixIt,
        goal: "Each client scores a point for its player in the sorted set `board` and counts it \
               in `total`. The two must agree at every moment.",
        invariant_words: "the scores in board add up to total, at every moment",
        invariant: "local sum = 0\n\
                    local flat = redis.call('ZRANGE', 'board', 0, -1, 'WITHSCORES')\n\
                    for i = 2, #flat, 2 do sum = sum + tonumber(flat[i]) end\n\
                    local total = tonumber(redis.call('GET', 'total') or '0')\n\
                    if sum ~= total then return 'board adds up to ' .. sum .. ', total is ' .. total end\n\
                    return true",
        when: When::Always,
        hint: "Two commands that must land together: `MULTI` … `EXEC`, or a script.",
        setup: &[],
        seats: &[
            Seat {
                fixed: None,
                keys: &[],
                args: &["player:{n}"],
            },
            Seat {
                fixed: None,
                keys: &[],
                args: &["player:{n}"],
            },
        ],
        start: "redis.call('ZINCRBY', 'board', 1, ARGV[1])\nredis.call('INCR', 'total')",
        form: Form::Lua,
        eval_allowed: true,
        solution: "redis.call('MULTI')\nredis.call('ZINCRBY', 'board', 1, ARGV[1])\n\
                   redis.call('INCR', 'total')\nredis.call('EXEC')",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 6,
    },
    Level {
        id: "write-behind",
        chapter: "durability",
        title: "A write-behind flush that loses nothing",
        kind: Kind::FixIt,
        goal: "Clients 1 and 2 count views in `pending`. You write client 3, the flusher: move \
               what is pending into `stored` so that no view is lost, whenever the others run.",
        invariant_words: "stored + pending = 2 once every client is done",
        invariant: "local s = tonumber(redis.call('GET', 'stored') or '0')\n\
                    local p = tonumber(redis.call('GET', 'pending') or '0')\n\
                    if s + p ~= 2 then return 'stored + pending is ' .. (s + p) end\n\
                    return true",
        when: When::AtEnd,
        hint: "Between your GET and your SET to 0, a view can arrive. `GETDEL` reads and clears \
               in one step.",
        setup: &[],
        seats: &[
            given("redis.call('INCR', 'pending')", &[]),
            given("redis.call('INCR', 'pending')", &[]),
            learner(&[]),
        ],
        start: "local n = tonumber(redis.call('GET', 'pending') or '0')\n\
                redis.call('SET', 'pending', 0)\n\
                redis.call('INCRBY', 'stored', n)",
        form: Form::Lua,
        eval_allowed: true,
        solution: "local n = tonumber(redis.call('GETDEL', 'pending') or '0')\n\
                   redis.call('INCRBY', 'stored', n)",
        solution_placement: Placement::Client,
        adversary: NO_ADVERSARY,
        round_trips: 6,
    },
];

/// A level by id.
pub fn level(id: &str) -> Option<&'static Level> {
    LEVELS.iter().find(|l| l.id == id)
}

/// The checker's limits on the page: enough for every level's reasonable answers, small enough
/// that a runaway program is refused in about a second.
pub const BUDGET_STATES: usize = 50_000;

/// The checking problem for `level` with the learner's `text` (a program; for break-it levels
/// the level's own) placed as `placement`.
pub fn problem(level: &Level, text: &str, placement: Placement) -> Result<Problem, String> {
    let lua = match (level.kind, level.form) {
        (Kind::FixIt, Form::Commands) => commands_to_lua(text)?,
        _ => text.to_owned(),
    };
    let placement = if level.eval_allowed || level.kind == Kind::BreakIt {
        placement
    } else {
        Placement::Client
    };
    let clients = level
        .seats
        .iter()
        .enumerate()
        .map(|(i, seat)| {
            let n = (i + 1).to_string();
            let fill = |s: &&str| s.replace("{n}", &n);
            Program {
                text: seat.fixed.map_or_else(|| lua.clone(), str::to_owned),
                placement: if seat.fixed.is_some() {
                    Placement::Client
                } else {
                    placement
                },
                keys: seat.keys.iter().map(fill).collect(),
                args: seat.args.iter().map(fill).collect(),
            }
        })
        .collect();
    let mut problem = Problem::new(clients, level.invariant, level.when).with_setup(level.setup);
    problem.adversary = level.adversary;
    problem.budget = Budget {
        round_trips: level.round_trips,
        lua_steps: 100_000,
        states: BUDGET_STATES,
    };
    problem.must_finish = level.kind == Kind::FixIt;
    Ok(problem)
}

/// What became of an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Attempt {
    /// The level is won: for fix it, proved in every interleaving.
    Won {
        /// What to say.
        message: String,
        /// For break it, the run that broke it.
        trace: Option<Trace>,
    },
    /// Not yet: why, and the run to replay (the counterexample, or the learner's schedule).
    NotYet {
        /// What to say.
        message: String,
        /// The run.
        trace: Option<Trace>,
        /// Its moves.
        moves: Vec<Move>,
    },
    /// The answer could not be read or run (a syntax error, an impossible step).
    Invalid(String),
}

impl Attempt {
    /// Whether the level is won.
    pub fn won(&self) -> bool {
        matches!(self, Attempt::Won { .. })
    }
}

/// Judges `answer` (a schedule for break it, a program for fix it) on `level`.
pub fn attempt(level: &Level, answer: &str, placement: Placement) -> Attempt {
    match level.kind {
        Kind::BreakIt => {
            let moves = match parse_schedule(answer) {
                Ok(m) => m,
                Err(e) => return Attempt::Invalid(e),
            };
            let mut checker =
                match problem(level, level.start, Placement::Client).and_then(Checker::new) {
                    Ok(c) => c,
                    Err(e) => return Attempt::Invalid(e),
                };
            let trace = match checker.replay(&moves) {
                Ok(t) => t,
                Err(e) => return Attempt::Invalid(e),
            };
            match &trace.violation {
                Some(reason) => Attempt::Won {
                    message: format!("Broken in {} steps: {reason}.", trace.steps.len()),
                    trace: Some(trace),
                },
                None if trace.finished => Attempt::NotYet {
                    message: "Every client is done and the invariant still holds.".to_owned(),
                    trace: Some(trace),
                    moves,
                },
                None => Attempt::NotYet {
                    message: "The invariant holds so far; the clients are not done yet.".to_owned(),
                    trace: Some(trace),
                    moves,
                },
            }
        }
        Kind::FixIt => match begin_attempt(level, answer, placement) {
            Ok(mut pending) => loop {
                if let Some(judged) = pending.step(usize::MAX) {
                    break judged;
                }
            },
            Err(judged) => *judged,
        },
    }
}

/// A fix-it answer being checked, a slice at a time (so the page can show progress and stay
/// responsive).
#[derive(Debug)]
pub struct Pending {
    checker: Checker,
    search: Search,
}

impl Pending {
    /// Distinct states explored so far.
    pub fn states(&self) -> usize {
        self.search.states()
    }

    /// Checks about `work` more moves: the judgement once the check is over.
    pub fn step(&mut self, work: usize) -> Option<Attempt> {
        let report = self.checker.advance(&mut self.search, work)?;
        Some(match report.verdict {
            Verdict::Safe { interleavings } => Attempt::Won {
                message: format!(
                    "Proved: the invariant holds in all {interleavings} interleavings \
                     ({} distinct states).",
                    report.states
                ),
                trace: None,
            },
            Verdict::Unsafe {
                counterexample,
                reason,
            } => {
                let trace = self.checker.replay(&counterexample).ok();
                Attempt::NotYet {
                    message: format!("Broken in {} steps: {reason}.", counterexample.len()),
                    trace,
                    moves: counterexample,
                }
            }
            Verdict::BudgetSpent => Attempt::NotYet {
                message: format!(
                    "Too many states to check (over {BUDGET_STATES}): make the program \
                     shorter, or its retries fewer."
                ),
                trace: None,
                moves: Vec::new(),
            },
        })
    }
}

/// Starts judging `answer` on `level`: the check to run when it is a fix-it program that
/// compiles, else the judgement itself (a break-it schedule is judged at once).
pub fn begin_attempt(
    level: &Level,
    answer: &str,
    placement: Placement,
) -> Result<Pending, Box<Attempt>> {
    if level.kind == Kind::BreakIt {
        return Err(Box::new(attempt(level, answer, placement)));
    }
    let mut checker = match problem(level, answer, placement).and_then(Checker::new) {
        Ok(c) => c,
        Err(e) => return Err(Box::new(Attempt::Invalid(e))),
    };
    let search = checker.search();
    Ok(Pending { checker, search })
}

/// The page address's parameter naming a level (`?chapter=challenges&level=fix-likes`).
pub const LEVEL_PARAM: &str = "level";
/// The parameter carrying the learner's text, base64url (RFC 4648 §5) without padding.
pub const CODE_PARAM: &str = "code";
/// The parameter saying the text runs inside EVAL (`1`).
pub const EVAL_PARAM: &str = "eval";

/// The longest `code` parameter read: a text at the editor's limit in four-byte characters.
const MAX_CODE_PARAM: usize = (MAX_PROGRAM_CHARS * 4).div_ceil(3) * 4;

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0_u32, |n, (i, &b)| n | u32::from(b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(char::from(BASE64URL[(n >> (18 - 6 * i)) as usize & 63]));
        }
    }
    out
}

/// Reads base64url (padding and the `+/` alphabet accepted too); None when it is not.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let (mut bits, mut held) = (0_u32, 0_u32);
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => return None,
        };
        bits = bits << 6 | u32::from(v);
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
            bits &= (1 << held) - 1;
        }
    }
    // A lone sixth of a byte (length 1 mod 4) is no encoding of anything.
    (held < 6).then_some(out)
}

/// The address parameters that share `level` with `text` (placed inside EVAL when `eval`).
pub fn share_params(level: &Level, text: &str, eval: bool) -> [(&'static str, String); 3] {
    [
        (LEVEL_PARAM, level.id.to_owned()),
        (CODE_PARAM, base64url(text.as_bytes())),
        (EVAL_PARAM, if eval { "1" } else { "" }.to_owned()),
    ]
}

/// What a shared address asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Shared {
    /// The level to open (an index in [`LEVELS`]).
    pub level: Option<usize>,
    /// The text to put in the editor.
    pub text: Option<String>,
    /// Placed inside EVAL.
    pub eval: bool,
    /// What could not be read, said politely (the level opens all the same when it can).
    pub notice: Option<String>,
}

/// Reads a shared address's `level`, `code` and `eval` parameters. Never fails: what cannot be
/// read (an unknown level, a text that is not base64url or UTF-8, or longer than the editor takes)
/// is left out and said in [`Shared::notice`].
pub fn read_shared(level: Option<&str>, code: Option<&str>, eval: Option<&str>) -> Shared {
    let mut shared = Shared::default();
    let Some(id) = level.filter(|l| !l.is_empty()) else {
        return shared;
    };
    let Some(index) = LEVELS.iter().position(|l| l.id == id) else {
        let shown: String = id.chars().take(40).collect();
        shared.notice = Some(format!(
            "The link names a level “{shown}” that this page does not have; here is the first \
             level not yet won."
        ));
        return shared;
    };
    shared.level = Some(index);
    shared.eval = eval == Some("1") && LEVELS[index].eval_allowed;
    let Some(code) = code.filter(|c| !c.is_empty()) else {
        return shared;
    };
    let text = if code.len() > MAX_CODE_PARAM {
        Err(format!(
            "the program in the link is longer than the editor takes ({MAX_PROGRAM_CHARS} \
             characters)"
        ))
    } else {
        from_base64url(code)
            .and_then(|b| String::from_utf8(b).ok())
            .ok_or_else(|| "the program in the link is damaged (cut short or mistyped?)".to_owned())
            .and_then(|t| {
                if t.chars().count() > MAX_PROGRAM_CHARS {
                    Err(format!(
                        "the program in the link is longer than the editor takes \
                         ({MAX_PROGRAM_CHARS} characters)"
                    ))
                } else {
                    Ok(t)
                }
            })
    };
    match text {
        Ok(t) => shared.text = Some(t),
        Err(why) => {
            shared.eval = false;
            shared.notice = Some(format!(
                "The level opened, but {why}: the editor shows your own text instead."
            ));
        }
    }
    shared
}

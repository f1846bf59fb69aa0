//! The quiz: questions, their explanations, and answer checking.
//!
//! A multiple-choice answer is checked against its index. A typed command is checked by *running
//! it* on fresh engines, one per case, and probing the keys afterwards — so every command that does
//! the job is accepted (`INCR video:views`, `INCRBY video:views 1`, `incr video:views`), and a
//! command that only looks right for one starting value (`SET video:views 42`, a read-modify-write
//! in disguise) fails on the next case.

use crate::cli::format::format_reply;
use crate::cli::tokenizer::split_args;
use crate::engine::{Engine, Reply};

/// One starting state and what must hold after the learner's command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Case {
    /// Commands run first (console syntax).
    pub setup: &'static [&'static str],
    /// (command, what redis-cli prints for it) pairs that must hold afterwards.
    pub probes: &'static [(&'static str, &'static str)],
}

/// How a question is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Pick one of `options`; `correct` is the right one's index.
    Choice {
        /// The options, in display order.
        options: &'static [&'static str],
        /// Index of the right option.
        correct: usize,
    },
    /// Type one command; it is run on every case.
    Command {
        /// One right answer, shown after a wrong attempt.
        model: &'static str,
        /// The cases it must pass.
        cases: &'static [Case],
    },
}

/// A quiz question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Question {
    /// Stable id (saved progress refers to it).
    pub id: &'static str,
    /// The lesson chapter it belongs to (its id).
    pub chapter: &'static str,
    /// The question.
    pub prompt: &'static str,
    /// How it is answered.
    pub answer: Answer,
    /// Why the right answer is right, shown after any answer.
    pub explanation: &'static str,
    /// Commands the "try it" button runs in the console.
    pub try_it: &'static [&'static str],
}

/// The verdict on one answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Right or wrong.
    pub correct: bool,
    /// What went wrong, in sentences (empty when right); code between backticks.
    pub reason: String,
    /// What the console printed for the learner's command on the first case (typed answers).
    pub output: Vec<String>,
}

impl Verdict {
    fn right(output: Vec<String>) -> Verdict {
        Verdict {
            correct: true,
            reason: String::new(),
            output,
        }
    }

    fn wrong(reason: impl Into<String>, output: Vec<String>) -> Verdict {
        Verdict {
            correct: false,
            reason: reason.into(),
            output,
        }
    }
}

/// Checks a multiple-choice answer.
pub fn check_choice(question: &Question, picked: usize) -> Verdict {
    match question.answer {
        Answer::Choice { correct, options } => {
            if picked == correct {
                Verdict::right(Vec::new())
            } else {
                let right = options.get(correct).copied().unwrap_or_default();
                Verdict::wrong(
                    sentence(format!("The right answer is: {right}")),
                    Vec::new(),
                )
            }
        }
        Answer::Command { .. } => Verdict::wrong("This question wants a command.", Vec::new()),
    }
}

fn text(reply: &Reply) -> String {
    String::from_utf8_lossy(&format_reply(reply))
        .trim_end_matches('\n')
        .to_owned()
}

fn run(engine: &mut Engine, line: &str) -> Option<Reply> {
    let argv = split_args(line.as_bytes()).ok()?;
    if argv.is_empty() {
        return None;
    }
    Some(engine.execute(1, &argv))
}

/// Checks a typed command by running it on every case of the question.
pub fn check_command(question: &Question, line: &str) -> Verdict {
    let Answer::Command { cases, .. } = question.answer else {
        return Verdict::wrong("This question wants one of the options.", Vec::new());
    };
    let argv = match split_args(line.as_bytes()) {
        Ok(argv) if !argv.is_empty() => argv,
        Ok(_) => return Verdict::wrong("Type a command first.", Vec::new()),
        Err(_) => return Verdict::wrong(
            "That line does not parse: check its quotes (redis-cli says \"Invalid argument(s)\").",
            vec!["Invalid argument(s)".to_owned()],
        ),
    };
    if argv[0].eq_ignore_ascii_case(b"help") {
        return Verdict::wrong(
            "HELP shows a command's syntax; now type the command itself.",
            Vec::new(),
        );
    }
    let mut first_output = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let mut engine = Engine::new(1_700_000_000_000);
        for setup in case.setup {
            run(&mut engine, setup);
        }
        let reply = engine.execute(1, &argv);
        let output: Vec<String> = text(&reply).lines().map(str::to_owned).collect();
        if n == 0 {
            first_output = output.clone();
        }
        if let Reply::Error(e) = &reply {
            return Verdict::wrong(
                format!(
                    "Redis answered an error: {}.",
                    code(&String::from_utf8_lossy(e))
                ),
                output,
            );
        }
        for (probe, want) in case.probes {
            let got = run(&mut engine, probe)
                .map(|r| text(&r))
                .unwrap_or_default();
            if got != *want {
                let start = if case.setup.is_empty() {
                    "Starting from an empty database".to_owned()
                } else {
                    let setup: Vec<String> = case.setup.iter().map(|c| code(c)).collect();
                    format!("After {}", setup.join(" and "))
                };
                return Verdict::wrong(
                    format!(
                        "{start}, your command leaves {} answering {} where it should answer {}.",
                        code(probe),
                        code(&got),
                        code(want)
                    ),
                    first_output,
                );
            }
        }
    }
    Verdict::right(first_output)
}

/// `text` marked as code for the page: between backticks, which the page shows as code (and
/// nothing else: a reason is never read as lesson markup).
fn code(text: &str) -> String {
    format!("`{text}`")
}

/// `text` ending as a sentence does: with a full stop unless it ends in one, or in `?` or `!`.
fn sentence(text: String) -> String {
    if text.ends_with(['.', '?', '!']) {
        text
    } else {
        text + "."
    }
}

/// Checks an answer given as text: an option's index for choices, a command line otherwise.
pub fn check(question: &Question, answer: &str) -> Verdict {
    match question.answer {
        Answer::Choice { .. } => match answer.trim().parse::<usize>() {
            Ok(i) => check_choice(question, i),
            Err(_) => Verdict::wrong("Pick one of the options.", Vec::new()),
        },
        Answer::Command { .. } => check_command(question, answer),
    }
}

/// The order in which to show a choice question's options: a shuffle that is fixed for each
/// question (seeded by its id), so the right answer is not always in the same place and the page
/// looks the same on every visit. Indices into the question's options; empty for typed questions.
pub fn display_order(question: &Question) -> Vec<usize> {
    let Answer::Choice { options, .. } = question.answer else {
        return Vec::new();
    };
    // FNV-1a of the id, as the seed.
    let seed = question.id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let mut rng = crate::engine::rng::Rng::new(seed);
    let mut order: Vec<usize> = (0..options.len()).collect();
    for i in (1..order.len()).rev() {
        let j = usize::try_from(rng.below(i as u64 + 1)).unwrap_or(0);
        order.swap(i, j);
    }
    order
}

/// Finds a question by id.
pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

/// Every question, in quiz order: the article's two first, then one or more per chapter.
pub static QUESTIONS: &[Question] = &[
    Question {
        id: "views",
        chapter: "core-commands",
        prompt: "Every time a video is played, add one view to the counter `video:views`. Type the command.",
        answer: Answer::Command {
            model: "INCR video:views",
            cases: &[
                Case {
                    setup: &["SET video:views 41"],
                    probes: &[("GET video:views", "\"42\"")],
                },
                Case {
                    setup: &[],
                    probes: &[("GET video:views", "\"1\"")],
                },
            ],
        },
        explanation: "INCR adds one in a single step inside Redis, so two plays at the same moment can never overwrite each other. A missing key counts as 0, so the first play creates the counter.",
        try_it: &["SET video:views 41", "INCR video:views"],
    },
    Question {
        id: "reward",
        chapter: "core-commands",
        prompt: "A user earned a reward: add 50 points to `user:points`. Type the command.",
        answer: Answer::Command {
            model: "INCRBY user:points 50",
            cases: &[
                Case {
                    setup: &["SET user:points 100"],
                    probes: &[("GET user:points", "\"150\"")],
                },
                Case {
                    setup: &["SET user:points 7"],
                    probes: &[("GET user:points", "\"57\"")],
                },
            ],
        },
        explanation: "INCRBY adds any integer atomically (a negative one subtracts). Reading the points, adding 50 in your code and writing them back would lose rewards granted at the same moment. INCR called 50 times ends at the same number, but it is 50 round trips and 50 separate steps with other clients' commands in between, and a client that dies after the 20th leaves a reward half given. One INCRBY is one round trip and one atomic step: all 50 points or none.",
        try_it: &["SET user:points 100", "INCRBY user:points 50"],
    },
    Question {
        id: "missing-key",
        chapter: "atomic",
        prompt: "`INCR post:1:likes` runs on a key that does not exist yet. What does it reply?",
        answer: Answer::Choice {
            options: &[
                "(integer) 1",
                "(nil)",
                "(error) ERR no such key",
                "(integer) 0",
            ],
            correct: 0,
        },
        explanation: "A missing key counts as 0: INCR creates it holding \"1\" and replies 1. No need to initialise counters.",
        try_it: &["DEL post:1:likes", "INCR post:1:likes"],
    },
    Question {
        id: "lost-update",
        chapter: "race",
        prompt: "Two requests run `GET likes` (both read 100), then each runs `SET likes 101`. What is the result?",
        answer: Answer::Choice {
            options: &[
                "likes is 101: one like is lost",
                "likes is 102: Redis queues the writes",
                "The second SET fails with an error",
                "likes is 102 because Redis is single-threaded",
            ],
            correct: 0,
        },
        explanation: "Redis runs one command at a time, but GET and SET are two commands: the other request's commands fit in between. Both write 101, so one like vanishes. INCR does the read and the write inside one command.",
        try_it: &["SET likes 100", "GET likes", "SET likes 101"],
    },
    Question {
        id: "flush",
        chapter: "likes",
        prompt: "A job copies likes to the database: `GET post:99:likes` (it reads 42), then `SET post:99:likes 0`. Three likes arrive between the two. What happens to them?",
        answer: Answer::Choice {
            options: &[
                "They are lost: the SET wipes them out uncounted",
                "They are copied by the next run of the job",
                "Redis holds them back until the SET is done",
                "The SET fails because the value changed",
            ],
            correct: 0,
        },
        explanation: "Nothing ties the GET to the SET, so increments in between are overwritten by the 0. Read and reset in one command: GETDEL post:99:likes, or SET post:99:likes 0 GET.",
        try_it: &["SET post:99:likes 42", "INCR post:99:likes", "GETDEL post:99:likes"],
    },
    Question {
        id: "stock-zero",
        chapter: "flash-sale",
        prompt: "`product:iphone:stock` is \"0\". A buyer runs `DECR product:iphone:stock`. What does Redis reply?",
        answer: Answer::Choice {
            options: &[
                "(integer) -1",
                "(integer) 0",
                "(error) ERR value out of range",
                "(nil)",
            ],
            correct: 0,
        },
        explanation: "DECR does not stop at zero: stock goes negative. The shop must treat a result below 0 as sold out and put the unit back (INCR), or check and decrement atomically (WATCH/MULTI/EXEC or a Lua script).",
        try_it: &["SET product:iphone:stock 0", "DECR product:iphone:stock"],
    },
    Question {
        id: "decrement",
        chapter: "flash-sale",
        prompt: "A buyer takes one iPhone: decrement `product:iphone:stock` by one. Type the command.",
        answer: Answer::Command {
            model: "DECR product:iphone:stock",
            cases: &[
                Case {
                    setup: &["SET product:iphone:stock 100"],
                    probes: &[("GET product:iphone:stock", "\"99\"")],
                },
                Case {
                    setup: &["SET product:iphone:stock 3"],
                    probes: &[("GET product:iphone:stock", "\"2\"")],
                },
            ],
        },
        explanation: "DECR (or DECRBY … 1, or INCRBY … -1) takes one unit in one atomic step and replies the new stock, which tells the buyer at once whether they got one.",
        try_it: &["SET product:iphone:stock 100", "DECR product:iphone:stock"],
    },
    Question {
        id: "crash-between",
        chapter: "rate-limit",
        prompt: "A rate limiter runs `INCR user:123:min:05` and, when it answers 1, `EXPIRE user:123:min:05 60`. On the window's first request the client crashes between the two. What happens to the key?",
        answer: Answer::Choice {
            options: &[
                "It never expires (TTL -1), and the user stays counted forever",
                "Redis rolls the INCR back",
                "It expires after 60 seconds anyway",
                "Redis refuses the INCR without an EXPIRE",
            ],
            correct: 0,
        },
        explanation: "INCR and EXPIRE are two separate commands; nothing ties them together. The window's one EXPIRE is lost, so the key stays for good. (A limiter that sent EXPIRE with every request would get the TTL back at the next request.) Send both in one MULTI/EXEC or one Lua script.",
        try_it: &["INCR user:123:min:05", "TTL user:123:min:05"],
    },
    Question {
        id: "limit-key",
        chapter: "rate-limit",
        prompt: "Create the rate-limit key `user:123:min:07` holding 0 with a 60-second TTL, but only if it does not exist yet, in one command. Type it.",
        answer: Answer::Command {
            model: "SET user:123:min:07 0 EX 60 NX",
            cases: &[
                Case {
                    setup: &[],
                    probes: &[
                        ("GET user:123:min:07", "\"0\""),
                        ("TTL user:123:min:07", "(integer) 60"),
                    ],
                },
                Case {
                    setup: &["SET user:123:min:07 5 EX 30"],
                    probes: &[
                        ("GET user:123:min:07", "\"5\""),
                        ("TTL user:123:min:07", "(integer) 30"),
                    ],
                },
            ],
        },
        explanation: "SET with EX and NX creates the key and its TTL in one step, or does nothing if the window's key exists. It narrows the gap but does not close it: if SET NX finds the key and the key expires before the INCR runs, INCR creates it again without a TTL. Only MULTI/EXEC or a script, during which Redis' clock stands still, closes it.",
        try_it: &["SET user:123:min:07 0 EX 60 NX", "INCR user:123:min:07", "TTL user:123:min:07"],
    },
    Question {
        id: "not-a-number",
        chapter: "core-commands",
        prompt: "`greeting` holds \"abc\". What does `INCR greeting` reply?",
        answer: Answer::Choice {
            options: &[
                "(error) ERR value is not an integer or out of range",
                "(integer) 1",
                "\"abd\"",
                "(error) WRONGTYPE Operation against a key holding the wrong kind of value",
            ],
            correct: 0,
        },
        explanation: "Counters are strings that must parse as a 64-bit integer, strictly: \"abc\", \"1.5\", \" 1\" and \"01\" are all refused, and the value is left alone. WRONGTYPE is for a key of any other type: a hash, a list, a set, a sorted set.",
        try_it: &["SET greeting abc", "INCR greeting", "SADD tags redis", "INCR tags"],
    },
    Question {
        id: "leaderboard",
        chapter: "leaderboard",
        prompt: "Player `alice` scores 10 points in the sorted set `game:scores`. Type the command.",
        answer: Answer::Command {
            model: "ZINCRBY game:scores 10 alice",
            cases: &[
                Case {
                    setup: &["ZADD game:scores 5 alice 20 bob"],
                    probes: &[
                        ("ZSCORE game:scores alice", "\"15\""),
                        ("ZSCORE game:scores bob", "\"20\""),
                    ],
                },
                Case {
                    setup: &[],
                    probes: &[("ZSCORE game:scores alice", "\"10\"")],
                },
            ],
        },
        explanation: "ZINCRBY adds to a member's score atomically and keeps the set ordered, so `ZRANGE game:scores 0 9 REV WITHSCORES` is always a correct top 10 (`ZREVRANGE` does the same but is deprecated since Redis 6.2). `ZADD game:scores INCR 10 alice` adds the points too.",
        try_it: &["ZINCRBY game:scores 10 alice", "ZRANGE game:scores 0 9 REV WITHSCORES"],
    },
    Question {
        id: "hash-counter",
        chapter: "per-user",
        prompt: "Count one more like for user 42 in the field `likes` of the hash `user:42`. Type the command.",
        answer: Answer::Command {
            model: "HINCRBY user:42 likes 1",
            cases: &[
                Case {
                    setup: &["HSET user:42 likes 9 posts 3"],
                    probes: &[
                        ("HGET user:42 likes", "\"10\""),
                        ("HGET user:42 posts", "\"3\""),
                    ],
                },
                Case {
                    setup: &[],
                    probes: &[("HGET user:42 likes", "\"1\"")],
                },
            ],
        },
        explanation: "HINCRBY is INCRBY for one field of a hash. Keeping a user's counters in one small hash saves the per-key overhead of one key per counter.",
        try_it: &["HINCRBY user:42 likes 1", "HGETALL user:42"],
    },
    Question {
        id: "sql-atomic",
        chapter: "pros-cons",
        prompt: "Which SQL statement adds a like without losing concurrent ones?",
        answer: Answer::Choice {
            options: &[
                "UPDATE posts SET likes = likes + 1 WHERE id = 99",
                "SELECT likes …, then UPDATE posts SET likes = 101 WHERE id = 99",
                "Neither: only Redis can increment atomically",
                "Both, because each statement is atomic",
            ],
            correct: 0,
        },
        explanation: "A relational database reads and writes the row inside one UPDATE, under a row lock, so `likes = likes + 1` is atomic too, in one round trip. SELECT then UPDATE with a value computed by the client races exactly like GET then SET. Redis' edge is no commit flushed per update and no row lock held until a commit, not atomicity.",
        try_it: &[],
    },
    Question {
        id: "everysec",
        chapter: "durability",
        prompt: "Redis runs with `appendonly yes` and `appendfsync everysec`, and the machine loses power. How many acknowledged increments can be lost?",
        answer: Answer::Choice {
            options: &[
                "About the last second's worth",
                "None: every write is on disk before the reply",
                "Everything since the last RDB snapshot",
                "All of them: Redis keeps data only in memory",
            ],
            correct: 0,
        },
        explanation: "`appendfsync everysec` writes the log on every command but asks the disk to persist it about once a second, so up to ~1 s (up to 2 s if the disk is slow) can be lost. `appendfsync always` loses none, at the cost of a disk sync per write.",
        try_it: &[],
    },
    Question {
        id: "window-edge",
        chapter: "rate-limit",
        prompt: "A fixed-window limiter allows 100 requests per minute. At most how many requests can get through within two seconds?",
        answer: Answer::Choice {
            options: &["200", "100", "101", "It depends on the TTL"],
            correct: 0,
        },
        explanation: "100 in the last second of one window and 100 in the first second of the next: each window is within its limit, yet 200 pass in two seconds. Sliding windows or token buckets smooth this out.",
        try_it: &[],
    },
    Question {
        id: "float",
        chapter: "core-commands",
        prompt: "`INCRBYFLOAT price 0.1` runs three times on a missing key. What does the third reply?",
        answer: Answer::Choice {
            options: &["\"0.3\"", "\"0.30000000000000004\"", "(integer) 0", "\"0.30\""],
            correct: 0,
        },
        explanation: "Redis computes INCRBYFLOAT in C's long double and prints 17 decimals with trailing zeros removed. On x86-64 that is 80-bit extended precision, so you see \"0.3\" where a 64-bit double would show 0.30000000000000004; this engine imitates x86-64 Redis. The platform decides: aarch64 Linux has a 128-bit long double (also \"0.3\"), macOS on arm64 a plain 64-bit double (\"0.30000000000000004\"). Keep money in integer cents with INCRBY.",
        try_it: &["DEL price", "INCRBYFLOAT price 0.1", "INCRBYFLOAT price 0.1", "INCRBYFLOAT price 0.1"],
    },
    Question {
        id: "rating",
        chapter: "summary",
        prompt: "Add 2.5 to the rating total `video:7:rating`, which holds a fraction. Type the command.",
        answer: Answer::Command {
            model: "INCRBYFLOAT video:7:rating 2.5",
            cases: &[
                Case {
                    setup: &["SET video:7:rating 10"],
                    probes: &[("GET video:7:rating", "\"12.5\"")],
                },
                Case {
                    setup: &["SET video:7:rating 0.5"],
                    probes: &[("GET video:7:rating", "\"3\"")],
                },
            ],
        },
        explanation: "INCRBY takes whole numbers only; INCRBYFLOAT adds a fraction atomically and replies the new value as text. For money, count whole cents with INCRBY instead.",
        try_it: &["SET video:7:rating 10", "INCRBYFLOAT video:7:rating 2.5"],
    },
    Question {
        id: "watch",
        chapter: "race",
        prompt: "A client runs `WATCH likes`, `GET likes`, `MULTI`, `SET likes 101`, `EXEC` — but another client changed `likes` before the EXEC. What does EXEC reply?",
        answer: Answer::Choice {
            options: &[
                "(nil): nothing ran, the client must retry",
                "OK, and the SET overwrote the other change",
                "(error) EXECABORT",
                "The other client's change is rolled back",
            ],
            correct: 0,
        },
        explanation: "WATCH makes the transaction conditional: if a watched key changed, EXEC runs nothing and replies nil. That is optimistic locking — correct, but under contention clients retry a lot, which is why INCR is better for counters.",
        try_it: &[],
    },
    Question {
        id: "overflow",
        chapter: "core-commands",
        prompt: "`n` holds 9223372036854775807 (the largest 64-bit integer). What does `INCR n` do?",
        answer: Answer::Choice {
            options: &[
                "Replies (error) ERR increment or decrement would overflow, and n is unchanged",
                "Wraps around to -9223372036854775808",
                "Switches to a float",
                "Replies (integer) 9223372036854775808",
            ],
            correct: 0,
        },
        explanation: "Counters are signed 64-bit integers; Redis checks before adding and refuses an overflow, leaving the value as it was.",
        try_it: &["SET n 9223372036854775807", "INCR n"],
    },
    Question {
        id: "reward-once",
        chapter: "core-commands",
        prompt: "The article's quiz grants a 50-point reward with `INCR user:points` called 50 times. Why is one `INCRBY user:points 50` better?",
        answer: Answer::Choice {
            options: &[
                "One round trip and one atomic step: a client that dies halfway cannot leave the reward half given",
                "It is not: 50 INCRs are just as atomic as one INCRBY",
                "INCR cannot count past 49 in one second",
                "Redis merges the 50 INCRs into one anyway",
            ],
            correct: 0,
        },
        explanation: "Each INCR is atomic on its own, but 50 of them are 50 round trips and 50 separate steps: other clients' commands run in between, and a crash after the 20th leaves 20 points given. INCRBY 50 adds all 50 in one step, or nothing.",
        try_it: &["SET user:points 100", "INCRBY user:points 50"],
    },
    Question {
        id: "no-rollback",
        chapter: "rate-limit",
        prompt: "`visits` holds \"abc\". A client sends `MULTI`, `INCR visits`, `EXPIRE visits 60`, `EXEC`. What happens?",
        answer: Answer::Choice {
            options: &[
                "The INCR fails and the EXPIRE still runs: Redis has no rollback",
                "Both are rolled back and EXEC answers an error",
                "EXEC refuses the whole block with EXECABORT",
                "The INCR turns \"abc\" into 1",
            ],
            correct: 0,
        },
        explanation: "MULTI/EXEC runs the queued commands one after the other with nothing in between, but it undoes nothing: a command that fails as it runs fails alone. Only a command refused while it is queued (a wrong number of arguments) makes EXEC refuse the whole block with EXECABORT.",
        try_it: &["SET visits abc", "MULTI", "INCR visits", "EXPIRE visits 60", "EXEC"],
    },
    Question {
        id: "set-nx-gap",
        chapter: "rate-limit",
        prompt: "`SET user:9:win 0 EX 60 NX` answers nil (the key exists), then the key expires before the client's `INCR user:9:win` arrives. What does the INCR leave?",
        answer: Answer::Choice {
            options: &[
                "A key holding 1 with no TTL",
                "A key holding 1 that expires in 60 seconds",
                "Nothing: INCR fails on an expired key",
                "A key holding 61",
            ],
            correct: 0,
        },
        explanation: "To INCR a missing key is to create it holding 1, with no TTL. SET … NX before INCR narrows the gap, but Redis reads its clock afresh for each command; only MULTI/EXEC or a script, during which its clock stands still, closes it.",
        try_it: &["DEL user:9:win", "INCR user:9:win", "TTL user:9:win"],
    },
    Question {
        id: "expire-nx",
        chapter: "rate-limit",
        prompt: "Give `user:123:min:10` a 60-second TTL only if it has none yet, so that later requests never move the window's end. Type the command (Redis 7.0).",
        answer: Answer::Command {
            model: "EXPIRE user:123:min:10 60 NX",
            cases: &[
                Case {
                    setup: &["SET user:123:min:10 5"],
                    probes: &[("TTL user:123:min:10", "(integer) 60")],
                },
                Case {
                    setup: &["SET user:123:min:10 5 EX 30"],
                    probes: &[
                        ("TTL user:123:min:10", "(integer) 30"),
                        ("GET user:123:min:10", "\"5\""),
                    ],
                },
            ],
        },
        explanation: "`EXPIRE key 60 NX` sets a timeout only on a key that has none. Sent with every request inside MULTI, it never pushes the window's end later and gives a TTL back to a key that lost its own.",
        try_it: &["SET user:123:min:10 5 EX 30", "EXPIRE user:123:min:10 60 NX", "TTL user:123:min:10"],
    },
    Question {
        id: "sliding",
        chapter: "rate-limit",
        prompt: "A weighted sliding window: 80 requests in the previous minute, 20 in this one, and 15 seconds of this minute gone. What does it estimate for the last 60 seconds?",
        answer: Answer::Choice {
            options: &["80", "100", "20", "65"],
            correct: 0,
        },
        explanation: "45 of the previous minute's 60 seconds are still inside the window: 80 × 45/60 + 20 = 60 + 20 = 80. It assumes the previous minute's requests were spread evenly. A sorted-set log counts exactly, at one member per request.",
        try_it: &["SET user:123:min:14 80", "SET user:123:min:15 19", "EVAL \"local cur = redis.call('INCR', KEYS[2]) if cur == 1 then redis.call('EXPIRE', KEYS[2], 120) end local prev = tonumber(redis.call('GET', KEYS[1]) or '0') return math.floor(prev * (60 - ARGV[1]) / 60) + cur\" 2 user:123:min:14 user:123:min:15 15"],
    },
    Question {
        id: "retry-twice",
        chapter: "likes",
        prompt: "A client's `INCR post:99:likes` times out and the client sends it again. What can happen?",
        answer: Answer::Choice {
            options: &[
                "The like counts twice, if the first INCR had run",
                "Redis drops the second INCR as a duplicate",
                "The second INCR fails with an error",
                "Nothing: INCR is idempotent",
            ],
            correct: 0,
        },
        explanation: "INCR is not idempotent: each run adds one, and a client whose request timed out cannot tell whether it ran. Remember the liker with SADD and count only when SADD answers 1, both in one script: a retry then adds nothing.",
        try_it: &["SADD post:99:likers user:7", "SADD post:99:likers user:7", "SCARD post:99:likers"],
    },
    Question {
        id: "liker",
        chapter: "likes",
        prompt: "Remember that `user:7` liked post 99, in the set `post:99:likers`. Type the command.",
        answer: Answer::Command {
            model: "SADD post:99:likers user:7",
            cases: &[
                Case {
                    setup: &[],
                    probes: &[
                        ("SISMEMBER post:99:likers user:7", "(integer) 1"),
                        ("SCARD post:99:likers", "(integer) 1"),
                    ],
                },
                Case {
                    setup: &["SADD post:99:likers user:3 user:7"],
                    probes: &[("SCARD post:99:likers", "(integer) 2")],
                },
            ],
        },
        explanation: "SADD answers how many members it added: 1 for a new liker, 0 for one already there. Count the like only on 1, in the same script, and a second tap or a retry counts nothing; SCARD gives the count without any counter.",
        try_it: &["SADD post:99:likers user:7", "SADD post:99:likers user:7", "SCARD post:99:likers"],
    },
    Question {
        id: "hot-key",
        chapter: "likes",
        prompt: "A Redis Cluster has 10 primaries, and one post's like counter gets a million INCRs a second. How many primaries execute them?",
        answer: Answer::Choice {
            options: &[
                "One: the key lives in one hash slot, on one primary",
                "All ten, in turn",
                "Ten, one per replica",
                "As many as the client library opens connections to",
            ],
            correct: 0,
        },
        explanation: "A key maps to one of 16,384 hash slots, and a slot to one primary. Spread the counter over N keys (INCR a random one) and they spread over slots and servers; the price is a read of N keys, which in a cluster cannot share one MGET.",
        try_it: &["INCR post:99:likes:2", "INCR post:99:likes:0", "MGET post:99:likes:0 post:99:likes:1 post:99:likes:2 post:99:likes:3"],
    },
    Question {
        id: "bitfield-fail",
        chapter: "flash-sale",
        prompt: "The stock is the unsigned 32-bit field at offset 0 of `flash:stock`. Take one unit, in one command that refuses to go below 0. Type the command.",
        answer: Answer::Command {
            model: "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1",
            cases: &[
                Case {
                    setup: &["BITFIELD flash:stock SET u32 0 2"],
                    probes: &[("BITFIELD flash:stock GET u32 0", "1) (integer) 1")],
                },
                Case {
                    setup: &["BITFIELD flash:stock SET u32 0 0"],
                    probes: &[("BITFIELD flash:stock GET u32 0", "1) (integer) 0")],
                },
            ],
        },
        explanation: "With OVERFLOW FAIL an INCRBY that would leave the field's range does nothing and answers nil, so the stock stops at 0 inside Redis. Without it BITFIELD wraps: 0 minus 1 becomes 4294967295. The catch: the value is raw bytes, read with BITFIELD … GET.",
        try_it: &["BITFIELD flash:stock SET u32 0 1", "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1", "BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1"],
    },
    Question {
        id: "failover",
        chapter: "durability",
        prompt: "A client's `INCR` was answered `(integer) 101`. The primary then dies, and a replica that had not yet received that write is promoted. What does the counter show?",
        answer: Answer::Choice {
            options: &[
                "100: the acknowledged increment is gone",
                "101: replicas receive every write before the client's reply",
                "101: Redis never promotes a replica that is behind",
                "An error until the old primary is back",
            ],
            correct: 0,
        },
        explanation: "Replication is asynchronous: the primary replies first and sends the write to its replicas afterwards. A failover to a replica that missed it loses acknowledged increments, and the new primary counts on from its older value.",
        try_it: &[],
    },
    Question {
        id: "wait",
        chapter: "durability",
        prompt: "After an INCR, the client runs `WAIT 1 100`. What does that promise?",
        answer: Answer::Choice {
            options: &[
                "Only how many replicas acknowledged the write within 100 ms",
                "That the write is on a replica's disk",
                "That the write is undone if no replica got it",
                "That no failover can lose the write",
            ],
            correct: 0,
        },
        explanation: "WAIT blocks until the given number of replicas have acknowledged the client's earlier writes, or the timeout passes, and answers how many did. A replica acknowledges receiving, not saving; nothing is undone when too few answered; a failover can still pick a replica that missed it.",
        try_it: &[],
    },
    Question {
        id: "round-trips",
        chapter: "race",
        prompt: "In the flood the simulated server spends 2 µs on a command and the network 0.5 to 1.5 ms on a round trip. One client sends 100 INCRs, each waiting for the previous reply. About how long does that take?",
        answer: Answer::Choice {
            options: &[
                "About 100 ms, nearly all of it on the network",
                "About 200 µs",
                "About 2 ms",
                "About 10 seconds",
            ],
            correct: 0,
        },
        explanation: "100 round trips of about 1 ms each, against 200 µs of work in Redis. Sent as one pipeline (100 commands, one round trip) the same INCRs take about 1.2 ms. Redis 6.0's I/O threads read and write sockets in parallel, but commands still run one at a time on the main thread.",
        try_it: &["10 INCR likes"],
    },
    Question {
        id: "pipelining",
        chapter: "race",
        prompt: "In the flood each client adds 10 likes, with pipelining on. Which strategy still takes two round trips per like?",
        answer: Answer::Choice {
            options: &[
                "GET then SET: each SET waits for its GET's reply",
                "INCR: Redis must answer one INCR before it reads the next",
                "The Lua script: EVAL cannot be pipelined",
                "None: a pipeline sends every command in one round trip",
            ],
            correct: 0,
        },
        explanation: "A pipeline carries only commands that need no earlier reply. The SET carries the value the GET returned, so it cannot leave before that reply: two round trips per like, and likes are still lost. Ten INCRs or ten EVALs need nothing from each other's replies, so a client sends all ten in one round trip.",
        try_it: &[],
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str) -> &'static Question {
        question(id).expect("question exists")
    }

    #[test]
    fn every_typed_question_accepts_its_model_answer_and_every_choice_has_its_answer() {
        assert!(QUESTIONS.len() >= 25);
        for question in QUESTIONS {
            match question.answer {
                Answer::Command { model, .. } => {
                    let v = check_command(question, model);
                    assert!(v.correct, "{}: {}", question.id, v.reason);
                }
                Answer::Choice { options, correct } => assert!(correct < options.len()),
            }
        }
    }

    #[test]
    fn typed_answers_are_judged_by_what_they_do() {
        for right in [
            "INCR video:views",
            "incr video:views",
            "INCRBY video:views 1",
            "\"INCR\" 'video:views'",
        ] {
            assert!(check_command(q("views"), right).correct, "{right}");
        }
        let fixed = check_command(q("views"), "SET video:views 42");
        assert!(!fixed.correct);
        assert!(
            fixed.reason.contains("Starting from an empty database"),
            "{}",
            fixed.reason
        );
        let wrong_key = check_command(q("views"), "INCR views");
        assert!(!wrong_key.correct);
        let error = check_command(q("reward"), "INCRBY user:points fifty");
        assert!(!error.correct);
        assert!(error.reason.contains("not an integer"));
        assert_eq!(
            error.output,
            vec!["(error) ERR value is not an integer or out of range"]
        );
        assert!(check_command(q("reward"), "INCRBY user:points 50").correct);
        assert!(check_command(q("decrement"), "INCRBY product:iphone:stock -1").correct);
        assert!(check_command(q("leaderboard"), "ZADD game:scores INCR 10 alice").correct);
        assert!(!check_command(q("leaderboard"), "ZADD game:scores 15 alice").correct);
        assert!(!check_command(q("views"), "INCR \"video:views").correct);
        assert!(!check_command(q("views"), "   ").correct);
        for right in [
            "SET user:123:min:07 0 EX 60 NX",
            "set user:123:min:07 0 nx px 60000",
        ] {
            assert!(check_command(q("limit-key"), right).correct, "{right}");
        }
        for wrong in [
            "SET user:123:min:07 0 EX 60",
            "SET user:123:min:07 0 NX",
            "INCR user:123:min:07",
        ] {
            assert!(!check_command(q("limit-key"), wrong).correct, "{wrong}");
        }
        assert!(check_command(q("rating"), "incrbyfloat video:7:rating 2.50").correct);
        assert!(!check_command(q("rating"), "INCRBY video:7:rating 2").correct);
    }

    /// Fails unless `text` reads as sentences: backticks paired, a capital (or code) to start
    /// it and after every full stop, no double space, no space before punctuation, no doubled
    /// punctuation, and a final full stop (or `?`, `!`).
    fn assert_sentences(text: &str) {
        assert_eq!(
            text.matches('`').count() % 2,
            0,
            "unpaired backtick: {text:?}"
        );
        // Code spans read as one capitalised word: their own punctuation is Redis', not ours.
        let prose: String = text
            .split('`')
            .enumerate()
            .map(|(i, part)| if i % 2 == 1 { "Code" } else { part })
            .collect();
        let starts_well = |s: &str| {
            s.chars()
                .next()
                .is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || "“\"(".contains(c))
        };
        assert!(starts_well(&prose), "starts in lower case: {text:?}");
        for stop in [". ", "? ", "! "] {
            for (at, _) in prose.match_indices(stop) {
                let rest = &prose[at + stop.len()..];
                assert!(starts_well(rest), "lower case after {stop:?}: {text:?}");
            }
        }
        for bad in ["  ", " .", " ,", " :", " ;", "..", ",.", ".,", "::", ",,"] {
            assert!(!prose.contains(bad), "{bad:?} in {text:?}");
        }
        assert!(
            prose.trim_end_matches(')').ends_with(['.', '?', '!']),
            "no full stop at the end: {text:?}"
        );
    }

    #[test]
    fn every_feedback_text_reads_as_sentences() {
        let mut texts: Vec<String> = Vec::new();
        for question in QUESTIONS {
            texts.push(question.explanation.to_owned());
            match question.answer {
                Answer::Choice { options, correct } => {
                    for picked in (0..options.len()).filter(|&i| i != correct) {
                        texts.push(check_choice(question, picked).reason);
                    }
                    texts.push(check(question, "not a number").reason);
                    texts.push(check_command(question, "INCR x").reason);
                }
                Answer::Command { model, cases } => {
                    let mut wrong: Vec<String> = [
                        "",
                        "   ",
                        "HELP INCR",
                        "SET \"oops",
                        "FOO bar",
                        "INCR",
                        "PING",
                        "GET x",
                        "SET x 1",
                        "INCRBY x fifty",
                        "FLUSHALL",
                    ]
                    .iter()
                    .map(|s| (*s).to_owned())
                    .collect();
                    wrong.push(format!("{model} extra"));
                    for case in cases {
                        wrong.extend(case.setup.iter().map(|s| (*s).to_owned()));
                        wrong.extend(case.probes.iter().map(|(p, _)| (*p).to_owned()));
                    }
                    for line in wrong {
                        let verdict = check_command(question, &line);
                        assert!(!verdict.correct, "{}: {line}", question.id);
                        texts.push(verdict.reason);
                    }
                    texts.push(check_choice(question, 0).reason);
                }
            }
        }
        assert!(texts.len() > 100, "{} texts", texts.len());
        for text in &texts {
            assert_sentences(text);
        }
    }

    /// Runs a question's "try it" commands on a fresh engine, as the console would; the printed
    /// answers, in order.
    fn tried(id: &str) -> Vec<String> {
        let mut e = Engine::new(1_700_000_000_000);
        q(id)
            .try_it
            .iter()
            .map(|line| {
                let out = crate::console::eval_line(&mut e, 1, line);
                String::from_utf8_lossy(&out.to_bytes())
                    .trim_end()
                    .to_owned()
            })
            .collect()
    }

    /// The right option of each question about a command's answer is what the engine answers.
    #[test]
    fn the_new_questions_right_answers_are_what_the_engine_does() {
        assert_eq!(
            tried("no-rollback").last().map(String::as_str),
            Some("1) (error) ERR value is not an integer or out of range\n2) (integer) 1")
        );
        assert_eq!(tried("set-nx-gap")[1..], ["(integer) 1", "(integer) -1"]);
        assert_eq!(
            tried("sliding").last().map(String::as_str),
            Some("(integer) 80")
        );
        assert!(q("sliding").explanation.contains("80 × 45/60 + 20"));
        assert_eq!(
            tried("retry-twice"),
            ["(integer) 1", "(integer) 0", "(integer) 1"]
        );
        assert_eq!(
            tried("hot-key").last().map(String::as_str),
            Some("1) \"1\"\n2) (nil)\n3) \"1\"\n4) (nil)")
        );
        assert_eq!(
            tried("bitfield-fail")[1..],
            ["1) (integer) 0", "1) (nil)"],
            "the second take is refused, the stock stays 0"
        );
        assert_eq!(tried("expire-nx")[1..], ["(integer) 0", "(integer) 30"]);
        assert_eq!(
            tried("reward").last().map(String::as_str),
            Some("(integer) 150")
        );
        // The wrapping BITFIELD the explanation warns about, and typed answers that are not it.
        let mut e = Engine::new(0);
        let mut say = |line: &str| text(&run(&mut e, line).expect("a command"));
        say("BITFIELD flash:stock SET u32 0 0");
        assert_eq!(
            say("BITFIELD flash:stock INCRBY u32 0 -1"),
            "1) (integer) 4294967295"
        );
        assert!(!check_command(q("bitfield-fail"), "BITFIELD flash:stock INCRBY u32 0 -1").correct);
        assert!(!check_command(q("bitfield-fail"), "DECR flash:stock").correct);
        assert!(check_command(q("expire-nx"), "pexpire user:123:min:10 60000 nx").correct);
        assert!(!check_command(q("expire-nx"), "EXPIRE user:123:min:10 60").correct);
        assert!(!check_command(q("liker"), "INCR post:99:likers").correct);
    }

    /// The latency question's figures are the flood's own (its simulated server and network).
    #[test]
    fn the_round_trip_question_quotes_the_simulations_figures() {
        use crate::simulation::sim::{Config, Latency};
        let config = Config::default();
        assert_eq!(config.service_us, 2);
        let Latency {
            one_way_us,
            jitter_us,
        } = config.latency;
        assert_eq!((2 * one_way_us, 2 * (one_way_us + jitter_us)), (500, 1_500));
        assert!(q("round-trips").prompt.contains("2 µs"));
        assert!(q("round-trips").prompt.contains("0.5 to 1.5 ms"));
    }

    #[test]
    fn options_are_shown_in_a_fixed_shuffle_that_moves_the_right_answer_around() {
        let mut positions = std::collections::BTreeSet::new();
        for question in QUESTIONS {
            let order = display_order(question);
            assert_eq!(order, display_order(question), "stable");
            match question.answer {
                Answer::Choice { options, correct } => {
                    let mut sorted = order.clone();
                    sorted.sort_unstable();
                    assert_eq!(
                        sorted,
                        (0..options.len()).collect::<Vec<_>>(),
                        "a permutation"
                    );
                    positions.insert(order.iter().position(|&i| i == correct));
                }
                Answer::Command { .. } => assert!(order.is_empty()),
            }
        }
        assert!(positions.len() >= 3, "right answers shown at {positions:?}");
    }

    #[test]
    fn the_facts_the_choices_claim_hold_on_the_engine() {
        let mut e = Engine::new(0);
        let mut say = |line: &str| text(&run(&mut e, line).expect("a command"));
        say("SET product:iphone:stock 0");
        assert_eq!(say("DECR product:iphone:stock"), "(integer) -1");
        assert_eq!(say("INCR post:1:likes"), "(integer) 1");
        say("SET greeting abc");
        assert_eq!(
            say("INCR greeting"),
            "(error) ERR value is not an integer or out of range"
        );
        for _ in 0..2 {
            say("INCRBYFLOAT price 0.1");
        }
        assert_eq!(say("INCRBYFLOAT price 0.1"), "\"0.3\"");
        say("SET n 9223372036854775807");
        assert_eq!(
            say("INCR n"),
            "(error) ERR increment or decrement would overflow"
        );
        say("INCR user:123:min:05");
        assert_eq!(say("TTL user:123:min:05"), "(integer) -1");
        assert!(check_choice(q("stock-zero"), 0).correct);
        assert!(!check_choice(q("stock-zero"), 1).correct);
        assert!(check(q("float"), "0").correct);
        assert!(!check(q("float"), "x").correct);
    }
}

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
        explanation: "INCRBY adds any integer atomically (a negative one subtracts). Reading the points, adding 50 in your code and writing them back would lose rewards granted at the same moment.",
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
        prompt: "A rate limiter runs `INCR user:123:min:05`, then `EXPIRE user:123:min:05 60`. The client crashes between the two. What happens to the key?",
        answer: Answer::Choice {
            options: &[
                "It never expires (TTL -1), and the user stays counted forever",
                "Redis rolls the INCR back",
                "It expires after 60 seconds anyway",
                "Redis refuses the INCR without an EXPIRE",
            ],
            correct: 0,
        },
        explanation: "INCR and EXPIRE are two separate commands; nothing ties them together. Send them in one MULTI/EXEC, or create the key with `SET key 0 EX 60 NX` before the INCR.",
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
        explanation: "SET with EX and NX creates the key and its TTL in one step, or does nothing if the window's key exists. The INCR that follows can then never leave a key without a TTL.",
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
        explanation: "Counters are strings that must parse as a 64-bit integer, strictly: \"abc\", \"1.5\", \" 1\" and \"01\" are all refused, and the value is left alone. WRONGTYPE is for keys holding a hash or a sorted set.",
        try_it: &["SET greeting abc", "INCR greeting"],
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
        explanation: "ZINCRBY adds to a member's score atomically and keeps the set ordered, so ZREVRANGE game:scores 0 9 WITHSCORES is always a correct top 10. (ZADD game:scores INCR 10 alice does the same.)",
        try_it: &["ZINCRBY game:scores 10 alice", "ZREVRANGE game:scores 0 9 WITHSCORES"],
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
        explanation: "A relational database reads and writes the row inside one UPDATE, under a row lock, so `likes = likes + 1` is atomic too. SELECT then UPDATE with a value computed by the client races exactly like GET then SET. Redis' edge is speed, not atomicity.",
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
        explanation: "Redis computes INCRBYFLOAT in 80-bit extended precision and prints 17 decimals with trailing zeros removed, so you see \"0.3\" where a 64-bit double would show 0.30000000000000004. Still, keep money in integer cents with INCRBY.",
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
];

#[cfg(test)]
mod tests {
    use super::*;

    fn q(id: &str) -> &'static Question {
        question(id).expect("question exists")
    }

    #[test]
    fn every_typed_question_accepts_its_model_answer_and_every_choice_has_its_answer() {
        assert!(QUESTIONS.len() >= 12);
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

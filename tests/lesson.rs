//! The lesson's content, checked the way a learner would meet it: every command it offers runs in
//! the console, every link leads to a chapter or a box that exists, every chapter has quiz
//! questions, and the article's sloppy spots each have their correction.

use std::collections::BTreeSet;

use incr_lab::console::{eval_line, eval_line_in, Kind};
use incr_lab::engine::{Engine, Protocol};
use incr_lab::lesson::quiz::QUESTIONS;
use incr_lab::lesson::{
    chapter_index, inline, resolve, runnable, Block, Demo, Inline, Target, CHAPTERS,
};
use incr_lab::simulation::scenarios::LabId;

fn texts(block: &Block) -> Vec<&'static str> {
    match *block {
        Block::Para(text) | Block::Heading(text) => vec![text],
        Block::List(items) => items.to_vec(),
        Block::Caveat(c) => vec![c.title, c.text],
        Block::Run(_) | Block::Demo(_) => Vec::new(),
    }
}

fn caveat_ids(chapter: usize) -> Vec<&'static str> {
    CHAPTERS[chapter]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Caveat(c) => Some(c.id),
            _ => None,
        })
        .collect()
}

#[test]
fn chapters_have_unique_ids_and_follow_the_article() {
    let ids: Vec<&str> = CHAPTERS.iter().map(|c| c.id).collect();
    assert_eq!(
        ids,
        [
            "atomic",
            "core-commands",
            "race",
            "likes",
            "flash-sale",
            "rate-limit",
            "leaderboard",
            "per-user",
            "durability",
            "pros-cons",
            "summary",
            "quiz",
            "challenges"
        ]
    );
    let all_caveats: Vec<&str> = (0..CHAPTERS.len()).flat_map(caveat_ids).collect();
    let unique: BTreeSet<&str> = all_caveats.iter().copied().collect();
    assert_eq!(
        unique.len(),
        all_caveats.len(),
        "caveat ids are element ids: unique"
    );
    for id in &all_caveats {
        assert!(
            chapter_index(id).is_none(),
            "{id}: a caveat id must not be a chapter id"
        );
    }
}

#[test]
fn every_command_the_lesson_offers_runs_in_the_console() {
    for chapter in CHAPTERS {
        // One engine per chapter, commands in reading order: what a learner clicking through sees.
        let mut engine = Engine::new(1_700_000_000_000);
        let mut replies = Vec::new();
        for command in runnable(chapter) {
            let out = eval_line(&mut engine, 1, command);
            let text = String::from_utf8_lossy(&out.to_bytes())
                .trim_end()
                .to_owned();
            assert!(
                matches!(out.kind, Kind::Reply | Kind::Error),
                "{}: {command} → {:?}",
                chapter.id,
                out.kind
            );
            for bad in [
                "unknown command",
                "wrong number",
                "syntax error",
                "ERR unknown",
            ] {
                assert!(!text.contains(bad), "{}: {command} → {text}", chapter.id);
            }
            replies.push((command, text));
        }
        let errors: Vec<&(&str, String)> = replies
            .iter()
            .filter(|(_, t)| t.starts_with("(error)"))
            .collect();
        // The only deliberate errors: INCR on "abc" and INCRBY past 2⁶³−1 in the core commands'
        // caveat.
        let expected_errors = if chapter.id == "core-commands" { 2 } else { 0 };
        assert_eq!(errors.len(), expected_errors, "{}: {errors:?}", chapter.id);
        let reply = |command: &str| {
            replies
                .iter()
                .rev()
                .find(|(c, _)| *c == command)
                .map(|(_, t)| t.as_str())
        };
        let every = |command: &str| -> Vec<&str> {
            replies
                .iter()
                .filter(|(c, _)| *c == command)
                .map(|(_, t)| t.as_str())
                .collect()
        };
        match chapter.id {
            "atomic" => assert_eq!(reply("GET likes"), Some("\"101\"")),
            "core-commands" => {
                assert_eq!(reply("DECR stock"), Some("(integer) -1"));
                assert_eq!(reply("TTL user:123:min:05"), Some("(integer) 60"));
                assert_eq!(
                    reply("INCR greeting"),
                    Some("(error) ERR value is not an integer or out of range")
                );
                assert_eq!(
                    every("INCRBY big 1"),
                    [
                        "(integer) 9223372036854775807",
                        "(error) ERR increment or decrement would overflow"
                    ]
                );
                assert_eq!(
                    reply("ZRANGE board 0 -1 REV WITHSCORES"),
                    Some("1) \"bob\"\n2) \"25\"\n3) \"alice\"\n4) \"10\"")
                );
            }
            "likes" => {
                assert_eq!(reply("GETDEL post:99:likes"), Some("\"11\""));
                // Counted once, however often the script runs for user:7.
                let idempotent: Vec<&str> = replies
                    .iter()
                    .filter(|(c, _)| c.starts_with("EVAL") && c.ends_with("user:7"))
                    .map(|(_, t)| t.as_str())
                    .collect();
                assert_eq!(idempotent, ["(integer) 1", "(integer) 1"]);
                assert_eq!(reply("SCARD post:99:likers"), Some("(integer) 1"));
                assert_eq!(
                    reply("MGET post:99:likes:0 post:99:likes:1 post:99:likes:2 post:99:likes:3"),
                    Some("1) \"1\"\n2) (nil)\n3) \"2\"\n4) (nil)")
                );
            }
            "flash-sale" => {
                assert_eq!(reply("INCR product:iphone:stock"), Some("(integer) 0"));
                assert_eq!(
                    every("BITFIELD flash:stock OVERFLOW FAIL INCRBY u32 0 -1"),
                    ["1) (integer) 1", "1) (integer) 0", "1) (nil)"],
                    "two units taken, the third refused"
                );
                assert_eq!(
                    reply("BITFIELD flash:stock GET u32 0"),
                    Some("1) (integer) 0")
                );
            }
            "rate-limit" => {
                assert_eq!(
                    every("EXEC"),
                    [
                        "1) (integer) 1\n2) (integer) 1",
                        // No rollback: the INCR fails, the EXPIRE still runs.
                        "1) (error) ERR value is not an integer or out of range\n2) (integer) 1",
                        // EXPIRE NX: the first request sets the window's end, the next keeps it.
                        "1) (integer) 1\n2) (integer) 1",
                        "1) (integer) 2\n2) (integer) 0",
                        // The log: nothing old to drop, one added, one counted, TTL set.
                        "1) (integer) 0\n2) (integer) 1\n3) (integer) 1\n4) (integer) 1",
                    ]
                );
                assert_eq!(reply("INCR user:123:min:07"), Some("(integer) 1"));
                let weighted = replies
                    .iter()
                    .find(|(c, _)| c.starts_with("EVAL") && c.ends_with(" 15"))
                    .map(|(_, t)| t.as_str());
                assert_eq!(weighted, Some("(integer) 61"), "80 × 45/60 + 1");
            }
            "leaderboard" => {
                assert_eq!(
                    reply("ZRANGE game:scores 0 9 REV WITHSCORES"),
                    Some("1) \"bob\"\n2) \"30\"\n3) \"carol\"\n4) \"10\"\n5) \"alice\"\n6) \"10\""),
                    "the ties caveat's claim"
                );
                assert_eq!(reply("ZREVRANK game:scores alice"), Some("(integer) 2"));
                // Time folded into the score: the first to reach 3 points ranks above.
                assert_eq!(
                    reply("ZRANGE race 0 -1 REV WITHSCORES"),
                    Some(
                        "1) \"first\"\n2) \"29999999999999\"\n3) \"second\"\n4) \"29999999999998\""
                    )
                );
                // The double caveat's claim: a string in RESP2, a double in RESP3.
                assert_eq!(reply("ZSCORE game:scores alice"), Some("\"10\""));
                let resp3 =
                    eval_line_in(&mut engine, 1, "ZSCORE game:scores alice", Protocol::Resp3);
                assert_eq!(resp3.to_bytes(), b"(double) 10\n");
            }
            _ => {}
        }
    }
}

#[test]
fn every_link_leads_somewhere_and_no_mark_is_left_open() {
    for (index, chapter) in CHAPTERS.iter().enumerate() {
        for block in chapter.blocks {
            for text in texts(block) {
                for run in inline(text) {
                    match run {
                        Inline::Link { label, target } => match resolve(target, index) {
                            Some(Target::Chapter { index: to, anchor }) => {
                                if let Some(anchor) = anchor {
                                    assert!(
                                        caveat_ids(to).contains(&anchor),
                                        "{}: [{label}]({target}): no such box",
                                        chapter.id
                                    );
                                }
                                assert_ne!(to, index, "{}: links to itself", chapter.id);
                            }
                            Some(Target::External(url)) => {
                                // Redis' own pages, and PostgreSQL's for what the SQL box says.
                                assert!(
                                    url.starts_with("https://redis.io/")
                                        || url.starts_with("https://www.postgresql.org/docs/"),
                                    "{url}"
                                )
                            }
                            None => panic!("{}: [{label}]({target}) leads nowhere", chapter.id),
                        },
                        Inline::Text(plain) => {
                            for mark in ['`', '{', '}', '[', ']'] {
                                assert!(
                                    !plain.contains(mark),
                                    "{}: stray {mark} in {plain:?}",
                                    chapter.id
                                );
                            }
                            assert!(
                                !plain.contains("**"),
                                "{}: stray ** in {plain:?}",
                                chapter.id
                            );
                        }
                        Inline::Code(_) | Inline::Strong(_) | Inline::Run(_) => {}
                    }
                }
            }
        }
    }
}

#[test]
fn the_articles_sloppy_spots_are_corrected_where_they_come_up() {
    for (chapter, caveat) in [
        ("rate-limit", "incr-expire"),
        ("rate-limit", "window-edge"),
        ("flash-sale", "below-zero"),
        ("atomic", "sql"),
        ("likes", "flush"),
        ("atomic", "one-at-a-time"),
        ("rate-limit", "set-nx"),
        ("rate-limit", "no-rollback"),
        ("core-commands", "integers"),
        ("durability", "what-crashed"),
        ("per-user", "listpack"),
        ("leaderboard", "ties"),
    ] {
        let index = chapter_index(chapter).expect("chapter");
        assert!(caveat_ids(index).contains(&caveat), "{chapter}#{caveat}");
    }
}

#[test]
fn demos_sit_in_their_chapters_and_every_chapter_has_quiz_questions() {
    let demo = |id: &str| {
        CHAPTERS[chapter_index(id).expect("chapter")]
            .blocks
            .iter()
            .find_map(|b| match b {
                Block::Demo(d) => Some(*d),
                _ => None,
            })
    };
    assert_eq!(demo("race"), Some(Demo::Race));
    // Every lab a chapter embeds exists, and every lab has its chapter.
    let labs: Vec<&str> = CHAPTERS
        .iter()
        .flat_map(|c| c.blocks)
        .filter_map(|b| match b {
            Block::Demo(Demo::Lab(lab)) => Some(lab.slug()),
            _ => None,
        })
        .collect();
    for slug in &labs {
        assert!(LabId::from_slug(slug).is_some(), "no lab {slug}");
    }
    for lab in LabId::ALL {
        assert!(labs.contains(&lab.slug()), "{} has no chapter", lab.slug());
    }
    assert_eq!(demo("flash-sale"), Some(Demo::Lab(LabId::FlashSale)));
    assert_eq!(demo("summary"), Some(Demo::Summary));
    assert_eq!(demo("quiz"), Some(Demo::Quiz));
    for question in QUESTIONS {
        assert!(
            chapter_index(question.chapter).is_some(),
            "{}: chapter {}",
            question.id,
            question.chapter
        );
        for command in question.try_it {
            let out = eval_line(&mut Engine::new(0), 1, command);
            assert!(matches!(out.kind, Kind::Reply | Kind::Error), "{command}");
        }
    }
    // The quiz and the challenges practise the other chapters (each level names its chapter).
    for chapter in CHAPTERS
        .iter()
        .filter(|c| c.id != "quiz" && c.id != "challenges")
    {
        assert!(
            QUESTIONS.iter().any(|q| q.chapter == chapter.id),
            "no question on {}",
            chapter.id
        );
    }
}

/// Every learner-facing text: the chapters, the quiz, the summary table.
fn all_texts() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = CHAPTERS
        .iter()
        .flat_map(|c| c.blocks)
        .flat_map(texts)
        .collect();
    for q in QUESTIONS {
        out.push(q.prompt);
        out.push(q.explanation);
    }
    for row in incr_lab::simulation::scenarios::summary::ROWS {
        out.extend([row.command, row.structure, row.used_for, row.watch_out]);
    }
    out
}

/// Issue 14's corrections, each against its source (named in the text it checks).
#[test]
fn the_corrections_hold() {
    let texts = all_texts();
    let said = |phrase: &str| texts.iter().any(|t| t.contains(phrase));
    // 1. No rollback: Redis' transactions page; multi.c runs every queued command.
    assert!(!said("both or neither"));
    assert!(said("Redis has no rollback"));
    // 4. Redis 7.0.15's redis.conf: `appendonly no`, `# save 3600 1 300 100 60 10000`.
    assert!(said("save 3600 1 300 100 60 10000") && said("`appendonly no`"));
    assert!(!said("`everysec`, the default"));
    // 5. aof.c flushAppendOnlyFile(): writes postponed up to 2 s while an fsync runs.
    assert!(said("up to 2 seconds") && said("flushAppendOnlyFile()"));
    // 7. EXPIRE answers 1/0; WRONGTYPE for every other type.
    assert!(said("`EXPIRE` replies 1 when it set a timeout and 0"));
    assert!(!said("Each one replies with the new value"));
    assert!(!said("hash or a sorted set."));
    // 8. The long double differs by platform.
    assert!(said("aarch64 Linux") && said("macOS on arm64"));
    // 9. ZREVRANGE is deprecated since 6.2 (src/commands/zrevrange.json): taught as ZRANGE … REV,
    // named only beside "deprecated", and never offered to run.
    for text in texts.iter().filter(|t| t.contains("ZREVRANGE")) {
        assert!(text.contains("deprecated"), "{text}");
    }
    for chapter in CHAPTERS {
        for command in runnable(chapter) {
            assert!(!command.starts_with("ZREVRANGE"), "{command}");
        }
    }
    for q in QUESTIONS {
        assert!(
            q.try_it.iter().all(|c| !c.starts_with("ZREVRANGE")),
            "{}",
            q.id
        );
    }
    // 10. t_hash.c checks the field name's length too; points × 10¹⁰ stays within 2⁵³.
    assert!(said("every field name and every value at most 64 bytes"));
    assert!(said("at most 900,719"));
    assert!(900_719 * 10_i64.pow(10) <= 1 << 53 && 900_720 * 10_i64.pow(10) > 1 << 53);
    // 12. The article's "INCR called 50 times".
    assert!(said("INCR called 50 times"));
}

/// The listpack limit counts field names: a 65-byte field name alone makes a hash table.
#[test]
fn a_long_field_name_ends_the_listpack_too() {
    let mut e = Engine::new(0);
    let name = "f".repeat(65);
    eval_line(&mut e, 1, "HSET short likes 1");
    eval_line(&mut e, 1, format!("HSET long {name} 1"));
    let listpack = |e: &Engine, key: &str| match e.db().peek(key.as_bytes()) {
        Some(incr_lab::engine::Value::Hash(h)) => h.is_listpack(),
        other => panic!("{key}: {other:?}"),
    };
    assert!(listpack(&e, "short"));
    assert!(!listpack(&e, "long"));
}

/// The set-nx box, on the virtual clock: SET … NX finds the key, the key expires, INCR makes it
/// again with no TTL.
#[test]
fn set_nx_then_incr_leaves_a_key_without_ttl_when_it_expires_in_between() {
    let start = 1_700_000_000_000;
    let mut e = Engine::new(start);
    let out = |e: &mut Engine, line: &str| {
        String::from_utf8_lossy(&eval_line(e, 1, line).to_bytes())
            .trim_end()
            .to_owned()
    };
    assert_eq!(out(&mut e, "SET user:9:win 0 EX 1 NX"), "OK");
    assert_eq!(out(&mut e, "SET user:9:win 0 EX 1 NX"), "(nil)");
    e.set_now_ms(start + 2_000);
    assert_eq!(out(&mut e, "INCR user:9:win"), "(integer) 1");
    assert_eq!(out(&mut e, "TTL user:9:win"), "(integer) -1");
}

/// The likes chapter's HyperLogLog: re-adding a member changes nothing, the count of 10,000 is
/// within the 0.81% standard error's three sigmas, the dense form weighs 14,384 bytes as MEMORY
/// USAGE counts it whatever the number of members, and a set of the same members takes about half
/// a megabyte.
#[test]
fn a_hyperloglog_counts_unique_viewers_in_fixed_memory() {
    let texts = all_texts();
    assert!(texts.iter().any(|t| t.contains("standard error of 0.81%")));
    assert!(texts
        .iter()
        .any(|t| t.contains("14,384 as `MEMORY USAGE` counts them")));
    let mut engine = Engine::new(1_700_000_000_000);
    let mut run = |line: String| {
        String::from_utf8_lossy(&eval_line(&mut engine, 1, line).to_bytes())
            .trim_end()
            .to_owned()
    };
    let members = |from: usize, to: usize| {
        (from..to)
            .map(|i| format!("user:{i}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        run("PFADD post:99:viewers user:7 user:8 user:9".into()),
        "(integer) 1"
    );
    assert_eq!(run("PFADD post:99:viewers user:7".into()), "(integer) 0");
    assert_eq!(run("PFCOUNT post:99:viewers".into()), "(integer) 3");
    assert_eq!(run("OBJECT ENCODING post:99:viewers".into()), "\"raw\"");
    for (n, dense) in [
        (1_500, false),
        (2_000, true),
        (10_000, true),
        (100_000, true),
    ] {
        run("DEL v".into());
        run(format!("PFADD v {}", members(0, n)));
        let usage: i64 = run("MEMORY USAGE v".into())
            .trim_start_matches("(integer) ")
            .parse()
            .expect("an integer");
        assert_eq!(usage == 14_384, dense, "{n} members: {usage} bytes");
        let count: f64 = run("PFCOUNT v".into())
            .trim_start_matches("(integer) ")
            .parse()
            .expect("an integer");
        let error = (count - n as f64).abs() / n as f64;
        assert!(error < 3.0 * 0.0081, "{n} members counted {count}");
    }
    run(format!("SADD s {}", members(0, 10_000)));
    let set: i64 = run("MEMORY USAGE s".into())
        .trim_start_matches("(integer) ")
        .parse()
        .expect("an integer");
    assert!(
        (400_000..700_000).contains(&set),
        "a set of 10,000: {set} bytes"
    );
}

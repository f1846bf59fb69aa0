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
        // The only deliberate error: INCR on "abc" in the core commands' caveat.
        let expected_errors = usize::from(chapter.id == "core-commands");
        assert_eq!(errors.len(), expected_errors, "{}: {errors:?}", chapter.id);
        let reply = |command: &str| {
            replies
                .iter()
                .rev()
                .find(|(c, _)| *c == command)
                .map(|(_, t)| t.as_str())
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
            }
            "likes" => assert_eq!(reply("GETDEL post:99:likes"), Some("\"11\"")),
            "flash-sale" => assert_eq!(reply("INCR product:iphone:stock"), Some("(integer) 0")),
            "rate-limit" => {
                assert_eq!(reply("EXEC"), Some("1) (integer) 1\n2) (integer) 1"));
                assert_eq!(reply("INCR user:123:min:07"), Some("(integer) 1"));
            }
            "leaderboard" => {
                assert_eq!(
                    reply("ZREVRANGE game:scores 0 9 WITHSCORES"),
                    Some("1) \"bob\"\n2) \"30\"\n3) \"carol\"\n4) \"10\"\n5) \"alice\"\n6) \"10\""),
                    "the ties caveat's claim"
                );
                assert_eq!(reply("ZREVRANK game:scores alice"), Some("(integer) 2"));
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
                                assert!(url.starts_with("https://redis.io/"), "{url}")
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

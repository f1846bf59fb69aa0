//! Every challenge level is winnable by its reference solution and not by its starting text.

use incr_lab::lesson::challenge::{attempt, problem, Kind, LEVELS};
use incr_lab::simulation::checker::{Checker, Placement, Verdict};

#[test]
fn reference_solutions_win_and_starting_texts_do_not() {
    assert!(LEVELS.len() >= 11);
    for level in LEVELS {
        let won = attempt(level, level.solution, level.solution_placement);
        assert!(
            won.won(),
            "{}: the solution does not win: {won:?}",
            level.id
        );
        match level.kind {
            Kind::FixIt => {
                let start = attempt(level, level.start, Placement::Client);
                assert!(!start.won(), "{}: the starting text already wins", level.id);
            }
            Kind::BreakIt => {
                // The checker finds a way to break it, as short as the reference schedule.
                let mut checker =
                    Checker::new(problem(level, level.start, Placement::Client).unwrap()).unwrap();
                let report = checker.check();
                let Verdict::Unsafe { counterexample, .. } = report.verdict else {
                    panic!("{}: the checker finds no way to break it", level.id);
                };
                let reference =
                    incr_lab::simulation::checker::parse_schedule(level.solution).unwrap();
                assert_eq!(counterexample.len(), reference.len(), "{}", level.id);
                // Running the clients one after the other breaks nothing.
                let serial: Vec<String> = (1..=level.seats.len())
                    .flat_map(|n| std::iter::repeat_n(n.to_string(), level.round_trips))
                    .collect();
                let mut moves = Vec::new();
                for m in incr_lab::simulation::checker::parse_schedule(&serial.join(" ")).unwrap() {
                    if checker.next_moves(&moves).contains(&m) {
                        moves.push(m);
                    }
                }
                let serial = checker.replay(&moves).unwrap();
                assert!(
                    serial.finished && serial.violation.is_none(),
                    "{}",
                    level.id
                );
            }
        }
    }
}

#[test]
fn ids_are_unique_and_chapters_exist() {
    for (i, level) in LEVELS.iter().enumerate() {
        assert!(LEVELS[..i].iter().all(|l| l.id != level.id), "{}", level.id);
        assert!(
            incr_lab::lesson::CHAPTERS
                .iter()
                .any(|c| c.id == level.chapter),
            "{}: no chapter {}",
            level.id,
            level.chapter
        );
    }
}

#[test]
fn eval_is_refused_where_the_level_forbids_it() {
    // The rate limiter's naive text inside EVAL would be safe; the level says "no EVAL".
    let level = incr_lab::lesson::challenge::level("rate-limiter").unwrap();
    assert!(!level.eval_allowed);
    assert!(!attempt(level, level.start, Placement::Eval).won());
}

#[test]
fn bad_answers_are_answers() {
    for level in LEVELS {
        for junk in [
            "",
            "((",
            "1 2 3 4 5 6 7 8 9",
            "while true do end",
            "crash 9",
            "\u{0}",
        ] {
            // Never a panic; an empty fix-it program is simply not a fix.
            let _ = attempt(level, junk, Placement::Client);
            let _ = attempt(level, junk, Placement::Eval);
        }
    }
}

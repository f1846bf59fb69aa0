//! Every challenge level is winnable by its reference solution and not by its starting text.

use incr_lab::lesson::challenge::{attempt, problem, Kind, LEVELS};
use incr_lab::simulation::checker::{Checker, Placement, Verdict};

#[test]
fn reference_solutions_win_and_starting_texts_do_not() {
    assert!(LEVELS.len() >= 12);
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

/// Level 12: two WATCH clients that refresh the key's TTL before each try can starve each other
/// forever; the checker finds it within the round-trip budget, and the shortest run is the one
/// where both spend every round trip.
#[test]
fn two_watch_clients_can_retry_forever() {
    let level = incr_lab::lesson::challenge::level("retry-forever").unwrap();
    let mut checker =
        Checker::new(problem(level, level.start, Placement::Client).unwrap()).unwrap();
    let report = checker.check();
    let Verdict::Unsafe {
        counterexample,
        reason,
    } = report.verdict
    else {
        panic!("no livelock found: {:?}", report.verdict);
    };
    assert_eq!(counterexample.len(), 2 * level.round_trips);
    assert!(reason.contains("nobody got through"), "{reason}");
    let trace = checker.replay(&counterexample).unwrap();
    // Every EXEC in it fails: no client ever got through.
    let execs: Vec<_> = trace
        .steps
        .iter()
        .filter(|s| s.command.as_deref() == Some("EXEC"))
        .collect();
    assert_eq!(execs.len(), 4);
    assert!(
        execs.iter().all(|s| s.reply.as_deref() == Some("(nil)")),
        "{execs:?}"
    );
    // A client alone gets through on its first try.
    let alone = checker
        .replay(&incr_lab::simulation::checker::parse_schedule("1 1 1 1 1 1").unwrap())
        .unwrap();
    assert_eq!(alone.steps[5].reply.as_deref(), Some("[OK]"));
}

#[test]
fn shared_addresses_restore_the_level_and_never_panic() {
    use incr_lab::lesson::challenge::{base64url, from_base64url, read_shared, share_params};
    for text in ["", "a", "ab", "abc", "INCR likes", "é ✓ 🙂\n\0\u{7f}"] {
        let coded = base64url(text.as_bytes());
        assert!(coded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(from_base64url(&coded).unwrap(), text.as_bytes(), "{coded}");
    }
    assert_eq!(base64url(b"\xfb\xff"), "-_8");
    assert_eq!(from_base64url("-_8=").unwrap(), b"\xfb\xff");
    assert_eq!(from_base64url("a"), None);
    assert_eq!(from_base64url("a b"), None);

    let level = incr_lab::lesson::challenge::level("one-text-two-places").unwrap();
    let params = share_params(level, "INCR likes", true);
    let get = |k: &str| {
        params
            .iter()
            .find(|(n, _)| *n == k)
            .map(|(_, v)| v.as_str())
    };
    let shared = read_shared(get("level"), get("code"), get("eval"));
    assert_eq!(LEVELS[shared.level.unwrap()].id, level.id);
    assert_eq!(shared.text.as_deref(), Some("INCR likes"));
    assert!(shared.eval && shared.notice.is_none());

    // No level: nothing asked. An unknown level, a damaged or oversized text: a notice, no text.
    assert_eq!(read_shared(None, Some("SU5DUg"), None).level, None);
    let unknown = read_shared(Some("no-such-level"), None, None);
    assert!(unknown.level.is_none() && unknown.notice.is_some());
    for bad in ["!!!", "a", "_w", &"QUFB".repeat(10_000)] {
        let shared = read_shared(Some(level.id), Some(bad), Some("1"));
        assert!(shared.level.is_some() && shared.text.is_none(), "{bad}");
        assert!(!shared.eval);
        assert!(shared.notice.unwrap().starts_with("The level opened, but"));
    }
    // EVAL only where the level allows it.
    let fix = incr_lab::lesson::challenge::level("rate-limiter").unwrap();
    assert!(!read_shared(Some(fix.id), Some("SU5DUg"), Some("1")).eval);
}

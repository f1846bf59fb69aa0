//! The challenge checker's speed: states and interleavings per second on the levels' kind of
//! problems, and the time to check 3 clients × 6 round trips exhaustively. Prints figures from one
//! run (best of five); not a timed test. The last columns compare the same search without the
//! symmetry reduction (identical clients told apart), in the same run: states and time, and the
//! ratio of the two times.
//!
//! ```text
//! cargo bench --bench challenge
//! ```

use std::time::Instant;

use incr_lab::simulation::checker::{Checker, Problem, Program, Verdict, When};

#[path = "../tests/support/challenge_corpus.rs"]
mod corpus;

use corpus::{NAIVE, SIX, WATCH};

fn main() {
    let likes = |n: usize, p: Program| {
        let mut problem = Problem::new(
            vec![p; n],
            &format!("return tonumber(redis.call('GET', 'likes')) == {}", 100 + n),
            When::AtEnd,
        )
        .with_setup(&["SET likes 100"]);
        problem.budget.round_trips = 16;
        problem
    };
    let own_keys = Problem::new(
        ["a", "b", "c"]
            .iter()
            .map(|k| Program::client(SIX, &[k]))
            .collect(),
        "return true",
        When::AtEnd,
    );
    let mut shared_six = Problem::new(
        vec![Program::client(SIX, &["likes"]); 3],
        "return true",
        When::AtEnd,
    );
    // Room for the search without the symmetry reduction (300,532 states).
    shared_six.budget.states = 1_000_000;
    let cases = [
        (
            "2 clients GET/SET (unsafe)",
            likes(2, Program::client(NAIVE, &["likes"])),
        ),
        (
            "3 clients GET/SET (unsafe)",
            likes(3, Program::client(NAIVE, &["likes"])),
        ),
        (
            "3 clients INCR",
            likes(
                3,
                Program::client("redis.call('INCR', KEYS[1])", &["likes"]),
            ),
        ),
        (
            "3 clients inside EVAL",
            likes(3, Program::eval(NAIVE, &["likes"])),
        ),
        (
            "2 clients WATCH retry",
            likes(2, Program::client(WATCH, &["likes"])),
        ),
        (
            "3 clients WATCH retry",
            likes(3, Program::client(WATCH, &["likes"])),
        ),
        ("3 × 6 round trips, own keys", own_keys),
        ("3 × 6 round trips, one key", shared_six),
        // The problem tests/e2e/challenges.test.mjs checks in the browser's wasm (level
        // "one-text-two-places" with this program): the same figures, natively.
        ("3 × (INCR + 5 GET), one key", {
            let mut p = likes(
                3,
                Program::client(
                    "redis.call('INCR', KEYS[1])\nfor i = 1, 5 do redis.call('GET', KEYS[1]) end",
                    &["likes"],
                ),
            );
            p.budget.round_trips = 6;
            p.must_finish = true;
            p
        }),
    ];
    println!(
        "{:<32} {:>8} {:>8} {:>14} {:>9} {:>10} {:>14} {:>9} {:>10} {:>7}",
        "problem",
        "verdict",
        "states",
        "interleavings",
        "ms",
        "states/s",
        "interleav./s",
        "plain st.",
        "plain ms",
        "ratio"
    );
    for (name, problem) in cases {
        let mut best = f64::INFINITY;
        let mut last = None;
        for _ in 0..5 {
            // A fresh checker each time: its program histories start empty, as on the page.
            let mut checker = Checker::new(problem.clone()).expect("compiles");
            let t = Instant::now();
            let report = checker.check();
            best = best.min(t.elapsed().as_secs_f64());
            last = Some(report);
        }
        let report = last.expect("ran");
        // Without the symmetry reduction (best of two: the slow case takes seconds).
        let mut plain_best = f64::INFINITY;
        let mut plain_states = 0;
        for _ in 0..2 {
            let mut checker = Checker::new(problem.clone())
                .expect("compiles")
                .without_symmetry();
            let t = Instant::now();
            let plain = checker.check();
            plain_best = plain_best.min(t.elapsed().as_secs_f64());
            assert_eq!(
                std::mem::discriminant(&plain.verdict),
                std::mem::discriminant(&report.verdict),
                "{name}"
            );
            plain_states = plain.states;
        }
        let (verdict, interleavings) = match report.verdict {
            Verdict::Safe { interleavings } => ("safe", interleavings),
            Verdict::Unsafe { .. } => ("unsafe", 0),
            Verdict::BudgetSpent => ("budget", 0),
        };
        println!(
            "{name:<32} {verdict:>8} {:>8} {:>14} {:>9.2} {:>10.0} {:>14.0} {:>9} {:>10.2} {:>7.1}",
            report.states,
            interleavings,
            best * 1e3,
            report.states as f64 / best,
            interleavings as f64 / best,
            plain_states,
            plain_best * 1e3,
            plain_best / best,
        );
    }
}

//! The challenge checker's speed: states and interleavings per second on the levels' kind of
//! problems, and the time to check 3 clients × 6 round trips exhaustively. Prints figures from one
//! run (best of five); not a timed test.
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
    let shared_six = Problem::new(
        vec![Program::client(SIX, &["likes"]); 3],
        "return true",
        When::AtEnd,
    );
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
    ];
    println!(
        "{:<32} {:>10} {:>10} {:>14} {:>10} {:>12} {:>14}",
        "problem", "verdict", "states", "interleavings", "ms", "states/s", "interleav./s"
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
        let (verdict, interleavings) = match report.verdict {
            Verdict::Safe { interleavings } => ("safe", interleavings),
            Verdict::Unsafe { .. } => ("unsafe", 0),
            Verdict::BudgetSpent => ("budget", 0),
        };
        println!(
            "{name:<32} {verdict:>10} {:>10} {:>14} {:>10.2} {:>12.0} {:>14.0}",
            report.states,
            interleavings,
            best * 1e3,
            report.states as f64 / best,
            interleavings as f64 / best,
        );
    }
}

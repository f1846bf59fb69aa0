//! The challenge checker on a corpus of known-safe and known-unsafe client programs: each unsafe
//! one with its shortest counterexample, and the reduced search shown equal to brute force.

use incr_lab::simulation::checker::{
    commands_to_lua, parse_schedule, Adversary, Checker, Move, Problem, Program, Verdict, When,
};

#[path = "support/challenge_corpus.rs"]
mod corpus;

use corpus::{INCR, NAIVE, WATCH};

const LIKES_OK: &str = "return tonumber(redis.call('GET', 'likes')) == 100 + #KEYS_CLIENTS";

fn likes(n: usize, program: Program) -> Problem {
    let invariant = LIKES_OK.replace("#KEYS_CLIENTS", &n.to_string());
    let mut p =
        Problem::new(vec![program; n], &invariant, When::AtEnd).with_setup(&["SET likes 100"]);
    p.must_finish = true;
    p
}

fn stock(program: Program, buyers: usize) -> Problem {
    Problem::new(
        vec![program; buyers],
        "local s = tonumber(redis.call('GET', 'stock'))\n\
         if s < 0 then return 'stock is ' .. s end\n\
         return true",
        When::Always,
    )
    .with_setup(&["SET stock 2"])
}

const CHECK_THEN_DECR: &str = "local s = tonumber(redis.call('GET', 'stock'))\n\
                               if s > 0 then redis.call('DECR', 'stock') end";
const DECR_THEN_UNDO: &str =
    "if redis.call('DECR', 'stock') < 0 then redis.call('INCR', 'stock') end";

fn limiter(program: Program) -> Problem {
    // Two clients limiting two addresses.
    let mut second = program.clone();
    second.keys = vec![format!("{}:2", program.keys[0])];
    let mut p = Problem::new(
        vec![program, second],
        "for _, k in ipairs(redis.call('KEYS', '*')) do\n\
           if redis.call('TTL', k) < 0 then return k .. ' has no TTL' end\n\
         end\n\
         return true",
        When::AtEnd,
    );
    p.adversary = Adversary {
        crashes: 1,
        ..Adversary::default()
    };
    p
}

const SELECT_NAIVE: &str = "redis.call('SELECT', 1)\n\
  local n = tonumber(redis.call('GET', KEYS[1]) or '0')\n\
  redis.call('SET', KEYS[1], n + 1)";
const SPOP_TWICE: &str = "for i = 1, 2 do\n\
  local m = redis.call('SPOP', KEYS[1])\n\
  redis.call('SADD', 'taken', m)\n\
end";

const LIMIT_NAIVE: &str = "redis.call('INCR', KEYS[1])\nredis.call('EXPIRE', KEYS[1], 60)";
const LIMIT_MULTI: &str = "redis.call('MULTI')\nredis.call('INCR', KEYS[1])\n\
                           redis.call('EXPIRE', KEYS[1], 60)\nredis.call('EXEC')";
const LIMIT_SET_NX: &str =
    "redis.call('SET', KEYS[1], 0, 'EX', 60, 'NX')\nredis.call('INCR', KEYS[1])";

fn check(problem: Problem) -> (Verdict, usize) {
    let mut checker = Checker::new(problem).expect("compiles");
    let report = checker.check();
    (report.verdict, report.states)
}

fn unsafe_trace(problem: Problem) -> Vec<Move> {
    match check(problem).0 {
        Verdict::Unsafe { counterexample, .. } => counterexample,
        other => panic!("expected a counterexample, got {other:?}"),
    }
}

#[test]
fn naive_get_set_loses_an_update_in_four_steps() {
    let moves = unsafe_trace(likes(2, Program::client(NAIVE, &["likes"])));
    // Both read 100 before either writes: GET, GET, SET, SET.
    assert_eq!(moves.len(), 4, "{moves:?}");
    assert_eq!(moves[0], Move::Run(0));
    assert_eq!(moves[1], Move::Run(1));
    let mut checker = Checker::new(likes(2, Program::client(NAIVE, &["likes"]))).unwrap();
    let trace = checker.replay(&moves).unwrap();
    assert!(trace.finished);
    assert_eq!(trace.steps[0].text, "client 1: GET likes → \"100\"");
    assert_eq!(trace.steps[1].text, "client 2: GET likes → \"100\"");
    assert_eq!(
        trace.steps[3].keyspace,
        vec![("likes".into(), "101".into(), None)]
    );
    assert_eq!(trace.violation.as_deref(), Some("the invariant is false"));
}

#[test]
fn three_naive_clients_can_lose_two_likes() {
    let problem = Problem::new(
        vec![Program::client(NAIVE, &["likes"]); 3],
        "return tonumber(redis.call('GET', 'likes')) > 101",
        When::AtEnd,
    )
    .with_setup(&["SET likes 100"]);
    let moves = unsafe_trace(problem);
    assert_eq!(moves.len(), 6);
}

#[test]
fn incr_watch_and_eval_are_proved() {
    for (program, expected) in [
        (Program::client(INCR, &["likes"]), 2),
        (Program::client(WATCH, &["likes"]), 0),
        (Program::eval(NAIVE, &["likes"]), 2),
    ] {
        let (verdict, states) = check(likes(2, program.clone()));
        let Verdict::Safe { interleavings } = verdict else {
            panic!("{program:?}: {verdict:?}");
        };
        if expected > 0 {
            assert_eq!(interleavings, expected, "{program:?}");
        }
        assert!(states > 1);
    }
    // Three WATCH clients: every retry order, still no lost like (the last may retry twice).
    let mut three = likes(3, Program::client(WATCH, &["likes"]));
    three.budget.round_trips = 15;
    let (verdict, _) = check(three);
    assert!(matches!(verdict, Verdict::Safe { .. }), "{verdict:?}");
}

#[test]
fn the_same_text_inside_eval_is_atomic() {
    assert!(matches!(
        check(likes(3, Program::eval(NAIVE, &["likes"]))).0,
        Verdict::Safe { interleavings: 6 }
    ));
    assert!(matches!(
        check(likes(3, Program::client(NAIVE, &["likes"]))).0,
        Verdict::Unsafe { .. }
    ));
}

#[test]
fn flash_sale_check_then_decr_oversells() {
    let moves = unsafe_trace(stock(Program::client(CHECK_THEN_DECR, &[]), 3));
    // Three buyers see stock 2 > 0, all three DECR.
    assert_eq!(moves.len(), 6, "{moves:?}");
    assert!(matches!(
        check(stock(Program::client(DECR_THEN_UNDO, &[]), 3)).0,
        Verdict::Unsafe { .. }
    ));
    assert!(matches!(
        check(stock(Program::eval(CHECK_THEN_DECR, &[]), 3)).0,
        Verdict::Safe { interleavings: 6 }
    ));
}

#[test]
fn rate_limiter_leaks_a_key_only_when_a_client_crashes() {
    let moves = unsafe_trace(limiter(Program::client(LIMIT_NAIVE, &["rl:ip"])));
    // One client INCRs and crashes before its EXPIRE: its key never expires.
    assert_eq!(moves.len(), 4, "{moves:?}");
    assert!(
        matches!(moves[3], Move::Crash(_)) || matches!(moves[1], Move::Crash(_)),
        "{moves:?}"
    );
    let mut no_crash = limiter(Program::client(LIMIT_NAIVE, &["rl:ip"]));
    no_crash.adversary = Adversary::default();
    assert!(matches!(check(no_crash).0, Verdict::Safe { .. }));
    for fix in [LIMIT_MULTI, LIMIT_SET_NX] {
        let verdict = check(limiter(Program::client(fix, &["rl:ip"]))).0;
        assert!(
            matches!(verdict, Verdict::Safe { .. }),
            "{fix}: {verdict:?}"
        );
    }
    assert!(matches!(
        check(limiter(Program::eval(LIMIT_NAIVE, &["rl:ip"]))).0,
        Verdict::Safe { .. }
    ));
}

#[test]
fn clock_jumps_expire_keys() {
    // A lock taken with a TTL, then the clock jumps past it: another client takes it too.
    let lock = "if redis.call('SET', 'lock', ARGV[1], 'NX', 'EX', 10) then\n\
                  redis.call('SADD', 'holders', ARGV[1])\n\
                end";
    let mut problem = Problem::new(
        vec![
            Program::client(lock, &[]).with_args(&["a"]),
            Program::client(lock, &[]).with_args(&["b"]),
        ],
        "return redis.call('SCARD', 'holders') <= 1",
        When::AtEnd,
    );
    assert!(matches!(check(problem.clone()).0, Verdict::Safe { .. }));
    problem.adversary.clock_jumps = 1;
    problem.adversary.jump_ms = 60_000;
    let moves = unsafe_trace(problem);
    assert!(moves.contains(&Move::Clock), "{moves:?}");
}

#[test]
fn endless_loops_and_bad_programs_end_cleanly() {
    // A retry loop that never ends: the round-trip budget stops it, and must_finish reports it.
    let forever = "while true do redis.call('INCR', KEYS[1]) end";
    // (Every INCR's reply differs, so each order is its own state: keep the budget small.)
    let mut problem = likes(2, Program::client(forever, &["likes"]));
    problem.budget.round_trips = 6;
    let verdict = check(problem).0;
    let Verdict::Unsafe { reason, .. } = verdict else {
        panic!("an endless loop is not a fix: {verdict:?}");
    };
    assert!(reason.contains("gave up"), "{reason}");
    // A loop without any command: the Lua budget ends it.
    let spin = "while true do end";
    let Verdict::Unsafe { reason, .. } = check(likes(2, Program::client(spin, &["likes"]))).0
    else {
        panic!("spinning is not a fix");
    };
    assert!(reason.contains("failed"), "{reason}");
    let Verdict::Unsafe { .. } = check(likes(2, Program::eval(spin, &["likes"]))).0 else {
        panic!("spinning is not a fix");
    };
    // Compile errors are an answer, not a panic.
    let err = Checker::new(likes(2, Program::client("redis.call(", &["likes"]))).unwrap_err();
    assert!(err.starts_with("client 1: "), "{err}");
    // Errors from the server are failures of the client.
    let wrong = "redis.call('INCR', KEYS[1], 'extra')";
    assert!(matches!(
        check(likes(2, Program::client(wrong, &["likes"]))).0,
        Verdict::Unsafe { .. }
    ));
}

#[test]
fn the_state_budget_bounds_the_search() {
    let mut problem = likes(3, Program::client(WATCH, &["likes"]));
    problem.budget.states = 20;
    assert!(matches!(check(problem).0, Verdict::BudgetSpent));
}

#[test]
fn command_lists_and_schedules() {
    let lua = commands_to_lua("INCR likes\n# comment\n\nSET \"a b\" 'x\"y'").unwrap();
    assert_eq!(
        lua,
        "redis.call(\"INCR\", \"likes\")\nredis.call(\"SET\", \"a b\", \"x\\\"y\")\n"
    );
    assert!(commands_to_lua("SET 'open").is_err());
    assert_eq!(
        parse_schedule("1 2, crash 1 x2\nclock t 3").unwrap(),
        vec![
            Move::Run(0),
            Move::Run(1),
            Move::Crash(0),
            Move::Crash(1),
            Move::Clock,
            Move::Clock,
            Move::Run(2)
        ]
    );
    assert!(parse_schedule("1 0").is_err());
    assert!(parse_schedule("banana").is_err());
    assert!(parse_schedule("crash").is_err());
    // A schedule that asks the impossible is an error, not a panic.
    let mut checker = Checker::new(likes(2, Program::client(NAIVE, &["likes"]))).unwrap();
    assert!(checker.replay(&parse_schedule("1 1 1").unwrap()).is_err());
    assert!(checker.replay(&parse_schedule("3").unwrap()).is_err());
    assert!(checker.replay(&parse_schedule("crash 1").unwrap()).is_err());
    let partial = checker.replay(&parse_schedule("1 2").unwrap()).unwrap();
    assert!(!partial.finished && partial.violation.is_none());
    assert_eq!(
        checker.next_moves(&[Move::Run(0), Move::Run(0)]),
        vec![Move::Run(1)]
    );
    assert_eq!(
        checker.pending_command(&[Move::Run(0)], 0).as_deref(),
        Some("SET likes 101")
    );
}

/// The reduced search (states merged) against the whole tree of orders, on the corpus: same
/// verdicts, same number of interleavings when safe, same shortest failure when not.
#[test]
fn reduction_equals_brute_force() {
    let corpus = vec![
        likes(2, Program::client(NAIVE, &["likes"])),
        likes(3, Program::client(NAIVE, &["likes"])),
        likes(2, Program::client(INCR, &["likes"])),
        likes(3, Program::client(INCR, &["likes"])),
        likes(2, Program::client(WATCH, &["likes"])),
        likes(3, Program::eval(NAIVE, &["likes"])),
        stock(Program::client(CHECK_THEN_DECR, &[]), 2),
        stock(Program::client(CHECK_THEN_DECR, &[]), 3),
        stock(Program::client(DECR_THEN_UNDO, &[]), 3),
        stock(Program::eval(CHECK_THEN_DECR, &[]), 3),
        limiter(Program::client(LIMIT_NAIVE, &["rl"])),
        limiter(Program::client(LIMIT_MULTI, &["rl"])),
        limiter(Program::client(LIMIT_SET_NX, &["rl"])),
        // Two identical clients and a third that differs: only the first two are interchangeable.
        Problem::new(
            vec![
                Program::client(NAIVE, &["likes"]),
                Program::client(NAIVE, &["likes"]),
                Program::client(INCR, &["likes"]),
            ],
            "return redis.call('GET', 'likes') == '3'",
            When::AtEnd,
        ),
        // Identical texts with different keys are not interchangeable.
        Problem::new(
            vec![
                Program::client(NAIVE, &["a"]),
                Program::client(NAIVE, &["a"]),
                Program::client(NAIVE, &["b"]),
            ],
            "return redis.call('GET', 'a') == '2'",
            When::AtEnd,
        ),
        // Two identical WATCH clients that try once: one may give up (with must_finish, a failure).
        likes(
            2,
            Program::client(&WATCH.replace("1, 5", "1, 1"), &["likes"]),
        ),
        // Another database: its keys are part of the state too.
        Problem::new(
            vec![Program::client(SELECT_NAIVE, &["likes"]); 2],
            "redis.call('SELECT', 1) return redis.call('GET', 'likes') == '2'",
            When::AtEnd,
        ),
        // The random source is part of the state: which member SPOP takes depends on the draws.
        Problem::new(
            vec![Program::client(SPOP_TWICE, &["s"]); 2],
            "return redis.call('SCARD', 'taken') == 4",
            When::AtEnd,
        )
        .with_setup(&["SADD s a b c d e f"]),
        // A crash and a clock jump with identical clients.
        {
            let mut p = limiter(Program::client(LIMIT_NAIVE, &["rl"]));
            p.clients[1] = p.clients[0].clone();
            p.adversary.clock_jumps = 1;
            p.adversary.jump_ms = 60_000;
            p
        },
        // Different keys: everything commutes, the reduction merges most orders.
        Problem::new(
            vec![
                Program::client(NAIVE, &["a"]),
                Program::client(NAIVE, &["b"]),
                Program::client(NAIVE, &["c"]),
            ],
            "return redis.call('GET', 'a') == '1' and redis.call('GET', 'c') == '1'",
            When::AtEnd,
        ),
    ];
    for problem in corpus {
        let mut checker = Checker::new(problem.clone()).unwrap();
        let report = checker.check();
        let census = checker.brute_force(5_000_000).expect("small enough");
        // The search without the symmetry reduction answers the same, from at least as many states.
        let mut plain = Checker::new(problem.clone()).unwrap().without_symmetry();
        let unreduced = plain.check();
        assert!(unreduced.states >= report.states, "{problem:?}");
        match report.verdict {
            Verdict::Safe { interleavings } => {
                assert_eq!(census.failing, 0, "{problem:?}");
                assert_eq!(interleavings, census.interleavings, "{problem:?}");
                assert_eq!(unreduced.verdict, report.verdict, "{problem:?}");
            }
            Verdict::Unsafe { counterexample, .. } => {
                assert!(census.failing > 0, "{problem:?}");
                assert_eq!(
                    Some(counterexample.len()),
                    census.shortest_failure,
                    "{problem:?}"
                );
                let Verdict::Unsafe {
                    counterexample: other,
                    ..
                } = unreduced.verdict
                else {
                    panic!("{problem:?}: {:?}", unreduced.verdict);
                };
                assert_eq!(other.len(), counterexample.len(), "{problem:?}");
                // The counterexample is a real run that breaks the invariant.
                let trace = checker.replay(&counterexample).unwrap();
                assert!(trace.violation.is_some(), "{problem:?}");
            }
            Verdict::BudgetSpent => panic!("budget spent on {problem:?}"),
        }
        assert!(report.transitions as u128 <= census.interleavings * 20);
    }
}

//! Sorted sets, as a learner sees them at the console: leaderboards, ranks, ranges, and Redis' own
//! answers to every mistake.

use incr_lab::console::eval_line;
use incr_lab::engine::{Engine, Limits, Value};

/// Runs one console line and returns what redis-cli would print.
fn run(e: &mut Engine, line: &str) -> String {
    eval_line(e, 1, line).text_lines().join("\n")
}

#[test]
fn a_small_leaderboard() {
    let mut e = Engine::new(0);
    assert_eq!(
        run(&mut e, "ZADD board 10 alice 20 bob 15 carol"),
        "(integer) 3"
    );
    assert_eq!(run(&mut e, "ZINCRBY board 7 alice"), "\"17\"");
    assert_eq!(
        run(&mut e, "ZRANGE board 0 -1 WITHSCORES"),
        "1) \"carol\"\n2) \"15\"\n3) \"alice\"\n4) \"17\"\n5) \"bob\"\n6) \"20\""
    );
    assert_eq!(
        run(&mut e, "ZREVRANGE board 0 1"),
        "1) \"bob\"\n2) \"alice\""
    );
    assert_eq!(run(&mut e, "ZRANK board alice"), "(integer) 1");
    assert_eq!(run(&mut e, "ZREVRANK board alice"), "(integer) 1");
    assert_eq!(run(&mut e, "ZRANK board dave"), "(nil)");
    assert_eq!(run(&mut e, "ZSCORE board bob"), "\"20\"");
    assert_eq!(run(&mut e, "ZSCORE board dave"), "(nil)");
    assert_eq!(run(&mut e, "ZCARD board"), "(integer) 3");
    assert_eq!(run(&mut e, "TYPE board"), "zset");
}

#[test]
fn zadd_options() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, "ZADD z 1 a 2 b"), "(integer) 2");
    // NX only adds, XX only updates; CH counts changed members too.
    assert_eq!(run(&mut e, "ZADD z NX 5 a 3 c"), "(integer) 1");
    assert_eq!(run(&mut e, "ZSCORE z a"), "\"1\"");
    assert_eq!(run(&mut e, "ZADD z XX CH 5 a 4 d"), "(integer) 1");
    assert_eq!(run(&mut e, "ZSCORE z d"), "(nil)");
    // GT/LT only move a score up/down, but still add new members.
    assert_eq!(run(&mut e, "ZADD z GT CH 1 a 9 new"), "(integer) 1");
    assert_eq!(run(&mut e, "ZSCORE z a"), "\"5\"");
    assert_eq!(run(&mut e, "ZADD z LT CH 1 a"), "(integer) 1");
    assert_eq!(run(&mut e, "ZSCORE z a"), "\"1\"");
    // INCR answers the new score, or nil when a condition stopped it.
    assert_eq!(run(&mut e, "ZADD z INCR 2.5 a"), "\"3.5\"");
    assert_eq!(run(&mut e, "ZADD z NX INCR 1 a"), "(nil)");
    assert_eq!(run(&mut e, "ZADD z GT INCR -1 a"), "(nil)");
    assert_eq!(run(&mut e, "ZADD nokey XX INCR 1 a"), "(nil)");
    assert_eq!(run(&mut e, "ZADD nokey XX 1 a"), "(integer) 0");
    assert_eq!(run(&mut e, "EXISTS nokey"), "(integer) 0");
}

#[test]
fn zadd_mistakes_get_redis_errors() {
    let mut e = Engine::new(0);
    let cases = [
        (
            "ZADD z NX XX 1 a",
            "(error) ERR XX and NX options at the same time are not compatible",
        ),
        (
            "ZADD z GT LT 1 a",
            "(error) ERR GT, LT, and/or NX options at the same time are not compatible",
        ),
        (
            "ZADD z NX GT 1 a",
            "(error) ERR GT, LT, and/or NX options at the same time are not compatible",
        ),
        (
            "ZADD z INCR 1 a 2 b",
            "(error) ERR INCR option supports a single increment-element pair",
        ),
        ("ZADD z 1 a 2", "(error) ERR syntax error"),
        // The pair count is checked before the option combinations.
        ("ZADD z NX XX 1", "(error) ERR syntax error"),
        ("ZADD z one a", "(error) ERR value is not a valid float"),
        ("ZADD z nan a", "(error) ERR value is not a valid float"),
        ("ZADD z 1e999 a", "(error) ERR value is not a valid float"),
        (
            "ZADD z 1",
            "(error) ERR wrong number of arguments for 'zadd' command",
        ),
        // ZINCRBY is ZADD INCR: a first argument that is an option word is taken as one.
        ("ZINCRBY z nx a", "(error) ERR syntax error"),
    ];
    for (line, expected) in cases {
        assert_eq!(run(&mut e, line), expected, "{line}");
    }
    assert_eq!(run(&mut e, "EXISTS z"), "(integer) 0");
    assert_eq!(run(&mut e, "ZADD z inf a"), "(integer) 1");
    assert_eq!(
        run(&mut e, "ZINCRBY z -inf a"),
        "(error) ERR resulting score is not a number (NaN)"
    );
    assert_eq!(run(&mut e, "ZSCORE z a"), "\"inf\"");
}

#[test]
fn wrong_types_are_refused_after_the_arguments_are_checked() {
    let mut e = Engine::new(0);
    run(&mut e, "SET name alice");
    let wrongtype = "(error) WRONGTYPE Operation against a key holding the wrong kind of value";
    for line in [
        "ZADD name 1 a",
        "ZINCRBY name 1 a",
        "ZSCORE name a",
        "ZRANGE name 0 -1",
        "ZREVRANGE name 0 -1",
        "ZRANK name a",
        "ZREVRANK name a",
        "ZCARD name",
        "ZREM name a",
    ] {
        assert_eq!(run(&mut e, line), wrongtype, "{line}");
    }
    assert_eq!(
        run(&mut e, "ZADD name x a"),
        "(error) ERR value is not a valid float"
    );
    assert_eq!(
        run(&mut e, "ZRANGE name 0 x"),
        "(error) ERR value is not an integer or out of range"
    );
    assert_eq!(run(&mut e, "GET name"), "\"alice\"");
}

#[test]
fn scores_print_as_redis_7_prints_doubles() {
    let mut e = Engine::new(0);
    for (score, printed) in [
        ("0.1", "0.10000000000000001"),
        ("1e17", "1e+17"),
        ("123.5", "123.5"),
        ("-inf", "-inf"),
        ("0x10", "16"),
        (".5", "0.5"),
    ] {
        run(&mut e, &format!("ZADD p {score} m"));
        assert_eq!(
            run(&mut e, "ZSCORE p m"),
            format!("\"{printed}\""),
            "{score}"
        );
    }
    assert_eq!(run(&mut e, "ZINCRBY p 0.2 n"), "\"0.20000000000000001\"");
    assert_eq!(run(&mut e, "ZINCRBY p 0.1 n"), "\"0.30000000000000004\"");
}

#[test]
fn ranges_by_rank() {
    let mut e = Engine::new(0);
    run(&mut e, "ZADD z 1 a 2 b 3 c 4 d");
    assert_eq!(run(&mut e, "ZRANGE z -2 -1"), "1) \"c\"\n2) \"d\"");
    assert_eq!(
        run(&mut e, "ZRANGE z 1 100"),
        "1) \"b\"\n2) \"c\"\n3) \"d\""
    );
    assert_eq!(run(&mut e, "ZRANGE z 3 1"), "(empty array)");
    assert_eq!(run(&mut e, "ZRANGE z 10 20"), "(empty array)");
    assert_eq!(run(&mut e, "ZRANGE z 0 0 REV"), "1) \"d\"");
    assert_eq!(run(&mut e, "ZRANGE nokey 0 -1"), "(empty array)");
    assert_eq!(
        run(&mut e, "ZRANGE z 0 -1 LIMIT 0 1"),
        "(error) ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX"
    );
    assert_eq!(
        run(&mut e, "ZREVRANGE z 0 -1 REV"),
        "(error) ERR syntax error"
    );
}

#[test]
fn ranges_by_score() {
    let mut e = Engine::new(0);
    run(&mut e, "ZADD z 1 a 2 b 3 c 4 d 5 e");
    assert_eq!(run(&mut e, "ZRANGE z (1 3 BYSCORE"), "1) \"b\"\n2) \"c\"");
    assert_eq!(
        run(&mut e, "ZRANGE z -inf +inf BYSCORE LIMIT 1 2"),
        "1) \"b\"\n2) \"c\""
    );
    // REV takes the maximum first.
    assert_eq!(
        run(&mut e, "ZRANGE z 4 (2 BYSCORE REV WITHSCORES"),
        "1) \"d\"\n2) \"4\"\n3) \"c\"\n4) \"3\""
    );
    assert_eq!(run(&mut e, "ZRANGE z 2 4 BYSCORE REV"), "(empty array)");
    // A negative count means "all the rest"; a negative offset gives nothing.
    assert_eq!(
        run(&mut e, "ZRANGE z 2 +inf BYSCORE LIMIT 1 -1"),
        "1) \"c\"\n2) \"d\"\n3) \"e\""
    );
    assert_eq!(
        run(&mut e, "ZRANGE z -inf +inf BYSCORE LIMIT -1 2"),
        "(empty array)"
    );
    assert_eq!(
        run(&mut e, "ZRANGE z x 3 BYSCORE"),
        "(error) ERR min or max is not a float"
    );
    assert_eq!(
        run(&mut e, "ZRANGE z nan 3 BYSCORE"),
        "(error) ERR min or max is not a float"
    );
}

#[test]
fn ranges_by_member_name() {
    let mut e = Engine::new(0);
    run(&mut e, "ZADD names 0 alice 0 bob 0 carol 0 dave");
    assert_eq!(
        run(&mut e, "ZRANGE names [b (d BYLEX"),
        "1) \"bob\"\n2) \"carol\""
    );
    assert_eq!(
        run(&mut e, "ZRANGE names + [c BYLEX REV LIMIT 0 1"),
        "1) \"dave\""
    );
    assert_eq!(
        run(&mut e, "ZRANGE names - + BYLEX LIMIT 3 10"),
        "1) \"dave\""
    );
    assert_eq!(
        run(&mut e, "ZRANGE names b d BYLEX"),
        "(error) ERR min or max not valid string range item"
    );
    assert_eq!(
        run(&mut e, "ZRANGE names - + BYLEX WITHSCORES"),
        "(error) ERR syntax error, WITHSCORES not supported in combination with BYLEX"
    );
}

#[test]
fn zrem_deletes_the_key_with_its_last_member() {
    let mut e = Engine::new(0);
    run(&mut e, "ZADD z 1 a 2 b");
    assert_eq!(run(&mut e, "ZREM z a nope"), "(integer) 1");
    assert_eq!(run(&mut e, "ZREM z b b"), "(integer) 1");
    assert_eq!(run(&mut e, "EXISTS z"), "(integer) 0");
    assert_eq!(run(&mut e, "ZREM z b"), "(integer) 0");
    assert_eq!(run(&mut e, "ZCARD z"), "(integer) 0");
    assert!(e.db().is_empty());
}

#[test]
fn sorted_sets_keep_their_ttl_and_expire() {
    let mut e = Engine::new(1_000_000);
    run(&mut e, "ZADD z 1 a");
    run(&mut e, "EXPIRE z 10");
    assert_eq!(run(&mut e, "ZADD z 2 b"), "(integer) 1");
    assert_eq!(run(&mut e, "ZINCRBY z 1 a"), "\"2\"");
    assert_eq!(run(&mut e, "TTL z"), "(integer) 10");
    e.advance_ms(10_001);
    assert_eq!(run(&mut e, "ZCARD z"), "(integer) 0");
    assert_eq!(run(&mut e, "ZINCRBY z 1 a"), "\"1\"");
    assert_eq!(run(&mut e, "TTL z"), "(integer) -1");
}

#[test]
fn negative_zero_reads_back_as_zero_in_a_small_set() {
    let mut e = Engine::new(0);
    // A listpack stores integral scores as integers.
    assert_eq!(run(&mut e, "ZADD small INCR -0 a"), "\"-0\"");
    assert_eq!(run(&mut e, "ZSCORE small a"), "\"0\"");
    let long = "x".repeat(65);
    run(&mut e, &format!("ZADD big -0 {long}"));
    assert!(matches!(e.db().peek(b"big"), Some(Value::ZSet(z)) if !z.is_listpack()));
    assert_eq!(run(&mut e, &format!("ZSCORE big {long}")), "\"-0\"");
}

#[test]
fn writes_are_refused_past_the_memory_guard_but_removals_are_not() {
    let limits = Limits {
        max_keys: Some(1),
        max_bytes: None,
    };
    let mut e = Engine::with_limits(0, limits);
    run(&mut e, "ZADD a 1 x");
    run(&mut e, "ZADD b 1 x");
    let oom = "(error) OOM command not allowed when used memory > 'maxmemory'.";
    assert_eq!(run(&mut e, "ZADD c 1 x"), oom);
    assert_eq!(run(&mut e, "ZINCRBY a 1 x"), oom);
    assert_eq!(run(&mut e, "ZRANGE a 0 -1"), "1) \"x\"");
    assert_eq!(run(&mut e, "ZREM b x"), "(integer) 1");
    assert_eq!(run(&mut e, "ZINCRBY a 1 x"), "\"2\"");
}

#[test]
fn memory_estimate_follows_the_set() {
    let mut e = Engine::new(0);
    run(&mut e, "ZADD z 1 a");
    let one = e.db().used_bytes();
    for i in 0..1000 {
        e.execute(1, &["ZADD", "z", "1", &format!("member-{i}")]);
    }
    let many = e.db().used_bytes();
    assert!(many > one + 1000 * 50, "{one} -> {many}");
    for i in 0..1000 {
        e.execute(1, &["ZREM", "z", &format!("member-{i}")]);
    }
    assert_eq!(e.db().used_bytes(), one);
}

/// A leaderboard of 100,000 players under a flood of increments: ranks and pages stay right.
#[test]
fn a_leaderboard_of_100k_players() {
    let mut e = Engine::new(0);
    let n = 100_000u64;
    for i in 0..n {
        e.execute(1, &["ZADD", "lb", "0", &format!("player:{i}")]);
    }
    // SplitMix64: scores from a fixed seed.
    let mut rng = incr_lab::simulation::rng::Rng::new(42u64);
    let mut next = move || rng.next_u64();
    let mut scores = vec![0u64; n as usize];
    for _ in 0..100_000 {
        let player = next() % n;
        let points = next() % 100;
        scores[player as usize] += points;
        e.execute(
            1,
            &[
                "ZINCRBY",
                "lb",
                &points.to_string(),
                &format!("player:{player}"),
            ],
        );
    }
    assert_eq!(run(&mut e, "ZCARD lb"), "(integer) 100000");
    // The model's order: score descending, then member bytes descending (ZREVRANGE).
    let mut order: Vec<(u64, String)> = scores
        .iter()
        .enumerate()
        .map(|(i, &s)| (s, format!("player:{i}")))
        .collect();
    order.sort();
    order.reverse();
    let top: Vec<String> = order[..3]
        .iter()
        .flat_map(|(s, m)| [format!("\"{m}\""), format!("\"{s}\"")])
        .enumerate()
        .map(|(i, line)| format!("{}) {line}", i + 1))
        .collect();
    assert_eq!(run(&mut e, "ZREVRANGE lb 0 2 WITHSCORES"), top.join("\n"));
    for rank in [0usize, 1, 777, 50_000, 99_999] {
        let (_, member) = &order[rank];
        assert_eq!(
            run(&mut e, &format!("ZREVRANK lb {member}")),
            format!("(integer) {rank}")
        );
        assert_eq!(
            run(&mut e, &format!("ZRANGE lb {rank} {rank} REV")),
            format!("1) \"{member}\"")
        );
    }
}

/// Arbitrary arguments to every sorted-set command never panic, and never leave an empty set.
#[test]
fn random_arguments_never_panic() {
    const WORDS: &[&str] = &[
        "z",
        "s",
        "0",
        "1",
        "-1",
        "2.5",
        "-inf",
        "+inf",
        "inf",
        "nan",
        "(1",
        "((",
        "(",
        "[a",
        "(b",
        "-",
        "+",
        "",
        "NX",
        "XX",
        "GT",
        "LT",
        "CH",
        "INCR",
        "REV",
        "BYSCORE",
        "BYLEX",
        "LIMIT",
        "WITHSCORES",
        "9223372036854775807",
        "-9223372036854775808",
        "1e308",
        "-0",
        "a",
        "b",
        "0x1p3",
        "\u{0}",
        "x\u{0}y",
    ];
    const COMMANDS: &[&str] = &[
        "ZADD",
        "ZINCRBY",
        "ZSCORE",
        "ZRANGE",
        "ZREVRANGE",
        "ZRANK",
        "ZREVRANK",
        "ZCARD",
        "ZREM",
    ];
    let mut e = Engine::new(0);
    e.execute(1, &["SET", "s", "string"]);
    let mut state = 7u64;
    let mut next = |n: usize| {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % n as u64) as usize
    };
    for _ in 0..50_000 {
        let mut argv = vec![COMMANDS[next(COMMANDS.len())].to_owned()];
        for _ in 0..next(9) {
            argv.push(WORDS[next(WORDS.len())].to_owned());
        }
        e.execute(1, &argv);
        if let Some(Value::ZSet(z)) = e.db().peek(b"z") {
            assert!(!z.is_empty(), "{argv:?} left an empty set");
        }
    }
}

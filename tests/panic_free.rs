//! Panic-freedom: whatever a learner types, and whatever a RESP client sends, the engine answers and
//! never panics — no unwrap on user data, no out-of-bounds index, no arithmetic overflow (tests run
//! with overflow checks on).
//!
//! proptest generates arbitrary argv (raw bytes, and known command names with nasty arguments), many
//! clients, MULTI/EXEC/WATCH mixes, clock jumps to any i64 and active expiry, plus arbitrary console
//! lines through the tokenizer and the console. Every reply must also encode to well-formed RESP.
//! A second net uses the differential suite's grammar-aware generator (which reaches deep states
//! that raw bytes rarely do) with the clock jumping anywhere.

use incr_lab::cli::format::format_reply_in;
use incr_lab::cli::help;
use incr_lab::cli::tokenizer::split_args;
use incr_lab::console::{eval_line, eval_line_in};
use incr_lab::engine::{Engine, Limits, Protocol, Reply};
use proptest::prelude::*;

mod support;

use support::gen::{env_number, Gen, SplitMix64};

/// Arguments that sit on the edges of Redis' parsing rules.
const NASTY: &[&str] = &[
    "",
    "0",
    "1",
    "-1",
    "+1",
    "01",
    "-0",
    " 1",
    "9223372036854775807",
    "-9223372036854775808",
    "9223372036854775808",
    "-9223372036854775809",
    "18446744073709551616",
    "123456789012345678901",
    "1.5",
    ".5",
    "5.",
    "1e308",
    "1e309",
    "-1e309",
    "4.9e-324",
    "0x1p-1074",
    "0x10",
    "inf",
    "-inf",
    "+inf",
    "nan",
    "-nan",
    "(1",
    "(",
    "[a",
    "(a",
    "-",
    "+",
    "NX",
    "XX",
    "GT",
    "LT",
    "CH",
    "INCR",
    "GET",
    "EX",
    "PX",
    "EXAT",
    "PXAT",
    "KEEPTTL",
    "BYSCORE",
    "BYLEX",
    "REV",
    "LIMIT",
    "WITHSCORES",
    "PERSIST",
    "LEN",
    "IDX",
    "MINMATCHLEN",
    "WITHMATCHLEN",
    "536870911",
    "536870912",
    "4294967295",
    "4294967296",
    "BIT",
    "BYTE",
    "AND",
    "OR",
    "XOR",
    "NOT",
    "OVERFLOW",
    "WRAP",
    "SAT",
    "FAIL",
    "SET",
    "INCRBY",
    "u8",
    "i64",
    "u63",
    "i1",
    "#1",
    "#536870911",
    "WITHVALUES",
    "MATCH",
    "COUNT",
    "TYPE",
    "-9223372036854775807",
    "-4611686018427387903",
    "ASYNC",
    "SYNC",
    "MATCH",
    "COUNT",
    // HyperLogLog headers with corrupt bodies: sparse runs that stop short or overflow (the
    // cached estimate's top bit clear: PFCOUNT answers 0x7f << 56 from the cache), a short dense.
    "HYLL\u{1}\0\0\0\0\0\0\0\0\0\0\u{7f}\u{7f}\u{7f}\u{40}",
    "HYLL\u{1}\0\0\0\0\0\0\0\0\0\0\u{7f}\u{1}\u{7f}\u{7f}\u{7f}",
    "HYLL\0\0\0\0\0\0\0\0\0\0\0\u{7f}\0\0",
    "*",
    "[",
    "\\",
    "[^",
    "k",
    "h",
    "z",
    "REPLACE",
    "DB",
    "MATCH",
    "COUNT",
    "TYPE",
    "SAMPLES",
    "maxmemory",
    "maxmemory-policy",
    "allkeys-lfu",
    "volatile-lru",
    "hash-max-listpack-entries",
    "zset-max-ziplist-value",
    "1kb",
    "s",
];

/// Lua scripts for EVAL / SCRIPT LOAD (they land where a key would): calls, errors, conversions,
/// the sandbox, pcall and coroutines around redis.call, deep and cyclic tables.
const SCRIPTS: &[&str] = &[
    "return redis.call('GET', KEYS[1])",
    "return redis.call('INCR', KEYS[1])",
    "return redis.pcall('HSET', KEYS[1], ARGV[1], ARGV[2])",
    "return {1, {2, {3}}, 'x', 3.5, true, false, nil, 4}",
    "local t = {} t[1] = t return t",
    "return {err='ERR x'}",
    "return {ok='y'}",
    "return {map={a=1}, set={b=true}, double=1.5}",
    "error({})",
    "error('x', 2)",
    "return redis.call()",
    "return redis.call({})",
    "return redis.call('EVAL', 'return 1', '0')",
    "return pcall(redis.call, 'INCR', KEYS[1])",
    "local co = coroutine.wrap(function() return redis.call('GET', KEYS[1]) end) return co()",
    "coroutine.yield(1)",
    "x = 1",
    "return undefined",
    "redis.setresp(3) return redis.call('HGETALL', KEYS[1])",
    "return math.random(ARGV[1] or 1)",
    "return loadstring(ARGV[1] or '')",
    "#!lua flags=no-writes\nreturn redis.call('SET', KEYS[1], 1)",
    "#!lua",
    "return 1 +",
];

/// Every command name the engine documents, plus the transaction commands and every subcommand
/// of a container (`CONFIG SET`, two words).
fn names() -> Vec<String> {
    let mut names: Vec<String> = help::supported()
        .iter()
        .map(|doc| doc.name.to_owned())
        .collect();
    names.extend(["MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH"].map(String::from));
    for spec in incr_lab::engine::command::TABLE {
        for sub in spec.subcommands {
            names.push(sub.name.replace('|', " ").to_uppercase());
        }
    }
    names
}

/// Integers next to where arithmetic overflows: the i64 ends, and their thousandths (seconds that
/// become milliseconds).
fn edge_number() -> impl Strategy<Value = i128> {
    let max = i128::from(i64::MAX);
    (
        prop::sample::select(vec![max, -max - 1, max / 1000, -max / 1000]),
        -1000i128..1000,
    )
        .prop_map(|(base, delta)| base + delta)
}

fn arg() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::sample::select(NASTY).prop_map(|s| s.as_bytes().to_vec()),
        2 => any::<i64>().prop_map(|n| n.to_string().into_bytes()),
        3 => edge_number().prop_map(|n| n.to_string().into_bytes()),
        1 => any::<f64>().prop_map(|f| format!("{f:e}").into_bytes()),
        1 => any::<u64>().prop_map(|n| format!("{:.6}", n as f64 / 1e6).into_bytes()),
        2 => prop::collection::vec(any::<u8>(), 0..12),
        1 => (0usize..200).prop_map(|n| vec![b'x'; n]),
    ]
}

/// Mostly one of four keys, so commands meet each other's values.
fn key() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        8 => prop::sample::select(&["k", "h", "z", "s"][..]).prop_map(|s| s.as_bytes().to_vec()),
        1 => arg(),
        1 => prop::sample::select(SCRIPTS).prop_map(|s| s.as_bytes().to_vec()),
    ]
}

fn known_command() -> impl Strategy<Value = Vec<Vec<u8>>> {
    let names = names();
    (
        prop::sample::select(names),
        any::<bool>(),
        key(),
        // Mostly the one to three arguments most commands take, so they get past arity.
        prop_oneof![
            6 => prop::collection::vec(arg(), 0..4),
            1 => prop::collection::vec(arg(), 0..8),
        ],
    )
        .prop_map(|(name, lower, key, args)| {
            let name = if lower { name.to_lowercase() } else { name };
            let mut argv: Vec<Vec<u8>> = name.split(' ').map(|w| w.as_bytes().to_vec()).collect();
            argv.push(key);
            argv.extend(args);
            argv
        })
}

fn raw_command() -> impl Strategy<Value = Vec<Vec<u8>>> {
    prop::collection::vec(prop::collection::vec(any::<u8>(), 0..24), 0..6)
}

/// One thing that happens to the engine.
#[derive(Clone, Debug)]
enum Step {
    Command { client: u64, argv: Vec<Vec<u8>> },
    SetClock(i64),
    Advance(i64),
    ActiveExpire,
    Disconnect(u64),
}

fn step() -> impl Strategy<Value = Step> {
    let client = 0u64..4;
    prop_oneof![
        12 => (client.clone(), known_command())
            .prop_map(|(client, argv)| Step::Command { client, argv }),
        2 => (client.clone(), raw_command())
            .prop_map(|(client, argv)| Step::Command { client, argv }),
        1 => prop_oneof![
            Just(i64::MIN),
            Just(i64::MAX),
            Just(0i64),
            Just(-1i64),
            any::<i64>(),
            0i64..4_000_000_000_000,
        ]
        .prop_map(Step::SetClock),
        2 => prop_oneof![any::<i64>(), 0i64..200_000].prop_map(Step::Advance),
        1 => Just(Step::ActiveExpire),
        1 => client.prop_map(Step::Disconnect),
    ]
}

/// Runs the steps; every reply must encode to RESP that starts with a type byte and ends in CRLF.
fn run(engine: &mut Engine, steps: &[Step]) {
    for step in steps {
        match step {
            Step::Command { client, argv } => {
                let reply = engine.execute(*client, argv);
                check_reply(&reply);
                let _ = engine.touched();
            }
            Step::SetClock(ms) => engine.set_now_ms(*ms),
            Step::Advance(ms) => engine.advance_ms(*ms),
            Step::ActiveExpire => {
                engine.active_expire_cycle();
            }
            Step::Disconnect(client) => engine.disconnect(*client),
        }
    }
    // The keyspace stays readable by the inspector.
    let _ = engine.db().live_entries().count();
}

fn check_reply(reply: &Reply) {
    let resp = reply.to_resp();
    assert!(matches!(
        resp.first(),
        Some(b'+' | b'-' | b':' | b'$' | b'*')
    ));
    assert!(resp.ends_with(b"\r\n"));
    // RESP3: only its own type bytes, and redis-cli -3's printer copes with whatever it is.
    let resp3 = reply.to_protocol(Protocol::Resp3);
    assert!(matches!(
        resp3.first(),
        Some(b'+' | b'-' | b':' | b'$' | b'*' | b'%' | b'~' | b',' | b'#' | b'_' | b'=')
    ));
    assert!(resp3.ends_with(b"\r\n"));
    assert!(format_reply_in(reply, Protocol::Resp3).ends_with(b"\n"));
    if let Reply::Status(text) = reply {
        assert!(
            !text.contains(['\r', '\n']),
            "a status reply broke the protocol"
        );
    }
    if let Reply::Error(text) = reply {
        assert!(
            !text.contains(&b'\r') && !text.contains(&b'\n'),
            "an error reply broke the protocol: {text:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 500, ..ProptestConfig::default() })]

    /// Known commands with nasty arguments, raw argv, four clients, clock jumps: no panic.
    #[test]
    fn execute_never_panics(steps in prop::collection::vec(step(), 1..80)) {
        let mut engine = Engine::new(1_700_000_000_000);
        run(&mut engine, &steps);
    }

    /// The same under a tiny memory guard, so OOM paths (and EXECABORT for them) run too.
    #[test]
    fn execute_never_panics_near_the_memory_cap(steps in prop::collection::vec(step(), 1..80)) {
        let limits = Limits { max_keys: Some(2), max_bytes: Some(300) };
        let mut engine = Engine::with_limits(1_700_000_000_000, limits);
        run(&mut engine, &steps);
    }

    /// HyperLogLogs with a valid header and any body — sparse opcodes that stop short, overflow or
    /// end inside an XZERO, dense registers of any value — through every PF command: no panic.
    #[test]
    fn crafted_hyperloglogs_never_panic(
        sparse in any::<bool>(),
        card in any::<[u8; 8]>(),
        body in prop_oneof![
            prop::collection::vec(any::<u8>(), 0..48),
            prop::collection::vec(prop::sample::select(vec![0x7f, 0xff, 0x40, 0x00, 0x80, 0xfc]), 0..48),
            Just(vec![0xffu8; 12288]),
            prop::collection::vec(any::<u8>(), 12288..=12288),
        ],
        elements in prop::collection::vec(arg(), 0..6),
    ) {
        let mut bytes = b"HYLL".to_vec();
        bytes.extend([u8::from(sparse), 0, 0, 0]);
        bytes.extend(card);
        bytes.extend(body);
        let mut engine = Engine::new(0);
        engine.execute(1, &[&b"SET"[..], b"h", &bytes]);
        engine.execute(1, &["PFADD", "ok", "a", "b"]);
        let mut pfadd = vec![b"PFADD".to_vec(), b"h".to_vec()];
        pfadd.extend(elements);
        for argv in [
            vec![b"PFCOUNT".to_vec(), b"h".to_vec()],
            vec![b"PFCOUNT".to_vec(), b"h".to_vec(), b"ok".to_vec()],
            vec![b"PFMERGE".to_vec(), b"ok".to_vec(), b"h".to_vec()],
            pfadd,
            vec![b"PFDEBUG".to_vec(), b"DECODE".to_vec(), b"h".to_vec()],
            vec![b"PFMERGE".to_vec(), b"h".to_vec(), b"ok".to_vec()],
            vec![b"PFDEBUG".to_vec(), b"GETREG".to_vec(), b"h".to_vec()],
            vec![b"PFCOUNT".to_vec(), b"h".to_vec()],
        ] {
            check_reply(&engine.execute(1, &argv));
        }
    }

    /// Arbitrary bytes as console lines: tokenizer, then execute, then redis-cli formatting.
    #[test]
    fn console_lines_never_panic(lines in prop::collection::vec(
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..64),
            (prop::sample::select(names()), prop::collection::vec(any::<u8>(), 0..40))
                .prop_map(|(name, rest)| [name.as_bytes(), b" ", &rest].concat()),
        ],
        1..20,
    )) {
        let mut engine = Engine::new(0);
        for line in &lines {
            let _ = eval_line(&mut engine, 1, line);
            let _ = eval_line_in(&mut engine, 3, line, Protocol::Resp3);
            if let Ok(argv) = split_args(line) {
                if !argv.is_empty() {
                    check_reply(&engine.execute(2, &argv));
                }
            }
        }
    }
}

/// A few transactions with every kind of command queued, run deterministically (proptest shrinks
/// badly through MULTI state, so this one spells out the mixes).
#[test]
fn transactions_of_everything_never_panic() {
    let mut engine = Engine::new(0);
    for name in names() {
        for args in [
            &[][..],
            &["k"][..],
            &["k", "1"][..],
            &["k", "f", "1", "x"][..],
        ] {
            engine.execute(1, &["WATCH", "k"]);
            engine.execute(1, &["MULTI"]);
            let mut argv: Vec<&str> = name.split(' ').collect();
            argv.extend_from_slice(args);
            engine.execute(1, &argv);
            engine.execute(2, &argv);
            check_reply(&engine.execute(1, &["EXEC"]));
        }
    }
}

/// The differential suite's generator, without Redis, with the clock jumping anywhere in i64 and the
/// active expiry running now and then. Seed printed; `INCR_LAB_SEED` replays.
#[test]
fn generated_commands_with_clock_jumps_never_panic() {
    let seed = env_number("INCR_LAB_SEED").unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(1, |d| d.as_nanos() as u64)
    });
    println!("generated_commands_with_clock_jumps_never_panic: seed {seed:#x}");
    let mut engine = Engine::new(1_700_000_000_000);
    let mut gen = Gen::new(seed, &mut engine);
    let mut rng = SplitMix64::new(seed ^ 0xc10c);
    for _ in 0..30_000 {
        match rng.below(200) {
            0 => {
                let anywhere = rng.next() as i64;
                engine.set_now_ms(*rng.pick(&[i64::MIN, i64::MAX, 0, -1, anywhere]));
            }
            1 => engine.advance_ms(rng.next() as i64 >> rng.below(64)),
            2 => {
                engine.active_expire_cycle();
            }
            3 => engine.disconnect(rng.below(4) as u64),
            _ => {}
        }
        let (client, argv, _) = gen.command();
        check_reply(&engine.execute(client as u64, &argv));
    }
}

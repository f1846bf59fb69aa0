//! The differential suite, cases taken from Redis' own test suite (`tests/unit/type/incr.tcl`,
//! `string.tcl`, `hash.tcl`, `zset.tcl`, `tests/unit/expire.tcl`, `keyspace.tcl`, `multi.tcl`) and
//! pushed further with odd inputs: every case there that touches a command we support, sent to a
//! real Redis 7.0, to the engine and to `redis-sim serve`, replies compared byte for byte.
//!
//! Sessions are written in redis-cli syntax, one command per line (double quotes with `\xHH`
//! escapes for odd bytes). A line `@N cmd` runs `cmd` as client N; `!sleep MS` sleeps. Sessions
//! without either live in `tests/cli/redis_suite_*.txt`, where `redis_sim.rs` also checks that
//! piped `redis-sim` prints what `redis-cli` prints for them. Each test starts its own
//! `redis-server`; if none can be started the test fails.

mod support;

use incr_lab::cli::tokenizer::split_args;
use incr_lab::engine::{Engine, Limits};
use support::duo::Duo;
use support::gen::SplitMix64;
use support::{show, show_argv, Protocol, RedisServer};

/// Runs a session (see the module doc) on a fresh Redis and engine.
fn run(text: &str) {
    session(&mut Duo::new(), text);
}

/// Runs a session (see the module doc) on `d`, comparing every reply.
fn session(d: &mut Duo, text: &str) {
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        if let Some(ms) = line.strip_prefix("!sleep ") {
            let ms = ms
                .parse()
                .unwrap_or_else(|e| panic!("bad sleep {line:?}: {e}"));
            d.sleep_ms(ms);
            continue;
        }
        let (client, command) = match line.strip_prefix('@') {
            Some(rest) => {
                let (n, command) = rest.split_once(' ').unwrap_or((rest, ""));
                let n = n
                    .parse()
                    .unwrap_or_else(|e| panic!("bad client in {line:?}: {e}"));
                (n, command)
            }
            None => (0, line),
        };
        let argv = split_args(command.as_bytes())
            .unwrap_or_else(|e| panic!("cannot split {line:?}: {e:?}"));
        d.check(client, &argv);
    }
}

/// incr.tcl: INCR/INCRBY/DECRBY over 32 bits, spaces around numbers, DECRBY negation overflow,
/// INCRBYFLOAT with Redis' long double (huge values, exponents, hex, inf, NUL bytes, -0).
#[test]
fn incr_tcl() {
    run(INCR);
}

const INCR: &str = include_str!("cli/redis_suite_incr.txt");

/// string.tcl: GETDEL, GETSET, SET with every option and order, conflicting options, option
/// arguments missing, expire times that overflow, GET on the wrong type, empty keys.
#[test]
fn string_tcl() {
    run(STRING);
}

const STRING: &str = include_str!("cli/redis_suite_string.txt");

/// hash.tcl: arity of every hash command, HINCRBY/HINCRBYFLOAT on odd values and at the limits
/// (results of 1e4932 and beyond, inf, NUL bytes), empty fields, the wrong type.
#[test]
fn hash_tcl() {
    run(HASH);
}

const HASH: &str = r#"
HSET smallhash a 1 b 2
HSET smallhash a 1 b 2 c
HSET smallhash
HSET smallhash a
HGET smallhash
HGET smallhash a b
HGETALL
HGETALL a b
HDEL smallhash
HLEN
HLEN a b
HEXISTS a
HEXISTS a b c
HINCRBY h f
HINCRBY h f 1 2
HINCRBYFLOAT h f
HINCRBYFLOAT h f 1 2
HSET h f 1.5
HINCRBY h f 1
HSET h f " 1"
HINCRBY h f 1
HINCRBYFLOAT h f 1
HSET h f 17179869184
HINCRBY h f 17179869184
HINCRBYFLOAT h f 17179869184
HINCRBYFLOAT h f 1.5
HSET h f 1e308
HINCRBYFLOAT h f 1e308
HINCRBYFLOAT h f 1e308
HGET h f
HINCRBYFLOAT h g 1e4932
HINCRBYFLOAT h g 1.1e4932
HINCRBYFLOAT h g2 1e4000
HINCRBYFLOAT h g2 -1e4000
HSET h big 1e4932
HINCRBYFLOAT h big 1e4932
HINCRBYFLOAT h big 0
HSET h nul "1\x002"
HINCRBYFLOAT h nul 1
HINCRBY h nul 1
HSET h neg -0
HINCRBYFLOAT h neg 0
HINCRBYFLOAT h negz -0.0
HGET h negz
HINCRBYFLOAT h x 0.024390243902439025
HINCRBYFLOAT h x -0.024390243902439025
HGET h x
HSET h "" ""
HGET h ""
HINCRBY h "" 1
HSET h "" 5
HINCRBY h "" 1
HINCRBY h "" -9223372036854775808
HINCRBY h "" 9223372036854775807
HINCRBY h ovf 9223372036854775807
HINCRBY h ovf 1
HINCRBY h ovf -9223372036854775808
HINCRBY h ovf -9223372036854775808
HINCRBY h ovf -1
HINCRBY h ovf -9223372036854775808
HGETALL h
HLEN h
HDEL h a b c "" x
HSET h a 1 a 2 a 3
HGET h a
HSET h f1 v f2 v f1 v
HEXISTS h ""
HEXISTS h f1
HDEL h nonexist
ZADD z 1 a
HSET z f v
HGET z f
HGETALL z
HDEL z f
HLEN z
HEXISTS z f
HINCRBY z f 1
HINCRBYFLOAT z f 1
HINCRBYFLOAT z f x
HINCRBY z f x
HINCRBYFLOAT nokey f x
HINCRBYFLOAT nokey f inf
HINCRBYFLOAT nokey f 1e400
EXISTS nokey
HINCRBY nokey f 1.0
"#;

/// zset.tcl: NaN scores, variadic ZADD errors, ZRANGE BYSCORE with inclusive, exclusive and
/// infinite bounds, LIMIT with negative and huge offsets and counts, option conflicts.
#[test]
fn zset_tcl_ranges() {
    run(ZSET_RANGES);
}

const ZSET_RANGES: &str = include_str!("cli/redis_suite_zset_ranges.txt");

/// zset.tcl: ZADD INCR with every flag, GT/LT/NX/XX/CH combinations, infinities, -0, scores
/// printed like Redis, ZINCRBY to overflow and NaN.
#[test]
fn zset_tcl_zadd_flags() {
    run(ZSET_ZADD);
}

const ZSET_ZADD: &str = include_str!("cli/redis_suite_zadd_flags.txt");

/// zset.tcl: ZRANGE BYLEX and its errors, rank ranges at the i64 limits, arity.
#[test]
fn zset_tcl_lex_and_ranks() {
    run(ZSET_LEX);
}

const ZSET_LEX: &str = include_str!("cli/redis_suite_zset_lex.txt");

/// expire.tcl: NX/XX/GT/LT and their conflicts, times in the past deleting the key whatever the
/// flag, times that overflow in seconds and in milliseconds, the wrong option.
#[test]
fn expire_tcl() {
    run(EXPIRE);
}

const EXPIRE: &str = include_str!("cli/redis_suite_expire.txt");

/// keyspace.tcl: KEYS with Redis' glob rules on brackets, ranges, negation and escapes, and
/// patterns deep enough to hit its nesting limit.
#[test]
fn keyspace_tcl_glob() {
    let mut d = Duo::new();
    let keys: &[&[u8]] = &[
        b"abc", b"a-b", b"a\\b", b"x]y", b"[", b"]", b"-", b"\\", b"a", b"^", b"!", b"b", b"ab",
        b"x-y", b"x\\y",
    ];
    for key in keys {
        d.check(0, &[&b"SET"[..], key, b"v"]);
    }
    d.check(0, &["SET", &format!("{}b", "a".repeat(100)), "v"]);
    let patterns: &[&[u8]] = &[
        b"[a-\\\\]*",
        b"[\\\\-a]*",
        b"[\\-a]",
        b"[a\\]b]",
        b"x[]]y",
        b"x[^]]y",
        b"[^-]",
        b"[--]",
        b"[---]",
        b"[a-c-e]",
        b"[]-a]",
        b"[^^]",
        b"[!!]",
        b"*[]",
        b"[\\[]",
        b"[a-b]*[",
        b"\\a",
        b"[a-\\",
        b"[\\",
        b"?*?*?",
        b"a??b",
        b"x[\\-]y",
        b"x[-\\]y",
        b"x[\\\\]y",
        b"x\\-y",
        b"x[a-]y",
        b"x[-]y",
        b"[^a-]",
        b"[^-a]",
        b"x[!-]y",
        b"x[^\\]]y",
        b"x[^\\]y",
    ];
    for pattern in patterns {
        d.check(0, &[&b"KEYS"[..], pattern]);
    }
    for pattern in [
        "*a".repeat(1200) + "*",
        "a*".repeat(600) + "b",
        "*a".repeat(60) + "c",
        "*a".repeat(30) + "*b",
    ] {
        d.check(0, &["KEYS", &pattern]);
    }
}

/// multi.tcl: queue-time errors (arity, unknown commands) abort EXEC, run-time errors do not,
/// nested MULTI, WATCH inside MULTI, EXEC/DISCARD with arguments, commands in mixed case.
#[test]
fn multi_tcl_queueing() {
    run(MULTI_QUEUEING);
}

const MULTI_QUEUEING: &str = r#"
MULTI
SET a 1
GET
EXEC
MULTI
SET a 1
ZADD z
EXEC
MULTI
SET a 1
INCR a b
EXEC
MULTI
SET a x
INCR a
GET a
ZADD a 1 x
EXEC
MULTI
EXEC extra
EXEC
MULTI
DISCARD extra
DISCARD
MULTI
WATCH a
WATCH
UNWATCH
UNWATCH extra
MULTI extra
EXEC
MULTI
MULTI
MULTI
PING
EXEC
MULTI
SET k v EX 0
SET k v EX abc
SET k v FOO
INCRBY k x
ZADD k NX XX 1 a
EXEC
MULTI
NOSUCHCMD
SET k v
EXEC
EXEC
MULTI
FOOBAR a b
FOOBAR
DISCARD
multi
set lower 1
exec
MuLtI
InCr lower
ExEc
MULTI
FLUSHALL ASYNC
FLUSHALL BAD
EXEC
MULTI
FLUSHDB
DBSIZE
KEYS *
EXEC
WATCH
WATCH a b c d
MULTI
PING
PING a
PING a b
ECHO
ECHO x
EXEC
MULTI
DEL
EXISTS
EXEC
MULTI
HELP
EXEC
HELP
help
HELP INCR
"#;

/// multi.tcl: which writes touch a watched key (no-op writes and failed ones do not), EXECABORT
/// winning over a touched key, ZADD XX on a missing key not creating it.
#[test]
fn multi_tcl_watch() {
    run(MULTI_WATCH);
}

const MULTI_WATCH: &str = r#"
SET k 1
WATCH k
@1 SET k 2
MULTI
INCR
EXEC
WATCH k
@1 SET k 3
MULTI
NOSUCH
EXEC
WATCH k
@1 SET k 3
MULTI
WATCH k
MULTI
EXEC
ZADD nk XX 1 a
EXISTS nk
ZADD nk XX INCR 1 a
EXISTS nk
ZADD nk XX CH 1 a 2 b
EXISTS nk
ZADD nk GT 1 a
ZADD nk2 LT INCR 1 a
ZRANGE nk2 0 -1 WITHSCORES
WATCH nk3
ZADD nk3 XX 1 a
MULTI
PING
EXEC
SET str x
WATCH str
SET str x NX
ZADD str XX 1 a
MULTI
PING
EXEC
WATCH str
INCR str
MULTI
PING
EXEC
WATCH str
GETDEL nosuch
HDEL str f
MULTI
PING
EXEC
WATCH k
HSET k f v
MULTI
EXEC
HSET hh f v
WATCH hh
HDEL hh nofield
ZREM hh x
MULTI
EXEC
ZADD zz 1 a
WATCH zz
ZADD zz 1 a
ZADD zz NX 2 a
ZADD zz GT 0 a
ZINCRBY zz 0 a
MULTI
EXEC
WATCH zz
ZADD zz CH 1 a
MULTI
EXEC
WATCH zz
ZREM zz nothere
ZINCRBY zz x a
MULTI
EXEC
WATCH zz
ZINCRBY zz 0 a
MULTI
EXEC
WATCH zz
ZADD zz INCR 0 a
MULTI
EXEC
WATCH zz
ZADD zz GT INCR -1 a
MULTI
EXEC
WATCH zz
ZADD zz 1 a
MULTI
EXEC
WATCH hh
HSET hh f v
MULTI
EXEC
WATCH hh
HINCRBY hh n 0
MULTI
EXEC
WATCH hh
HINCRBYFLOAT hh n 0
MULTI
EXEC
WATCH zz
DEL nothere
EXPIRE zz 100 NX
EXPIRE zz 10 GT
MULTI
EXEC
WATCH zz
PERSIST zz
MULTI
EXEC
WATCH zz
PEXPIRE zz 100000 XX
MULTI
EXEC
WATCH zz
FLUSHDB
MULTI
EXEC
WATCH zz
FLUSHALL
MULTI
EXEC
WATCH k
FLUSHALL
MULTI
EXEC
SET e v
WATCH e
EXPIRE e 0
MULTI
EXEC
SET e v
WATCH e
SET e v EX 0
MULTI
EXEC
GET e
SET e v
WATCH e
SET e v PXAT 1
MULTI
EXEC
SET e v
WATCH e
GETSET e v
MULTI
EXEC
WATCH e
SET e v XX GET
MULTI
EXEC
WATCH e
SET e v NX GET
MULTI
EXEC
"#;

/// multi.tcl: stale (expired) watched keys: deleting them, FLUSHDB and FLUSHALL over them, and
/// bringing them back; a watched key expiring by time; DISCARD clearing the dirty flag.
#[test]
fn multi_tcl_stale_keys() {
    run(MULTI_STALE);
}

const MULTI_STALE: &str = r#"
SET x foo PX 20
!sleep 50
WATCH x
FLUSHDB
MULTI
PING
EXEC
SET x foo PX 20
!sleep 50
WATCH x
FLUSHALL
MULTI
PING
EXEC
SET x foo PX 20
!sleep 50
WATCH x
EXISTS x
MULTI
PING
EXEC
SET x foo PX 20
!sleep 50
WATCH x
DEL x
MULTI
PING
EXEC
SET x foo PX 20
!sleep 50
WATCH x
SET x bar
MULTI
PING
EXEC
SET x foo PX 20
!sleep 50
WATCH x
SET x bar PX 10
!sleep 50
MULTI
PING
EXEC
SET a a
SET b b
WATCH b a
FLUSHALL
PING
MULTI
PING
EXEC
SET x foo
EXPIRE x 1
WATCH x
!sleep 1300
DBSIZE
MULTI
PING
EXEC
WATCH x
SET x 10
MULTI
DISCARD
MULTI
INCR x
EXEC
MULTI
PING asdf
EXEC
PING asdf
"#;

/// incr.tcl and zset.tcl, pushed to the edges of the number formats: seeded sequences of
/// INCRBYFLOAT, HINCRBYFLOAT, ZINCRBY and ZADD on decimal, exponent, hex and 64-bit integer
/// inputs, tiny and huge (up to the long double's 1e4932 and past it). `INCR_LAB_SEED` replays.
#[test]
fn float_increments_at_the_edges() {
    let seed = support::gen::env_number("INCR_LAB_SEED").unwrap_or(0x5eed_f10a7);
    let mut rng = SplitMix64::new(seed);
    let mut d = Duo::new();
    d.set_label(format!("seed {seed:#x} (INCR_LAB_SEED replays it)"));
    const FIXED: &[&str] = &[
        "0.1",
        "0.2",
        "-0.1",
        "1e-20",
        "3.14159265358979323846264338327950288",
        "1e4931",
        "-1e4931",
        "1e-4940",
        "4e-4951",
        "1.0e+308",
        "2.5e-308",
        "0x1p-1074",
        "0x1.fffffffffffffp1023",
        "-0",
        "17179869184",
    ];
    for _ in 0..1500 {
        let number = match rng.below(8) {
            0 => format!("{}", (rng.next() as i64) as f64 / 1e6),
            1 => format!(
                "{}e{}",
                rng.below(1999) as i64 - 999,
                rng.below(661) as i64 - 330
            ),
            2 => format!(
                "{:.*}",
                rng.below(21),
                (rng.next() % 20_000) as f64 / 1000.0 - 10.0
            ),
            3 => format!(
                "0x{:x}p{}",
                rng.next() >> rng.below(64),
                rng.below(40) as i64 - 20
            ),
            4 => (rng.next() as i64).to_string(),
            5 => rng.pick(FIXED).to_string(),
            6 => format!("{}e{}", rng.below(9) + 1, 4900 + rng.below(40)),
            _ => format!("{:.25e}", (rng.next() % 1_000_000) as f64 / 1e6 - 0.5),
        };
        let key = format!("k{}", rng.below(6));
        match rng.below(20) {
            0..=2 => d.check(0, &["SET", &key, &number]),
            3..=11 => d.check(0, &["INCRBYFLOAT", &key, &number]),
            12..=17 => d.check(0, &["HINCRBYFLOAT", "h", &key, &number]),
            18 => d.check(0, &["ZINCRBY", "z", &number, &key]),
            _ => d.check(0, &["ZADD", "z", &number, &key]),
        };
    }
    d.check(0, &["ZRANGE", "z", "0", "-1", "WITHSCORES"]);
}

/// multi.tcl ("EXEC with at least one use-memory command should fail", "DISCARD should not fail
/// during OOM"): Redis over `maxmemory` against the engine over its memory guard. Outside MULTI
/// only commands that may grow memory are refused; inside MULTI everything but EXEC and DISCARD
/// is, and that flags the transaction; EXEC of queued writes aborts with the OOM text. In both
/// protocols.
#[test]
fn out_of_memory_like_maxmemory() {
    let server = RedisServer::start();
    for protocol in [Protocol::Resp2, Protocol::Resp3] {
        assert_eq!(server.connect().call(&["FLUSHALL"]), b"+OK\r\n");
        out_of_memory_in(&server, protocol);
    }
}

fn out_of_memory_in(server: &RedisServer, protocol: Protocol) {
    let mut redis = [server.connect_in(protocol), server.connect_in(protocol)];
    let mut engine = Engine::with_limits(
        support::duo::wall_ms(),
        Limits {
            max_keys: Some(1),
            max_bytes: None,
        },
    );
    let mut history = Vec::new();
    let mut run = |client: usize, line: &str, redis: &mut [support::Conn; 2]| {
        let argv: Vec<&str> = line.split_whitespace().collect();
        history.push(format!("[client {client}] {}", show_argv(&argv)));
        let theirs = redis[client].call(&argv);
        let ours = engine
            .execute(client as u64 + 1, &argv)
            .to_protocol(protocol);
        assert_eq!(
            show(&ours),
            show(&theirs),
            "engine differs from Redis in {protocol:?} on {line:?}; sequence:\n{}",
            history.join("\n")
        );
    };
    // Queued while under the limit, refused at EXEC once over it.
    for line in ["SET x 1", "MULTI", "SET y 1", "GET x"] {
        run(0, line, &mut redis);
    }
    run(1, "SET y 2", &mut redis);
    assert_eq!(
        redis[1].call(&["CONFIG", "SET", "maxmemory", "1"]),
        b"+OK\r\n"
    );
    for line in [
        "EXEC",
        "GET x",
        "SET a 1",
        "INCR x",
        "PING",
        "ECHO a",
        "DBSIZE",
        "MULTI",
        "GET x",
        "PING",
        "MULTI",
        "WATCH x",
        "SET a 1",
        "EXEC",
        "MULTI",
        "DEL nokey",
        "EXEC",
        "MULTI",
        "DISCARD",
        "MULTI",
        "EXEC",
        "WATCH x",
        "UNWATCH",
        "HSET h f v",
        "HDEL h f",
        "ZADD z 1 a",
        "ZREM z a",
        "EXPIRE x 100",
        "PERSIST x",
        "GETSET x 2",
        "GETDEL nokey",
        "HINCRBY h f 1",
        "INCRBYFLOAT x 1",
        "ZINCRBY z 1 a",
        "FLUSHDB x",
        "GET",
        "NOSUCH",
    ] {
        run(0, line, &mut redis);
    }
    assert_eq!(
        redis[1].call(&["CONFIG", "SET", "maxmemory", "0"]),
        b"+OK\r\n"
    );
}

/// What client libraries and redis-cli send on connecting, over TCP to Redis and to
/// `redis-sim serve`: HELLO with every option and its errors, `CLIENT SETNAME|GETNAME|ID`, AUTH, INFO's
/// keyspace section (the others hold fields only Redis has; see `ioredis_ready_check`). Each
/// line runs on a fresh connection of each; `;` separates its commands. Client ids differ between
/// the two servers, so HELLO's `id` is compared with the connection's own `CLIENT ID`. Every line
/// on a RESP2 connection, then on one that opened with `HELLO 3`.
#[test]
fn connection_handshakes() {
    let redis = RedisServer::start();
    let sim = support::sim::SimServer::start();
    let script = r#"
        HELLO
        HELLO 2
        HELLO 02 ; HELLO +2 ; HELLO 2.0 ; HELLO "" ; HELLO 9223372036854775808 ; HELLO abc FOO
        HELLO -1 ; HELLO 1 ; HELLO 4 ; HELLO 1 FOO ; HELLO SETNAME foo
        HELLO 2 SETNAME foo ; CLIENT GETNAME
        HELLO 2 setname a SETNAME b ; CLIENT GETNAME ; HELLO 2 SETNAME "" ; CLIENT GETNAME
        HELLO 2 SETNAME ; HELLO 2 SETNAME "a b" ; HELLO 2 SETNAME "a\nb" ; CLIENT GETNAME
        HELLO 2 SETNAME ok SETNAME "a b" ; CLIENT GETNAME
        HELLO 2 AUTH default x ; HELLO 2 auth default pw SETNAME n ; CLIENT GETNAME
        HELLO 2 AUTH default ; HELLO 2 AUTH ; HELLO 2 AUTH a b ; HELLO 2 AUTH Default x
        HELLO 2 FOO ; HELLO 2 FOO bar ; HELLO 2 "F\x00O" ; HELLO 2 "a\r\nb"
        HELLO 3 SETNAME x ; CLIENT GETNAME ; INFO keyspace ; HELLO 2 ; INFO keyspace ; HELLO 3 FOO
        HELLO 3 AUTH default x ; HELLO 3 AUTH default pw ; CONFIG GET appendonly ; HELLO 03
        CLIENT ; client getname ; CLIENT GETNAME x ; CLIENT SETNAME ; CLIENT SETNAME a b
        CLIENT SETNAME "a b" ; CLIENT SETNAME "\xe9" ; CLIENT SETNAME "\x7f" ; CLIENT GETNAME
        CLIENT SETNAME !~ ; CLIENT GETNAME ; CLIENT SETNAME "" ; CLIENT GETNAME
        CLIENT ID x ; CLIENT FOO ; CLIENT foo bar ; CLIENT SETINFO LIB-NAME x ; CLIENT "a\r\nb"
        CLIENT "F\x00OO" ; CLIENT xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
        CLIENT SETNAME x ; MULTI ; PING ; EXEC ; CLIENT GETNAME ; QUIT
        AUTH ; AUTH x ; AUTH "" ; AUTH default x ; auth default "" ; AUTH Default x ; AUTH bob x
        AUTH a b c ; AUTH "a\r\nb" c ; PING
        INFO keyspace ; SET k 1 ; INFO Keyspace ; INFO nosuch keyspace ; INFO nosuch ; DEL k
        MULTI ; CLIENT SETNAME a ; PING ; CLIENT GETNAME ; ECHO x ; EXEC ; CLIENT GETNAME
        MULTI ; CLIENT SETNAME "a b" ; CLIENT GETNAME ; EXEC ; CLIENT GETNAME
        MULTI ; CONFIG GET save ; SET k 1 ; DEL k ; CONFIG GET APPENDONLY ; AUTH x ; AUTH default x ; EXEC
        MULTI ; HELLO 2 SETNAME n ; HELLO 1 ; CLIENT GETNAME ; INFO keyspace ; AUTH a b c d ; EXEC
        MULTI ; CLIENT SETNAME a ; DISCARD ; CLIENT GETNAME ; MULTI ; PING ; EXEC
        MULTI ; CLIENT ; CLIENT FOO ; CLIENT SETNAME ; CLIENT ID x ; PING ; EXEC ; MULTI ; EXEC
        MULTI ; CONFIG ; CONFIG NOSUCH ; CONFIG GET ; AUTH ; CONFIG GET save ; EXEC ; PING
        MULTI ; CLIENT SETNAME a ; INCR ; EXEC ; CLIENT GETNAME ; MULTI ; CLIENT GETNAME ; EXEC
        MULTI ; CONFIG GET save ; MULTI ; WATCH k ; EXEC
        WATCH k ; SET k 1 ; MULTI ; CLIENT SETNAME w ; EXEC ; CLIENT GETNAME ; DEL k
        MULTI ; CLIENT SETNAME q ; QUIT
    "#;
    let lines = script.lines().map(str::trim).filter(|l| !l.is_empty());
    for (protocol, line) in [Protocol::Resp2, Protocol::Resp3]
        .into_iter()
        .flat_map(|protocol| lines.clone().map(move |line| (protocol, line)))
    {
        let mut theirs = redis.connect_in(protocol);
        let mut ours = sim.connect_in(protocol);
        let ids = (theirs.call(&["CLIENT", "ID"]), ours.call(&["CLIENT", "ID"]));
        for command in line.split(" ; ") {
            let argv = split_args(command.as_bytes())
                .unwrap_or_else(|e| panic!("cannot split {command:?}: {e:?}"));
            let (want, got) = (theirs.call(&argv), ours.call(&argv));
            assert_eq!(
                show(&with_id(&got, &ids.1)),
                show(&with_id(&want, &ids.0)),
                "redis-sim serve differs from Redis on {command:?} in {line:?} ({protocol:?})"
            );
        }
    }
}

/// `reply` with HELLO's `id` field, when it is the connection's own id (`id_reply`, an integer
/// reply), replaced by a placeholder.
fn with_id(reply: &[u8], id_reply: &[u8]) -> Vec<u8> {
    let mut field = b"$2\r\nid\r\n".to_vec();
    field.extend_from_slice(id_reply);
    let Some(at) = reply.windows(field.len()).position(|w| w == field) else {
        return reply.to_vec();
    };
    let mut out = reply[..at].to_vec();
    out.extend_from_slice(b"$2\r\nid\r\n:<own id>\r\n");
    out.extend_from_slice(&reply[at + field.len()..]);
    out
}

/// ioredis' ready check: INFO must answer a bulk string of `field:value` lines with `loading:0`,
/// else ioredis drops the connection and retries forever.
#[test]
fn ioredis_ready_check() {
    let sim = support::sim::SimServer::start();
    let mut conn = sim.connect();
    for argv in [
        &["INFO"][..],
        &["info", "persistence"],
        &["INFO", "everything"],
    ] {
        let reply = conn.call(argv);
        let text = String::from_utf8_lossy(&reply);
        assert!(text.starts_with('$'), "{argv:?}: {text}");
        assert!(text.contains("\r\nloading:0\r\n"), "{argv:?}: {text}");
    }
    let reply = conn.call(&["INFO", "server"]);
    assert!(String::from_utf8_lossy(&reply).contains("\r\nredis_version:7.0.15\r\n"));
}

/// Every ordered choice of up to `most` distinct options from `options`, each flattened into the
/// arguments it adds.
fn orderings(options: &[&[&str]], most: usize) -> Vec<Vec<String>> {
    let mut out = vec![Vec::new()];
    let mut frontier: Vec<(Vec<usize>, Vec<String>)> = vec![(Vec::new(), Vec::new())];
    for _ in 0..most {
        let mut next = Vec::new();
        for (used, args) in &frontier {
            for (i, option) in options.iter().enumerate() {
                if used.contains(&i) {
                    continue;
                }
                let mut used = used.clone();
                used.push(i);
                let mut args = args.clone();
                args.extend(option.iter().map(|s| s.to_string()));
                out.push(args.clone());
                next.push((used, args));
            }
        }
        frontier = next;
    }
    out
}

/// string.tcl, zset.tcl, expire.tcl: every order of up to three SET options (NX, XX, GET, EX, PX,
/// EXAT, PXAT, KEEPTTL), four ZADD flags and three EXPIRE-family flags, and up to four ZRANGE
/// options, on keys in each state that matters (missing, plain, with a TTL, of another type;
/// lower and higher scores). Conflicts must be refused with Redis' error, in Redis' order of
/// checks, and nothing written.
#[test]
fn every_option_order() {
    let mut d = Duo::new();
    let at = support::duo::wall_ms() / 1000 + 100_000;
    let (at_s, at_ms) = (at.to_string(), (at * 1000).to_string());
    let set_options: &[&[&str]] = &[
        &["NX"],
        &["XX"],
        &["GET"],
        &["EX", "100"],
        &["PX", "100000"],
        &["EXAT", &at_s],
        &["PXAT", &at_ms],
        &["KEEPTTL"],
    ];
    for options in orderings(set_options, 3) {
        for setup in ["", "SET k old", "SET k old EX 5000", "HSET k f v"] {
            d.lines(0, &format!("DEL k\n{setup}"));
            let mut argv = vec!["SET".to_string(), "k".into(), "new".into()];
            argv.extend(options.iter().cloned());
            d.check(0, &argv);
            d.lines(0, "TYPE k\nGET k");
            d.check_near(0, &["PEXPIRETIME", "k"], 250);
        }
    }
    let zadd_flags: &[&[&str]] = &[&["NX"], &["XX"], &["GT"], &["LT"], &["CH"], &["INCR"]];
    for flags in orderings(zadd_flags, 4) {
        for setup in ["", "ZADD z 1 m", "ZADD z 9 m"] {
            d.lines(0, &format!("DEL z\n{setup}"));
            for pairs in [&["5", "m"][..], &["5", "m", "6", "n"]] {
                let mut argv = vec!["ZADD".to_string(), "z".into()];
                argv.extend(flags.iter().cloned());
                argv.extend(pairs.iter().map(|s| s.to_string()));
                d.check(0, &argv);
            }
            d.lines(0, "ZRANGE z 0 -1 WITHSCORES");
        }
    }
    let expire_flags: &[&[&str]] = &[&["NX"], &["XX"], &["GT"], &["LT"]];
    for (command, time) in [
        ("EXPIRE", "100"),
        ("PEXPIRE", "100000"),
        ("EXPIREAT", at_s.as_str()),
        ("PEXPIREAT", at_ms.as_str()),
        ("EXPIRE", "-1"),
    ] {
        for flags in orderings(expire_flags, 3) {
            for setup in ["", "SET e v", "SET e v EX 50", "SET e v EX 500000"] {
                d.lines(0, &format!("DEL e\n{setup}"));
                let mut argv = vec![command.to_string(), "e".into(), time.into()];
                argv.extend(flags.iter().cloned());
                d.check(0, &argv);
                d.lines(0, "EXISTS e");
                // A relative time ends at the engine's now, a few ms from Redis' own: EXPIRETIME
                // rounds to the second, so the two may straddle a half second.
                d.check_near(0, &["EXPIRETIME", "e"], 1);
            }
        }
    }
    let zrange_options: &[&[&str]] = &[
        &["BYSCORE"],
        &["BYLEX"],
        &["REV"],
        &["LIMIT", "0", "2"],
        &["WITHSCORES"],
    ];
    d.lines(0, "ZADD r 1 a 2 b 3 c");
    for options in orderings(zrange_options, 4) {
        for (min, max) in [
            ("0", "-1"),
            ("-inf", "+inf"),
            ("[a", "[c"),
            ("-", "+"),
            ("+inf", "-inf"),
            ("+", "-"),
        ] {
            let mut argv = vec!["ZRANGE".to_string(), "r".into(), min.into(), max.into()];
            argv.extend(options.iter().cloned());
            d.check(0, &argv);
        }
    }
}

//! The differential suite, cases taken from Redis' own test suite (`tests/unit/type/incr.tcl`,
//! `string.tcl`, `hash.tcl`, `zset.tcl`, `tests/unit/expire.tcl`, `keyspace.tcl`, `multi.tcl`) and
//! pushed further with odd inputs: every case there that touches a command we support, sent to a
//! real Redis 7.0, to the engine and to `redis-sim serve`, replies compared byte for byte.
//!
//! Sessions are written in redis-cli syntax, one command per line (double quotes with `\xHH`
//! escapes for odd bytes). A line `@N cmd` runs `cmd` as client N; `!sleep MS` sleeps. Each test
//! starts its own `redis-server`; if none can be started the test fails.

mod support;

use incr_lab::engine::tokenizer::split_args;
use incr_lab::engine::{Engine, Limits};
use support::duo::Duo;
use support::gen::SplitMix64;
use support::{show, show_argv, RedisServer};

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

const INCR: &str = r#"
INCR novar
GET novar
INCR novar
SET novar 17179869184
INCR novar
INCRBY novar 17179869184
SET novar "    11"
INCR novar
SET novar "11    "
INCR novar
SET x 0
DECRBY x -9223372036854775808
DECRBY novar 17179869185
SET novar 17179869184
DECRBY novar 17179869185
DEL novar
INCRBYFLOAT novar 1
GET novar
INCRBYFLOAT novar 0.25
SET novar 1.5
INCRBYFLOAT novar 1.5
SET novar 17179869184
INCRBYFLOAT novar 1.5
SET novar 17179869184
INCRBYFLOAT novar 17179869184
SET novar " 11 "
INCRBYFLOAT novar 1.0
SET foo 0
INCRBYFLOAT foo +inf
SET foo 1
INCRBYFLOAT foo -1.1
SET foo "1\x002"
INCRBYFLOAT foo 1
DEL foo
INCRBYFLOAT foo 0.024390243902439025
INCRBYFLOAT foo -0.024390243902439025
GET foo
SET f 1e4000
INCRBYFLOAT f 1
SET f 1e4932
INCRBYFLOAT f 1
SET f 1.18973149535723176502e+4932
INCRBYFLOAT f 1
SET f 1.1e4932
INCRBYFLOAT f 1
INCRBYFLOAT f 1e4932
SET f 1e-4950
INCRBYFLOAT f 0
SET f 5e-324
INCRBYFLOAT f 0
SET g 1e300
INCRBYFLOAT g 1e300
INCRBYFLOAT g 1e300
GET g
INCRBYFLOAT h 1e400
INCRBYFLOAT h2 -1e400
INCRBYFLOAT h3 1e-400
INCRBYFLOAT h4 1e-5000
SET i 3
INCRBYFLOAT i 0x1p+1000
INCRBYFLOAT i 1e17
INCRBYFLOAT i 1e18
INCRBYFLOAT i 12345678901234567890.5
SET j -0
INCRBYFLOAT j 0
SET j -0.0
INCRBYFLOAT j -0.0
INCRBYFLOAT j2 -0.0
INCRBYFLOAT j3 -0
GET j3
SET k 1.
INCRBYFLOAT k 1
SET k .1
INCRBYFLOAT k 1
SET k 0x1P4
INCRBYFLOAT k 1
SET k 1e
INCRBYFLOAT k 1
SET k 1E5
INCRBYFLOAT k 1
INCRBYFLOAT k 1E5
INCRBYFLOAT k 1e+5
INCRBYFLOAT k infinity
INCRBYFLOAT k -INFINITY
INCRBYFLOAT k inF
INCRBYFLOAT k NAN
INCRBYFLOAT k nan(123)
INCRBYFLOAT k 0x1.fffffffffffffffffffp1023
INCRBYFLOAT k 0x.8
INCRBYFLOAT k 0X10
INCRBYFLOAT k 0x
INCRBYFLOAT k 1e-
INCRBYFLOAT k 1e+
INCRBYFLOAT k +.5
INCRBYFLOAT k -.5e1
INCRBYFLOAT k +-1
INCRBYFLOAT k "\t1"
INCRBYFLOAT k "\n1"
INCRBYFLOAT k "1\n"
SET l 123456789
INCRBYFLOAT l 0.000000001
INCRBYFLOAT l 1e-20
SET l 0.1
INCRBYFLOAT l 0.2
SET m 99999999999999999999999999999999
INCRBYFLOAT m 1
SET m 9223372036854775807
INCRBYFLOAT m 1
INCR m
SET n 3.0
INCR n
SET n 3
INCRBYFLOAT n 0
INCR n
SET n 1e2
INCR n
"#;

/// string.tcl: GETDEL, GETSET, SET with every option and order, conflicting options, option
/// arguments missing, expire times that overflow, GET on the wrong type, empty keys.
#[test]
fn string_tcl() {
    run(STRING);
}

const STRING: &str = r#"
SET foo bar
GETDEL foo
GETDEL foo
SET foo bar EX 100
GETDEL foo
TTL foo
SET foo bar
GETSET foo xyz
GETSET newfoo xyz
SET foo bar GET
SET foo bar EX 10 GET
SET foo bar px 10000 get
SET foo bar GET NX
SET foo bar NX GET
SET foo bar XX GET
SET foo bar GET XX
SET foo bar GET GET
SET foo bar KEEPTTL GET EX 10
SET foo bar EX 10 KEEPTTL
SET foo bar ex 10 px 10
SET foo bar EXAT 0
SET foo bar PXAT 0
SET foo bar EXAT -1
SET foo bar PXAT -1
SET foo bar EX 0 GET
SET foo bar EX -5 GET
SET foo bar PX 0 NX
SET foo bar EX
SET foo bar PX
SET foo bar EXAT
SET foo bar PXAT
SET foo bar GET EX
SET foo bar NX EX
SET foo bar EX NX
SET foo bar EX NX 10
SET foo bar EX 10 NX XX
SET foo bar KEEPTTL PX
SET foo bar NX XX GET
SET foo bar XX XX
SET foo bar EX 10 EX 10
SET foo bar PX 10 PX 10
SET foo bar EXAT 99999999999 EXAT 99999999999
SET foo bar KEEPTTL KEEPTTL
SET foo bar GET GET GET
SET foo bar Ex 100 gEt
GET foo
TTL foo
DEL foo
HSET hk f v
SET hk v GET
SET hk v XX GET
SET hk v NX GET
SET hk v EX 0 GET
SET hk v EX 10 GET
SET hk v EX abc GET
SET hk v BAD GET
GETSET hk v
GETDEL hk
GET hk
ZADD zk 1 a
GET zk
GETSET zk v
GETDEL zk
INCR zk
INCRBYFLOAT zk 1
SET zk x GET
SET zk x NX
SET zk x
TYPE zk
SET "" ""
GET ""
INCR ""
INCRBYFLOAT "" 1.5
GETDEL ""
SET k 1 EX 9223372036854775807
SET k 1 EX 9223372036854775
SET k 1 EX 9223372036854774
SET k 1 PX 9223372036854775807
SET k 1 PX 9223372036854770000
SET k 1 EXAT 9223372036854775
SET k 1 EXAT 9223372036854774
SET k 1 PXAT 9223372036854775807
PEXPIRETIME k
SET k 1 EX -9223372036854775808
SET k 1 PX -9223372036854775808
SET k 1 EX 1e3
SET k 1 EX 0x10
SET k 1 EX " 10"
SET k 1 EX 10.0
GETSET
GETSET a
GETSET a b c
GETDEL
GETDEL a b
SET a
SET
GET
GET a b
"#;

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

const ZSET_RANGES: &str = r#"
ZADD myzset nan abc
ZINCRBY myzset +inf abc
ZINCRBY myzset -inf abc
ZSCORE myzset abc
ZADD myzset 10 a 20 b 30.badscore c
ZADD myzset 10 a 20 b 30 c 40
ZINCRBY myzset 10 a 20 b 30 c
DEL myzset
ZADD zset -inf a 1 b 2 c 3 d 4 e 5 f +inf g
ZRANGE zset -inf 2 BYSCORE
ZRANGE zset (-inf (2 BYSCORE
ZRANGE zset (4 (+inf BYSCORE
ZRANGE zset 2 -inf BYSCORE REV
ZRANGE zset (2 (-inf BYSCORE REV
ZRANGE zset (+inf (4 BYSCORE REV
ZRANGE zset 2 (2 BYSCORE
ZRANGE zset 2.4 2.6 BYSCORE
ZRANGE zset 0 3 BYSCORE WITHSCORES
ZRANGE zset 3 0 BYSCORE REV WITHSCORES
ZRANGE zset 0 10 BYSCORE LIMIT 0 2
ZRANGE zset 0 10 BYSCORE LIMIT 2 3
ZRANGE zset 0 10 BYSCORE LIMIT 20 10
ZRANGE zset 10 0 BYSCORE REV LIMIT 2 10
ZRANGE zset 2 5 BYSCORE LIMIT 2 3 WITHSCORES
ZRANGE zset 5 2 BYSCORE REV LIMIT 2 3 WITHSCORES
ZRANGE fooz str 1 BYSCORE
ZRANGE fooz 1 str BYSCORE
ZRANGE fooz 1 NaN BYSCORE
ZRANGE zset 1 NaN BYSCORE
ZRANGE zset ( 1 BYSCORE
ZRANGE zset (( 1 BYSCORE
ZRANGE zset (nan 1 BYSCORE
ZRANGE zset "(1 " 5 BYSCORE
ZRANGE zset " 1" 5 BYSCORE
ZRANGE zset 0x1 5 BYSCORE
ZRANGE zset 1e400 5 BYSCORE
ZRANGE zset -1e400 5 BYSCORE
ZRANGE zset -inf +inf BYSCORE LIMIT -1 2
ZRANGE zset -inf +inf BYSCORE LIMIT 1 -1
ZRANGE zset -inf +inf BYSCORE LIMIT 1 -5
ZRANGE zset -inf +inf BYSCORE LIMIT -5 -5
ZRANGE zset -inf +inf BYSCORE LIMIT 0 0
ZRANGE zset -inf +inf BYSCORE LIMIT 9223372036854775807 9223372036854775807
ZRANGE zset -inf +inf BYSCORE LIMIT -9223372036854775808 1
ZRANGE zset -inf +inf BYSCORE LIMIT 0 9223372036854775808
ZRANGE zset -inf +inf BYSCORE LIMIT a 1
ZRANGE zset -inf +inf BYSCORE LIMIT 1
ZRANGE zset -inf +inf BYSCORE LIMIT
ZRANGE zset 0 -1 LIMIT 0 1
ZRANGE zset 0 -1 REV LIMIT 0 1
ZRANGE zset 0 -1 WITHSCORES LIMIT 0 1
ZRANGE nokey 0 -1 LIMIT 0 1
ZRANGE nokey a b
ZRANGE nokey a b BYSCORE
ZRANGE nokey 0 -1 BYLEX
ZRANGE zset - + BYLEX
ZRANGE zset [a [c BYLEX
ZRANGE zset 0 -1 BYSCORE BYLEX
ZRANGE zset 0 -1 BYLEX BYSCORE
ZRANGE zset 0 -1 WITHSCORES WITHSCORES
ZRANGE zset 0 -1 REV REV
ZRANGE zset 0 -1 BYSCORE BYSCORE
ZRANGE zset 0 -1 withscores rev
ZRANGE zset 0 -1 foo
ZRANGE zset 0 -1 LIMIT 0 1 LIMIT 0 2
ZRANGE zset -inf +inf BYSCORE LIMIT 0 1 LIMIT 0 2
ZRANGE zset 1.5 3
ZRANGE zset 9223372036854775807 -9223372036854775808
ZRANGE zset -9223372036854775808 9223372036854775807
ZRANGE zset 9223372036854775808 1
ZREVRANGE zset 0 -1 WITHSCORES
ZREVRANGE zset 0 -1 withscores extra
ZREVRANGE zset 0 -1 foo
ZREVRANGE zset 0 -1 BYSCORE
ZREVRANGE zset 0 -1 LIMIT 0 1
ZREVRANGE zset a b
ZREVRANGE nokey a b
ZREVRANGE nokey 0 -1 foo
ZRANGE nokey 0 -1 foo
ZRANK zset g
ZRANK zset nope
ZREVRANK zset a
ZRANK zset a WITHSCORE
ZREVRANK zset a WITHSCORE
ZRANK nokey a
SET str v
ZRANK str a
ZRANGE str 0 -1
ZRANGE str 0 -1 foo
ZRANGE str a b
ZRANGE str a b BYSCORE
ZREVRANGE str 0 1
ZADD str 1 a
ZADD str 1
ZADD str x a
ZINCRBY str 1 a
ZINCRBY str x a
ZSCORE str a
ZCARD str
ZREM str a
ZSCORE zset nope
ZSCORE nokey a
ZSCORE zset a
ZSCORE zset g
"#;

/// zset.tcl: ZADD INCR with every flag, GT/LT/NX/XX/CH combinations, infinities, -0, scores
/// printed like Redis, ZINCRBY to overflow and NaN.
#[test]
fn zset_tcl_zadd_flags() {
    run(ZSET_ZADD);
}

const ZSET_ZADD: &str = r#"
ZADD z INCR 5 a
ZADD z INCR 5 a
ZADD z INCR CH 5 a
ZADD z INCR NX 5 a
ZADD z INCR NX 5 b
ZADD z INCR XX 5 c
ZADD z INCR XX 5 a
ZADD z INCR GT -1 a
ZADD z INCR GT 1 a
ZADD z INCR LT 1 a
ZADD z INCR LT -1 a
ZADD z INCR GT 0 a
ZADD z INCR LT 0 a
ZADD z INCR GT 5 newgt
ZADD z INCR LT 5 newlt
ZADD z INCR XX GT 5 nothere
ZADD z INCR inf a
ZADD z INCR -inf a
ZADD z INCR nan a
ZADD z INCR +inf a
ZADD z INCR 1 a 2 b
ZADD z INCR 1
ZADD z INCR
ZADD z CH
ZADD z GT
ZADD z 1 a 1 b 1 c
ZADD z GT CH 1 a 2 b 0 c 5 d
ZADD z LT CH 1 a 2 b 0 c 5 d
ZADD z NX CH 1 a 2 b 0 c 5 e
ZADD z XX CH 10 a 20 b 30 zz
ZRANGE z 0 -1 WITHSCORES
ZADD z 1.0 x 1 y 1e0 w
ZRANGE z 0 -1 WITHSCORES
ZADD z -0 negz
ZSCORE z negz
ZADD z 0 posz
ZRANGE z 0 -1 WITHSCORES
ZINCRBY z -0 posz
ZSCORE z posz
ZADD s 0.1 a 0.2 b 0.30000000000000004 c 1e-7 d 1e21 e 1e22 f 123456789012345678 g 1.5e300 h 2.2250738585072014e-308 i 4.9e-324 j 1e15 k 1e16 l 1e17 m -1e-7 n 100 o 0.0001 p 0.00001 q
ZRANGE s 0 -1 WITHSCORES
ZSCORE s c
ZINCRBY s 0.1 a
ZINCRBY s 1e308 h
ZINCRBY s 1e308 newm
ZINCRBY s 1.7976931348623157e308 newm
ZINCRBY s 1.7976931348623157e308 newm
ZSCORE s newm
ZINCRBY s -inf newm
ZINCRBY s 1 nope2
ZINCRBY s
ZINCRBY s 1
ZINCRBY nokey x a
ZINCRBY nokey nan a
EXISTS nokey
ZADD s2 inf a -inf b
ZINCRBY s2 inf a
ZINCRBY s2 -inf a
ZINCRBY s2 inf b
ZADD s2 INCR -inf a
ZADD s2 INCR inf b
ZRANGE s2 0 -1 WITHSCORES
ZADD s2 GT CH INCR 1 a
ZADD s2 CH INCR 1 c
ZADD s2 CH INCR 0 c
ZREM s2
ZREM s2 a a a
ZREM s2 b c zz
EXISTS s2
ZADD big 1 a
ZRANGE big 0 0 WITHSCORES
ZADD big GT GT 2 a
ZADD big LT LT 2 a
ZADD big XX XX 2 a
ZADD big NX NX 3 a
ZADD big incr INCR 1 a
ZADD big ch gt xx incr 1 a
ZADD big ch gt xx incr -1 a
ZRANGE big 0 -1 WITHSCORES
"#;

/// zset.tcl: ZRANGE BYLEX and its errors, rank ranges at the i64 limits, arity.
#[test]
fn zset_tcl_lex_and_ranks() {
    run(ZSET_LEX);
}

const ZSET_LEX: &str = r#"
ZADD l 0 a 0 b 0 c 0 d 0 e 0 ""  0 "\xff" 0 aa 0 "a\x00"
ZRANGE l - + BYLEX
ZRANGE l + - BYLEX
ZRANGE l + - BYLEX REV
ZRANGE l - + BYLEX REV
ZRANGE l [a (c BYLEX
ZRANGE l (a [c BYLEX
ZRANGE l [c (a BYLEX REV
ZRANGE l [ [ BYLEX
ZRANGE l ( ( BYLEX
ZRANGE l [ + BYLEX
ZRANGE l ( + BYLEX
ZRANGE l a c BYLEX
ZRANGE l -a +b BYLEX
ZRANGE l - +b BYLEX
ZRANGE l [a [\xff BYLEX
ZRANGE l - + BYLEX LIMIT 1 2
ZRANGE l - + BYLEX LIMIT -1 2
ZRANGE l - + BYLEX LIMIT 1 -1
ZRANGE l - + BYLEX REV LIMIT 1 3
ZRANGE l - + BYLEX WITHSCORES
ZRANGE l - + BYLEX LIMIT
ZRANGE l - + BYLEX LIMIT 1
ZRANGE l - + BYLEX LIMIT x 1
ZRANGE l "[a\x00" + BYLEX
ZRANGE nokey - + BYLEX
ZRANGE nokey a b BYLEX
ZRANGE l 0 -1 BYLEX
SET s v
ZRANGE s - + BYLEX
ZRANGE s a b BYLEX
ZRANGE s 0 1 BYSCORE LIMIT x 1
ZRANGE l 0 -1 LIMIT x 1
ZRANGE l 0 x LIMIT 0 1
ZRANGE l x 0 BYSCORE LIMIT 0 1
ZRANGE l 0 -1 WITHSCORES BYLEX
ZRANGE l 0 1 BYSCORE WITHSCORES LIMIT 0 -1
ZRANGE l 0 1 REV BYSCORE
ZRANGE l 1 0 REV BYSCORE
ZRANGE l (0 (0 BYSCORE
ZRANGE l [0 [0 BYSCORE
ZRANGE l 0 -1 REV WITHSCORES
ZRANGE l -1 0
ZRANGE l -100 100
ZRANGE l 100 200
ZRANGE l -9223372036854775808 -9223372036854775808
ZRANGE l 0 9223372036854775807 REV
ZREVRANGE l -9223372036854775808 9223372036854775807
ZREVRANGE l 0 0 WITHSCORES
ZREVRANGE l 0 0 WITHSCORES WITHSCORES
ZREVRANGE l 0 0 REV
ZRANK l ""
ZREVRANK l ""
ZRANK l "a\x00"
ZREM l "" "\xff"
ZCARD l
ZCARD
ZCARD a b
ZSCORE l
ZSCORE l a b
ZRANK l
ZRANK l a b c
ZREVRANK l a b c
ZREM l
ZRANGE l 0
ZRANGE l
ZREVRANGE l 0
"#;

/// expire.tcl: NX/XX/GT/LT and their conflicts, times in the past deleting the key whatever the
/// flag, times that overflow in seconds and in milliseconds, the wrong option.
#[test]
fn expire_tcl() {
    run(EXPIRE);
}

const EXPIRE: &str = r#"
SET x foobar
EXPIRE x 5
TTL x
EXPIRE x 10
TTL x
EXPIRE x 2
SET x foo
TTL x
SET k v
EXPIRE k 100 NX XX
EXPIRE k 100 nx
EXPIRE k 100 NX
EXPIRE k 200 XX
EXPIRE k 50 GT
EXPIRE k 300 gt
EXPIRE k 400 LT
EXPIRE k 100 lt
PERSIST k
EXPIRE k 100 GT
EXPIRE k 100 LT
TTL k
PERSIST k
EXPIRE k -1 GT
EXISTS k
SET k v
EXPIRE k -1 LT
EXISTS k
SET k v
EXPIRE k -1 NX
EXISTS k
SET k v
EXPIRE k -1 XX
EXISTS k
SET k v EX 100
EXPIRE k -1 XX
EXISTS k
SET k v EX 100
EXPIRE k -1 GT
EXISTS k
SET k v EX 100
EXPIRE k -1 NX
EXISTS k
SET k v
EXPIRE k 9223372036854775807 GT
EXPIRE k 9223372036854775807 LT
EXPIRE k 9223372036854775807 XX
PEXPIRE k 9223372036854775807 LT
PEXPIRE k 9223372036854775000 LT
PEXPIRE k 9223372036854770000 LT
PEXPIREAT k 9223372036854775807 LT
PEXPIRETIME k
PEXPIREAT k 9223372036854775806 GT
PEXPIREAT k 9223372036854775807 GT
PEXPIREAT k 9223372036854775807 XX
PEXPIREAT k -9223372036854775808 XX
EXISTS k
SET k v
PEXPIREAT k -1
EXISTS k
SET k v
EXPIREAT k -9223372036854775808
EXPIREAT k -9223372036854775807
EXPIREAT k -922337203685477
EXPIREAT k -9223372036854775
EXPIREAT k -9223372036854776
EXISTS k
SET k v
EXPIREAT k 9223372036854775807 GT
EXPIREAT k 1 GT
EXPIREAT k 1 LT
EXISTS k
SET k v
PEXPIRE k -9223372036854775807
EXISTS k
SET k v
PEXPIRE k -9223372036854775808
EXISTS k
SET k v
EXPIRE k 922337203685477580
EXPIRE k 9223372036854775 GT
EXPIRE k 9223372036854774 GT
EXPIRE k -9223372036854774 GT
EXISTS k
EXPIRE k abc GT
EXPIRE k 1 abc
EXPIRE k 1 GT abc
EXPIRE k 1 ""
EXPIRE nokey 1 GT LT
EXPIRE nokey abc
EXPIRE nokey 9223372036854775807
PEXPIRE nokey 9223372036854775807
EXPIREAT nokey 9223372036854775807
PEXPIREAT nokey 9223372036854775807
EXPIREAT nokey -9223372036854775808
TTL nokey
PEXPIRE nokey 1 XX
HSET h f v
ZADD z 1 a
EXPIRE h 100
EXPIRE z 100
TTL z
EXPIRETIME nokey
PERSIST z
PERSIST z
TTL ""
EXPIRE "" 10
SET "" v
EXPIRE "" 10
TTL ""
PERSIST ""
"#;

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
    let mut rng = SplitMix64(seed);
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
/// is, and that flags the transaction; EXEC of queued writes aborts with the OOM text.
#[test]
fn out_of_memory_like_maxmemory() {
    let server = RedisServer::start();
    let mut redis = [server.connect(), server.connect()];
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
        let ours = engine.execute(client as u64 + 1, &argv).to_resp();
        assert_eq!(
            show(&ours),
            show(&theirs),
            "engine differs from Redis on {line:?}; sequence:\n{}",
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
/// `redis-sim serve`: HELLO with every option and its errors, `CLIENT SETNAME|GETNAME|ID`, INFO's
/// keyspace section (the others hold fields only Redis has; see `ioredis_ready_check`). Each
/// line runs on a fresh connection of each; `;` separates its commands. Client ids differ between
/// the two servers, so HELLO's `id` is compared with the connection's own `CLIENT ID`.
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
        CLIENT ; client getname ; CLIENT GETNAME x ; CLIENT SETNAME ; CLIENT SETNAME a b
        CLIENT SETNAME "a b" ; CLIENT SETNAME "\xe9" ; CLIENT SETNAME "\x7f" ; CLIENT GETNAME
        CLIENT SETNAME !~ ; CLIENT GETNAME ; CLIENT SETNAME "" ; CLIENT GETNAME
        CLIENT ID x ; CLIENT FOO ; CLIENT foo bar ; CLIENT SETINFO LIB-NAME x ; CLIENT "a\r\nb"
        CLIENT "F\x00OO" ; CLIENT xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
        CLIENT SETNAME x ; MULTI ; PING ; EXEC ; CLIENT GETNAME ; QUIT
        INFO keyspace ; SET k 1 ; INFO Keyspace ; INFO nosuch keyspace ; INFO nosuch ; DEL k
    "#;
    for line in script.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let mut theirs = redis.connect();
        let mut ours = sim.connect();
        let ids = (theirs.call(&["CLIENT", "ID"]), ours.call(&["CLIENT", "ID"]));
        for command in line.split(" ; ") {
            let argv = split_args(command.as_bytes())
                .unwrap_or_else(|e| panic!("cannot split {command:?}: {e:?}"));
            let (want, got) = (theirs.call(&argv), ours.call(&argv));
            assert_eq!(
                show(&with_id(&got, &ids.1)),
                show(&with_id(&want, &ids.0)),
                "redis-sim serve differs from Redis on {command:?} in {line:?}"
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
                d.lines(0, "EXISTS e\nEXPIRETIME e");
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

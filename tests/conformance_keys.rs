//! The differential suite for keys and server commands: RENAME, RENAMENX, COPY, UNLINK, TOUCH,
//! RANDOMKEY, SCAN, OBJECT, MEMORY, CONFIG, TIME and LASTSAVE, against a real Redis 7.0.
//!
//! Where Redis answers from a hash table seeded at random (SCAN's pages, RANDOMKEY, CONFIG GET of
//! several parameters) what is compared is what a client may rely on: a full SCAN returns every
//! key, RANDOMKEY a key that exists, CONFIG GET the same pairs.

mod support;

use std::collections::BTreeSet;

use support::duo::{Duo, Mode};
use support::Resp;

/// Arity, unknown-subcommand and syntax errors, worded as Redis words them.
#[test]
fn errors_and_arities() {
    let mut d = Duo::new();
    for name in [
        "rename",
        "renamenx",
        "copy",
        "unlink",
        "touch",
        "randomkey",
        "scan",
        "time",
        "lastsave",
    ] {
        if !["time", "lastsave"].contains(&name) {
            d.check(0, &[name]);
        }
        d.check(0, &[name, "a", "b", "c", "d", "e"]);
    }
    d.lines(
        0,
        "OBJECT\nOBJECT foo\nOBJECT encoding\nOBJECT ENCODING a b\nOBJECT help x\nobject HELP\n\
         OBJECT refcount\nOBJECT idletime\nOBJECT freq\nMEMORY\nMEMORY foo\nMEMORY usage\n\
         memory HELP\nMEMORY HELP x\nMEMORY PURGE\nMEMORY DOCTOR\nCONFIG\nCONFIG foo\nconfig help\n\
         CONFIG GET\nCONFIG SET\nCONFIG SET maxmemory\nCONFIG SET maxmemory 0 maxmemory-policy\n\
         CONFIG RESETSTAT\nCONFIG RESETSTAT x\nCONFIG REWRITE\nCONFIG HELP x",
    );
    d.check(0, &["OBJECT", "no\r\nsuch"]);
    d.check(0, &["CONFIG", &"x".repeat(200)]);
}

#[test]
fn rename_renamenx_and_their_edges() {
    let mut d = Duo::new();
    d.lines(
        0,
        "RENAME a b\nRENAMENX a b\nSET a 1\nRENAME a a\nRENAMENX a a\nGET a\nRENAME a b\nGET a\n\
         GET b\nEXISTS a b\nSET c 2\nRENAMENX b c\nRENAMENX b d\nGET d\nRENAME d c\nGET c\n\
         HSET h f v\nRENAME h c\nTYPE c\nHGET c f\nZADD z 1 m\nRENAME c z\nTYPE z\n\
         SET t v EX 100\nRENAME t u\nTTL u\nTTL t\nSET v x\nRENAME u v\nTTL v\nSET w y\n\
         RENAME w v\nTTL v",
    );
    d.check_near(0, &["TTL", "v"], 1);
    // A key with a TTL already past is missing for RENAME.
    d.lines(0, "SET gone v PX 1");
    d.sleep_ms(5);
    d.lines(0, "RENAME gone g2\nRENAMENX gone g2\nEXISTS g2");
    // Watchers of both names see the rename.
    d.lines(0, "SET w1 a\nWATCH w1\nMULTI\nPING");
    d.lines(1, "RENAME w1 w2");
    d.lines(0, "EXEC");
    d.lines(0, "WATCH w3\nMULTI\nPING");
    d.lines(1, "RENAME w2 w3");
    d.lines(0, "EXEC\nGET w3");
    d.check(0, &[&b"k\x00z"[..], b"v"]);
}

#[test]
fn copy_within_and_across_databases() {
    let mut d = Duo::new();
    d.lines(
        0,
        "COPY a b\nSET a 100\nCOPY a a\nCOPY a b\nGET b\nCOPY a b\nSET a 200\nCOPY a b REPLACE\n\
         GET b\nCOPY a b replace REPLACE\nCOPY a b DB\nCOPY a b DB x\nCOPY a b DB -1\nCOPY a b DB 16\n\
         COPY a b DB 99999999999\nCOPY a b FOO\nCOPY a a DB 0\nCOPY a a DB 1\nSELECT 1\nGET a\n\
         SELECT 0\nCOPY a a DB 1\nCOPY a c DB 1 REPLACE\nSELECT 1\nGET c\nSELECT 0\n\
         HSET h f v g w\nCOPY h h2\nHGETALL h2\nHSET h2 x y\nHLEN h\nHLEN h2\n\
         ZADD z 1 a 2 b\nCOPY z z2\nZRANGE z2 0 -1 WITHSCORES\nSET e v EX 100\nCOPY e e2\nTTL e2\n\
         COPY e e3 DB 2\nSELECT 2\nTTL e3\nSELECT 0",
    );
    // A copied small integer is an object of its own, the original stays shared.
    d.lines(
        0,
        "SET n 5\nCOPY n n2\nOBJECT REFCOUNT n\nOBJECT REFCOUNT n2\nOBJECT ENCODING n2\nINCR n2\n\
         OBJECT REFCOUNT n2\nSET big 123456\nCOPY big big2\nOBJECT REFCOUNT big2",
    );
    // WATCH in the target database sees a COPY into it.
    d.lines(0, "SELECT 3\nWATCH target\nMULTI\nPING");
    d.lines(1, "COPY a target DB 3");
    d.lines(0, "EXEC\nSELECT 0");
}

#[test]
fn unlink_touch_exists() {
    let mut d = Duo::new();
    d.lines(
        0,
        "UNLINK a\nSET a 1\nSET b 2\nUNLINK a b c a\nSET a 1\nTOUCH a b a\nEXISTS a b a\n\
         HSET h f v\nTOUCH h nope h",
    );
}

#[test]
fn randomkey_returns_a_live_key() {
    let mut d = Duo::new();
    d.check(0, &["RANDOMKEY"]);
    d.lines(0, "SET only 1\nRANDOMKEY\nDEL only\nSET gone v PX 1");
    d.sleep_ms(5);
    // All keys expired: Redis deletes what it draws and answers nil.
    let [resp2, resp3] = d.replies(0, &["RANDOMKEY"]);
    assert_eq!(
        resp2,
        (
            b"$-1\r\n".to_vec(),
            b"$-1\r\n".to_vec(),
            b"$-1\r\n".to_vec()
        )
    );
    assert_eq!(
        resp3,
        (b"_\r\n".to_vec(), b"_\r\n".to_vec(), b"_\r\n".to_vec())
    );
    let keys: Vec<String> = (0..20).map(|i| format!("key:{i}")).collect();
    for key in &keys {
        d.check(0, &["SET", key.as_str(), "v"]);
    }
    for _ in 0..20 {
        for (redis, ours, served) in d.replies(0, &["RANDOMKEY"]) {
            for reply in [redis, ours, served] {
                let Some(Resp::Bulk(Some(key))) = Resp::parse(&reply) else {
                    panic!("RANDOMKEY answered {reply:?}");
                };
                assert!(keys.iter().any(|k| k.as_bytes() == key));
            }
        }
    }
}

/// Runs a whole SCAN with these options on every server of both protocols (Redis, the engine,
/// `redis-sim serve`: six, each following its own cursors), checking every page's shape, and
/// returns the keys each saw.
fn full_scan(d: &mut Duo, options: &[&str]) -> [BTreeSet<Vec<u8>>; 6] {
    let mut seen: [BTreeSet<Vec<u8>>; 6] = Default::default();
    for (side, keys) in seen.iter_mut().enumerate() {
        let mut cursor = b"0".to_vec();
        for step in 0.. {
            assert!(step < 10_000, "SCAN did not end");
            let mut argv: Vec<&[u8]> = vec![b"SCAN", &cursor];
            argv.extend(options.iter().map(|o| o.as_bytes()));
            let [(r2, o2, s2), (r3, o3, s3)] = d.replies(0, &argv);
            let reply = vec![r2, o2, s2, r3, o3, s3].swap_remove(side);
            let Some(Resp::Array(Some(parts))) = Resp::parse(&reply) else {
                panic!("SCAN answered {reply:?}");
            };
            let [Resp::Bulk(Some(next)), Resp::Array(Some(page))] = parts.as_slice() else {
                panic!("SCAN answered {parts:?}");
            };
            for key in page {
                let Resp::Bulk(Some(key)) = key else {
                    panic!("a key that is not a bulk string: {key:?}");
                };
                keys.insert(key.clone());
            }
            if next == b"0" {
                break;
            }
            cursor = next.clone();
        }
    }
    seen
}

#[test]
fn scan_returns_every_key_and_filters_like_redis() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SCAN 0\nSCAN x\nSCAN -1\nSCAN 0 COUNT 0\nSCAN 0 COUNT -1\nSCAN 0 COUNT x\nSCAN 0 MATCH\n\
         SCAN 0 FOO bar\nSCAN 0 TYPE\nSCAN 0 COUNT 1 COUNT\nSCAN 18446744073709551616\nSCAN \" 1\"",
    );
    d.check(0, &["SCAN", ""]);
    d.check(0, &["SCAN", " 1"]);
    for i in 0..300 {
        let key = format!("user:{i}");
        d.check(0, &["SET", key.as_str(), "1"]);
        if i % 3 == 0 {
            d.check(0, &["HSET", &format!("h:{i}"), "f", "v"]);
        }
    }
    // A small scan ends in one call with the same keys (compared as a set).
    for options in [
        &[][..],
        &["COUNT", "7"][..],
        &["COUNT", "1000"],
        &["MATCH", "user:1*"],
        &["TYPE", "hash"],
        &["TYPE", "STRING", "COUNT", "50"],
        &["TYPE", "nosuch"],
        &["MATCH", "*:*9", "TYPE", "hash"],
    ] {
        let sides = full_scan(&mut d, options);
        for side in &sides[1..] {
            assert_eq!(side, &sides[0], "SCAN {options:?}");
        }
    }
    // Expired keys are not returned (and are deleted on the way).
    d.lines(0, "FLUSHALL\nSET a 1\nSET b 2 PX 1\nSET c 3");
    d.sleep_ms(5);
    let sides = full_scan(&mut d, &[]);
    assert_eq!(sides[0].len(), 2);
    for side in &sides[1..] {
        assert_eq!(side, &sides[0]);
    }
    d.check(0, &["DBSIZE"]);
}

#[test]
fn scan_sees_every_key_present_throughout_while_keys_come_and_go() {
    let mut d = Duo::new();
    for i in 0..200 {
        d.check(0, &["SET", &format!("stay:{i}"), "1"]);
    }
    let mut cursor = b"0".to_vec();
    let mut seen = BTreeSet::new();
    let mut step = 0;
    loop {
        let reply = d
            .engine()
            .execute(1, &[&b"SCAN"[..], &cursor, b"COUNT", b"5"]);
        let incr_lab::engine::Reply::Array(parts) = reply else {
            panic!("SCAN answered {reply:?}");
        };
        let [incr_lab::engine::Reply::Bulk(next), incr_lab::engine::Reply::Array(keys)] =
            parts.as_slice()
        else {
            panic!("SCAN answered {parts:?}");
        };
        for key in keys {
            if let incr_lab::engine::Reply::Bulk(k) = key {
                seen.insert(k.clone());
            }
        }
        // Grow and shrink the table between calls.
        step += 1;
        for j in 0..40 {
            let key = format!("churn:{step}:{j}");
            d.engine().execute(1, &["SET", key.as_str(), "x"]);
        }
        if step > 3 {
            for j in 0..40 {
                let key = format!("churn:{}:{j}", step - 3);
                d.engine().execute(1, &["DEL", key.as_str()]);
            }
        }
        cursor = next.clone();
        if cursor == b"0" {
            break;
        }
        assert!(step < 10_000, "SCAN did not end");
    }
    for i in 0..200 {
        assert!(
            seen.contains(format!("stay:{i}").as_bytes()),
            "stay:{i} was never returned"
        );
    }
}

/// OBJECT ENCODING follows Redis' conversions, with the thresholds CONFIG SET gives them.
#[test]
fn encodings_switch_where_redis_switches_them() {
    let mut d = Duo::new();
    let long = "x".repeat(44);
    let longer = "x".repeat(45);
    d.lines(
        0,
        "SET i 12345\nOBJECT ENCODING i\nSET n -9223372036854775808\nOBJECT ENCODING n\n\
         SET e 012\nOBJECT ENCODING e\nSET f 1.5\nOBJECT ENCODING f\nINCRBYFLOAT f 1\n\
         OBJECT ENCODING f\nINCR i\nOBJECT ENCODING i\nOBJECT ENCODING nokey",
    );
    d.check(0, &["SET", "s44", long.as_str()]);
    d.check(0, &["OBJECT", "ENCODING", "s44"]);
    d.check(0, &["SET", "s45", longer.as_str()]);
    d.check(0, &["OBJECT", "ENCODING", "s45"]);
    d.check(0, &["SET", "big", "99999999999999999999"]);
    d.check(0, &["OBJECT", "ENCODING", "big"]);
    // Hashes: listpack up to 512 fields and 64-byte values by default.
    d.lines(0, "HSET h f v\nOBJECT ENCODING h");
    d.check(0, &["HSET", "h", "g", &"v".repeat(64)]);
    d.check(0, &["OBJECT", "ENCODING", "h"]);
    d.check(0, &["HSET", "h", "g", &"v".repeat(65)]);
    d.check(0, &["OBJECT", "ENCODING", "h"]);
    // With smaller thresholds set at run time.
    d.lines(
        0,
        "CONFIG SET hash-max-listpack-entries 2 zset-max-listpack-entries 3\n\
         HSET h2 a 1 b 2\nOBJECT ENCODING h2\nHSET h2 c 3\nOBJECT ENCODING h2\n\
         ZADD z 1 a 2 b 3 c\nOBJECT ENCODING z\nZADD z 4 d\nOBJECT ENCODING z\nZREM z d c b\n\
         OBJECT ENCODING z\nCONFIG SET hash-max-ziplist-value 3\nHSET h3 f abc\n\
         OBJECT ENCODING h3\nHSET h3 f abcd\nOBJECT ENCODING h3\nCONFIG SET zset-max-ziplist-value 2\n\
         ZADD z2 1 ab\nOBJECT ENCODING z2\nZADD z3 1 abc\nOBJECT ENCODING z3\n\
         CONFIG SET zset-max-listpack-entries 0\nZADD z4 1 a\nOBJECT ENCODING z4\n\
         CONFIG SET hash-max-listpack-entries 0\nHSET h4 a 1\nOBJECT ENCODING h4\n\
         CONFIG SET hash-max-listpack-entries 512 hash-max-listpack-value 64\n\
         CONFIG SET zset-max-listpack-entries 128 zset-max-listpack-value 64",
    );
    // Sets: an intset while every member is an integer and there are at most
    // set-max-intset-entries; a computed set (SUNIONSTORE, …) ends as one-at-a-time adds would.
    d.lines(
        0,
        "SADD s 1 2 3\nOBJECT ENCODING s\nSADD s x\nOBJECT ENCODING s\nSREM s x\n\
         OBJECT ENCODING s\nSADD t a\nOBJECT ENCODING t\nCONFIG SET set-max-intset-entries 3\n\
         SADD u 1 2 3\nOBJECT ENCODING u\nSADD u 4\nOBJECT ENCODING u\nSADD v 1 2\nSADD w 3 4\n\
         SUNIONSTORE x v w\nOBJECT ENCODING x\nSINTERSTORE y v v\nOBJECT ENCODING y\n\
         SDIFFSTORE z w v\nOBJECT ENCODING z\nCONFIG SET set-max-intset-entries 1000\n\
         SUNIONSTORE x2 u s\nOBJECT ENCODING x2\nCONFIG SET set-max-intset-entries 512",
    );
    for i in 0..600 {
        d.check(0, &["SADD", "big", &i.to_string()]);
    }
    d.check(0, &["OBJECT", "ENCODING", "big"]);
    d.lines(
        0,
        "CONFIG SET set-max-intset-entries 700\nSUNIONSTORE big2 big\nOBJECT ENCODING big2\n\
         SPOP big2 590\nOBJECT ENCODING big2\nCONFIG SET set-max-intset-entries 512",
    );
}

#[test]
fn refcount_idletime_and_freq() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SET a 1\nOBJECT REFCOUNT a\nSET b 9999\nOBJECT REFCOUNT b\nINCR b\nOBJECT REFCOUNT b\n\
         SET c -1\nOBJECT REFCOUNT c\nINCR c\nOBJECT REFCOUNT c\nSET s str\nOBJECT REFCOUNT s\n\
         HSET h f v\nOBJECT REFCOUNT h\nOBJECT REFCOUNT nokey\nOBJECT IDLETIME nokey\n\
         OBJECT FREQ nokey\nOBJECT FREQ s",
    );
    // Redis reads a clock its cron refreshes every 100 ms: a second's edge may fall between it and
    // the engine's, hence a margin of one.
    for key in ["s", "h", "a"] {
        d.check_near(0, &["OBJECT", "IDLETIME", key], 1);
    }
    // Idle time counts whole seconds since the last access that touches the key.
    d.lines(0, "SET idle v");
    d.sleep_ms(2100);
    d.check_near(0, &["OBJECT", "IDLETIME", "idle"], 1);
    d.lines(0, "TYPE idle\nEXISTS idle\nTTL idle\nOBJECT ENCODING idle");
    d.check_near(0, &["OBJECT", "IDLETIME", "idle"], 1);
    d.lines(0, "GET idle");
    d.check_near(0, &["OBJECT", "IDLETIME", "idle"], 1);
    // Under an LFU policy: FREQ answers, IDLETIME refuses; a new key starts at 5 and its first
    // access always counts.
    d.lines(
        0,
        "CONFIG SET maxmemory-policy allkeys-lfu\nSET l v\nOBJECT FREQ l\nGET l\nOBJECT FREQ l\n\
         OBJECT IDLETIME l\nCONFIG SET maxmemory-policy noeviction\nOBJECT FREQ l",
    );
    // maxmemory with an LRU policy turns integer sharing off.
    d.lines(
        0,
        "CONFIG SET maxmemory 100mb maxmemory-policy allkeys-lru\nSET u 5\nOBJECT REFCOUNT u\n\
         INCR u\nOBJECT REFCOUNT u\nCONFIG SET maxmemory 0 maxmemory-policy noeviction\n\
         OBJECT REFCOUNT u\nSET u 5\nOBJECT REFCOUNT u",
    );
}

#[test]
fn memory_usage_of_strings_and_listpacks_is_exact() {
    let mut d = Duo::new();
    d.lines(
        0,
        "MEMORY USAGE nokey\nSET a bar\nMEMORY USAGE a\nSET a 12345\nMEMORY USAGE a\n\
         SET a 5\nMEMORY USAGE a\nMEMORY USAGE a SAMPLES 0\nMEMORY USAGE a SAMPLES -1\n\
         MEMORY USAGE a SAMPLES x\nMEMORY USAGE a SAMPLES\nMEMORY USAGE a FOO 1\n\
         HSET h a 1 b 2\nMEMORY USAGE h\nZADD z 1 a 2 b 1.5 c -0 d 1e300 e\nMEMORY USAGE z\n\
         SET f 1.5\nINCRBYFLOAT f 0.25\nMEMORY USAGE f",
    );
    for len in [0, 1, 20, 31, 32, 44, 45, 100, 255, 256, 1000, 5000, 70_000] {
        let value = "v".repeat(len);
        let key = "k".repeat(len.min(300));
        d.check(0, &["SET", key.as_str(), value.as_str()]);
        d.check(0, &["MEMORY", "USAGE", key.as_str()]);
        d.check(
            0,
            &["HSET", "hl", &key[..len.min(60)], &value[..len.min(60)]],
        );
        d.check(0, &["MEMORY", "USAGE", "hl"]);
    }
    for n in [
        1i64,
        10,
        100,
        127,
        128,
        200,
        1000,
        70_000,
        -1,
        -5000,
        4_000_000_000,
    ] {
        d.check(0, &["HSET", "hn", &format!("f{n}"), &n.to_string()]);
        d.check(0, &["MEMORY", "USAGE", "hn"]);
        d.check(0, &["ZADD", "zn", &n.to_string(), &format!("m{n}")]);
        d.check(0, &["MEMORY", "USAGE", "zn"]);
    }
}

#[test]
fn memory_usage_of_strings_grown_in_place_counts_their_spare_room() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SET a foo\nAPPEND a bar\nMEMORY USAGE a\nAPPEND a x\nMEMORY USAGE a\nAPPEND new 12\n\
         MEMORY USAGE new\nAPPEND new 3\nMEMORY USAGE new\nSETRANGE r 5 abc\nMEMORY USAGE r\n\
         SETRANGE r 100 x\nMEMORY USAGE r\nSETBIT b 7 1\nMEMORY USAGE b\nSETBIT b 4000 1\n\
         MEMORY USAGE b\nBITFIELD bf SET u8 0 1\nMEMORY USAGE bf\nBITFIELD bf SET u8 800 1\n\
         MEMORY USAGE bf\nCOPY b b2\nMEMORY USAGE b2\nRENAME b b3\nMEMORY USAGE b3\nSET b3 x\n\
         MEMORY USAGE b3",
    );
    let mut len = 0;
    for chunk in [1, 7, 30, 100, 1000, 5000, 70_000] {
        d.check(0, &["APPEND", "grow", &"z".repeat(chunk)]);
        len += chunk;
        d.check(0, &["MEMORY", "USAGE", "grow"]);
        d.check(0, &["SETRANGE", "sr", &len.to_string(), "q"]);
        d.check(0, &["MEMORY", "USAGE", "sr"]);
    }
}

#[test]
fn memory_usage_of_intsets_follows_their_width() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SADD s 1\nMEMORY USAGE s\nSADD s 2 3 4 5\nMEMORY USAGE s\nSADD s 40000\nMEMORY USAGE s\n\
         SREM s 40000\nMEMORY USAGE s\nSADD s 5000000000\nMEMORY USAGE s\nSADD s -1\n\
         MEMORY USAGE s\nSADD h aa bb cc\nMEMORY USAGE h\nMEMORY USAGE h SAMPLES 0",
    );
    for i in 0..100 {
        d.check(0, &["SADD", "ints", &(i * 1000).to_string()]);
        d.check(0, &["MEMORY", "USAGE", "ints"]);
    }
}

#[test]
fn memory_usage_of_hash_tables_with_equal_elements() {
    // Elements of one size class: Redis' sample average is exact whatever its random order.
    let mut d = Duo::new();
    for i in 0..600 {
        d.check(0, &["HSET", "h", &format!("f{:05}", i), "vvvv"]);
    }
    d.check(0, &["OBJECT", "ENCODING", "h"]);
    d.check(0, &["MEMORY", "USAGE", "h"]);
    d.check(0, &["MEMORY", "USAGE", "h", "SAMPLES", "0"]);
    d.check(0, &["HSET", "t", "f", &"v".repeat(100)]);
    d.check(0, &["MEMORY", "USAGE", "t"]);
}

#[test]
fn config_get_and_set() {
    let mut d = Duo::new();
    for line in [
        "CONFIG GET maxmemory",
        "CONFIG GET MAXMEMORY",
        "CONFIG GET maxmemory MAXMEMORY",
        "CONFIG GET hash-max-ziplist-entries hash-max-listpack-entries",
        "CONFIG GET *-max-*-entries",
        "CONFIG GET zset-max-*",
        "CONFIG GET hash-max-listpack-value zset-max-listpack-value set-max-intset-entries",
        "CONFIG GET maxmemory-policy maxmemory-samples lfu-log-factor lfu-decay-time",
        "CONFIG GET list-max-listpack-size list-max-ziplist-size databases",
        "CONFIG GET save appendonly",
        "CONFIG GET nosuch",
        "CONFIG GET nosuch*",
    ] {
        let argv: Vec<&str> = line.split(' ').collect();
        d.check_with(0, &argv, Mode::Pairs);
    }
    d.lines(
        0,
        "CONFIG SET maxmemory 1mb\nCONFIG GET maxmemory\nCONFIG SET maxmemory 1GB\n\
         CONFIG GET maxmemory\nCONFIG SET maxmemory 5k\nCONFIG GET maxmemory\n\
         CONFIG SET maxmemory -1\nCONFIG SET maxmemory 1.5mb\nCONFIG SET maxmemory bla\n\
         CONFIG SET maxmemory 99999999999999999999\nCONFIG GET maxmemory\nCONFIG SET maxmemory 0\n\
         CONFIG SET maxmemory-policy LRU\nCONFIG SET maxmemory-policy ALLKEYS-LRU\n\
         CONFIG GET maxmemory-policy\nCONFIG SET maxmemory-policy noeviction\n\
         CONFIG SET hash-max-listpack-entries 1kb\nCONFIG SET hash-max-listpack-entries -1\n\
         CONFIG SET hash-max-listpack-value 1kb\nCONFIG GET hash-max-listpack-value\n\
         CONFIG SET hash-max-listpack-value 64\nCONFIG SET maxmemory-samples 0\n\
         CONFIG SET lfu-log-factor -1\nCONFIG SET list-max-listpack-size -2147483649\n\
         CONFIG SET databases 16\nCONFIG SET databases 3 nosuch 1\nCONFIG SET nosuch 1 databases 3\n\
         CONFIG SET maxmemory 1 maxmemory 2\nCONFIG SET maxmemory x nosuch 1\n\
         CONFIG SET maxmemory 1 MAXMEMORY 2\nCONFIG GET maxmemory\n\
         CONFIG SET hash-max-ziplist-entries 7 hash-max-listpack-entries 9\n\
         CONFIG GET hash-max-listpack-entries\nCONFIG SET HASH-MAX-ZIPLIST-ENTRIES x\n\
         CONFIG SET maxmemory 1 hash-max-listpack-entries x\nCONFIG GET maxmemory\n\
         CONFIG SET maxmemory 0 hash-max-listpack-entries 512\nCONFIG SET appendonly no\n\
         CONFIG SET appendonly NO",
    );
    d.check(0, &["CONFIG", "SET", "save", ""]);
    d.check(0, &["CONFIG", "SET", "no\r\nsuch", "1"]);
    d.check(0, &["CONFIG", "SET", "maxmemory", "x", "no\x00such", "1"]);
    // Inside MULTI: queued, applied at EXEC in order, an error among the replies.
    d.lines(
        0,
        "MULTI\nCONFIG SET maxmemory bla\nCONFIG SET maxmemory 10mb\nCONFIG GET maxmemory\nEXEC\n\
         CONFIG SET maxmemory 0",
    );
}

#[test]
fn maxmemory_refuses_writes_as_redis_does() {
    let mut d = Duo::new();
    d.lines(
        0,
        "SET a 1\nCONFIG SET maxmemory 1\nSET b 1\nGET a\nDEL a\nINCR a\nMULTI\nSET x 1\nDISCARD\n\
         CONFIG SET maxmemory 0\nSET b 1",
    );
    d.lines(0, "MULTI\nSET x 1\nGET x");
    d.lines(1, "CONFIG SET maxmemory 1");
    d.lines(0, "EXEC");
    d.lines(1, "CONFIG SET maxmemory 0");
}

#[test]
fn time_and_lastsave() {
    let mut d = Duo::new();
    let [(r2, o2, s2), (r3, o3, s3)] = d.replies(0, &["TIME"]);
    for reply in [&r2, &o2, &s2, &r3, &o3, &s3] {
        let Some(Resp::Array(Some(parts))) = Resp::parse(reply) else {
            panic!("TIME answered {reply:?}");
        };
        let [Resp::Bulk(Some(s)), Resp::Bulk(Some(us))] = parts.as_slice() else {
            panic!("TIME answered {parts:?}");
        };
        let s: i64 = String::from_utf8_lossy(s).parse().expect("seconds");
        let us: i64 = String::from_utf8_lossy(us).parse().expect("microseconds");
        assert!((0..1_000_000).contains(&us));
        assert!((s - support::duo::wall_ms() / 1000).abs() <= 2);
    }
    d.check_near(0, &["LASTSAVE"], 5);
}

/// COMMAND INFO and COMMAND DOCS of every command the engine has (each subcommand by its full
/// name: Redis lists a container's subcommands in its random dictionary order) are Redis' bytes.
#[test]
fn command_info_and_docs_match_redis_for_every_command() {
    let mut d = Duo::new();
    for spec in incr_lab::engine::command::TABLE {
        let names: Vec<&str> = if spec.subcommands.is_empty() {
            vec![spec.name]
        } else {
            spec.subcommands.iter().map(|s| s.name).collect()
        };
        for name in names {
            d.check(0, &["COMMAND", "INFO", name]);
            d.check(0, &["COMMAND", "DOCS", name]);
        }
    }
    d.lines(
        0,
        "COMMAND INFO nosuch\nCOMMAND INFO get|x\nCOMMAND INFO config|get|x\nCOMMAND INFO GET incr\n\
         COMMAND DOCS nosuch\nCOMMAND DOCS GET nosuch INCR\nCOMMAND HELP\ncommand help x\n\
         COMMAND LIST FILTERBY\nCOMMAND LIST FILTERBY foo bar\nCOMMAND LIST FILTERBY module x\n\
         COMMAND LIST FILTERBY aclcat nosuch\nCOMMAND LIST x\nCOMMAND COUNT x\nCOMMAND NOSUCH",
    );
    d.check(0, &["COMMAND", "INFO", "CONFIG|GET"]);
}

/// What the random suite found once CONFIG SET and MEMORY USAGE were in it: a hash past a lowered
/// hash-max-listpack-entries converts at its next write even when it only updates a field; a
/// ZUNIONSTORE / ZRANGESTORE result follows the zset thresholds in force; a string made raw by
/// APPEND, or built by BITOP, gets a new sds string's room (its first APPENDs fit); CONFIG SET
/// reads `save` and `appendonly` as Redis does, after every name is known.
#[test]
fn thresholds_in_force_sds_room_and_fixed_parameters() {
    let mut d = Duo::new();
    d.lines(
        0,
        "HSET h a 1 b 2 c 3 d 4\nCONFIG SET hash-max-listpack-entries 3\nOBJECT ENCODING h\n\
         HINCRBY h a 1\nOBJECT ENCODING h\nCONFIG SET hash-max-listpack-entries 512\n\
         ZADD z 1 aa 2 bb\nCONFIG SET zset-max-listpack-value 1\nZUNIONSTORE u 1 z\n\
         OBJECT ENCODING u\nZRANGESTORE r z 0 -1\nOBJECT ENCODING r\n\
         CONFIG SET zset-max-listpack-value 64 zset-max-listpack-entries 1\nZRANGESTORE r z 0 -1\n\
         OBJECT ENCODING r\nZINTERSTORE i 1 z\nOBJECT ENCODING i\n\
         CONFIG SET zset-max-listpack-entries 128\n\
         SET e 3.14159265358979323846264338327950288\nAPPEND e 312\nMEMORY USAGE e\nAPPEND e 4567\n\
         MEMORY USAGE e\nSET n 12345\nAPPEND n 6\nMEMORY USAGE n\nBITOP OR b e e\nMEMORY USAGE b\n\
         APPEND b xyz\nMEMORY USAGE b\nCOPY b b2\nAPPEND b2 x\nMEMORY USAGE b2",
    );
    // A 64-byte argument keeps its room unless over a tenth of it is spare (tryObjectEncoding).
    for len in [45, 50, 64, 70, 100, 300] {
        let value = "v".repeat(len);
        d.check(0, &["SET", "long", value.as_str()]);
        d.check(0, &["APPEND", "long", "12"]);
        d.check(0, &["MEMORY", "USAGE", "long"]);
        d.check(0, &["COPY", "long", "long2", "REPLACE"]);
        d.check(0, &["APPEND", "long2", "1"]);
        d.check(0, &["MEMORY", "USAGE", "long2"]);
    }
    d.lines(
        0,
        "CONFIG SET save no\nCONFIG SET save 16\nCONFIG SET save 60\nCONFIG SET appendonly 16\n\
         CONFIG SET appendonly maybe\nCONFIG SET save no maxmemory 1 maxmemory 2\n\
         CONFIG SET appendonly x nosuch 1\nCONFIG SET maxmemory x save no\n\
         CONFIG SET save \"\" appendonly no",
    );
    d.check_with(0, &["CONFIG", "GET", "save", "appendonly"], Mode::Pairs);
    d.check(0, &["CONFIG", "SET", "save", "0 0"]);
    d.check(0, &["CONFIG", "SET", "save", " "]);
    d.check(0, &["CONFIG", "SET", "maxmemory", "\x00x"]);
    d.check(0, &["CONFIG", "SET", "maxmemory", "5\x00kb"]);
    d.check_with(0, &["CONFIG", "GET", "maxmemory"], Mode::Pairs);
    d.check_with(0, &["CONFIG", "GET", "hash-max-*\x00x"], Mode::Pairs);
    d.check(0, &["CONFIG", "SET", "maxmemory", &"1".repeat(130)]);
    d.check(0, &["CONFIG", "SET", "maxmemory", "0"]);
}

//! The differential suite, hand-written part for the hash commands beyond HSET/HGET/HGETALL: HMSET,
//! HSETNX, HMGET, HKEYS, HVALS, HSTRLEN, HRANDFIELD and HSCAN, on both of Redis' hash encodings.
//!
//! HRANDFIELD and a hash table's HSCAN pages depend on Redis' randomness; the harness compares
//! what Redis guarantees (see `support::duo::Mode`), and the full HSCAN iterations here check that
//! every field comes back.
//!
//! Each test starts its own `redis-server` (see `support`); if none can be started the test fails.

mod support;

use std::collections::BTreeSet;

use incr_lab::engine::Reply;
use support::duo::Duo;
use support::{Conn, Resp};

#[test]
fn arity_errors() {
    let mut d = Duo::new();
    d.check_arities(&[
        "hmset",
        "hsetnx",
        "hmget",
        "hkeys",
        "hvals",
        "hstrlen",
        "hrandfield",
        "hscan",
    ]);
    d.lines(0, "HMSET h f\nHMSET h f v g\nHMSET h f v g w\nHSETNX h f");
}

#[test]
fn hmset_hsetnx_hmget_hkeys_hvals_hstrlen() {
    let mut d = Duo::new();
    d.lines(
        0,
        "HMSET h f1 v1 f2 v2 n 123 neg -5 e \"\"\nHMGET h f1 nope f2 n\nHMGET missing a b\nHKEYS h\n\
         HVALS h\nHKEYS missing\nHVALS missing\nHSTRLEN h f1\nHSTRLEN h n\nHSTRLEN h neg\n\
         HSTRLEN h e\nHSTRLEN h nope\nHSTRLEN missing f\nHSETNX h f1 other\nHGET h f1\n\
         HSETNX h f3 v3\nHGETALL h\nHSETNX fresh f v\nHGETALL fresh\nSET s v\nHMSET s f v\n\
         HSETNX s f v\nHMGET s f\nHKEYS s\nHVALS s\nHSTRLEN s f\nHMSET h f1 again f1 twice\n\
         HGET h f1\nHLEN h",
    );
    d.check(0, &["HMSET", "b", "", "", "f\x00", "v\r\n"]);
    d.check(0, &["HMGET", "b", "", "f\x00"]);
    d.lines(0, "HKEYS b\nHVALS b\nHSTRLEN b f");
    // HSETNX converts a listpack only when it sets a long value.
    let long = "x".repeat(65);
    d.check(0, &["HSETNX", "h", "f1", &long]);
    d.check_hash_encoding(b"h");
    d.check(0, &["HSETNX", "h", "f4", &long]);
    d.check_hash_encoding(b"h");
    d.lines(0, "HKEYS h\nHVALS h\nHSTRLEN h f4");
    d.check(0, &["HMSET", "big", &long, "v"]);
    d.check_hash_encoding(b"big");
    // HSETNX on an existing field is no change for WATCH; HMSET of the same value is one.
    d.check(1, &["WATCH", "h"]);
    d.lines(0, "HSETNX h f1 x");
    d.lines(1, "MULTI\nHGET h f1\nEXEC\nWATCH h");
    d.lines(0, "HMSET h f1 v1");
    d.lines(1, "MULTI\nHGET h f1\nEXEC");
}

/// Fills `key` with `n` fields `f0`.. whose values are `v0`.. (and long ones from `long_from` on).
fn fill(d: &mut Duo, key: &str, n: usize) {
    for chunk in (0..n).collect::<Vec<_>>().chunks(50) {
        let mut argv = vec!["HSET".to_owned(), key.to_owned()];
        for i in chunk {
            argv.push(format!("f{i}"));
            argv.push(format!("v{i}"));
        }
        d.check(0, &argv);
    }
    d.check_hash_encoding(key.as_bytes());
}

#[test]
fn hrandfield_counts_and_errors() {
    let mut d = Duo::new();
    fill(&mut d, "small", 5);
    fill(&mut d, "large", 600);
    d.lines(
        0,
        "HRANDFIELD missing\nHRANDFIELD missing 3\nHRANDFIELD missing -3 WITHVALUES\n\
         HRANDFIELD missing x\nHRANDFIELD missing 1 FOO\nSET s v\nHRANDFIELD s\nHRANDFIELD s 1\n\
         HRANDFIELD s x\nHRANDFIELD small x\nHRANDFIELD small 1.5\n\
         HRANDFIELD small -9223372036854775808\nHRANDFIELD small 9223372036854775807\n\
         HRANDFIELD small 4611686018427387904 WITHVALUES\n\
         HRANDFIELD small -4611686018427387904 WITHVALUES\n\
         HRANDFIELD small 4611686018427387903 WITHVALUES\nHRANDFIELD small 1 WITHVALUES x\n\
         HRANDFIELD small 1 withvalues\nHRANDFIELD small 1 FOO\nHRANDFIELD small 0\n\
         HRANDFIELD small 0 WITHVALUES",
    );
    for key in ["small", "large"] {
        for _ in 0..5 {
            d.check(0, &["HRANDFIELD", key]);
        }
        for count in [
            "1", "2", "4", "5", "6", "100", "199", "200", "201", "599", "600", "601", "-1", "-3",
            "-5", "-20", "-700",
        ] {
            d.check(0, &["HRANDFIELD", key, count]);
            d.check(0, &["HRANDFIELD", key, count, "WITHVALUES"]);
        }
    }
    d.lines(
        0,
        "MULTI\nHRANDFIELD small\nHRANDFIELD small 3 WITHVALUES\nHRANDFIELD small -8\nEXEC",
    );
}

/// What a walk of HSCAN calls from cursor 0 until it is 0 again saw.
struct Walk {
    /// Every field and value returned.
    seen: BTreeSet<(Vec<u8>, Vec<u8>)>,
    /// How many calls it took.
    calls: usize,
}

/// Walks `key` with HSCAN (plus `extra` options); `call` sends one HSCAN and returns the next
/// cursor and the page's fields and values.
fn walk(
    key: &str,
    extra: &[&str],
    mut call: impl FnMut(&[&[u8]]) -> (Vec<u8>, Vec<Vec<u8>>),
) -> Walk {
    let mut cursor = b"0".to_vec();
    let mut walk = Walk {
        seen: BTreeSet::new(),
        calls: 0,
    };
    loop {
        let mut argv: Vec<&[u8]> = vec![b"HSCAN", key.as_bytes(), &cursor];
        argv.extend(extra.iter().map(|a| a.as_bytes()));
        let (next, items) = call(&argv);
        for pair in items.chunks_exact(2) {
            walk.seen.insert((pair[0].clone(), pair[1].clone()));
        }
        walk.calls += 1;
        if next == b"0" {
            return walk;
        }
        cursor = next;
    }
}

/// The walk on Redis, over a RESP2 connection.
fn redis_walk(conn: &mut Conn, key: &str, extra: &[&str]) -> Walk {
    walk(key, extra, |argv| match Resp::parse(&conn.call(argv)) {
        Some(Resp::Array(Some(page))) => match &page[..] {
            [Resp::Bulk(Some(next)), Resp::Array(Some(items))] => (
                next.clone(),
                items
                    .iter()
                    .filter_map(|i| match i {
                        Resp::Bulk(Some(b)) => Some(b.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => panic!("HSCAN replied {page:?}"),
        },
        other => panic!("HSCAN replied {other:?}"),
    })
}

/// The walk through the engine.
fn engine_walk(d: &mut Duo, key: &str, extra: &[&str]) -> Walk {
    walk(key, extra, |argv| match d.engine().execute(9, argv) {
        Reply::Array(page) => match &page[..] {
            [Reply::Bulk(next), Reply::Array(items)] => (
                next.clone(),
                items
                    .iter()
                    .filter_map(|i| match i {
                        Reply::Bulk(b) => Some(b.clone()),
                        _ => None,
                    })
                    .collect(),
            ),
            _ => panic!("HSCAN replied {page:?}"),
        },
        other => panic!("HSCAN replied {other:?}"),
    })
}

#[test]
fn hscan_pages_cursors_and_options() {
    let mut d = Duo::new();
    fill(&mut d, "small", 20);
    d.lines(
        0,
        "HSCAN missing 0\nHSCAN missing 0 COUNT 0\nHSCAN missing x\nHSCAN missing 0 TYPE string\n\
         SET s v\nHSCAN s 0\nHSCAN s 0 FOO\nHSCAN small 0\nHSCAN small 7\nHSCAN small -1\n\
         HSCAN small +3\nHSCAN small 18446744073709551615\nHSCAN small 18446744073709551616\n\
         HSCAN small abc\nHSCAN small 0x10\nHSCAN small 1.5\nHSCAN small - \nHSCAN small \"\"\n\
         HSCAN small 0 COUNT 1\nHSCAN small 0 COUNT 0\nHSCAN small 0 COUNT -1\nHSCAN small 0 COUNT x\n\
         HSCAN small 0 COUNT\nHSCAN small 0 MATCH\nHSCAN small 0 MATCH f1*\nHSCAN small 0 MATCH *\n\
         HSCAN small 0 match f?5 count 3\nHSCAN small 0 MATCH nope\nHSCAN small 0 TYPE hash\n\
         HSCAN small 0 MATCH f1* MATCH *2\nHSCAN small 0 COUNT 5 COUNT 2",
    );
    d.check(0, &["HSCAN", "small", " 1"]);
    d.check(0, &["HSCAN", "small", "5\x00junk"]);
    d.check(0, &["HSCAN", "small", "0", "MATCH\x00", "f1*"]);

    // A hash table: pages differ from Redis' (its buckets follow its random hash seed), but a walk
    // to cursor 0 returns every field, with any COUNT and MATCH.
    fill(&mut d, "large", 700);
    let all = engine_walk(&mut d, "large", &["COUNT", "100000"]).seen;
    assert_eq!(all.len(), 700);
    for extra in [
        &[][..],
        &["COUNT", "1"],
        &["COUNT", "7"],
        &["COUNT", "1000"],
        &["MATCH", "f1*"],
        &["MATCH", "f1*", "COUNT", "50"],
    ] {
        let mut conn = d.redis_conn();
        let redis = redis_walk(&mut conn, "large", extra);
        let ours = engine_walk(&mut d, "large", extra);
        assert_eq!(ours.seen, redis.seen, "HSCAN large … {extra:?}");
        if extra.is_empty() {
            // COUNT 10 over 700 fields: about 70 pages, as in Redis.
            assert!((50..=100).contains(&ours.calls), "{} calls", ours.calls);
        }
    }
    d.lines(
        0,
        "HSCAN large 0\nHSCAN large 0 COUNT 3\nHSCAN large 12345\nHSCAN large 0 MATCH f7*\n\
         HSCAN large 0 COUNT 4611686018427387904\nHSCAN large 0 COUNT 9223372036854775807",
    );
    // Fields deleted down to a tenth of the table shrink it, and scans still end.
    for i in 0..650 {
        d.check(0, &["HDEL", "large", &format!("f{i}")]);
    }
    let mut conn = d.redis_conn();
    assert_eq!(
        redis_walk(&mut conn, "large", &[]).seen,
        engine_walk(&mut d, "large", &[]).seen
    );
    d.lines(
        0,
        "MULTI\nHSCAN large 0\nHSCAN small 0 COUNT 2\nHSCAN large x\nEXEC",
    );
}

//! Hashes: field order and the switch from the compact (listpack) shape to a hash table.

use incr_lab::engine::{Engine, Limits, Reply, Value};

fn is_listpack(e: &Engine, key: &str) -> bool {
    matches!(e.db().peek(key.as_bytes()), Some(Value::Hash(h)) if h.is_listpack())
}

/// Redis 7.0's `hash-max-listpack-entries` is 512 (not redis.conf's old 128): up to 512 fields a
/// hash keeps its insertion order, which HGETALL shows.
#[test]
fn a_hash_keeps_insertion_order_up_to_512_fields() {
    let mut e = Engine::new(0);
    let mut expected = Vec::new();
    for n in (0..512).rev() {
        let field = format!("f{n}");
        assert_eq!(e.execute(1, &["HSET", "h", &field, "v"]), Reply::Integer(1));
        expected.push((Reply::bulk(field), Reply::bulk("v")));
    }
    assert!(is_listpack(&e, "h"));
    assert_eq!(e.execute(1, &["HGETALL", "h"]), Reply::Map(expected));
    assert_eq!(
        e.execute(1, &["HSET", "h", "f0", "again"]),
        Reply::Integer(0)
    );
    assert!(is_listpack(&e, "h"));
    assert_eq!(
        e.execute(1, &["HSET", "h", "one-more", "v"]),
        Reply::Integer(1)
    );
    assert!(!is_listpack(&e, "h"));
}

/// A field or value longer than 64 bytes converts at once, by HSET or HINCRBY.
#[test]
fn a_long_field_or_value_converts_the_hash() {
    let mut e = Engine::new(0);
    let long = "x".repeat(65);
    e.execute(1, &["HSET", "a", "f", &"y".repeat(64)]);
    assert!(is_listpack(&e, "a"));
    e.execute(1, &["HSET", "a", "f", &long]);
    assert!(!is_listpack(&e, "a"));
    assert_eq!(
        e.execute(1, &["HINCRBY", "b", &long, "1"]),
        Reply::Integer(1)
    );
    assert!(!is_listpack(&e, "b"));
}

/// HRANDFIELD with a huge negative count would build a reply of billions of fields: the engine
/// answers Redis' OOM error instead (Redis would stream it for as long as the client reads), with
/// or without a byte limit.
#[test]
fn hrandfield_refuses_replies_it_cannot_hold() {
    let oom = Reply::error("OOM command not allowed when used memory > 'maxmemory'.");
    for limits in [Limits::default(), Limits::none()] {
        let mut e = Engine::with_limits(0, limits);
        e.execute(1, &["HSET", "h", "f", "v", "g", "w"]);
        assert_eq!(
            e.execute(1, &["HRANDFIELD", "h", "-9223372036854775807"]),
            oom
        );
        assert_eq!(
            e.execute(
                1,
                &["HRANDFIELD", "h", "-4611686018427387903", "WITHVALUES"]
            ),
            oom
        );
        assert_eq!(
            e.execute(1, &["HRANDFIELD", "h", "9223372036854775807"]),
            Reply::Array(vec![Reply::bulk("f"), Reply::bulk("g")])
        );
        let Reply::Array(picks) = e.execute(1, &["HRANDFIELD", "h", "-1000"]) else {
            panic!("HRANDFIELD -1000 did not reply an array");
        };
        assert_eq!(picks.len(), 1000);
    }
    let mut e = Engine::new(0);
    e.execute(1, &["HSET", "h", "f", "v"]);
    assert_eq!(e.execute(1, &["HRANDFIELD", "h", "-2000000"]), oom);
}

/// A hash table grows as Redis' dict does and shrinks when deletes leave it under a tenth full,
/// which bounds HSCAN's cursors.
#[test]
fn hash_table_size_follows_redis_dict() {
    let mut e = Engine::new(0);
    let slots = |e: &Engine| match e.db().peek(b"h") {
        Some(Value::Hash(h)) => h.table_slots(),
        _ => None,
    };
    e.execute(1, &["HSET", "h", "f", &"x".repeat(65)]);
    assert_eq!(slots(&e), Some(4));
    for i in 0..4 {
        e.execute(1, &["HSET", "h", &format!("f{i}"), "v"]);
    }
    assert_eq!(slots(&e), Some(8));
    for i in 4..600 {
        e.execute(1, &["HSET", "h", &format!("f{i}"), "v"]);
    }
    assert_eq!(slots(&e), Some(1024));
    for i in 0..480 {
        e.execute(1, &["HDEL", "h", &format!("f{i}")]);
    }
    // 121 fields in 1024 slots: still above a tenth.
    assert_eq!(slots(&e), Some(1024));
    for i in 480..500 {
        e.execute(1, &["HDEL", "h", &format!("f{i}")]);
    }
    assert_eq!(slots(&e), Some(128));
}

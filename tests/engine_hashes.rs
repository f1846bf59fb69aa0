//! Hashes: field order and the switch from the compact (listpack) shape to a hash table.

use incr_lab::engine::{Engine, Reply, Value};

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

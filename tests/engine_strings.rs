//! Strings and counters: INCR's single-lookup path keeps TTLs, errors and the memory estimate right.

use incr_lab::engine::{Engine, Limits, Reply};

fn int(n: i64) -> Reply {
    Reply::Integer(n)
}

/// The memory estimate follows a counter's length as INCR rewrites it in place.
#[test]
fn incr_keeps_the_memory_estimate_exact() {
    let limits = Limits {
        max_keys: None,
        max_bytes: Some(1 << 20),
    };
    let mut e = Engine::with_limits(0, limits);
    assert_eq!(e.execute(1, &["SET", "likes", "8"]), Reply::ok());
    let one_digit = e.db().used_bytes();
    assert_eq!(e.execute(1, &["INCR", "likes"]), int(9));
    assert_eq!(e.db().used_bytes(), one_digit);
    assert_eq!(e.execute(1, &["INCR", "likes"]), int(10));
    assert_eq!(e.db().used_bytes(), one_digit + 1);
    assert_eq!(e.execute(1, &["DECRBY", "likes", "1"]), int(9));
    assert_eq!(e.db().used_bytes(), one_digit);
    assert_eq!(e.execute(1, &["DEL", "likes"]), int(1));
    assert_eq!(e.db().used_bytes(), 0);
}

/// A failed INCR changes nothing and touches nothing; a successful one touches its key.
#[test]
fn incr_touches_only_when_it_writes() {
    let mut e = Engine::new(0);
    e.execute(1, &["SET", "s", "abc"]);
    assert_eq!(
        e.execute(1, &["INCR", "s"]),
        Reply::error("ERR value is not an integer or out of range")
    );
    assert!(e.touched().is_empty());
    assert_eq!(e.execute(1, &["INCR", "n"]), int(1));
    assert_eq!(e.touched(), [b"n".to_vec()]);
    assert_eq!(e.execute(1, &["INCR", "n"]), int(2));
    assert_eq!(e.touched(), [b"n".to_vec()]);
}

/// An expired counter counts from zero and loses its TTL, like a missing one.
#[test]
fn incr_on_an_expired_key_starts_over() {
    let mut e = Engine::new(1_000);
    e.execute(1, &["SET", "c", "41", "PX", "100"]);
    assert_eq!(e.execute(1, &["INCR", "c"]), int(42));
    assert_eq!(e.execute(1, &["PTTL", "c"]), int(100));
    e.advance_ms(101);
    assert_eq!(e.execute(1, &["INCR", "c"]), int(1));
    assert_eq!(e.execute(1, &["TTL", "c"]), int(-1));
}

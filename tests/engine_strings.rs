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

/// SETRANGE at a far offset would allocate up to Redis' 512 MB string limit from a 20-byte
/// command: the engine answers Redis' OOM error instead, and the keyspace is left as it was.
#[test]
fn setrange_far_past_the_byte_limit_is_refused_before_allocating() {
    let mut e = Engine::new(0);
    let oom = Reply::error("OOM command not allowed when used memory > 'maxmemory'.");
    assert_eq!(e.execute(1, &["SETRANGE", "k", "536870911", "x"]), oom);
    assert_eq!(e.execute(1, &["EXISTS", "k"]), int(0));
    assert_eq!(e.execute(1, &["SET", "k", "abc"]), Reply::ok());
    assert_eq!(e.execute(1, &["SETRANGE", "k", "100000000", "x"]), oom);
    assert_eq!(e.execute(1, &["GET", "k"]), Reply::bulk("abc"));
    assert!(e.touched().is_empty());
    // Within the limit it pads as Redis does.
    assert_eq!(
        e.execute(1, &["SETRANGE", "k", "1000000", "x"]),
        int(1_000_001)
    );
    // Redis' own limit still answers first.
    assert_eq!(
        e.execute(1, &["SETRANGE", "k", "536870912", "x"]),
        Reply::error("ERR string exceeds maximum allowed size (proto-max-bulk-len)")
    );
}

/// LCS's table is transient, but two 5,000-byte strings need 100 MB of it: past the engine's
/// byte limit LCS answers as Redis does when that allocation fails.
#[test]
fn lcs_table_past_the_byte_limit_is_an_allocation_failure() {
    let mut e = Engine::new(0);
    let a = "ab".repeat(2_500);
    e.execute(1, &["MSET", "a", &a, "b", &a]);
    assert_eq!(
        e.execute(1, &["LCS", "a", "b", "LEN"]),
        Reply::error("ERR Insufficient memory, failed allocating transient memory for LCS")
    );
    let short = "ab".repeat(1_000);
    e.execute(1, &["MSET", "a", &short, "b", &short]);
    assert_eq!(e.execute(1, &["LCS", "a", "b", "LEN"]), int(2_000));
}

/// INCRBYFLOAT writes a new string object, as Redis does: "3" stays text (embstr), and the next
/// INCR turns it into an integer again.
#[test]
fn string_encodings_follow_the_writing_command() {
    use incr_lab::engine::StrEncoding;
    let mut e = Engine::new(0);
    let encoding = |e: &Engine, key: &str| match e.db().peek(key.as_bytes()) {
        Some(incr_lab::engine::Value::Str(s)) => Some(s.encoding()),
        _ => None,
    };
    e.execute(1, &["INCRBYFLOAT", "k", "3"]);
    assert_eq!(encoding(&e, "k"), Some(StrEncoding::Embstr));
    e.execute(1, &["INCR", "k"]);
    assert_eq!(encoding(&e, "k"), Some(StrEncoding::Int));
    e.execute(1, &["APPEND", "k", ""]);
    assert_eq!(encoding(&e, "k"), Some(StrEncoding::Raw));
    e.execute(1, &["SET", "k", &"x".repeat(44)]);
    assert_eq!(encoding(&e, "k"), Some(StrEncoding::Embstr));
    e.execute(1, &["SET", "k", &"x".repeat(45)]);
    assert_eq!(encoding(&e, "k"), Some(StrEncoding::Raw));
}

/// The guard counts every database: what database 1 holds leaves less room in database 0.
#[test]
fn setrange_guard_counts_the_other_databases() {
    let limits = Limits {
        max_keys: None,
        max_bytes: Some(1 << 20),
    };
    let mut e = Engine::with_limits(0, limits);
    assert_eq!(
        e.execute(1, &["SETRANGE", "k", "500000", "x"]),
        int(500_001)
    );
    assert_eq!(e.execute(1, &["DEL", "k"]), int(1));
    e.execute(1, &["SELECT", "1"]);
    assert_eq!(
        e.execute(1, &["SETRANGE", "big", "600000", "x"]),
        int(600_001)
    );
    e.execute(1, &["SELECT", "0"]);
    assert_eq!(
        e.execute(1, &["SETRANGE", "k", "500000", "x"]),
        Reply::error("OOM command not allowed when used memory > 'maxmemory'.")
    );
}

/// SETBIT and BITFIELD at the last bit Redis allows (512 MB in) would allocate that much: the
/// engine refuses them with Redis' OOM error, creating nothing.
#[test]
fn far_bit_writes_are_refused_before_allocating() {
    let mut e = Engine::new(0);
    let oom = Reply::error("OOM command not allowed when used memory > 'maxmemory'.");
    assert_eq!(e.execute(1, &["SETBIT", "k", "4294967295", "1"]), oom);
    assert_eq!(
        e.execute(1, &["BITFIELD", "k", "SET", "u8", "#536870911", "1"]),
        oom
    );
    assert_eq!(e.execute(1, &["EXISTS", "k"]), int(0));
    assert!(e.touched().is_empty());
    // Reads that far allocate nothing and answer as Redis does.
    assert_eq!(e.execute(1, &["GETBIT", "k", "4294967295"]), int(0));
    assert_eq!(
        e.execute(1, &["BITFIELD_RO", "k", "GET", "u8", "#536870911"]),
        Reply::Array(vec![int(0)])
    );
    assert_eq!(e.execute(1, &["SETBIT", "k", "8000000", "1"]), int(0));
    assert_eq!(e.execute(1, &["STRLEN", "k"]), int(1_000_001));
}

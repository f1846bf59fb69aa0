//! Core engine behaviour: dispatch, arity, transactions, expiry on the engine clock.

use incr_lab::engine::{Engine, Limits, Reply};

fn int(n: i64) -> Reply {
    Reply::Integer(n)
}

fn err(text: &str) -> Reply {
    Reply::error(text)
}

#[test]
fn incr_counts_from_zero_and_keeps_ttl() {
    let mut e = Engine::new(1_000_000);
    assert_eq!(e.execute(1, &["INCR", "likes"]), int(1));
    assert_eq!(e.execute(1, &["incrby", "likes", "41"]), int(42));
    assert_eq!(e.execute(1, &["EXPIRE", "likes", "10"]), int(1));
    assert_eq!(e.execute(1, &["DECR", "likes"]), int(41));
    assert_eq!(e.execute(1, &["TTL", "likes"]), int(10));
    e.advance_ms(10_001);
    assert_eq!(e.execute(1, &["GET", "likes"]), Reply::Nil);
    assert_eq!(e.execute(1, &["DBSIZE"]), int(0));
}

#[test]
fn unknown_commands_and_arity_are_worded_like_redis() {
    let mut e = Engine::new(0);
    assert_eq!(
        e.execute(1, &["Foo", "a", "b"]),
        err("ERR unknown command 'Foo', with args beginning with: 'a' 'b' ")
    );
    assert_eq!(
        e.execute(1, &["GET"]),
        err("ERR wrong number of arguments for 'get' command")
    );
    assert_eq!(
        e.execute(1, &["INCR", "a", "b"]),
        err("ERR wrong number of arguments for 'incr' command")
    );
}

#[test]
fn integers_are_parsed_strictly_and_overflow_is_refused() {
    let mut e = Engine::new(0);
    for bad in [
        "+1",
        "01",
        " 1",
        "1 ",
        "",
        "123456789012345678901",
        "1.0",
        "-0",
    ] {
        assert_eq!(
            e.execute(1, &["INCRBY", "k", bad]),
            err("ERR value is not an integer or out of range"),
            "{bad:?}"
        );
    }
    assert_eq!(
        e.execute(1, &["SET", "k", "9223372036854775807"]),
        Reply::ok()
    );
    assert_eq!(
        e.execute(1, &["INCR", "k"]),
        err("ERR increment or decrement would overflow")
    );
    assert_eq!(
        e.execute(1, &["DECRBY", "k", "-9223372036854775808"]),
        err("ERR decrement would overflow")
    );
    assert_eq!(e.execute(1, &["SET", "s", "abc"]), Reply::ok());
    assert_eq!(
        e.execute(1, &["INCR", "s"]),
        err("ERR value is not an integer or out of range")
    );
}

/// multi.tcl's stale keys: a key watched when already expired (not yet deleted) and then flushed
/// has not changed (Redis 7.0.15 answers the transaction).
#[test]
fn flushing_a_key_watched_while_expired_does_not_fail_exec() {
    for flush in ["FLUSHALL", "FLUSHDB"] {
        let mut e = Engine::new(0);
        e.execute(1, &["SET", "x", "foo", "PX", "20"]);
        e.advance_ms(50);
        assert_eq!(e.execute(1, &["WATCH", "x"]), Reply::ok());
        assert_eq!(e.execute(1, &[flush]), Reply::ok());
        e.execute(1, &["MULTI"]);
        e.execute(1, &["PING"]);
        assert_eq!(
            e.execute(1, &["EXEC"]),
            Reply::Array(vec![Reply::status("PONG")]),
            "{flush}"
        );
    }
}

#[test]
fn watch_makes_exec_fail_after_any_write_to_the_key() {
    let mut e = Engine::new(0);
    e.execute(1, &["SET", "likes", "100"]);
    assert_eq!(e.execute(1, &["WATCH", "likes"]), Reply::ok());
    assert_eq!(e.execute(2, &["INCR", "likes"]), int(101));
    assert_eq!(e.execute(1, &["MULTI"]), Reply::ok());
    assert_eq!(
        e.execute(1, &["SET", "likes", "101"]),
        Reply::status("QUEUED")
    );
    assert_eq!(e.execute(1, &["EXEC"]), Reply::NilArray);
    assert_eq!(e.execute(1, &["GET", "likes"]), Reply::bulk("101"));
    // Without interference the transaction runs, errors inside it do not roll back.
    e.execute(1, &["WATCH", "likes"]);
    e.execute(1, &["MULTI"]);
    e.execute(1, &["INCR", "likes"]);
    e.execute(1, &["HSET", "likes", "f", "v"]);
    e.execute(1, &["INCR", "likes"]);
    assert_eq!(
        e.execute(1, &["EXEC"]),
        Reply::Array(vec![
            int(102),
            err("WRONGTYPE Operation against a key holding the wrong kind of value"),
            int(103)
        ])
    );
}

#[test]
fn queue_time_errors_abort_exec() {
    let mut e = Engine::new(0);
    e.execute(1, &["MULTI"]);
    assert_eq!(
        e.execute(1, &["MULTI"]),
        err("ERR MULTI calls can not be nested")
    );
    assert_eq!(
        e.execute(1, &["WATCH", "x"]),
        err("ERR WATCH inside MULTI is not allowed")
    );
    e.execute(1, &["INCR", "a", "b"]);
    assert_eq!(
        e.execute(1, &["EXEC"]),
        err("EXECABORT Transaction discarded because of previous errors.")
    );
    assert_eq!(
        e.execute(1, &["EXEC", "x"]),
        err("EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command")
    );
    assert_eq!(e.execute(1, &["EXEC"]), err("ERR EXEC without MULTI"));
}

#[test]
fn the_memory_guard_answers_oom_and_keeps_data() {
    let mut e = Engine::with_limits(
        0,
        Limits {
            max_keys: Some(3),
            max_bytes: None,
        },
    );
    for k in ["a", "b", "c", "d"] {
        assert_eq!(e.execute(1, &["SET", k, "1"]), Reply::ok());
    }
    assert_eq!(
        e.execute(1, &["SET", "e", "1"]),
        err("OOM command not allowed when used memory > 'maxmemory'.")
    );
    assert_eq!(e.execute(1, &["GET", "a"]), Reply::bulk("1"));
    assert_eq!(e.execute(1, &["DEL", "a", "b"]), int(2));
    assert_eq!(e.execute(1, &["SET", "e", "1"]), Reply::ok());
}

#[test]
fn limits_set_on_a_running_engine_count_the_keys_it_holds() {
    let fill = |e: &mut Engine| {
        e.execute(1, &["SET", "a", "1"]);
        e.execute(1, &["HSET", "h", "f", "a long enough value"]);
        e.execute(1, &["SELECT", "3"]);
        e.execute(1, &["SADD", "s", "x", "y"]);
    };
    let mut from_start = Engine::new(0);
    fill(&mut from_start);
    let mut later = Engine::with_limits(0, Limits::none());
    fill(&mut later);
    assert_eq!(
        later.db().used_bytes(),
        0,
        "no estimate kept without a limit"
    );
    later.set_limits(Limits::default());
    assert_eq!(later.limits(), Limits::default());
    for db in [0, 3] {
        let used = |e: &Engine| e.database(db).map(|d| d.used_bytes());
        assert_eq!(used(&later), used(&from_start), "db {db}");
    }
    assert!(later.db().used_bytes() > 0);
    // The guard now refuses what a limited engine refuses.
    assert_eq!(
        later.execute(1, &["SETRANGE", "big", "100000000", "x"]),
        err("OOM command not allowed when used memory > 'maxmemory'.")
    );
}

#[test]
fn incrbyfloat_computes_in_long_double_like_redis() {
    let mut e = Engine::new(0);
    for want in ["0.1", "0.2", "0.3"] {
        assert_eq!(
            e.execute(1, &["INCRBYFLOAT", "f", "0.1"]),
            Reply::bulk(want)
        );
    }
    assert_eq!(
        e.execute(1, &["HINCRBYFLOAT", "h", "x", "10.5"]),
        Reply::bulk("10.5")
    );
    assert_eq!(
        e.execute(1, &["HINCRBYFLOAT", "h", "x", "0.1"]),
        Reply::bulk("10.6")
    );
    assert_eq!(
        e.execute(1, &["INCRBYFLOAT", "f", "inf"]),
        err("ERR increment would produce NaN or Infinity")
    );
    assert_eq!(
        e.execute(1, &["HINCRBYFLOAT", "h", "x", "inf"]),
        err("ERR value is NaN or Infinity")
    );
    assert_eq!(
        e.execute(1, &["INCRBYFLOAT", "f", "1,5"]),
        err("ERR value is not a valid float")
    );
}

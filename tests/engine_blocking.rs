//! Blocked clients at the engine's API (see `engine::blocking`): a BZPOPMIN with nothing to pop
//! waits; a key created by another client, or the clock passing its deadline, wakes it.

use incr_lab::engine::{Engine, Outcome, Reply, Wakeup};

const A: u64 = 1;
const B: u64 = 2;
const C: u64 = 3;

fn bulk(s: &str) -> Reply {
    Reply::bulk(s)
}

fn run(e: &mut Engine, client: u64, line: &str) -> Outcome {
    let argv: Vec<&str> = line.split(' ').collect();
    e.execute_or_block(client, &argv)
}

fn reply(e: &mut Engine, client: u64, line: &str) -> Reply {
    match run(e, client, line) {
        Outcome::Reply(reply) => reply,
        Outcome::Blocked => panic!("{line} blocked"),
    }
}

fn woke(client: u64, reply: Reply) -> Wakeup {
    Wakeup { client, reply }
}

#[test]
fn a_write_from_another_client_wakes_the_first_blocked() {
    let mut e = Engine::new(1_000);
    assert_eq!(run(&mut e, A, "BZPOPMIN q 5"), Outcome::Blocked);
    assert_eq!(run(&mut e, B, "BZPOPMAX q other 0"), Outcome::Blocked);
    assert!(e.is_blocked(A) && e.is_blocked(B));
    assert_eq!(e.next_block_deadline(), Some(6_000));
    assert_eq!(e.take_wakeups(), []);
    // One member: the first client to block gets it; the key is gone, the second still waits.
    assert_eq!(reply(&mut e, C, "ZADD q 1 job"), Reply::Integer(1));
    assert_eq!(
        e.take_wakeups(),
        [woke(
            A,
            Reply::Array(vec![bulk("q"), bulk("job"), Reply::Double(1.0)])
        )]
    );
    assert_eq!(e.touched(), [b"q".to_vec()]);
    assert!(!e.is_blocked(A) && e.is_blocked(B));
    // B waits on two keys: whichever is created first serves it.
    assert_eq!(reply(&mut e, C, "ZADD other 3 x 4 y"), Reply::Integer(2));
    assert_eq!(
        e.take_wakeups(),
        [woke(
            B,
            Reply::Array(vec![bulk("other"), bulk("y"), Reply::Double(4.0)])
        )]
    );
    assert_eq!(
        reply(&mut e, C, "ZRANGE other 0 -1"),
        Reply::Array(vec![bulk("x")])
    );
    assert_eq!(e.next_block_deadline(), None);
}

#[test]
fn the_clock_times_clients_out_soonest_first() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, A, "BZPOPMIN k 2"), Outcome::Blocked);
    assert_eq!(
        run(&mut e, B, "BZMPOP 0.5 1 k MAX COUNT 2"),
        Outcome::Blocked
    );
    assert_eq!(run(&mut e, C, "BZPOPMAX k 0"), Outcome::Blocked);
    e.advance_ms(500);
    assert_eq!(e.take_wakeups(), [], "a deadline is passed only after it");
    e.advance_ms(1_600);
    assert_eq!(
        e.take_wakeups(),
        [woke(B, Reply::NilArray), woke(A, Reply::NilArray)]
    );
    e.advance_ms(1_000_000);
    assert_eq!(e.take_wakeups(), []);
    assert!(e.is_blocked(C));
    assert!(e.unblock(C));
    assert_eq!(e.take_wakeups(), [woke(C, Reply::NilArray)]);
    assert!(!e.unblock(C));
}

#[test]
fn bzmpop_serves_its_count_and_later_clients_what_is_left() {
    let mut e = Engine::new(0);
    assert_eq!(
        run(&mut e, A, "BZMPOP 0 2 a b MIN COUNT 2"),
        Outcome::Blocked
    );
    assert_eq!(run(&mut e, B, "BZPOPMAX b 0"), Outcome::Blocked);
    assert_eq!(
        reply(&mut e, C, "ZADD b 1 one 2 two 3 three"),
        Reply::Integer(3)
    );
    let pair = |m: &str, s: f64| Reply::Array(vec![bulk(m), Reply::Double(s)]);
    assert_eq!(
        e.take_wakeups(),
        [
            woke(
                A,
                Reply::Array(vec![
                    bulk("b"),
                    Reply::Array(vec![pair("one", 1.0), pair("two", 2.0)])
                ])
            ),
            woke(
                B,
                Reply::Array(vec![bulk("b"), bulk("three"), Reply::Double(3.0)])
            ),
        ]
    );
    assert_eq!(reply(&mut e, C, "EXISTS b"), Reply::Integer(0));
}

#[test]
fn only_a_creation_wakes_and_only_of_a_sorted_set() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, A, "BZPOPMIN k 0"), Outcome::Blocked);
    // A string created at k wakes nobody; made a sorted set by an overwrite, still nobody
    // (Redis signals on dbAdd only).
    assert_eq!(reply(&mut e, B, "SET k x"), Reply::ok());
    assert_eq!(reply(&mut e, B, "ZADD src 1 m"), Reply::Integer(1));
    assert_eq!(reply(&mut e, B, "ZUNIONSTORE k 1 src"), Reply::Integer(1));
    assert_eq!(e.take_wakeups(), []);
    assert!(e.is_blocked(A));
    // Deleted and created again: served.
    assert_eq!(reply(&mut e, B, "DEL k"), Reply::Integer(1));
    assert_eq!(reply(&mut e, B, "ZUNIONSTORE k 1 src"), Reply::Integer(1));
    assert_eq!(
        e.take_wakeups(),
        [woke(
            A,
            Reply::Array(vec![bulk("k"), bulk("m"), Reply::Double(1.0)])
        )]
    );
}

#[test]
fn inside_multi_or_without_a_waiting_host_nothing_blocks() {
    let mut e = Engine::new(0);
    assert_eq!(reply(&mut e, A, "MULTI"), Reply::status("OK"));
    assert_eq!(reply(&mut e, A, "BZPOPMIN k 0"), Reply::status("QUEUED"));
    assert_eq!(
        reply(&mut e, A, "EXEC"),
        Reply::Array(vec![Reply::NilArray])
    );
    // Engine::execute is for clients that never wait: the timeout reply at once.
    assert_eq!(e.execute(A, &["BZPOPMIN", "k", "0"]), Reply::NilArray);
    assert!(!e.is_blocked(A));
    // A transaction's writes wake blocked clients once it is done.
    assert_eq!(run(&mut e, B, "BZPOPMIN k 0"), Outcome::Blocked);
    assert_eq!(reply(&mut e, A, "MULTI"), Reply::status("OK"));
    assert_eq!(reply(&mut e, A, "ZADD k 1 a"), Reply::status("QUEUED"));
    assert_eq!(reply(&mut e, A, "ZADD k 2 b"), Reply::status("QUEUED"));
    assert_eq!(e.take_wakeups(), []);
    reply(&mut e, A, "EXEC");
    assert_eq!(
        e.take_wakeups(),
        [woke(
            B,
            Reply::Array(vec![bulk("k"), bulk("a"), Reply::Double(1.0)])
        )]
    );
}

#[test]
fn serving_is_a_write_that_watch_sees_and_disconnecting_gives_up() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, A, "BZPOPMIN k 0"), Outcome::Blocked);
    assert_eq!(reply(&mut e, C, "WATCH k"), Reply::status("OK"));
    assert_eq!(reply(&mut e, B, "ZADD k 1 a 2 b"), Reply::Integer(2));
    assert_eq!(e.take_wakeups().len(), 1);
    assert_eq!(reply(&mut e, C, "MULTI"), Reply::status("OK"));
    reply(&mut e, C, "ZCARD k");
    assert_eq!(reply(&mut e, C, "EXEC"), Reply::NilArray);
    // A client that goes away is forgotten: nothing served to it.
    assert_eq!(run(&mut e, A, "BZPOPMIN gone 0"), Outcome::Blocked);
    e.disconnect(A);
    assert_eq!(reply(&mut e, B, "ZADD gone 1 x"), Reply::Integer(1));
    assert_eq!(e.take_wakeups(), []);
    assert_eq!(reply(&mut e, B, "ZCARD gone"), Reply::Integer(1));
}

#[test]
fn databases_keep_their_own_waiters_and_swapdb_brings_keys_in() {
    let mut e = Engine::new(0);
    assert_eq!(reply(&mut e, A, "SELECT 1"), Reply::status("OK"));
    assert_eq!(run(&mut e, A, "BZPOPMIN k 0"), Outcome::Blocked);
    // Created in database 0: not the key A waits on.
    assert_eq!(reply(&mut e, B, "ZADD k 1 zero"), Reply::Integer(1));
    assert_eq!(e.take_wakeups(), []);
    // SWAPDB brings it into database 1.
    assert_eq!(reply(&mut e, B, "SWAPDB 0 1"), Reply::status("OK"));
    assert_eq!(
        e.take_wakeups(),
        [woke(
            A,
            Reply::Array(vec![bulk("k"), bulk("zero"), Reply::Double(1.0)])
        )]
    );
}

#[test]
fn errors_come_before_any_wait() {
    let mut e = Engine::new(0);
    reply(&mut e, B, "SET s x");
    let err = |e: &mut Engine, line: &str| match reply(e, A, line) {
        Reply::Error(text) => String::from_utf8_lossy(&text).into_owned(),
        other => panic!("{line}: {other:?}"),
    };
    assert_eq!(
        err(&mut e, "BZPOPMIN k x"),
        "ERR timeout is not a float or out of range"
    );
    assert_eq!(err(&mut e, "BZPOPMIN k -1"), "ERR timeout is negative");
    assert_eq!(err(&mut e, "BZPOPMIN k inf"), "ERR timeout is negative");
    assert_eq!(
        err(&mut e, "BZPOPMIN nokey s 0"),
        "WRONGTYPE Operation against a key holding the wrong kind of value"
    );
    assert_eq!(
        err(&mut e, "BZMPOP x 1 k MIN"),
        "ERR timeout is not a float or out of range"
    );
    assert_eq!(
        err(&mut e, "BZMPOP 0 0 k MIN"),
        "ERR numkeys should be greater than 0"
    );
    assert_eq!(err(&mut e, "BZMPOP 0 1 k MID"), "ERR syntax error");
    assert!(!e.is_blocked(A));
    // -0.0001 s rounds up to 0 ms: for ever.
    assert_eq!(run(&mut e, A, "BZPOPMIN k -0.0001"), Outcome::Blocked);
    assert_eq!(e.block_deadline(A), None);
    // A deadline past i64::MAX wraps around, as in Redis: it waits for ever there too.
    e.advance_ms(1_000);
    assert_eq!(
        run(&mut e, B, "BZPOPMIN k 9223372036854775"),
        Outcome::Blocked
    );
    assert_eq!(e.block_deadline(B), None);
    assert_eq!(run(&mut e, C, "BZPOPMIN k 9223372036854"), Outcome::Blocked);
    assert_eq!(e.block_deadline(C), Some(9_223_372_036_855_000));
}

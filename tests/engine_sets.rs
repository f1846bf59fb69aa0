//! Sets as a learner meets them at the console: "one like per user", the order SMEMBERS lists
//! them in, SPOP's draws replaying the same way, SSCAN walking a set that changes.

use incr_lab::console::eval_line;
use incr_lab::engine::{Engine, Reply, Value};

/// Runs one console line and returns what redis-cli would print.
fn run(e: &mut Engine, line: &str) -> String {
    eval_line(e, 1, line).text_lines().join("\n")
}

#[test]
fn one_like_per_user() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, "SADD likes:post:1 alice"), "(integer) 1");
    assert_eq!(run(&mut e, "SADD likes:post:1 bob alice"), "(integer) 1");
    assert_eq!(run(&mut e, "SADD likes:post:1 alice"), "(integer) 0");
    assert_eq!(run(&mut e, "SCARD likes:post:1"), "(integer) 2");
    assert_eq!(run(&mut e, "SISMEMBER likes:post:1 bob"), "(integer) 1");
    // A hash table lists its members in the order they came (Redis' own order is random).
    assert_eq!(
        run(&mut e, "SMEMBERS likes:post:1"),
        "1) \"alice\"\n2) \"bob\""
    );
    assert_eq!(run(&mut e, "TYPE likes:post:1"), "set");
    // An intset lists its members in ascending order, as Redis does.
    run(&mut e, "SADD ids 30 10 20");
    assert_eq!(
        run(&mut e, "SMEMBERS ids"),
        "1) \"10\"\n2) \"20\"\n3) \"30\""
    );
    assert!(matches!(e.db().peek(b"ids"), Some(Value::Set(s)) if s.is_intset()));
}

#[test]
fn random_draws_replay_the_same_way() {
    let draws = || {
        let mut e = Engine::new(0);
        run(&mut e, "SADD s a b c d e f g h i j");
        (0..5)
            .map(|_| run(&mut e, "SRANDMEMBER s 3") + &run(&mut e, "SPOP s"))
            .collect::<Vec<_>>()
    };
    let first = draws();
    assert_eq!(first, draws());
    // And they do vary.
    assert!(first.windows(2).any(|w| w[0] != w[1]));
}

/// SSCAN walks a hash table a page at a time: whatever the cursors, a full walk returns every
/// member present throughout, in Redis as in the engine.
#[test]
fn sscan_full_walk_of_a_hash_table() {
    let mut e = Engine::new(0);
    let mut argv = vec!["SADD".to_owned(), "s".to_owned()];
    argv.extend((0..300).map(|i| format!("m{i}")));
    e.execute(1, &argv);
    let mut cursor = "0".to_owned();
    let mut seen = Vec::new();
    let mut steps = 0;
    loop {
        let reply = e.execute(1, &["SSCAN", "s", &cursor, "COUNT", "7"]);
        let Reply::Array(parts) = reply else {
            panic!("not an array")
        };
        let (Reply::Bulk(next), Reply::Array(items)) = (&parts[0], &parts[1]) else {
            panic!("bad shape")
        };
        assert!(items.len() <= 7);
        for item in items {
            if let Reply::Bulk(m) = item {
                seen.push(m.clone());
            }
        }
        // Members come and go meanwhile.
        e.execute(1, &["SREM", "s", &format!("m{}", steps * 2 + 1)]);
        e.execute(1, &["SADD", "s", &format!("new{steps}")]);
        cursor = String::from_utf8(next.clone()).expect("digits");
        steps += 1;
        if cursor == "0" {
            break;
        }
    }
    for i in (0..300).filter(|i| i % 2 == 0 || *i > steps * 2 + 1) {
        let member = format!("m{i}").into_bytes();
        assert_eq!(seen.iter().filter(|m| **m == member).count(), 1, "m{i}");
    }
}

//! Lists at the console: a queue and a capped timeline.

use incr_lab::console::eval_line;
use incr_lab::engine::Engine;

/// Runs one console line and returns what redis-cli would print.
fn run(e: &mut Engine, line: &str) -> String {
    eval_line(e, 1, line).text_lines().join("\n")
}

#[test]
fn a_queue_and_a_capped_timeline() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, "LPUSH jobs j1 j2 j3"), "(integer) 3");
    assert_eq!(run(&mut e, "RPOP jobs"), "\"j1\"");
    assert_eq!(run(&mut e, "LMOVE jobs doing RIGHT LEFT"), "\"j2\"");
    assert_eq!(run(&mut e, "LRANGE doing 0 -1"), "1) \"j2\"");
    assert_eq!(run(&mut e, "RPOP jobs 5"), "1) \"j3\"");
    assert_eq!(run(&mut e, "EXISTS jobs"), "(integer) 0");
    assert_eq!(run(&mut e, "TYPE doing"), "list");
    for post in 1..=5 {
        run(&mut e, &format!("LPUSH timeline post{post}"));
        run(&mut e, "LTRIM timeline 0 2");
    }
    assert_eq!(
        run(&mut e, "LRANGE timeline 0 -1"),
        "1) \"post5\"\n2) \"post4\"\n3) \"post3\""
    );
    assert_eq!(run(&mut e, "LSET nokey 0 x"), "(error) ERR no such key");
    assert_eq!(
        run(&mut e, "LPUSH doing"),
        "(error) ERR wrong number of arguments for 'lpush' command"
    );
}

//! HyperLogLog at the console: unique views counted in a few kilobytes, close to the truth.

use incr_lab::console::eval_line;
use incr_lab::engine::{Engine, Reply};

/// Runs one console line and returns what redis-cli would print.
fn run(e: &mut Engine, line: &str) -> String {
    eval_line(e, 1, line).text_lines().join("\n")
}

#[test]
fn unique_views_are_counted_once() {
    let mut e = Engine::new(0);
    assert_eq!(run(&mut e, "PFADD views:home alice bob"), "(integer) 1");
    assert_eq!(run(&mut e, "PFADD views:home alice"), "(integer) 0");
    assert_eq!(run(&mut e, "PFCOUNT views:home"), "(integer) 2");
    assert_eq!(run(&mut e, "TYPE views:home"), "string");
    assert_eq!(run(&mut e, "PFDEBUG ENCODING views:home"), "sparse");
    assert_eq!(run(&mut e, "SET plain hello"), "OK");
    assert_eq!(
        run(&mut e, "PFADD plain x"),
        "(error) WRONGTYPE Key is not a valid HyperLogLog string value."
    );
}

#[test]
fn a_hundred_thousand_views_in_twelve_kilobytes() {
    let mut e = Engine::new(0);
    for chunk in 0..100 {
        let mut argv = vec!["PFADD".to_owned(), "v".to_owned()];
        argv.extend((0..1000).map(|i| format!("user:{chunk}:{i}")));
        e.execute(1, &argv);
    }
    let Reply::Integer(count) = e.execute(1, &["PFCOUNT", "v"]) else {
        panic!("PFCOUNT answers an integer")
    };
    // Redis' standard error is 0.81 %: well within 3 %.
    assert!((97_000..=103_000).contains(&count), "{count}");
    assert_eq!(e.execute(1, &["STRLEN", "v"]), Reply::Integer(12304));
    assert_eq!(
        e.execute(1, &["PFDEBUG", "ENCODING", "v"]),
        Reply::status("dense")
    );
}

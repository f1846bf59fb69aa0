//! A two-call Lua script through EVAL (and EVALSHA) against the same two commands sent one by one,
//! all through the engine: what a script's atomicity costs in the engine itself (no network: a
//! real client would save a round trip). Prints the timings and the ratios from one run.
//!
//! ```text
//! cargo bench --bench eval
//! ```

mod common;

use std::hint::black_box;
use std::time::Duration;

use common::measure;
use criterion::Criterion;
use incr_lab::engine::{Engine, Reply};

const SCRIPT: &str = "redis.call('INCR', KEYS[1]) return redis.call('EXPIRE', KEYS[1], ARGV[1])";

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let mut engine = Engine::new(0);
    let eval = measure(&mut c, "EVAL INCR+EXPIRE script", || {
        black_box(engine.execute(1, black_box(&["EVAL", SCRIPT, "1", "rate", "60"])));
    });

    let Reply::Bulk(sha) = engine.execute(1, &["SCRIPT", "LOAD", SCRIPT]) else {
        panic!("SCRIPT LOAD answers the SHA1");
    };
    let sha = String::from_utf8(sha).expect("a SHA1 is hex");
    let evalsha = measure(&mut c, "EVALSHA INCR+EXPIRE script", || {
        black_box(engine.execute(1, black_box(&["EVALSHA", sha.as_str(), "1", "rate", "60"])));
    });

    let direct = measure(&mut c, "INCR then EXPIRE sent directly", || {
        black_box(engine.execute(1, black_box(&["INCR", "rate"])));
        black_box(engine.execute(1, black_box(&["EXPIRE", "rate", "60"])));
    });

    c.final_summary();
    println!();
    println!("ns per INCR+EXPIRE                median     best");
    for (name, t) in [
        ("EVAL script", &eval),
        ("EVALSHA script", &evalsha),
        ("two commands", &direct),
    ] {
        println!("{name:<32} {:8.0} {:8.0}", t.median(), t.best());
    }
    println!(
        "EVAL time / direct time          {:8.1}x {:7.1}x",
        eval.median() / direct.median(),
        eval.best() / direct.best()
    );
    println!(
        "EVALSHA time / direct time       {:8.1}x {:7.1}x",
        evalsha.median() / direct.median(),
        evalsha.best() / direct.best()
    );
}

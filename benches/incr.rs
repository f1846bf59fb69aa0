//! INCR through the engine's public API against the floor: a bare `HashMap<Vec<u8>, i64>`
//! increment. Prints both timings and their ratio from one run (goal: the engine at ≥ 0.5× the
//! bare loop's speed), from the median batch and from the fastest one (on a busy machine the
//! fastest batches are those the other processes disturbed least).
//!
//! ```text
//! cargo bench --bench incr
//! ```

use std::collections::HashMap;
use std::hint::black_box;
use std::time::Duration;

use common::measure;
use criterion::Criterion;
use incr_lab::engine::Engine;

mod common;

fn main() {
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();

    let mut redis = Engine::new(0);
    redis.execute(1, &["SET", "likes", "0"]);
    let argv = ["INCR", "likes"];
    let engine = measure(&mut c, "INCR likes via Engine::execute", || {
        black_box(redis.execute(1, black_box(&argv)));
    });

    let mut map: HashMap<Vec<u8>, i64> = HashMap::new();
    map.insert(b"likes".to_vec(), 0);
    let key: &[u8] = b"likes";
    let bare = measure(&mut c, "bare HashMap<Vec<u8>, i64> increment", || {
        if let Some(n) = map.get_mut(black_box(key)) {
            *n += 1;
        }
        black_box(&map);
    });

    c.final_summary();
    println!();
    println!("ns per INCR                        median     best");
    println!(
        "INCR likes via Engine::execute   {:8.2} {:8.2}",
        engine.median(),
        engine.best()
    );
    println!(
        "bare HashMap<Vec<u8>, i64> += 1  {:8.2} {:8.2}",
        bare.median(),
        bare.best()
    );
    println!(
        "engine speed / bare loop speed   {:8.3}x {:7.3}x  (goal >= 0.5x)",
        bare.median() / engine.median(),
        bare.best() / engine.best()
    );
}

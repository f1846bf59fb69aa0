//! Times a naive flood and an INCR flood to completion, no drawing:
//! `cargo run --release --example flood [clients] [strategy slug…]` (naive and incr by default).
use incr_lab::simulation::{SimBuilder, StrategyKind};
use std::time::Instant;

fn main() {
    let clients: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let mut kinds: Vec<StrategyKind> = std::env::args()
        .skip(2)
        .filter_map(|slug| StrategyKind::from_slug(&slug))
        .collect();
    if kinds.is_empty() {
        kinds = vec![StrategyKind::Naive, StrategyKind::Atomic];
    }
    for kind in kinds {
        let t = Instant::now();
        let out = SimBuilder::new().clients(clients).seed(1).build(kind).run();
        println!(
            "{:>8} clients {:<6} {:>8.3} s  expected {} actual {} lost {}",
            clients,
            kind.slug(),
            t.elapsed().as_secs_f64(),
            out.expected,
            out.actual,
            out.lost_updates
        );
    }
}

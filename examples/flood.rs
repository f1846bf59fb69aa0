//! Times a naive flood to completion, no drawing: `cargo run --release --example flood [clients]`.
use incr_lab::simulation::{SimBuilder, StrategyKind};
use std::time::Instant;

fn main() {
    let clients: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    for kind in [StrategyKind::Naive, StrategyKind::Atomic] {
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

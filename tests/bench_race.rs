//! Benchmark (not a test, `#[ignore]`d): a 1,000,000-client naive flood simulated to completion, no
//! drawing, in the browser's wasm. Run by `scripts/bench-race.sh`, which builds with the
//! wasm-release profile (the shipped code's optimisation) and prints the figure.
#![cfg(target_arch = "wasm32")]

use incr_lab::simulation::{SimBuilder, StrategyKind};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or_else(js_sys::Date::now, |p| p.now())
}

#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench-race.sh"]
fn bench_flood_to_completion_in_wasm() {
    let clients: usize = option_env!("BENCH_CLIENTS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    for kind in [StrategyKind::Naive, StrategyKind::Atomic] {
        let start = now_ms();
        let mut sim = SimBuilder::new().clients(clients).seed(1).build(kind);
        let built = now_ms();
        let out = sim.run();
        let done = now_ms();
        console_log!(
            "bench: wasm flood {clients} clients {:<6} {:>7.0} ms (build {:.0} ms, run {:.0} ms)  \
             expected {} actual {} lost {}",
            kind.slug(),
            done - start,
            built - start,
            done - built,
            out.expected,
            out.actual,
            out.lost_updates
        );
    }
}

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
    // The first run of each strategy is the one a visitor waits for (code not yet optimised by the
    // browser, memory not yet grown); the best of the next three shows the steady state on a
    // shared, noisy machine.
    for kind in [StrategyKind::Naive, StrategyKind::Atomic] {
        let mut runs = Vec::new();
        for _ in 0..4 {
            let start = now_ms();
            let mut sim = SimBuilder::new().clients(clients).seed(1).build(kind);
            let built = now_ms();
            let out = sim.run();
            let done = now_ms();
            runs.push((done - start, built - start, done - built));
            assert_eq!(out.expected, clients as i64);
            if runs.len() == 1 {
                console_log!(
                    "bench: wasm flood {clients} clients {:<6} expected {} actual {} lost {}",
                    kind.slug(),
                    out.expected,
                    out.actual,
                    out.lost_updates
                );
            }
        }
        let first = runs[0];
        let best = runs[1..]
            .iter()
            .copied()
            .fold(runs[1], |a, b| if b.0 < a.0 { b } else { a });
        for (label, (total, build, run)) in [("first", first), ("best of next 3", best)] {
            console_log!(
                "bench: wasm flood {clients} clients {:<6} {label:<14} {total:>7.0} ms \
                 (build {build:.0} ms, run {run:.0} ms)",
                kind.slug()
            );
        }
    }
}

/// Benchmark (`#[ignore]`d, run by `scripts/bench-race.sh`): what one EVAL of the race demo's like
/// script costs in the browser — a flood of Lua-script clients against the same flood of INCR
/// clients, simulated to completion; the difference per client is the EVAL's own cost (the race
/// demo's `EVAL_CPU_US` note quotes the Lua side's per-client figure).
#[wasm_bindgen_test]
#[ignore = "benchmark: scripts/bench-race.sh"]
fn bench_eval_cost_in_wasm() {
    let clients: usize = option_env!("BENCH_EVAL_CLIENTS")
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let mut per_client = Vec::new();
    for kind in [StrategyKind::Atomic, StrategyKind::LuaScript] {
        let mut best = f64::INFINITY;
        let mut first = 0.0;
        for run in 0..4 {
            let start = now_ms();
            let out = SimBuilder::new().clients(clients).seed(1).build(kind).run();
            let took = now_ms() - start;
            assert_eq!(out.actual, clients as i64);
            if run == 0 {
                first = took;
            } else {
                best = best.min(took);
            }
        }
        let us = |ms: f64| ms * 1000.0 / clients as f64;
        console_log!(
            "bench: wasm {clients} clients {:<4} first {first:>6.0} ms ({:.1} µs per client), \
             best of next 3 {best:>6.0} ms ({:.1} µs per client)",
            kind.slug(),
            us(first),
            us(best)
        );
        per_client.push((us(first), us(best)));
    }
    let [(incr_first, incr_best), (lua_first, lua_best)] = per_client[..] else {
        return;
    };
    console_log!(
        "bench: wasm EVAL of the like script: {:.1} µs per client first, {:.1} steady ({:.1} and \
         {:.1} over INCR's)",
        lua_first,
        lua_best,
        lua_first - incr_first,
        lua_best - incr_best
    );
}

#!/usr/bin/env bash
# Benchmarks of the race demo (issue 5 §5): prints figures, asserts nothing.
#   1. a 1,000,000-client flood simulated to completion, natively (`cargo run --release --example flood`);
#   2. the same in the browser's wasm (headless Chromium, the wasm-release profile: the shipped optimisation),
#      via the ignored wasm-bindgen test tests/bench_race.rs, which also prints what one EVAL of the Lua
#      strategy's script costs there (BENCH_EVAL_CLIENTS Lua clients against as many INCR clients);
#   3. frame times while 10,000 and 100,000 clients animate in the release build (scripts/bench-race.mjs).
# BENCH_CLIENTS sets the flood size of 1 and 2 (default 1,000,000). Run scripts/test.sh (or at least
# ensure-tools.sh) once first.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
clients=${BENCH_CLIENTS:-1000000}

echo "=== native: $clients clients to completion"
cargo run --quiet --locked --release --example flood -- "$clients"

echo "=== browser wasm (headless Chromium): $clients clients to completion"
BENCH_CLIENTS=$clients CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} WASM_BINDGEN_TEST_TIMEOUT=600 \
  cargo test --locked --profile wasm-release --target wasm32-unknown-unknown --test bench_race \
  -- --include-ignored --nocapture 2>&1 | grep -E '^bench:|FAIL|panicked'

echo "=== frame times while the flood animates (release build)"
trunk build --release=true --locked >/dev/null 2>&1
node scripts/bench-race.mjs 10000 100000

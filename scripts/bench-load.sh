#!/usr/bin/env bash
# Load-time benchmark (issue 16): builds the release site (with its precompressed .br/.gz files) and
# loads it cold in headless Chromium throttled like Lighthouse's mobile profile (scripts/bench-load.mjs).
# Prints the time to the first lesson text and until the console answers `INCR likes` (goals: 1.0 s
# and 3.0 s), the bytes over the wire and the build's gzip and brotli sizes. A benchmark: it asserts
# nothing. Run scripts/test.sh (or at least ensure-tools.sh) once first.
#
#   scripts/bench-load.sh                 BENCH_RUNS=9 for more runs, BENCH_ENCODING=gzip to refuse brotli
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

dist=${BENCH_DIST:-$root/target/bench-load-dist}
trunk build --release=true --locked --dist "$dist" >/dev/null
node scripts/bench-load.mjs "$dist"

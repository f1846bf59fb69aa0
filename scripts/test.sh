#!/usr/bin/env bash
# The README's test command, and what CI runs (.ci/run). Installs what is missing, then checks in order
# and stops at the first failure:
#   formatting · clippy (native, and wasm32 for the browser code) · native tests · real client
#   libraries (redis-py, node-redis, ioredis) against redis-sim serve and redis-server · browser
#   component tests (wasm-bindgen-test in headless Chromium) · release builds (root and a sub-path) ·
#   end-to-end tests with Playwright and axe-core against those builds.
#
# Set CARGO_TARGET_DIR to a folder outside the clone to reuse builds between clones (a warm CI run).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

SUBPATH=/incr-lab/sub/path/
started=$SECONDS
step() { printf '\n=== %s  [%ds]\n' "$*" $((SECONDS - started)); }

step "tools"
bash scripts/ensure-tools.sh all
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

# The browser-only test files (#![cfg(target_arch = "wasm32")]), as `--test NAME` arguments.
wasm_tests=()
for f in tests/*.rs; do
  grep -q '^#!\[cfg(target_arch = "wasm32")\]' "$f" && wasm_tests+=(--test "$(basename "$f" .rs)")
done
[ ${#wasm_tests[@]} -gt 0 ] || { echo "no browser tests found in tests/" >&2; exit 1; }

step "cargo fmt --check"
cargo fmt --all --check

step "clippy (native)"
cargo clippy --locked --all-targets -- -D warnings

step "clippy (wasm32: the app, every binary — browser tests build them all — and the browser tests)"
cargo clippy --locked --target wasm32-unknown-unknown --lib --bins "${wasm_tests[@]}" -- -D warnings

step "native tests"
cargo test --locked

step "client libraries in their default modes (RESP3) against redis-sim serve and redis-server"
bash scripts/test-clients.sh

step "browser component tests (wasm-bindgen-test, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  CHROMEDRIVER=${CHROMEDRIVER:-/usr/bin/chromedriver} \
  WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-120} \
  cargo test --locked --target wasm32-unknown-unknown "${wasm_tests[@]}"

step "trunk build --release (served at /)"
trunk build --release=true --locked

step "trunk build --release --public-url $SUBPATH"
trunk build --release=true --locked --public-url "$SUBPATH" --dist dist-subpath

step "end-to-end tests (Playwright + axe-core, headless Chromium)"
SUBPATH="$SUBPATH" node --test --test-concurrency=1 tests/e2e/*.test.mjs

step "size of the release build"
bash scripts/size.sh dist

step "all green"

#!/usr/bin/env bash
# The README's classroom command: installs what is missing (once), builds the site (release) and
# redis-sim, then runs `redis-sim classroom`, which prints the address students open and the
# projector's. Extra arguments go to it (e.g. --port 9000, --redis 127.0.0.1:6379).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-tools.sh web
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
trunk build --release=true --locked --skip-version-check
cargo build --release --locked --bin redis-sim
exec "${CARGO_TARGET_DIR:-$root/target}/release/redis-sim" classroom --dist "$root/dist" "$@"

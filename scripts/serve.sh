#!/usr/bin/env bash
# The README's serve command: installs what is missing (once), then builds the app and serves it with
# live reload on http://127.0.0.1:8080/. Extra arguments go to `trunk serve` (e.g. --port 9000).
# Afterwards plain `trunk serve` works too.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/ensure-tools.sh web
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
exec trunk serve --skip-version-check "$@"

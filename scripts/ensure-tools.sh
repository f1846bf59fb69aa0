#!/usr/bin/env bash
# Installs what incr-lab needs, and only what is missing: a warm machine pays a few seconds.
#
#   scripts/ensure-tools.sh native    redis-server (the differential suite's oracle), redis-tools
#   scripts/ensure-tools.sh web       wasm32 target, trunk, wasm-bindgen-cli (the Cargo.lock version),
#                                     node packages (wasm-opt from binaryen 132, playwright-core, axe-core)
#   scripts/ensure-tools.sh browser   Debian's chromium and chromium-driver
#   scripts/ensure-tools.sh clients   the client libraries scripts/test-clients.sh drives: redis-py (PyPI, in
#                                     .venv) and node-redis and ioredis (npm, in node_modules)
#   scripts/ensure-tools.sh all       all of the above
#
# Everything comes from the package registries (crates.io, Debian, npm, PyPI); nothing from GitHub, so
# Trunk runs offline with the tools installed here.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
TRUNK_VERSION=0.21.14
BINARYEN_VERSION=132
PY_REDIS_VERSION=8.2.0

log() { printf '[ensure-tools] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root to run: $*"; return 1; fi
}

apt_updated=0
apt_install() {
  # Install the Debian packages among "$@" that are not installed yet.
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated -eq 0 ]; then
    log "apt-get update"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

cargo_bin() { echo "${CARGO_HOME:-$HOME/.cargo}/bin"; }

ensure_native() {
  apt_install redis-server redis-tools
  # Debian's package starts a service on 6379 where an init system runs; the tests never use it.
  command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || { log "redis-server missing"; exit 1; }
}

wasm_bindgen_version() {
  # The exact wasm-bindgen version Cargo.lock pins: Trunk uses a wasm-bindgen-cli only when it matches.
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$root/Cargo.lock"
}

ensure_rust() {
  export PATH="$(cargo_bin):$PATH"
  command -v cargo >/dev/null && command -v rustup >/dev/null ||
    { log "needs a rustup-managed Rust toolchain (cargo, rustup) on PATH"; exit 1; }
  # A C compiler and linker: build scripts of trunk's and wasm-bindgen-cli's dependencies need one.
  command -v cc >/dev/null || apt_install gcc libc6-dev
}

ensure_web() {
  ensure_rust
  if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
    log "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown >&2
  fi
  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "cargo install trunk $TRUNK_VERSION (takes minutes once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked >&2
  fi
  local wbg
  wbg=$(wasm_bindgen_version)
  [ -n "$wbg" ] || { log "no wasm-bindgen in Cargo.lock"; exit 1; }
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $wbg" ]; then
    # Not --locked: its own lockfile pins a crate version the registry no longer serves.
    log "cargo install wasm-bindgen-cli $wbg (takes minutes once)"
    cargo install wasm-bindgen-cli --version "$wbg" --force >&2
  fi
  ensure_node_packages
  ensure_global_wasm_opt
}

ensure_node_packages() {
  command -v npm >/dev/null || apt_install nodejs npm
  # playwright-core needs Node 20+; Debian 12's own nodejs is 18, so say so rather than fail later.
  node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
    { log "needs Node.js 20 or newer (found $(node --version)): playwright-core requires it"; exit 1; }
  # npm ci only when node_modules does not match package-lock.json.
  local stamp="$root/node_modules/.incr-lab-lock"
  if [ ! -f "$stamp" ] || ! cmp -s "$root/package-lock.json" "$stamp"; then
    log "npm ci"
    (cd "$root" && npm ci --no-audit --no-fund --loglevel=error >&2)
    cp "$root/package-lock.json" "$stamp"
  fi
  "$root/node_modules/.bin/wasm-opt" --version | grep -q "version $BINARYEN_VERSION " ||
    { log "wasm-opt is not binaryen $BINARYEN_VERSION"; exit 1; }
}

ensure_global_wasm_opt() {
  # Our scripts put node_modules/.bin first on PATH, but a plain `trunk serve` typed in a shell finds
  # wasm-opt on the ordinary PATH, and offline Trunk never looks anywhere else (not even its cache).
  # So install the same binaryen globally, unless a wasm-opt of that version is already first on PATH.
  # Ignore our own node_modules/.bin in case the caller already put it on PATH.
  local clean_path
  clean_path=$(printf '%s' "$PATH" | tr ':' '\n' | grep -vxF "$root/node_modules/.bin" | paste -sd: -)
  local PATH=$clean_path
  if ! wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION "; then
    log "npm install -g binaryen@$BINARYEN_VERSION.0.0 (so that plain \`trunk serve\` finds wasm-opt)"
    as_root npm install -g --no-audit --no-fund --loglevel=error "binaryen@$BINARYEN_VERSION.0.0" >&2
    hash -r
    wasm-opt --version 2>/dev/null | grep -q "version $BINARYEN_VERSION " ||
      log "warning: $(command -v wasm-opt || echo 'no wasm-opt') comes first on PATH; plain \`trunk serve\` needs binaryen $BINARYEN_VERSION's first (scripts/serve.sh works regardless)"
  fi
}

ensure_browser() {
  apt_install chromium chromium-driver
}

ensure_clients() {
  ensure_node_packages
  # redis-py in a virtual environment of the checkout (.venv, ignored by git), at one version.
  local venv="$root/.venv"
  if [ "$("$venv/bin/python" -c 'import redis; print(redis.__version__)' 2>/dev/null)" != "$PY_REDIS_VERSION" ]; then
    command -v python3 >/dev/null || apt_install python3
    python3 -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv
    log "python3 -m venv .venv && pip install redis==$PY_REDIS_VERSION"
    python3 -m venv "$venv" >&2
    "$venv/bin/pip" install -q --disable-pip-version-check "redis==$PY_REDIS_VERSION" >&2
  fi
}

case "${1:-all}" in
  native) ensure_native ;;
  web) ensure_web ;;
  browser) ensure_browser ;;
  node) ensure_node_packages ;;
  clients) ensure_clients ;;
  all) ensure_native; ensure_browser; ensure_web; ensure_clients ;;
  *) log "usage: $0 [native|web|browser|node|clients|all]"; exit 2 ;;
esac

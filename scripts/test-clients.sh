#!/usr/bin/env bash
# Real client libraries in their default modes against `redis-sim serve` and a real redis-server:
# redis-py 8 (PyPI), node-redis and ioredis (npm) — all three open with HELLO 3 and speak RESP3.
# Each runs the same calls (scripts/clients/) against both servers; what the library returned must
# be the same on both, and no library may warn (redis-py's "does not support HELLO (RESP3). Falling
# back to RESP2", say). Part of scripts/test.sh; a few seconds once the tools are there.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

bash scripts/ensure-tools.sh native >/dev/null
bash scripts/ensure-tools.sh clients
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# REDIS_SIM_BIN: a redis-sim already built (else this builds one).
sim_bin=${REDIS_SIM_BIN:-}
if [ -z "$sim_bin" ]; then
  cargo build --locked --quiet --bin redis-sim
  sim_bin="${CARGO_TARGET_DIR:-$root/target}/debug/redis-sim"
fi

# shellcheck source=lib/servers.sh
source "$root/scripts/lib/servers.sh"
start_servers "$sim_bin"

failed=0
check() { # name command...
  local name=$1
  shift
  for side in redis sim; do
    local port=$redis_port
    [ $side = sim ] && port=$sim_port
    if ! "$@" "$port" >"$work/$name.$side.json" 2>"$work/$name.$side.err"; then
      echo "FAIL $name against $side (port $port):" >&2
      cat "$work/$name.$side.err" >&2
      failed=1
      return
    fi
  done
  if ! diff -u --label "$name against redis-server" --label "$name against redis-sim serve" \
    "$work/$name.redis.json" "$work/$name.sim.json" >&2; then
    echo "FAIL $name: the library got different results from redis-sim serve" >&2
    failed=1
    return
  fi
  echo "ok   $name: $(grep -c '^  \[$' "$work/$name.sim.json") calls, the same results from both servers, no warning"
}

check redis-py "$root/.venv/bin/python" scripts/clients/redis_py.py
check node-redis+ioredis node scripts/clients/node.mjs

[ $failed -eq 0 ] || exit 1
echo "clients: 2 passed, 0 failed"

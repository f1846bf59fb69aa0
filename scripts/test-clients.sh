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
cargo build --locked --quiet --bin redis-sim
sim_bin="${CARGO_TARGET_DIR:-$root/target}/debug/redis-sim"

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for() { # port name
  for _ in $(seq 100); do
    [ "$(redis-cli -p "$1" PING 2>/dev/null)" = PONG ] && return 0
    sleep 0.05
  done
  echo "$2 did not answer on port $1" >&2
  exit 1
}

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
  --dir "$work" >"$work/redis.log" 2>&1 &
pids+=($!)
sim_port=$(free_port)
"$sim_bin" serve --port "$sim_port" >"$work/sim.log" 2>&1 &
pids+=($!)
wait_for "$redis_port" redis-server
wait_for "$sim_port" "redis-sim serve"

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

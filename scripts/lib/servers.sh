# Sourced by scripts that compare redis-sim with a real redis-server (scripts/test-clients.sh,
# scripts/redis-units.sh): `start_servers SIM_BIN [REDIS-SERVER OPTION…]` starts both on free
# loopback ports, waits until each answers PING, and sets $work (a scratch directory), $redis_port
# and $sim_port. Both servers are stopped and $work removed when the script exits.

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
  for _ in $(seq 200); do
    [ "$(redis-cli -p "$1" PING 2>/dev/null)" = PONG ] && return 0
    sleep 0.05
  done
  echo "$2 did not answer on port $1" >&2
  exit 1
}

start_servers() { # sim_bin [redis-server option…]
  local sim_bin=$1
  shift
  redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    --dir "$work" "$@" >"$work/redis.log" 2>&1 &
  pids+=($!)
  sim_port=$(free_port)
  "$sim_bin" serve --port "$sim_port" >"$work/sim.log" 2>&1 &
  pids+=($!)
  wait_for "$redis_port" redis-server
  wait_for "$sim_port" "redis-sim serve"
}

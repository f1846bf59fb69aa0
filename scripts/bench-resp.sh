#!/usr/bin/env bash
# redis-sim serve against a real redis-server, measured by the same redis-benchmark in one run.
#
#   scripts/bench-resp.sh            200,000 requests per test, best of 3 rounds
#   N=1000000 ROUNDS=5 scripts/bench-resp.sh
#
# Both servers run on this machine, one at a time under load, on loopback ports picked free. Each
# round runs `redis-benchmark -t <test> -n N -q` for SET, GET and INCR, pipelined (-P 16) and not, alternating the
# two servers so that background load hits both alike; the best round of each counts (the least
# disturbed one). Prints, per command, requests per second and the ratio redis-sim / redis-server,
# and the server's own CPU time per request (from /proc/PID/schedstat), which other load on the
# machine disturbs far less than throughput: its ratio is redis-server / redis-sim, so above 1.00x
# means redis-sim spends less. redis-sim is the plain `cargo build --release` binary, as the README
# starts it. A benchmark, not a test: it never fails on the figures. Needs redis-server and
# redis-benchmark (scripts/ensure-tools.sh native).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
N=${N:-200000}
ROUNDS=${ROUNDS:-3}


for tool in redis-server redis-benchmark; do
  command -v "$tool" >/dev/null || { echo "bench-resp: $tool not found (scripts/ensure-tools.sh native)" >&2; exit 1; }
done

echo "bench-resp: building redis-sim (cargo build --release)..." >&2
cargo build --quiet --release --bin redis-sim --manifest-path "$root/Cargo.toml"
sim_bin="$root/target/release/redis-sim"

work=$(mktemp -d)
sim_pid='' redis_pid=''
cleanup() {
  [ -n "$sim_pid" ] && kill "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  [ -n "$redis_pid" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # port
  for _ in $(seq 100); do
    redis-cli -p "$1" PING >/dev/null 2>&1 && return 0
    sleep 0.05
  done
  echo "bench-resp: nothing answers on port $1" >&2
  return 1
}

# redis-sim picks its own free port and prints it.
"$sim_bin" serve --port 0 >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
for _ in $(seq 100); do grep -q 'ready' "$work/sim.out" 2>/dev/null && break; sleep 0.05; done
sim_port=$(sed -n 's/.*:\([0-9]*\)$/\1/p' "$work/sim.out" | head -1)
wait_for "$sim_port"

# redis-server: a random high port, tried until one is free.
for _ in $(seq 20); do
  redis_port=$((20000 + RANDOM % 40000))
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no \
    --dir "$work" --logfile "$work/redis.log" &
  redis_pid=$!
  sleep 0.2
  if kill -0 "$redis_pid" 2>/dev/null && wait_for "$redis_port"; then break; fi
  redis_pid=''
done
[ -n "$redis_pid" ] || { echo "bench-resp: could not start redis-server" >&2; exit 1; }

# Nanoseconds a process has spent on a CPU.
cpu_ns() { awk '{ print $1 }' "/proc/$1/schedstat"; }

# bench PORT PID PIPELINE TEST -> "RPS CPU_NS_PER_REQUEST"
bench() {
  local before after rps
  before=$(cpu_ns "$2")
  rps=$(redis-benchmark -p "$1" -t "$4" -n "$N" -P "$3" -q 2>/dev/null | tr '\r' '\n' |
    sed -n 's/^[A-Z]*: \([0-9.]*\) requests per second.*/\1/p')
  after=$(cpu_ns "$2")
  echo "${rps:-0} $(((after - before) / N))"
}

# Keeps the larger (rps) or smaller (cpu) of the best-so-far and a new figure.
declare -A best
keep() { # key value max|min
  local old=${best[$1]:-}
  if [ -z "$old" ] || awk -v a="$2" -v b="$old" -v m="$3" 'BEGIN { exit !(m == "max" ? a > b : a < b) }'; then
    best[$1]=$2
  fi
}

for round in $(seq "$ROUNDS"); do
  for pipeline in 16 1; do
    for test in SET GET INCR; do
      for server in sim redis; do
        if [ "$server" = sim ]; then port=$sim_port pid=$sim_pid; else port=$redis_port pid=$redis_pid; fi
        read -r rps cpu < <(bench "$port" "$pid" "$pipeline" "${test,,}")
        keep "$server $pipeline $test rps" "$rps" max
        keep "$server $pipeline $test cpu" "$cpu" min
      done
    done
  done
  echo "bench-resp: round $round of $ROUNDS done" >&2
done

echo
echo "redis-benchmark -t set|get|incr -n $N -q [-P 16], best of $ROUNDS rounds ($(nproc) cores, both servers on loopback)"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "n/a" }'; }
printf '%-5s %-6s | %12s %12s %6s | %10s %10s %6s\n' \
  test mode 'redis req/s' 'sim req/s' ratio 'redis ns' 'sim ns' ratio
for pipeline in 16 1; do
  for test in SET GET INCR; do
    rr=${best["redis $pipeline $test rps"]} sr=${best["sim $pipeline $test rps"]}
    rc=${best["redis $pipeline $test cpu"]} sc=${best["sim $pipeline $test cpu"]}
    printf '%-5s %-6s | %12.0f %12.0f %6s | %10s %10s %6s\n' "$test" "-P $pipeline" \
      "$rr" "$sr" "$(ratio "$sr" "$rr")" "$rc" "$sc" "$(ratio "$rc" "$sc")"
  done
done
echo "(req/s: higher is better, ratio sim/redis; ns: server CPU per request, ratio redis/sim)"

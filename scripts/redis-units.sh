#!/usr/bin/env bash
# The outside measure of issue 13: Redis 7.0.15's own Tcl test units, run in external-server mode
# against a real redis-server and against `redis-sim serve`, and per unit the tests that pass on
# each. No package registry ships the units on their own, so they come from the Redis 7.0.15
# source tree ($REDIS_SRC, default /work/redis-src; a `redis-7.0.15` tarball from download.redis.io
# has the same tests/), run with its own tests/test_helper.tcl (tclsh 8.6).
#
#   scripts/redis-units.sh [UNIT…]        default: the units issue 13 names, plus scan
#   REDIS_UNITS_KEEP=DIR                   keeps every unit's output there
#
# A unit stops at its first exception (a command that errors outside an assertion: a missing
# command, a DEBUG subcommand the server lacks), so "passed" counts the [ok] lines before that;
# the stop, if any, is printed. Tests the harness skips in external mode (tags external:skip,
# needs:repl, …) count on neither side. Prints a table; exits 0 (a measure, not a gate: the
# differential suite is the gate).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
redis_src=${REDIS_SRC:-/work/redis-src}
[ -f "$redis_src/tests/test_helper.tcl" ] ||
  { echo "no $redis_src/tests/test_helper.tcl: set REDIS_SRC to a Redis 7.0.15 source tree" >&2; exit 1; }
command -v tclsh >/dev/null || { echo "needs tclsh (apt-get install tcl)" >&2; exit 1; }
command -v redis-server >/dev/null || { echo "needs redis-server (scripts/ensure-tools.sh native)" >&2; exit 1; }

units=("$@")
[ ${#units[@]} -gt 0 ] || units=(type/incr type/string type/hash type/zset expire multi keyspace scan)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# REDIS_SIM_BIN: a redis-sim already built (else this builds one).
sim_bin=${REDIS_SIM_BIN:-}
if [ -z "$sim_bin" ]; then
  cargo build --locked --quiet --bin redis-sim
  sim_bin="${CARGO_TARGET_DIR:-$root/target}/debug/redis-sim"
fi

# Both servers on free loopback ports, stopped on exit; Redis with DEBUG, which the units use
# (DEBUG SET-ACTIVE-EXPIRE, DEBUG SLEEP 0, …).
# shellcheck source=lib/servers.sh
source "$root/scripts/lib/servers.sh"
start_servers "$sim_bin" --enable-debug-command yes

# run UNIT PORT LOG: the unit's output, colours stripped.
run() {
  (cd "$redis_src" && timeout 600 tclsh tests/test_helper.tcl --host 127.0.0.1 --port "$2" \
    --single "unit/$1" --clients 1 --timeout 120 2>&1 || true) |
    sed 's/\x1b\[[0-9;]*m//g' >"$3"
}

# summary LOG: "passed failed stop", stop being the first exception's first line or "-".
summary() {
  local ok err stop
  ok=$(grep -c '^\[ok\]:' "$1" || true)
  err=$(grep -c '^\[err\]:' "$1" || true)
  stop=$(grep -m1 -A1 '^\[exception\]:' "$1" | tail -n1 | cut -c1-70 || true)
  printf '%s\t%s\t%s' "$ok" "$err" "${stop:--}"
}

printf '%-12s %12s %12s   %s\n' unit redis-server redis-sim "redis-sim's first stop"
for unit in "${units[@]}"; do
  log_redis="$work/$(echo "$unit" | tr / _).redis"
  log_sim="$work/$(echo "$unit" | tr / _).sim"
  run "$unit" "$redis_port" "$log_redis"
  redis-cli -p "$redis_port" FLUSHALL >/dev/null
  run "$unit" "$sim_port" "$log_sim"
  redis-cli -p "$sim_port" FLUSHALL >/dev/null 2>&1 || true
  IFS=$'\t' read -r r_ok r_err _ <<<"$(summary "$log_redis")"
  IFS=$'\t' read -r s_ok s_err s_stop <<<"$(summary "$log_sim")"
  printf '%-12s %5s ok %3s err %5s ok %3s err   %s\n' "$unit" "$r_ok" "$r_err" "$s_ok" "$s_err" "$s_stop"
  if [ -n "${REDIS_UNITS_KEEP:-}" ]; then
    mkdir -p "$REDIS_UNITS_KEEP"
    cp "$log_redis" "$log_sim" "$REDIS_UNITS_KEEP/"
  fi
done

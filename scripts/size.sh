#!/usr/bin/env bash
# Prints the gzip -9 size of every file in a Trunk build (default: dist/) and the total: what a
# learner downloads on the first visit. `gzip -n`: without the file name and time stamp `gzip FILE`
# would store, as a server's gzip Content-Encoding has none. The build's precompressed FILE.br /
# FILE.gz (scripts/precompress.mjs) are other forms of the same files, not more to download: they
# are left out.
#
# Then checks the total against the ceiling in scripts/size-ceiling and fails above it, so a size
# regression is seen in CI (scripts/test.sh ends with this). The file says how to raise it.
#
#   scripts/size.sh [DIST] [--no-ceiling]     --no-ceiling: print only (scripts/size-breakdown.sh)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
dist=$root/dist
check=1
for arg in "$@"; do
  case $arg in
    --no-ceiling) check=0 ;;
    -*) echo "usage: $0 [DIST] [--no-ceiling]" >&2; exit 2 ;;
    *) dist=$arg ;;
  esac
done
[ -d "$dist" ] || { echo "no $dist: run trunk build --release first" >&2; exit 1; }

total_raw=0
total_gz=0
printf '%10s %10s  %s\n' raw gzip-9 file
while IFS= read -r -d '' f; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9 -n -c "$f" | wc -c)
  total_raw=$((total_raw + raw))
  total_gz=$((total_gz + gz))
  printf '%10d %10d  %s\n' "$raw" "$gz" "${f#"$dist"/}"
done < <(find "$dist" -type f ! -name '*.br' ! -name '*.gz' -print0 | sort -z)
awk -v raw="$total_raw" -v gz="$total_gz" 'BEGIN { printf "%10d %10d  total (%.1f KB gzip -9)\n", raw, gz, gz / 1024 }'

[ $check -eq 1 ] || exit 0
ceiling_file=$root/scripts/size-ceiling
ceiling=$(grep -v '^[[:space:]]*\(#\|$\)' "$ceiling_file" | head -n1 | tr -d '[:space:]')
[[ $ceiling =~ ^[0-9]+$ ]] || { echo "no ceiling in $ceiling_file" >&2; exit 1; }
if [ "$total_gz" -gt "$ceiling" ]; then
  echo "size: the page is $total_gz B gzip, over the ceiling of $ceiling B (by $((total_gz - ceiling)) B):" \
    "find the regression with scripts/size-breakdown.sh, or raise the ceiling as scripts/size-ceiling says" >&2
  exit 1
fi
echo "size: $total_gz B gzip, $((ceiling - total_gz)) B under the ceiling of $ceiling B (scripts/size-ceiling)"

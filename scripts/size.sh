#!/usr/bin/env bash
# Prints the gzip -9 size of every file in a Trunk build (default: dist/) and the total: what a
# learner downloads on the first visit. A benchmark print, not a test. `gzip -n`: without the file
# name and time stamp `gzip FILE` would store, as a server's gzip Content-Encoding has none. The
# build's precompressed FILE.br / FILE.gz (scripts/precompress.mjs) are other forms of the same
# files, not more to download: they are left out.
set -euo pipefail

dist=${1:-$(cd "$(dirname "$0")/.." && pwd)/dist}
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

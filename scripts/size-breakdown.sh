#!/usr/bin/env bash
# Where the bytes of the page go: builds the release app (as Trunk does for `trunk build --release`),
# prints the gzip size of every file (scripts/size.sh), then the wasm's code and data per crate and,
# for incr_lab, per module, before and after wasm-opt. A benchmark print, not a test.
#
#   scripts/size-breakdown.sh [--no-build] [--depth N] [--top N]
#
#   --no-build   reuse the last build of this script (or of `trunk build --release`)
#   --depth N    incr_lab module levels to show (default 2: incr_lab::ui::race)
#   --top N      also list the N largest functions and data segments of the final wasm (default 25)
#
# The page's wasm has no function names, so the script makes a copy that keeps them: wasm-bindgen's
# output (which still has its name section) through the same wasm-opt level and parameters as
# index.html asks Trunk for, plus `--debuginfo`. Names barely change what wasm-opt does: the copy's
# code and data are within 0.1 % of the page's. twiggy (cargo install twiggy) reads both modules.
#
# Caveats: wasm-opt inlines, so after it a function's size includes what it absorbed (the `main`
# line is mostly Leptos view code); the "pre-opt" column is the attribution before inlining. Sizes
# are raw bytes; gzip shrinks code about 2.3× and text more. What removing a feature saves in gzip
# is best measured by building without it.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

build=1
depth=2
top=25
while [ $# -gt 0 ]; do
  case $1 in
    --no-build) build=0 ;;
    --depth) depth=$2; shift ;;
    --top) top=$2; shift ;;
    *) echo "usage: $0 [--no-build] [--depth N] [--top N]" >&2; exit 2 ;;
  esac
  shift
done

if ! command -v twiggy >/dev/null; then
  echo "[size-breakdown] cargo install twiggy --locked (once)" >&2
  cargo install twiggy --locked >&2
fi

target_dir=$(cargo metadata --format-version 1 --no-deps | node -e \
  'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).target_directory))')
out="$target_dir/size-breakdown"
dist="$out/dist"
mkdir -p "$out"

if [ $build -eq 1 ]; then
  trunk build --release=true --locked --dist "$dist" >&2
fi
[ -d "$dist" ] || dist="$root/dist"
[ -d "$dist" ] || { echo "no build: run without --no-build" >&2; exit 1; }

echo "== gzip -9 of the page's files"
bash scripts/size.sh "$dist" --no-ceiling

# The rust link of index.html: its wasm-opt level and extra parameters, as Trunk reads them.
link=$(tr '\n' ' ' <index.html | grep -o '<link[^>]*data-trunk[^>]*rel="rust"[^>]*>' | head -n1)
level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' <<<"$link")
params=$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' <<<"$link")
[ -n "$level" ] || level=""   # Trunk's default: plain -O
bin=$(sed -n 's/.*data-bin="\([^"]*\)".*/\1/p' <<<"$link")
pre="$target_dir/wasm-bindgen/release/${bin:-incr-lab}_bg.wasm"
[ -f "$pre" ] || { echo "no $pre (wasm-bindgen's output)" >&2; exit 1; }
page_wasm=$(find "$dist" -name '*_bg.wasm' | head -n1)

# shellcheck disable=SC2086 # params are words, as Trunk splits them
wasm-opt "-O$level" $params --debuginfo "$pre" -o "$out/named.wasm"
twiggy top --format csv "$pre" >"$out/pre-opt.csv"
twiggy top --format csv "$out/named.wasm" >"$out/final.csv"

echo
echo "== the wasm by crate / incr_lab module: raw bytes before wasm-opt (wasm-bindgen's output) and after"
echo "   (wasm-opt -O$level $params; page wasm: $(wc -c <"$page_wasm") bytes)"
node scripts/size-breakdown.mjs --depth "$depth" --top "$top" pre-opt="$out/pre-opt.csv" final="$out/final.csv"

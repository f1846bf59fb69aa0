#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), run on the staging folder of every build, in this order:
#   1. the static lesson into index.html (examples/static_lesson.rs): the chapters' text shows
#      before the wasm has arrived, and without JavaScript;
#   2. the console-lite (src/bin/console-lite.rs): built with the page's profile (wasm-release for
#      release builds, then wasm-opt -Oz), bound with wasm-bindgen, named by a hash of its content,
#      and started early by a module script in index.html's head, so that the console answers
#      while the page's big wasm is still downloading;
#   3. release builds only: brotli and gzip twins of every compressible file (scripts/precompress.mjs).
# One hook, not two: Trunk runs the hooks of a stage at the same time.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by Trunk as its post_build hook, see Trunk.toml}"
root=$(cd "$(dirname "$0")/.." && pwd)
export PATH="$root/node_modules/.bin:$PATH"
index="$TRUNK_STAGING_DIR/index.html"
cargo run --quiet --locked --example static_lesson -- "$index"

# 2. The console-lite.
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  profile=(--profile wasm-release)
  profile_dir=wasm-release
else
  profile=()
  profile_dir=debug
fi
cargo build --quiet --locked --target wasm32-unknown-unknown --bin console-lite "${profile[@]}"
target_dir=${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
  node -e 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => console.log(JSON.parse(s).target_directory))')}
wasm="$target_dir/wasm32-unknown-unknown/$profile_dir/console-lite.wasm"
name="console-lite-$(sha256sum "$wasm" | cut -c1-16)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
wasm-bindgen --target web --no-typescript --out-dir "$work" --out-name "$name" "$wasm"
if [ "${TRUNK_PROFILE:-debug}" = release ]; then
  wasm-opt -Oz "$work/${name}_bg.wasm" -o "$TRUNK_STAGING_DIR/${name}_bg.wasm"
else
  cp "$work/${name}_bg.wasm" "$TRUNK_STAGING_DIR/"
fi
cp "$work/$name.js" "$TRUNK_STAGING_DIR/"
# Its script and preloads go first in <head>, before the app's: the browser asks for the lite first,
# and both download side by side. (Holding the app's wasm back until the lite had started brought
# the console's first answer ~0.4 s sooner but the app ~1 s later, and one load in fifteen hung on
# the throttled bench: not worth it.) URLs under Trunk's public URL, as the app's are.
base=${TRUNK_PUBLIC_URL:-/}
LITE_JS="$base$name.js" LITE_WASM="$base${name}_bg.wasm" INDEX="$index" node -e '
  const fs = require("node:fs");
  const { LITE_JS: js, LITE_WASM: wasm, INDEX: index } = process.env;
  const html = fs.readFileSync(index, "utf8");
  const tags = `<link rel="modulepreload" href="${js}" crossorigin>` +
    `<link rel="preload" href="${wasm}" as="fetch" type="application/wasm" crossorigin>` +
    `<script type="module">import init from "${js}"; init({ module_or_path: "${wasm}" });</script>`;
  const at = html.indexOf("<link");
  if (at < 0 || at > html.indexOf("</head>")) throw new Error(`${index}: no <link> in <head>`);
  fs.writeFileSync(index, html.slice(0, at) + tags + "\n    " + html.slice(at));
'

node scripts/precompress.mjs "$TRUNK_STAGING_DIR"

#!/usr/bin/env bash
# Trunk's post_build hook (Trunk.toml), run on the staging folder of every build, in this order:
#   1. the static lesson into index.html (examples/static_lesson.rs): the chapters' text shows
#      before the wasm has arrived, and without JavaScript;
#   2. release builds only: brotli and gzip twins of every compressible file (scripts/precompress.mjs).
# One hook, not two: Trunk runs the hooks of a stage at the same time.
set -euo pipefail
: "${TRUNK_STAGING_DIR:?run by Trunk as its post_build hook, see Trunk.toml}"
cargo run --quiet --locked --example static_lesson -- "$TRUNK_STAGING_DIR/index.html"
node scripts/precompress.mjs "$TRUNK_STAGING_DIR"

#!/usr/bin/env bash
# Builds the npm package in pkg/: one web-target wasm build (loads in browsers, workers and
# Node 20+), glue from the wasm-bindgen CLI pinned to Cargo.lock, then wasm-opt from npm
# binaryen (never Debian's: its wasm-opt 108 produces a module that crashes). wasm-opt runs at
# -O3, not -Oz: the code is already optimised for size by rustc (opt-level "z"), so -Oz saves
# nothing measurable here (about 0.1 KB gzipped) while -O3 makes the parse benchmark a few
# percent faster.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --lib --target wasm32-unknown-unknown --release
out=pkg/gen
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
wasm-bindgen --target web --remove-name-section --out-dir "$out.tmp" --out-name tooldraft \
  target/wasm32-unknown-unknown/release/tooldraft.wasm
node_modules/.bin/wasm-opt -O3 --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$out.tmp/tooldraft_bg.wasm" -o "$out.tmp/tooldraft_bg.opt.wasm"
mv "$out.tmp/tooldraft_bg.opt.wasm" "$out.tmp/tooldraft_bg.wasm"
rm -rf "$out" && mv "$out.tmp" "$out"
printf 'built %s (%s bytes wasm)\n' "$out" "$(wc -c < "$out/tooldraft_bg.wasm")"
# The web app (www/ → www/dist), against the package just built.
node_modules/.bin/vite build www --logLevel warn
printf 'built www/dist\n'

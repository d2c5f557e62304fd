#!/usr/bin/env bash
# Builds the npm package in pkg/: two web-target wasm builds of the crate (each loads in
# browsers, workers and Node 20+), glue from the wasm-bindgen CLI pinned to Cargo.lock, then
# wasm-opt from npm binaryen (never Debian's: its wasm-opt 108 produces a module that crashes).
#   - pkg/gen/tooldraft_document*: the document module (feature `document`: parse, inspect,
#     convert, export, query sets, report rendering), what `parseDoc` and first paint load;
#   - pkg/gen/tooldraft*: the engine module (feature `engine`: refine, evaluate, check, MCP…; no
#     format: pkg/index.js parses and writes documents with the document module around it),
#     loaded on first use of an engine function.
# The document build has its own target dir: the two feature sets would otherwise overwrite
# each other's cdylib and relink on every build.
# wasm-opt runs the document module at -O3: the parse benchmark (2x swagger-parser) runs on it,
# and -O3 makes it a few percent faster. The engine module, whose time goes to model and tool
# calls, runs at -O2 without inlining functions into their only caller (-ocimfs 0): that
# inlining shrinks the raw module and grows the gzipped one (gzip had compressed the repeated
# bodies once), and so does reordering functions by use. 701,656 bytes gzipped where -Os gave
# 778,495 and -Os --converge 774,123 (bench/size/RESULTS.md).
FULL_WASM_OPT="-O2 --one-caller-inline-max-function-size 0"
set -euo pipefail
cd "$(dirname "$0")/.."
# The engine module builds serde_json at the profile's opt-level "z" (Cargo.toml's opt-level 3 for it
# is for the parse benchmark, which runs on the document module): -16.2 KB gzipped, and the
# refine benchmark's engine overhead did not move (bench/size/RESULTS.md).
cargo build --lib --target wasm32-unknown-unknown --release --no-default-features --features engine --config 'profile.release.package.serde_json.opt-level="z"'
cargo build --lib --target wasm32-unknown-unknown --release --no-default-features --features document --target-dir target/document
out=pkg/gen
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
# bindgen_opt <built wasm> <output name> <wasm-opt flags, split at spaces>
bindgen_opt() {
  wasm-bindgen --target web --remove-name-section --out-dir "$out.tmp" --out-name "$2" "$1"
  # shellcheck disable=SC2086 # $3 is a list of flags
  node_modules/.bin/wasm-opt $3 --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types --enable-multivalue \
    "$out.tmp/$2_bg.wasm" -o "$out.tmp/$2_bg.opt.wasm"
  mv "$out.tmp/$2_bg.opt.wasm" "$out.tmp/$2_bg.wasm"
}
bindgen_opt target/wasm32-unknown-unknown/release/tooldraft.wasm tooldraft "$FULL_WASM_OPT"
bindgen_opt target/document/wasm32-unknown-unknown/release/tooldraft.wasm tooldraft_document -O3
rm -rf "$out" && mv "$out.tmp" "$out"
printf 'built %s (%s bytes full wasm, %s bytes document wasm)\n' "$out" \
  "$(wc -c < "$out/tooldraft_bg.wasm")" "$(wc -c < "$out/tooldraft_document_bg.wasm")"
# The web app (www/ → www/dist), against the package just built.
node_modules/.bin/vite build www --logLevel warn
printf 'built www/dist\n'

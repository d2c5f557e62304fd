#!/usr/bin/env bash
# Prints the gzipped sizes of the package's two wasm modules and fails when one is over its
# budget.
#   - The document module (pkg/gen/tooldraft_document_bg.wasm: parse, inspect, convert, export,
#     query sets, report rendering; what `parseDoc` and the web app's first paint load) is held
#     to 400 KB, the budget set for the document layer when the package was founded (issue 2).
#   - The engine module (pkg/gen/tooldraft_bg.wasm: refine, evaluate, check…, loaded on first
#     use; until issue 13 the "full module", the document layer and the engine) is held to what
#     was reached, so that nothing creeps
#     in unnoticed: the engine, providers, tool callers and evaluation brought it to ~614 KB, the
#     security and never-worse work to ~705 KB, `tooldraft check` (+13 KB) and pluggable
#     embedders with calibration (+20 KB) to 740 KB; the engine-overhead cuts of issue 11 (a
#     per-document guard scope, one abort watch per request, trail memos for the facts and
#     the known words): +1.5 KB; schema repair of a nested `required` from evidence (issue 11's
#     M10): +3.5 KB, 763,839 bytes; examples only from values worth showing and the rewording rule
#     (never worse with a weak model): +1.5 KB, 765,351 bytes; what a revision adds must be backed
#     by the evidence (words of paths and links not counted), a weak parameter description is
#     kept out instead of costing the revision, an MCP outputSchema only from structured
#     content, a quarter of what a revision adds backed, no empty examples: +5.1 KB,
#     770,520 bytes; what a response shows (its shape, a failure) and a name's letter and
#     digit runs back a capable model's grounded rewrites: +0.8 KB, 771,293 bytes; a text that
#     loops, a dropped rule for the caller and a cut-off string refused, a schema's keywords
#     no evidence, examples with a real query and a value: +2.3 KB, 773,703 bytes; each sentence a
#     revision adds backed on its own (numbers, claims of credentials, deprecation and rate
#     limits, a field's kind of value), answer shapes and tool-ranking text refused, and
#     parameter descriptions copied, only naming it or saying another kind kept out, a first
#     text with no content word refused: +8.8 KB, 782,865 bytes; what the schema settles (a
#     parameter's default, bounds and values, the response's top-level kind) checked against a
#     rewrite: +6.7 KB, 789,694 bytes; a summary's count of operations and a parameter's
#     description moved to another: +1.3 KB; the full module at wasm-opt -Os instead of -O3:
#     -2.5 KB, 788,470 bytes; serde_json at opt-level "z" in the full module (the parse
#     benchmark runs on the document module): -16.2 KB, 772,257 bytes; a summary naming an operation
#     the tool lacks, a sentence naming a product nothing backs ("PostgreSQL"): +3.0 KB,
#     775,214 bytes; instruction-like tool output backing nothing, injections in other
#     languages: +1.4 KB; wasm-opt -Os --converge: -3.2 KB, 774,187 bytes; wasm-opt -O1 and three
#     shrinking passes instead of -Os (the passes of -O2 and above that shrink the raw module
#     grow the gzipped one): -67 KB, 706,861 bytes; a response's map keyed by request headers
#     or ids (+1 KB) and wasm-opt -O2 without one-caller inlining (-5 KB): 702,677 bytes; the
#     formats out of it (the document module reads and writes them for it): -158 KB, 541,002
#     bytes; the run state, its errors and a tool's auth read through flat structs instead of
#     serde's content buffer, and only what a run explored read from its report: -45 KB,
#     494,983 bytes; values leaving for JS written by serde_json and read by `JSON.parse` (no
#     serde-wasm-bindgen serializer per type): -6.7 KB, 488,613 bytes; an imperative that skips the
#     user's consent, a query of the prompt's words, a claim of an empty answer: +1.4 KB,
#     489,990 bytes; fields listed that no response had, a field's format: +1.7 KB, 491,761 bytes; one compiled
#     sort, numbers in text read by serde_json, lower-casing from runs: -29.2 KB, 461,828 bytes; an order nothing
#     showed refused: +0.8 KB, 462,634 bytes; a limit only a record's value shows refused: +0.9 KB,
#     463,495 bytes.
#     Lower it with each cut.
# Where the bytes go: bench/size/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
engine_budget_kb=${TOOLDRAFT_WASM_BUDGET_KB:-454}
document_budget_kb=${TOOLDRAFT_DOCUMENT_WASM_BUDGET_KB:-400}
status=0
# check <label> <wasm> <budget KB>
check() {
  local raw gz
  raw=$(wc -c < "$2")
  gz=$(gzip -9 -c "$2" | wc -c)
  printf 'wasm %s: %d KB raw, %d KB gzip (budget %d KB gzip)\n' "$1" $((raw / 1024)) $((gz / 1024)) "$3"
  if [ "$gz" -gt $(($3 * 1024)) ]; then
    echo "size: the $1 module is over budget" >&2
    status=1
  fi
}
check document pkg/gen/tooldraft_document_bg.wasm "$document_budget_kb"
check engine pkg/gen/tooldraft_bg.wasm "$engine_budget_kb"
exit "$status"

#!/usr/bin/env bash
# Benchmarks (not timed tests): each prints ratios measured side by side in one run. With
# --record, each report is also written to its bench/<name>/RESULTS.md (commit those files).
# Needs `make build` first (make bench does it).
#   parse:      import + $ref resolution + export of GitHub's OpenAPI description in wasm under
#               Node vs @apidevtools/swagger-parser dereferencing it (bench/parse/).
#   similarity: BLEU + cosine over 10,000 pairs, Rust vs NLTK + numpy (bench/similarity/).
#   refine:     the DRAFT paper's ToolBench operations refined at concurrency 1 and 16 against a
#               scripted model answering after 100 ms; engine CPU share; calls per operation
#               (bench/refine/).
#   eval:       RestBench TMDB items evaluated at concurrency 1 and 16 (bench/eval/).
#   quality:    defects planted in the real docs of the testbed's tools, refined on the scripted
#               and the embedded model, scored against the real docs (bench/quality/). Quick
#               mode (a subset, one episode) unless --full: the embedded model is slow.
#   gate:       the gate's regression rules over the DRAFT paper's 1,006 ToolBench rewrites:
#               false rejections and µs per revision (bench/gate/).
# Usage: scripts/bench.sh [--record] [--only parse|similarity|refine|eval|gate|quality] [--reps N] [--rounds R] [--full]
set -euo pipefail
cd "$(dirname "$0")/.."
record=false
reps=5
rounds=3
only=all
quality_mode=--quick
while [ $# -gt 0 ]; do
  case $1 in
    --record) record=true ;;
    --reps) reps=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    --only) only=$2; shift ;;
    --full) quality_mode=--full ;;
    *) echo "usage: scripts/bench.sh [--record] [--only parse|similarity|refine|eval|gate|quality] [--reps N] [--rounds R] [--full]" >&2; exit 2 ;;
  esac
  shift
done
[ -f pkg/gen/tooldraft_bg.wasm ] || { echo "bench: pkg/gen is missing; run make build first" >&2; exit 1; }

# bench NAME TITLE COMMAND...: runs it, prints the report, records it with --record.
bench() {
  local name=$1 title=$2
  shift 2
  [ "$only" = all ] || [ "$only" = "$name" ] || return 0
  local report
  report=$("$@")
  echo "$report"
  echo
  if $record; then
    { echo "# Results: $title"; echo; echo "Recorded $(date -u +%Y-%m-%d) by \`scripts/bench.sh --record\`."; echo; echo "$report"; } >"bench/$name/RESULTS.md"
    echo "wrote bench/$name/RESULTS.md"
  fi
}

bench parse "parse benchmark" node bench/parse/run.mjs --reps "$reps" --rounds "$rounds"
# The similarity benchmark writes its own RESULTS.md (it keeps a note on the variance).
if [ "$only" = all ] || [ "$only" = similarity ]; then
  if $record; then bench/similarity/run.sh 10000 --write; else bench/similarity/run.sh 10000; fi
  echo
fi
bench refine "refinement benchmark" node bench/refine/run.mjs --ops 32 --all
bench eval "evaluation benchmark" node bench/eval/run.mjs
bench gate "gate regression rules" bench/gate/run.sh
# The quality benchmark writes its own RESULTS.md (with its header) when recording.
if [ "$only" = all ] || [ "$only" = quality ]; then
  qargs=()
  [ "$quality_mode" = --quick ] && qargs+=(--quick)
  $record && qargs+=(--record)
  node bench/quality/run.mjs "${qargs[@]}"
  echo
fi

#!/usr/bin/env bash
# Benchmarks (not timed tests). Prints each report; with --record, also writes it to the
# benchmark's RESULTS.md (commit that file). Needs `make build` first.
#   parse: import + $ref resolution + export of GitHub's OpenAPI description in wasm under
#          Node vs @apidevtools/swagger-parser dereferencing it (bench/parse/).
set -euo pipefail
cd "$(dirname "$0")/.."
record=false
reps=5
rounds=3
while [ $# -gt 0 ]; do
  case $1 in
    --record) record=true ;;
    --reps) reps=$2; shift ;;
    --rounds) rounds=$2; shift ;;
    *) echo "usage: scripts/bench.sh [--record] [--reps N] [--rounds R]" >&2; exit 2 ;;
  esac
  shift
done
[ -f pkg/gen/tooldraft_bg.wasm ] || { echo "bench: pkg/gen is missing; run make build first" >&2; exit 1; }
report=$(node bench/parse/run.mjs --reps "$reps" --rounds "$rounds")
echo "$report"
if $record; then
  { echo "# Results: parse benchmark"; echo; echo "Recorded $(date -u +%Y-%m-%d) by \`scripts/bench.sh --record\`."; echo; echo "$report"; } >bench/parse/RESULTS.md
  echo "wrote bench/parse/RESULTS.md"
fi

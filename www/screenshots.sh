#!/usr/bin/env bash
# Refreshes the screenshots of the app's main views in docs/screenshots/ (Set up, Run while it
# resumes, Run finished, Results, Review) from the Playwright tests that walk through them
# (www/tests/runloop.spec.ts, on Debian's Chromium). Run after a change to the views:
#   www/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f pkg/gen/tooldraft_bg.wasm ] || ./scripts/build.sh
node_modules/.bin/vite build www --logLevel warn
TOOLDRAFT_DOC_SHOTS=1 node_modules/.bin/playwright test -c www/playwright.config.ts runloop.spec.ts
ls -1 docs/screenshots/

#!/usr/bin/env bash
# End-to-end tests of the web app: builds the app (www/ → www/dist) against the package in
# pkg/ (built by ./scripts/build.sh when missing), runs Playwright on Debian's Chromium, and
# ends with one line "N passed, M failed" and a matching exit code.
#
#   scripts/test-e2e.sh [playwright args…]      e.g. --grep-invert @pkg, or a spec file
#   TOOLDRAFT_PKG=www/tests/fake-pkg/index.js scripts/test-e2e.sh   UI tests on the scripted fake
set -uo pipefail
cd "$(dirname "$0")/.."
if [ -z "${TOOLDRAFT_PKG:-}" ] && [ ! -f pkg/gen/tooldraft_bg.wasm ]; then
  ./scripts/build.sh || { echo "0 passed, 1 failed"; exit 1; }
fi
if [ -n "${TOOLDRAFT_PKG:-}" ]; then export TOOLDRAFT_PKG="$(realpath "$TOOLDRAFT_PKG")"; fi
node_modules/.bin/tsc -p www/tsconfig.json || { echo "tsc failed"; echo "0 passed, 1 failed"; exit 1; }
node_modules/.bin/vite build www --logLevel warn || { echo "0 passed, 1 failed"; exit 1; }
log=$(mktemp)
node_modules/.bin/playwright test -c www/playwright.config.ts "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
count() { grep -Eo "^ +[0-9]+ $1" "$log" | tail -1 | tr -dc 0-9; }
passed=$(count passed); failed=$(count failed); flaky=$(count flaky); skipped=$(count skipped)
passed=${passed:-0}; failed=$((${failed:-0} + ${flaky:-0}))
rm -f "$log"
if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
echo "${passed} passed, ${failed} failed${skipped:+, ${skipped} skipped}"
exit "$rc"

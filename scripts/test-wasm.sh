#!/usr/bin/env bash
# Runs the wasm tests (tests/wasm_*.rs) four times: in Node, in headless Chromium, in a
# Chromium dedicated worker and in headless Firefox (firefox-esr through geckodriver). The test files carry no `wasm_bindgen_test_configure!`, so
# wasm-bindgen-test-runner (the cargo runner in .cargo/config.toml) picks the environment
# from WASM_BINDGEN_USE_BROWSER / WASM_BINDGEN_USE_DEDICATED_WORKER (none set: Node).
# Chromium's flags come from webdriver.json. The runner takes the first driver it finds on
# PATH, so each browser run names its driver (CHROMEDRIVER / GECKODRIVER). Other tests in
# tests/ are native-only.
set -uo pipefail
cd "$(dirname "$0")/.."
tests=()
binaries=0
for f in tests/wasm_*.rs; do tests+=(--test "$(basename "$f" .rs)"); binaries=$((binaries + 1)); done
only=${1:-all}
failed=()
run() {
  local label=$1
  shift
  [ "$only" = all ] || [ "$only" = "$label" ] || return 0
  printf '\n== wasm tests in %s\n' "$label"
  local log
  log=$(mktemp)
  if ! env "$@" cargo test --no-fail-fast --target wasm32-unknown-unknown "${tests[@]}" 2>&1 | tee "$log"; then
    failed+=("$label")
  else
    # In Node, a test whose future can never finish lets the event loop empty: the runner
    # then exits 0 without a summary. Every test binary must end with its "test result: ok".
    local started finished
    started=$(grep -c '^ *Running tests/wasm_' "$log" || true)
    finished=$(grep -c '^test result: ok\.' "$log" || true)
    if [ "$started" -ne "$binaries" ] || [ "$finished" -ne "$started" ] || grep -q ' \.\.\. FAIL' "$log"; then
      echo "wasm tests in $label: $finished of $binaries test binaries finished cleanly (a test hung or failed)" >&2
      failed+=("$label")
    fi
  fi
  rm -f "$log"
}
# tests/wasm_redirects.rs needs two servers on 127.0.0.1 (a target that redirects to another
# origin, which records what it receives); browsers cannot start them, so they run here for all
# three environments and their URLs are compiled in (TOOLDRAFT_REDIRECT_PAIR).
pair_out=$(mktemp)
pair_in=$(mktemp -u)
mkfifo "$pair_in"
node tests/servers/redirect-pair.mjs <"$pair_in" >"$pair_out" &
pair_pid=$!
exec 9>"$pair_in" # closing it (on exit) stops the servers
stop_pair() { exec 9>&-; wait "$pair_pid" 2>/dev/null; rm -f "$pair_in" "$pair_out"; }
trap stop_pair EXIT
for _ in $(seq 1 100); do [ -s "$pair_out" ] && break; sleep 0.1; done
TOOLDRAFT_REDIRECT_PAIR=$(head -n1 "$pair_out")
if [ -z "$TOOLDRAFT_REDIRECT_PAIR" ]; then
  echo "wasm tests: tests/servers/redirect-pair.mjs did not start" >&2
  exit 1
fi
export TOOLDRAFT_REDIRECT_PAIR
# TOOLDRAFT_WASM_ENV is compiled into the tests, which check they really run there.
run node TOOLDRAFT_WASM_ENV=node
chromedriver=$(command -v chromedriver || true)
geckodriver=$(command -v geckodriver || echo "$HOME/.cargo/bin/geckodriver")
run chromium TOOLDRAFT_WASM_ENV=chromium WASM_BINDGEN_USE_BROWSER=1 CHROMEDRIVER="$chromedriver"
run worker TOOLDRAFT_WASM_ENV=worker WASM_BINDGEN_USE_DEDICATED_WORKER=1 CHROMEDRIVER="$chromedriver"
if [ -x "$geckodriver" ] || [ "$only" = firefox ]; then
  run firefox TOOLDRAFT_WASM_ENV=firefox WASM_BINDGEN_USE_BROWSER=1 GECKODRIVER="$geckodriver"
else
  echo "wasm tests in firefox: geckodriver is not installed (scripts/setup.sh installs it)" >&2
  failed+=("firefox")
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "wasm tests failed in: ${failed[*]}" >&2
  exit 1
fi
echo "wasm tests passed (${only/all/node, chromium, a dedicated worker and firefox})"

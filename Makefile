# The verbs. `make test` and `make demo` install what they need first (scripts/setup.sh is
# idempotent); `make ready` is exactly what CI runs.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NODE_TEST := node --test --test-concurrency=1

.PHONY: help setup build test test-native test-wasm test-node test-adversarial test-pack test-e2e demo bench fuzz size fmt lint ready

help:
	@echo "make demo   - the main job: refine a real local tool's docs on the embedded local model, then open the web app"
	@echo "make test   - every test (installs what it needs first)"
	@echo "make build  - build the npm package in pkg/ and the web app in www/dist"
	@echo "make bench  - benchmarks, printing ratios measured side by side"
	@echo "make fuzz   - property tests of every parser of untrusted bytes, FUZZ_SECONDS (default 60) per target"
	@echo "make size   - gzipped sizes of the package's two wasm modules against their budgets"
	@echo "make fmt    - format Rust (cargo fmt) and JS/TS (biome)"
	@echo "make lint   - rustfmt, clippy and biome checks, no writes"
	@echo "make ready  - what CI runs: lint, then test"

setup:
	@./scripts/setup.sh

build: setup
	@./scripts/build.sh

test: build
	@./scripts/test.sh

test-native: setup
	cargo test
	cargo test --no-default-features --features document --lib

test-wasm: build
	@./scripts/test-wasm.sh

# Only *.test.mjs: Node 20 would also run every other .mjs/.cjs under a test/ directory.
test-node: build
	$(NODE_TEST) pkg/test/*.test.mjs

# Hostile tool and model servers on 127.0.0.1 against the built CLI (docs/SECURITY.md).
test-adversarial: build
	$(NODE_TEST) tests/adversarial/*.test.mjs

test-pack: build
	@./scripts/test-pack.sh

test-e2e: build
	@./scripts/test-e2e.sh

demo: build
	@./scripts/demo.sh

bench: build
	@./scripts/bench.sh

# Not part of `make test` (which runs the same targets briefly, from a fixed seed).
fuzz: setup
	@./scripts/fuzz.sh

size: build
	@./scripts/size.sh

# Biome (format + lint of the JS/TS half, biome.json): `check --write` formats and applies the safe fixes.
fmt:
	cargo fmt
	node_modules/.bin/biome check --write .

lint: setup
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
	# The two wasm modules' builds: the document feature alone (natively with its unit tests, and for
	# wasm) and the engine feature alone (for wasm: natively it is the default build).
	cargo clippy --lib --no-default-features --features document --profile test -- -D warnings
	cargo clippy --lib --no-default-features --features document --target wasm32-unknown-unknown -- -D warnings
	cargo clippy --lib --no-default-features --features engine --target wasm32-unknown-unknown -- -D warnings
	# The wasm-only test targets too (they build only for wasm32; the native lint cannot see them).
	cargo clippy --target wasm32-unknown-unknown $$(for f in tests/wasm_*.rs; do printf -- '--test %s ' "$$(basename $$f .rs)"; done) -- -D warnings
	# The JS/TS half (pkg, www, bench, tests, editors/vscode, scripts): format and lint, no writes.
	node_modules/.bin/biome ci --error-on-warnings .

ready: lint test

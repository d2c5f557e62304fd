#!/usr/bin/env bash
# Packaging smoke test: `npm pack` the package, install the tarball into a fresh temp project
# (offline: it is a local file with no dependencies), then use it the ways people will:
#   1. from Node ESM (the self-initialising "node" export);
#   2. from CommonJS through the bytes-based init (require + initSync({document, engine}));
#   3. from an extension-style CommonJS bundle (rolldown), where import.meta.url is empty;
#   4. `npx tooldraft` on a fixture;
#   5. its types through package.json "exports" (tsc --strict);
#   6. a tiny Vite app, built (with both wasm modules), then loaded in headless Chromium: the
#      document functions fetch only the document module, the engine's the engine module.
# Needs `make build` first (pkg/gen). Uses vite, rolldown and tsc from the repo's node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
[ -f pkg/gen/tooldraft_bg.wasm ] || { echo "test-pack: pkg/gen is missing; run make build first" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/tooldraft-pack.XXXXXX")
server_pid=
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT
step() { printf '\n== pack: %s\n' "$*"; }
fixture=$repo/pkg/test/fixtures/mcp-tools.json
pack=$repo/pkg/test/pack

step "npm pack"
(cd pkg && npm pack --silent --pack-destination "$tmp" >/dev/null)
tgz=$(ls "$tmp"/tooldraft-*.tgz)
listing=$(tar -tzf "$tgz")
for f in package/package.json package/index.js package/index.d.ts package/types/generated.d.ts package/types/json.d.ts \
  package/node.js package/bin/tooldraft.mjs package/lib/cli.mjs package/gen/tooldraft.js package/gen/tooldraft_bg.wasm \
  package/gen/tooldraft_document.js package/gen/tooldraft_document_bg.wasm; do
  grep -qx "$f" <<<"$listing" || { echo "test-pack: $f is missing from the tarball" >&2; exit 1; }
done
if grep -q '^package/test/' <<<"$listing"; then echo "test-pack: tests are in the tarball" >&2; exit 1; fi
echo "$(wc -l <<<"$listing") files, $(($(wc -c <"$tgz") / 1024)) KB"

step "install the tarball into a temp project"
app=$tmp/app
mkdir -p "$app"
printf '{"name": "tooldraft-smoke", "private": true, "version": "0.0.0"}\n' >"$app/package.json"
(cd "$app" && npm install --no-audit --no-fund --silent "$tgz")
cp "$pack"/{esm.mjs,cjs.cjs,bundle-entry.mjs,index.html,main.js,consumer.ts} "$app/"

step "import from Node ESM"
(cd "$app" && node esm.mjs)

step "CommonJS with the bytes-based init"
(cd "$app" && node cjs.cjs)

step "an extension-style CommonJS bundle (rolldown)"
node "$pack/bundle.mjs" "$app/bundle-entry.mjs" "$app/ext/extension.cjs"
cp "$app"/node_modules/tooldraft/gen/{tooldraft_document_bg,tooldraft_bg}.wasm "$app/ext/"
out=$(cd "$app" && node -e "console.log(require('./ext/extension.cjs').activate(require('path').resolve('ext')))")
[[ "$out" =~ ^[0-9]+\.[0-9]+\.[0-9]+\ SyntaxError\ 0$ ]] || { echo "test-pack: the bundle said '$out'" >&2; exit 1; }
echo "bundle ok: $out"

step "npx tooldraft"
(cd "$app" && npx --no-install tooldraft --version)
set +e
(cd "$app" && npx --no-install tooldraft inspect --bogus "$fixture" 2>/dev/null)
code=$?
set -e
[ "$code" -eq 2 ] || { echo "test-pack: an unknown option exited $code, not 2" >&2; exit 1; }
step "types through package.json exports (tsc --strict)"
"$repo/node_modules/.bin/tsc" --strict --noEmit --module nodenext --moduleResolution nodenext --target es2022 \
  --lib es2022,dom "$app/consumer.ts"
echo "types ok"

step "a Vite app, built and loaded in headless Chromium"
(cd "$app" && node "$repo/node_modules/vite/bin/vite.js" build --logLevel warn --outDir dist)
# Both modules ship: the document module for init(), the engine module on demand.
for m in tooldraft_document_bg tooldraft_bg; do
  ls "$app"/dist/assets/"$m"-*.wasm >/dev/null || { echo "test-pack: vite emitted no $m .wasm asset" >&2; exit 1; }
done
port_file=$tmp/port
node -e "
  const http = require('http'), fs = require('fs'), path = require('path');
  const root = path.resolve(process.argv[1]);
  const types = {'.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm'};
  const server = http.createServer((req, res) => {
    const file = path.join(root, decodeURIComponent(new URL(req.url, 'http://x').pathname));
    if (!file.startsWith(root)) { res.writeHead(403); return res.end(); }
    fs.readFile(fs.existsSync(file) && fs.statSync(file).isFile() ? file : path.join(root, 'index.html'), (err, data) => {
      if (err) { res.writeHead(404); return res.end(); }
      res.writeHead(200, {'content-type': types[path.extname(file)] || 'text/html'});
      res.end(data);
    });
  });
  server.listen(0, '127.0.0.1', () => fs.writeFileSync(process.argv[2], String(server.address().port)));
" "$app/dist" "$port_file" &
server_pid=$!
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
dom=$(timeout 60 chromium --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
  --disable-background-networking --virtual-time-budget=10000 --dump-dom "http://127.0.0.1:$(cat "$port_file")/" 2>/dev/null)
grep -Eq 'vite ok: tooldraft [0-9.]+ SyntaxError equal,delete,insert; fetched tooldraft_document_bg, then tooldraft_bg \(' <<<"$dom" || {
  echo "test-pack: the Vite app did not initialise; its page was:" >&2
  grep -o '<pre id="out">[^<]*' <<<"$dom" >&2 || true
  exit 1
}
grep -o 'vite ok: [^<]*' <<<"$dom"

step "npx tooldraft inspect on a fixture"
# Needs the format importers and crate::doc::inspect (last: it fails in a tree without them).
(cd "$app" && npx --no-install tooldraft inspect "$fixture" --json) >"$tmp/inspect.json"
node -e "const r = JSON.parse(require('fs').readFileSync('$tmp/inspect.json', 'utf8'));
  for (const k of ['tools', 'operations', 'parameters']) if (typeof r[k] !== 'number') throw new Error(k + ' is not a number');
  if (!Array.isArray(r.smells)) throw new Error('smells is not a list');
  console.log('npx ok: ' + r.format + ', ' + r.operations + ' operations, ' + r.smells.length + ' smells');"

echo
echo "packaging smoke test passed"

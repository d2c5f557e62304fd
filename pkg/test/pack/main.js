// Packaging smoke: a Vite app that imports the package and initialises it with `await init()`.
// The document functions fetch only the document module; the engine's (compareDocs, after
// loadEngine) fetch the engine module.
import init, { compareDocs, diffText, loadEngine, parseDoc, version } from 'tooldraft';

const out = document.getElementById('out');
/** The wasm files fetched so far, by their name before Vite's hash (which may hold `-`). */
const fetchedWasm = () =>
  performance
    .getEntriesByType('resource')
    .map((r) => new URL(r.name).pathname.split('/').pop())
    .filter((f) => f.endsWith('.wasm'))
    .map((f) => f.slice(0, f.indexOf('_bg-') + 3));
try {
  await init();
  let name = 'none';
  try {
    parseDoc('{"a": }');
  } catch (e) {
    name = e.name;
  }
  const ops = diffText('a b', 'a c')
    .map((c) => c.op)
    .join(',');
  const before = fetchedWasm().join('+');
  await loadEngine();
  const changes = compareDocs('{"tools": []}', '{"tools": []}');
  const after = fetchedWasm().slice(before.split('+').length).join('+');
  out.textContent = `vite ok: tooldraft ${version()} ${name} ${ops}; fetched ${before}, then ${after} (${changes.operations} operations)`;
} catch (e) {
  out.textContent = `vite failed: ${e}`;
}

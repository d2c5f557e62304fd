// Packaging smoke: a CommonJS consumer that loads the wasm bytes itself and uses initSync
// (the web entry, no import.meta.url needed). Needs require(esm) (Node >= 20.19).
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');

const read = (file) => readFileSync(require.resolve(`tooldraft/${file}`));
const tooldraft = require('tooldraft/web');
assert.throws(() => tooldraft.version(), { name: 'NotInitialized' });
// The engine module where the document module belongs: a clear error, and nothing initialised.
assert.throws(() => tooldraft.initSync(read('tooldraft_bg.wasm')), {
  name: 'InvalidArgument',
  message: /not tooldraft_document_bg\.wasm/,
});
assert.equal(tooldraft.isInitialized(), false);
let engineReads = 0;
tooldraft.initSync({
  document: read('tooldraft_document_bg.wasm'),
  engine: () => {
    engineReads += 1;
    return read('tooldraft_bg.wasm');
  },
});
assert.match(tooldraft.version(), /^\d+\.\d+\.\d+$/);
assert.throws(() => tooldraft.parseDoc(''), { name: 'EmptyDocument' });
assert.equal(engineReads, 0, 'the document functions do not load the engine');
// The engine reads no text itself: the texts are parsed by the document module first.
assert.equal(tooldraft.compareDocs('{"tools": []}', '{"tools": []}').descriptionsChanged, 0);
assert.equal(engineReads, 1);
console.log(`cjs ok: tooldraft ${tooldraft.version()}`);

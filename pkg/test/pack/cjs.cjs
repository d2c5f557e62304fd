// Packaging smoke: a CommonJS consumer that loads the wasm bytes itself and uses initSync
// (the web entry, no import.meta.url needed). Needs require(esm) (Node >= 20.19).
const assert = require('node:assert/strict');
const { readFileSync } = require('node:fs');

const bytes = readFileSync(require.resolve('tooldraft/tooldraft_bg.wasm'));
const tooldraft = require('tooldraft/web');
assert.throws(() => tooldraft.version(), { name: 'NotInitialized' });
tooldraft.initSync(bytes);
assert.match(tooldraft.version(), /^\d+\.\d+\.\d+$/);
assert.throws(() => tooldraft.parseDoc(''), { name: 'EmptyDocument' });
console.log(`cjs ok: tooldraft ${tooldraft.version()}`);

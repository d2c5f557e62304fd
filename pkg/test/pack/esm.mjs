// Packaging smoke: the installed package from Node ESM (the "node" export, self-initialising).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { compareDocs, convert, diffText, isEngineLoaded, parseDoc, version } from 'tooldraft';

const fixture = process.argv[2];
assert.match(version(), /^\d+\.\d+\.\d+$/);
assert.throws(() => parseDoc('{"a": }'), { name: 'SyntaxError', line: 1 });
assert.equal(diffText('a b', 'a c').length, 3);
if (fixture) {
  const out = convert(readFileSync(fixture, 'utf8'), 'openai');
  assert.equal(out.format, 'openai');
}
// The document functions above ran on the document module; the engine loads when needed.
assert.equal(isEngineLoaded(), false);
assert.equal(compareDocs('{"tools": []}', '{"tools": []}').descriptionsChanged, 0);
assert.equal(isEngineLoaded(), true);
console.log(`esm ok: tooldraft ${version()}`);

// Packaging smoke: the installed package from Node ESM (the "node" export, self-initialising).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { convert, diffText, parseDoc, version } from 'tooldraft';

const fixture = process.argv[2];
assert.match(version(), /^\d+\.\d+\.\d+$/);
assert.throws(() => parseDoc('{"a": }'), { name: 'SyntaxError', line: 1 });
assert.equal(diffText('a b', 'a c').length, 3);
if (fixture) {
  const out = convert(readFileSync(fixture, 'utf8'), 'openai');
  assert.equal(out.format, 'openai');
}
console.log(`esm ok: tooldraft ${version()}`);

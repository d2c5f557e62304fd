// The web entry (index.js) in Node: nothing works before initialisation, and the bytes-based
// init (what CommonJS and extension bundles use) and the async init both work, once.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG } from './helpers.mjs';
import init, { initSync, isInitialized, parseDoc, Refiner, version } from '../index.js';

test('calls before init throw NotInitialized, saying what to do', () => {
  assert.equal(isInitialized(), false);
  assert.throws(() => version(), { name: 'NotInitialized', message: /await init\(\)/ });
  assert.throws(() => parseDoc('{}'), { name: 'NotInitialized' });
  assert.throws(() => new Refiner({ llm: { provider: 'host', call: async () => '' } }), { name: 'NotInitialized' });
});

test('initSync needs bytes', () => {
  assert.throws(() => initSync(), { name: 'InvalidArgument', message: /bytes of tooldraft_document_bg\.wasm/ });
  assert.throws(() => initSync({ engine: new Uint8Array() }), {
    name: 'InvalidArgument',
    message: /\{document, engine\}/,
  });
});

test('the two modules swapped: a clear error, and nothing initialised', async () => {
  const engine = await readFile(join(PKG, 'gen', 'tooldraft_bg.wasm'));
  assert.throws(() => initSync(engine), { name: 'InvalidArgument', message: /not tooldraft_document_bg\.wasm/ });
  await assert.rejects(init(engine), { name: 'InvalidArgument', message: /not tooldraft_document_bg\.wasm/ });
  assert.equal(isInitialized(), false);
});

test('initSync(bytes) with the document module initialises; init() afterwards is a no-op', async () => {
  const bytes = await readFile(join(PKG, 'gen', 'tooldraft_document_bg.wasm'));
  initSync(bytes);
  assert.equal(isInitialized(), true);
  assert.match(version(), /^\d+\.\d+\.\d+/);
  await init(); // already initialised: resolves, does not fetch
  initSync(bytes); // and again: no error
  assert.throws(() => parseDoc('{'), { name: 'SyntaxError' });
});

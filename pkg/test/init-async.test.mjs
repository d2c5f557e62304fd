// The web entry's async init from bytes, a compiled module or a Response, as browsers and
// bundlers use it (each test file runs in its own process, so the module starts fresh).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG } from './helpers.mjs';
import init, { diffText, isInitialized } from '../index.js';

test('await init(response) loads the wasm, as a browser does from a fetch', async () => {
  const bytes = await readFile(join(PKG, 'gen', 'tooldraft_document_bg.wasm'));
  const response = new Response(bytes, { headers: { 'content-type': 'application/wasm' } });
  await Promise.all([init(response), init(response.clone())]); // concurrent calls share one load
  assert.equal(isInitialized(), true);
  assert.deepEqual(diffText('a', 'b'), [
    { op: 'delete', text: 'a' },
    { op: 'insert', text: 'b' },
  ]);
});

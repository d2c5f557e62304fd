// The two wasm modules loaded as browsers load them: `await init({document, engine})` (with no
// argument, the files beside index.js by URL). The engine arrives only when an engine function
// needs it; a Refiner made before then checks its config when `run` has loaded the engine.
// (Each test file runs in its own process, so the modules start unloaded.)
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG } from './helpers.mjs';
import init, { compareDocs, inspect, isEngineLoaded, loadEngine, Refiner } from '../index.js';

const wasmResponse = (file) =>
  new Response(readFileSync(join(PKG, 'gen', file)), { headers: { 'content-type': 'application/wasm' } });
const host = { provider: 'host', call: async () => ({ content: '{}' }) };
const doc = {
  format: 'mcp',
  syntax: 'json',
  tools: [
    {
      name: 't',
      description: '',
      pointer: '',
      operations: [
        { id: 'a', name: 'a', description: 'Does a.', parameters: [], safety: { readOnly: true }, pointer: '' },
      ],
    },
  ],
  source: {},
};

let arrive;
const engineArrives = new Promise((resolve) => {
  arrive = () => resolve(wasmResponse('tooldraft_bg.wasm'));
});

test('init loads the document module only; synchronous engine functions say to load the engine', async () => {
  await init({ document: wasmResponse('tooldraft_document_bg.wasm'), engine: engineArrives });
  assert.equal(inspect('{"tools": []}').format, 'mcp');
  assert.equal(isEngineLoaded(), false);
  assert.throws(() => compareDocs('{"tools": []}', '{"tools": []}'), {
    name: 'NotInitialized',
    message: /await loadEngine\(\)/,
  });
});

test('a Refiner made before the engine loads: run loads it, checks the config, and can be cancelled meanwhile', async () => {
  const wrong = new Refiner({}); // no engine yet: nothing to check the config with
  const cancelled = new Refiner({ llm: host, tools: { callTool: async () => ({ json: {} }) } });
  const pending = [wrong.run(doc), cancelled.run(doc)];
  assert.equal(cancelled.running, true);
  cancelled.cancel();
  assert.equal(isEngineLoaded(), false);
  arrive();
  const [wrongOut, cancelledOut] = await Promise.allSettled(pending);
  assert.equal(wrongOut.status, 'rejected');
  assert.equal(wrongOut.reason.name, 'InvalidConfig');
  assert.equal(wrongOut.reason.message, 'llm is required');
  assert.equal(cancelledOut.status, 'rejected');
  assert.equal(cancelledOut.reason.name, 'Aborted');
  assert.equal(cancelled.running, false);
  assert.equal(isEngineLoaded(), true);
});

test('once loaded, the engine serves everything, and a new Refiner checks its config at once', async () => {
  await loadEngine(); // a no-op now
  assert.throws(() => new Refiner({}), { name: 'InvalidConfig' });
  const refiner = new Refiner({
    llm: host,
    tools: { callTool: async () => ({ json: { ok: true } }) },
    limits: { maxEpisodes: 1 },
  });
  const out = await refiner.run(doc);
  assert.equal(out.report.operations.length, 1);
  assert.equal(compareDocs('{"tools": []}', '{"tools": []}').descriptionsChanged, 0);
});

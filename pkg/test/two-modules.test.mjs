// The two wasm modules (README "Two wasm modules"): the document functions run on the small
// document module and never load the full one; the engine's functions load it on first use,
// once. This file uses the web entry with `initSync({document, engine})` and a counting loader,
// as node.js does with the files on disk (each test file runs in its own process).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES, PKG } from './helpers.mjs';
import {
  compareDocs,
  convert,
  diffText,
  errorCategory,
  errorCodes,
  evaluationChart,
  exportDoc,
  initSync,
  inspect,
  isEngineLoaded,
  isInitialized,
  parseDoc,
  parseJson,
  parseQueries,
  Refiner,
  version,
} from '../index.js';

const documentBytes = readFileSync(join(PKG, 'gen', 'tooldraft_document_bg.wasm'));
const fullBytes = readFileSync(join(PKG, 'gen', 'tooldraft_bg.wasm'));
let engineReads = 0;

test('the document module is the smaller one and has no engine exports', async () => {
  assert.ok(documentBytes.length < fullBytes.length / 2, `${documentBytes.length} against ${fullBytes.length}`);
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(documentBytes)).map((e) => e.name);
  assert.ok(exports.includes('parseDoc'));
  for (const engineOnly of ['refiner_new', 'evaluate', 'listMcpTools', 'check', 'calibrate', 'compareDocs']) {
    assert.ok(!exports.includes(engineOnly), `${engineOnly} is in the document module`);
  }
});

test('document functions never load the engine', () => {
  initSync({
    document: documentBytes,
    engine: () => {
      engineReads += 1;
      return fullBytes;
    },
  });
  assert.equal(isInitialized(), true);
  const text = readFileSync(join(FIXTURES, 'mcp-tools.json'), 'utf8');
  assert.match(version(), /^\d+\.\d+\.\d+/);
  const doc = parseDoc(text);
  assert.equal(doc.format, 'mcp');
  assert.equal(inspect(text).format, 'mcp');
  assert.equal(convert(text, 'openai').format, 'openai');
  assert.equal(exportDoc(doc, 'anthropic').format, 'anthropic');
  assert.equal(diffText('a', 'b').length, 2);
  assert.equal(parseQueries('{"query": "q", "gold": ["search_notes"]}').items.length, 1);
  assert.equal(parseJson('{"n": 9007199254740993}').n, 9007199254740993n);
  assert.ok(errorCodes().some((c) => c.code === 'SyntaxError'));
  assert.equal(errorCategory('SyntaxError'), 'input');
  assert.throws(() => evaluationChart({}), { name: 'InvalidArgument', message: /querySet/ });
  assert.throws(() => parseDoc('{'), { name: 'SyntaxError', category: 'input', line: 1 });
  assert.equal(engineReads, 0);
  assert.equal(isEngineLoaded(), false);
});

test('the engine is loaded on first use, once, and then serves every engine function', async () => {
  const text = readFileSync(join(FIXTURES, 'mcp-tools.json'), 'utf8');
  assert.equal(compareDocs(text, text).descriptionsChanged, 0);
  assert.equal(engineReads, 1);
  assert.equal(isEngineLoaded(), true);
  assert.throws(() => new Refiner({}), { name: 'InvalidConfig', message: 'llm is required' });
  const tools = { callTool: async () => ({ json: { ok: true } }) };
  const refiner = new Refiner({
    llm: { provider: 'host', call: async () => ({ content: '{}' }) },
    tools,
    limits: { maxEpisodes: 1 },
  });
  // A document object from the document module is read by the engine as it is.
  const out = await refiner.run(parseDoc(text), { signal: AbortSignal.abort() }).catch((e) => e);
  assert.equal(out.name, 'Aborted');
  refiner.free();
  assert.equal(engineReads, 1);
});

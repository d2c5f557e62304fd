// The two wasm modules (README "Two wasm modules"): the document functions run on the small
// document module and never load the engine module; the engine's functions load it on first use,
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
const engineBytes = readFileSync(join(PKG, 'gen', 'tooldraft_bg.wasm'));
let engineReads = 0;

const exportsOf = (bytes) => WebAssembly.Module.exports(new WebAssembly.Module(bytes)).map((e) => e.name);
const documentOnly = ['parseDoc', 'inspect', 'convert', 'exportDoc', 'diffText', 'parseQueries', 'evaluationHtml'];
const engineOnly = ['refiner_new', 'evaluate', 'listMcpTools', 'check', 'calibrate', 'compareDocs'];

test('each module has its own exports: the document module no engine, the engine module no format', () => {
  const document = exportsOf(documentBytes);
  const engine = exportsOf(engineBytes);
  for (const name of documentOnly) {
    assert.ok(document.includes(name), `${name} is not in the document module`);
    assert.ok(!engine.includes(name), `${name} is in the engine module`);
  }
  for (const name of engineOnly) {
    assert.ok(engine.includes(name), `${name} is not in the engine module`);
    assert.ok(!document.includes(name), `${name} is in the document module`);
  }
});

test('document functions never load the engine', () => {
  initSync({
    document: documentBytes,
    engine: () => {
      engineReads += 1;
      return engineBytes;
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

test('the engine reads no text: index.js parses texts first and writes the refined document after', async () => {
  const text = readFileSync(join(FIXTURES, 'mcp-tools.json'), 'utf8');
  const config = {
    llm: { provider: 'host', call: async () => ({ content: '{}' }) },
    tools: { callTool: async () => ({ json: { ok: true } }) },
    limits: { maxEpisodes: 1 },
  };
  const refiner = new Refiner(config);
  // A text is read by the document module: its errors are the document module's.
  await assert.rejects(refiner.run('{\n"tools": [}'), { name: 'SyntaxError', line: 2 });
  // The refined document comes back as an object and as text in its own format.
  const out = await refiner.run(text);
  assert.equal(out.doc.format, 'mcp');
  assert.equal(JSON.parse(out.text).tools.length, parseDoc(text).tools[0].operations.length);
  assert.deepEqual(out.lost, []);
  assert.equal('exportError' in out, false);
  // A document with no format cannot be written: `text` is null and `exportError` says why.
  const formatless = await refiner.run({ ...parseDoc(text), format: null });
  assert.equal(formatless.text, null);
  assert.match(formatless.exportError, /no format/);
  // The engine function itself takes only objects.
  refiner.free();
  await assert.rejects(
    import('../gen/tooldraft.js').then((engine) => new engine.Refiner(config).run(text)),
    { name: 'InvalidArgument', message: /document object/ },
  );
  // evaluate's versions: a text that does not read is named by its label.
  const { evaluate } = await import('../index.js');
  await assert.rejects(evaluate({ docs: [{ label: 'refined', text: '{"tools": [' }], queries: '', llm: config.llm }), {
    name: 'SyntaxError',
    message: /^docs "refined": /,
  });
});

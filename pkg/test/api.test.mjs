// The npm API through the Node entry (which initialises itself): errors named by code, with
// locations; argument checks; the word diff; the Refiner's config and run checks.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES, PKG } from './helpers.mjs';
import init, { convert, diffText, exportDoc, inspect, listMcpTools, parseDoc, Refiner, version } from '../node.js';

const pkgVersion = JSON.parse(await readFile(join(PKG, 'package.json'), 'utf8')).version;

function thrown(f) {
  try {
    f();
  } catch (e) {
    return e;
  }
  assert.fail('expected an exception');
}

describe('the Node entry', () => {
  test('is ready on import; init() is a no-op', async () => {
    await init();
    assert.equal(version(), pkgVersion, 'Cargo.toml and package.json versions agree');
  });
});

describe('errors', () => {
  test('malformed JSON: an Error named SyntaxError with line and column', () => {
    const e = thrown(() => parseDoc('{\n  "tools": [\n    {"name": "a",, }\n  ]\n}'));
    assert.ok(e instanceof Error);
    assert.equal(e.name, 'SyntaxError');
    assert.equal(e.line, 3);
    assert.equal(typeof e.column, 'number');
    assert.match(e.message, /^invalid JSON at line 3, column \d+: /);
  });

  test('malformed YAML: line and column too', () => {
    const e = thrown(() => inspect('openapi: 3.0.0\npaths:\n  /a:\n    get: [\n'));
    assert.equal(e.name, 'SyntaxError');
    assert.ok(e.line >= 4, `line ${e.line}`);
    assert.match(e.message, /^invalid YAML at line/);
  });

  test('empty and binary documents', () => {
    assert.throws(() => parseDoc(''), { name: 'EmptyDocument', message: 'the document is empty' });
    assert.throws(() => convert('\n\t \n', 'mcp'), { name: 'EmptyDocument' });
    assert.throws(() => parseDoc('GIF89a\u0000\u0001'), { name: 'BinaryDocument' });
  });

  test('a document in no known format', () => {
    assert.throws(() => parseDoc('{"hello": "world"}'), { name: 'UnknownFormat', message: /expected OpenAPI/ });
  });

  test('bad arguments are InvalidArgument or UnknownFormat, never a crash', () => {
    assert.throws(() => parseDoc(42), { name: 'InvalidArgument', message: 'text must be a string' });
    assert.throws(() => parseDoc(undefined), { name: 'InvalidArgument' });
    assert.throws(() => parseDoc('{}', 'soap'), {
      name: 'UnknownFormat',
      message: /unknown format "soap"; expected one of openapi/,
    });
    assert.throws(() => convert('{}'), { name: 'InvalidArgument', message: 'to must be a format name' });
    assert.throws(() => convert('{}', 'xml'), { name: 'UnknownFormat' });
    assert.throws(() => exportDoc('not a doc', 'mcp'), { name: 'InvalidArgument' });
    assert.throws(() => exportDoc({ tools: 'nope' }, 'mcp'), { name: 'InvalidArgument', message: /^doc: / });
    assert.throws(() => diffText('a'), { name: 'InvalidArgument', message: 'after must be a string' });
  });
});

describe('convert', () => {
  test('back to its own format unchanged, a document is the very text given', async () => {
    const text = await readFile(join(FIXTURES, 'petstore.yaml'), 'utf8');
    const same = convert(text, 'openapi');
    assert.equal(same.text, text);
    assert.deepEqual(same.lost, []);
    const other = convert(text, 'mcp');
    assert.notEqual(other.text, text);
    assert.equal(JSON.parse(other.text).tools.length, parseDoc(text).tools[0].operations.length);
  });
});

describe('diffText', () => {
  test('a word-level diff that rebuilds both texts', () => {
    const before = 'Returns the pet with this id.';
    const after = 'Returns the pet with this numeric id, or 404.';
    const chunks = diffText(before, after);
    const rebuild = (skip) =>
      chunks
        .filter((c) => c.op !== skip)
        .map((c) => c.text)
        .join('');
    assert.equal(rebuild('insert'), before);
    assert.equal(rebuild('delete'), after);
    assert.ok(chunks.some((c) => c.op === 'insert' && c.text.includes('numeric')));
    assert.ok(chunks.every((c) => ['equal', 'insert', 'delete'].includes(c.op)));
  });
});

describe('Refiner', () => {
  const host = { provider: 'host', call: async () => ({ content: '{}' }) };

  test('a wrong config throws InvalidConfig naming the field', () => {
    assert.throws(() => new Refiner({}), { name: 'InvalidConfig', message: 'llm is required' });
    assert.throws(() => new Refiner({ llm: { provider: 'ollama' } }), {
      name: 'InvalidConfig',
      message: /llm\.provider/,
    });
    assert.throws(() => new Refiner({ llm: host, thresholds: { convergence: 2 } }), {
      message: /thresholds\.convergence/,
    });
    assert.throws(() => new Refiner({ llm: host, tools: { callTool: 'x' } }), {
      message: /tools\.callTool must be a function/,
    });
    assert.throws(() => new Refiner({ llm: host, verify: { queries: -1 } }), { message: /^verify: .*expected usize/ });
    assert.throws(() => new Refiner({ llm: host, verify: 2 }), {
      name: 'InvalidConfig',
      message: /verify must be an object/,
    });
  });

  test('verify: {queries} reaches the engine (the report says what ran)', async () => {
    const tools = { callTool: async () => ({ json: { ok: true } }) };
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
    for (const queries of [0, 3]) {
      const r = new Refiner({ llm: host, tools, verify: { queries }, limits: { maxEpisodes: 1 } });
      const out = await r.run(doc);
      assert.equal(out.report.config.verify.queries, queries);
      r.free();
    }
  });

  test('run rejects a malformed document with its location', async () => {
    const r = new Refiner({ llm: host });
    await assert.rejects(r.run('{"tools": ['), { name: 'SyntaxError', line: 1 });
    assert.equal(r.running, false);
  });

  test('run with an already aborted signal rejects with Aborted', async () => {
    const r = new Refiner({ llm: host });
    const doc = { format: 'mcp', syntax: 'json', tools: [], source: {} };
    await assert.rejects(r.run(doc, { signal: AbortSignal.abort() }), { name: 'Aborted' });
    await assert.rejects(r.run(doc, { signal: 'stop' }), { name: 'InvalidArgument', message: /AbortSignal/ });
    r.cancel(); // idle: nothing happens
    r.free();
  });
});

describe('listMcpTools', () => {
  test('only http(s) URLs', async () => {
    await assert.rejects(listMcpTools('ws://127.0.0.1:1/mcp'), {
      name: 'InvalidArgument',
      message: /http:\/\/ or https:\/\//,
    });
    await assert.rejects(listMcpTools(7), { name: 'InvalidArgument' });
  });
});

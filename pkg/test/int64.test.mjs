// Integers beyond 2^53 (the int64/uint64 limits of generated specs) through the npm API and
// the CLI's refine: documents open (no ConversionError), such integers are BigInts in JS and
// are written back exactly (never 9223372036854776000). The core side: tests/int64_limits.rs.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportDoc, parseDoc, parseJson, stringifyJson } from '../node.js';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { runTooldraft, startScriptedLlm } from './cli-run-helpers.mjs';
import { tempDir } from './helpers.mjs';

// What the limits become through a float. (The scripted model may itself answer with a float
// such as 1.8446744073709552e+19 as an argument; that is the model's value, kept as given.)
const SPOILT = /9223372036854776000|18446744073709552000/;

const spec = (yaml) =>
  yaml
    ? `swagger: '2.0'
info: {title: Ids, version: '1'}
paths:
  /get:
    get:
      operationId: getIds
      summary: Gets ids.
      parameters:
        - {name: id, in: query, type: integer, format: int64, minimum: -9223372036854775808, maximum: 9223372036854775807, default: 9223372036854775807}
        - {name: big, in: query, type: integer, format: uint64, maximum: 18446744073709551615}
      responses: {'200': {description: ok}}
`
    : JSON.stringify(
        {
          swagger: '2.0',
          info: { title: 'Ids', version: '1' },
          paths: {
            '/get': {
              get: {
                operationId: 'getIds',
                summary: 'Gets ids.',
                parameters: [
                  {
                    name: 'id',
                    in: 'query',
                    type: 'integer',
                    format: 'int64',
                    minimum: '@MIN@',
                    maximum: '@MAX@',
                    default: '@MAX@',
                  },
                  { name: 'big', in: 'query', type: 'integer', format: 'uint64', maximum: '@UMAX@' },
                ],
                responses: { 200: { description: 'ok' } },
              },
            },
          },
        },
        null,
        2,
      )
        .replaceAll('"@MIN@"', '-9223372036854775808')
        .replaceAll('"@MAX@"', '9223372036854775807')
        .replaceAll('"@UMAX@"', '18446744073709551615');

function params(doc) {
  return Object.fromEntries(doc.tools[0].operations[0].parameters.map((p) => [p.name, p]));
}

test('parseDoc opens int64/uint64 limits in JSON and YAML: BigInts, exact', () => {
  for (const yaml of [false, true]) {
    const doc = parseDoc(spec(yaml));
    const { id, big } = params(doc);
    assert.equal(id.schema.maximum, 9223372036854775807n);
    assert.equal(id.schema.minimum, -9223372036854775808n);
    assert.equal(id.default, 9223372036854775807n);
    assert.equal(big.schema.maximum, 18446744073709551615n);
    assert.equal(typeof doc.tools[0].operations.length, 'number', 'other numbers stay numbers');
  }
});

test('every format writes them back exactly, and reads its own text again', () => {
  const doc = parseDoc(spec(false));
  for (const format of ['openapi', 'swagger', 'mcp', 'openai', 'anthropic', 'toolbench', 'restbench']) {
    const { text } = exportDoc(doc, format);
    assert.doesNotMatch(text, SPOILT, format);
    assert.match(text, /9223372036854775807/, format);
    const again = exportDoc(parseDoc(text, format), format).text;
    assert.equal(again, text, `${format} round trip`);
  }
  const edited = parseDoc(spec(true));
  edited.tools[0].operations[0].description = 'Gets ids (edited).';
  const yaml = exportDoc(edited, 'swagger').text;
  assert.match(yaml, /maximum: 18446744073709551615/);
  assert.match(yaml, /minimum: -9223372036854775808/);
});

test('parseJson and stringifyJson carry BigInts exactly; stringifyJson is JSON.stringify otherwise', () => {
  const v = parseJson('{"a": [18446744073709551615, -9223372036854775808, 9007199254740991, 1.5, "x"]}');
  assert.deepEqual(v, { a: [18446744073709551615n, -9223372036854775808n, 9007199254740991, 1.5, 'x'] });
  assert.equal(stringifyJson(v), '{"a":[18446744073709551615,-9223372036854775808,9007199254740991,1.5,"x"]}');
  const plain = { b: [1, 'two', null, { c: true }], u: undefined, s: 'q"\u0000' };
  assert.equal(stringifyJson(plain, 2), JSON.stringify(plain, null, 2));
  assert.throws(
    () => parseJson('{\n x'),
    (e) => e.name === 'SyntaxError' && e.line === 2,
  );
});

let bed;
let llm;
let dir;
let cleanup;
before(async () => {
  [bed, llm, { dir, cleanup }] = await Promise.all([startTestbed(['httpbin']), startScriptedLlm(), tempDir()]);
});
after(async () => {
  await Promise.all([bed?.stop(), llm?.stop(), cleanup?.()]);
});

test('tooldraft refine opens such a document, and its outputs (doc, run file, state, JSON events) keep them exact', async () => {
  await llm.script({ steps: [] });
  for (const yaml of [false, true]) {
    const source = join(dir, yaml ? 'ids.yaml' : 'ids.json');
    await writeFile(source, spec(yaml));
    const [out, report, state] = ['out', 'report', 'state'].map((n) => join(dir, `${n}.${yaml ? 'yaml' : 'json'}`));
    const r = await runTooldraft([
      'refine',
      source,
      '-o',
      out,
      '--llm-url',
      llm.url,
      '--model',
      'scripted',
      '--base-url',
      bed.urls.httpbin,
      '--max-episodes',
      '1',
      '--concurrency',
      '1',
      '--report',
      report,
      '--state',
      state,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /ConversionError/);
    const written = await readFile(out, 'utf8');
    assert.match(written, /18446744073709551615/);
    assert.match(written, /-9223372036854775808/);
    // (The events, the run file and the state also hold the model's own arguments, which
    // may be floats: only the document's numbers are checked there, below.)
    assert.doesNotMatch(written, SPOILT);
    assert.ok(
      r.stdout
        .split('\n')
        .filter(Boolean)
        .every((l) => parseJson(l).type),
      'each --json line parses',
    );
    const refined = params(parseDoc(written));
    assert.equal(refined.big.schema.maximum, 18446744073709551615n);
    assert.equal(refined.id.schema.minimum, -9223372036854775808n);
    const file = parseJson(await readFile(report, 'utf8'));
    assert.equal(params(file.original).big.schema.maximum, 18446744073709551615n);
    assert.equal(params(file.result.doc).big.schema.maximum, 18446744073709551615n);
    assert.equal(
      typeof parseJson(await readFile(state, 'utf8')).fingerprint,
      'string',
      'the state reads back (as --resume does)',
    );
  }
});

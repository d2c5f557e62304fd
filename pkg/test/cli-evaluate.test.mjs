// `tooldraft evaluate` and `tooldraft diff` end to end against the scripted model server:
// exact scores from deterministic answers, the paper's RestBench TMDB docs and queries, the
// reports, and bad input.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportDoc, listMcpTools } from '../node.js';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { existsSync } from 'node:fs';
import { closedPort, tempDir } from './helpers.mjs';
import { ROOT, runTooldraft, startScriptedLlm } from './cli-run-helpers.mjs';

const PAPER = join(ROOT, 'data', 'draft-paper');

/** Two versions of a small MCP tool: B documents `add`'s parameter b differently. */
function mcpDoc(version) {
  const b = version === 'A' ? 'second number' : 'The second addend (a number).';
  return JSON.stringify({
    tools: [
      {
        name: 'echo',
        description: version === 'A' ? 'Echoes.' : 'Returns the given message unchanged.',
        inputSchema: {
          type: 'object',
          properties: { message: { type: 'string', description: 'text' } },
          required: ['message'],
        },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'add',
        description: version === 'A' ? 'Adds.' : 'Adds two numbers and returns the sum.',
        inputSchema: {
          type: 'object',
          properties: { a: { type: 'number', description: 'first number' }, b: { type: 'number', description: b } },
          required: ['a', 'b'],
        },
        annotations: { readOnlyHint: true },
      },
    ],
  });
}

const ITEMS = [
  { id: 'hello', query: 'Say hello back', gold: ['echo'], candidates: ['echo', 'add'] },
  { id: 'sum', query: 'Add 2 and 3', gold: ['add'], candidates: ['echo', 'add'] },
  { id: 'both', query: 'Echo x, then add 1 and 1', gold: ['echo', 'add'], candidates: ['echo', 'add'] },
  { id: 'plus', query: 'What is 4 plus 5', gold: ['add'], candidates: ['echo', 'add'] },
  { id: 'ghost', query: 'Summon the ghost', gold: ['ghost'], candidates: ['echo', 'add'] },
];

/** The model's answer per version and query: matched on the last parameter line (which differs) and the query. */
function answer(version, query, calls) {
  const last = version === 'A' ? 'second number' : 'The second addend (a number).';
  return { match: `${last}\n\nUser query: ${query}`, json: { calls }, times: 10 };
}
const call = (operation, args) => ({ operation, arguments: args });
const SCRIPT = {
  steps: [
    answer('A', 'Say hello back', [call('echo', { message: 'hello' })]),
    answer('B', 'Say hello back', [call('echo', { message: 'hello' })]),
    answer('A', 'Add 2 and 3', [call('echo', { message: '2 and 3' })]), // the wrong operation
    answer('B', 'Add 2 and 3', [call('add', { a: 2, b: 3 })]),
    answer('A', 'Echo x, then add 1 and 1', [call('add', { a: 1, b: 1 }), call('echo', { message: 'x' })]), // out of order
    answer('B', 'Echo x, then add 1 and 1', [call('echo', { message: 'x' }), call('add', { a: 1, b: 1 })]),
    answer('A', 'What is 4 plus 5', [call('multiply', { a: 4, b: 5 })]), // not a candidate
    answer('B', 'What is 4 plus 5', [call('add', { a: 'four', b: 5 })]), // invalid arguments
  ],
};

let llm;
let dir;
let cleanup;
let docA;
let docB;
let queries;

before(async () => {
  [llm, { dir, cleanup }] = await Promise.all([startScriptedLlm(), tempDir()]);
  docA = join(dir, 'tools-original.json');
  docB = join(dir, 'tools-refined.json');
  queries = join(dir, 'queries.jsonl');
  await writeFile(docA, mcpDoc('A'));
  await writeFile(docB, mcpDoc('B'));
  await writeFile(queries, `${ITEMS.map((i) => JSON.stringify(i)).join('\n')}\n`);
});

after(async () => {
  await Promise.all([llm?.stop(), cleanup?.()]);
});

const model = () => ['--llm-url', llm.url, '--model', 'scripted'];

describe('evaluate', () => {
  test('exact scores, intervals and the paired comparison from scripted answers; JSON and HTML reports', async () => {
    await llm.script(SCRIPT);
    const report = join(dir, 'eval.json');
    const html = join(dir, 'eval.html');
    const r = await runTooldraft([
      'evaluate',
      '--docs',
      docA,
      '--docs',
      docB,
      '--queries',
      queries,
      ...model(),
      '--report',
      report,
      '--html',
      html,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(await readFile(report, 'utf8'));
    assert.equal(e.querySet, 'jsonl');
    assert.equal(e.items, 5);
    assert.equal(e.scoredItems, 4);
    assert.deepEqual(
      e.skipped.map((s) => [s.item, s.reason]),
      [['ghost', 'gold operation ghost is not in the docs']],
    );
    const [a, b] = e.versions;
    assert.deepEqual([a.label, b.label], ['tools-original', 'tools-refined']);
    const means = (v) => [v.cp.mean, v.cpOrdered.mean, v.selection.mean, v.argsValid.mean];
    assert.deepEqual(means(a), [0.5, 0.25, 0.5, 0.75]);
    assert.deepEqual(means(b), [1, 1, 1, 0.75]);
    assert.equal(a.outsideCandidates, 1);
    assert.equal(b.outsideCandidates, 0);
    assert.equal(a.callSuccess, undefined, 'no tool target: no calls');
    assert.ok(a.tokensPerItem.mean > 0 && b.tokensPerItem.mean > 0);
    assert.ok(a.cp.low <= 0.5 && a.cp.high >= 0.5 && a.cp.low < a.cp.high);
    const cp = e.comparisons.find((c) => c.metric === 'cp');
    assert.equal(cp.baseline, 'tools-original');
    assert.equal(cp.candidate, 'tools-refined');
    assert.equal(cp.difference, 0.5);
    assert.equal(cp.test, 'mcnemarExact');
    assert.equal(cp.pValue, 0.5, 'two discordant items, both for the candidate');

    // The tables on stdout.
    assert.match(r.stdout, /5 item\(s\); 4 scored, 1 skipped/);
    assert.match(r.stdout, /^CP +50\.0% \[\d+\.\d, \d+\.\d\] +100\.0% \[100\.0, 100\.0\]$/m);
    assert.match(r.stdout, /^CP \(ordered\) +25\.0% /m);
    assert.match(r.stdout, /^outside candidates +1 +0$/m);
    assert.match(r.stdout, /tools-refined vs tools-original/);
    assert.match(r.stdout, /^ +CP +\+50\.0 pts \[[^\]]+\] +0\.5000 +exact McNemar$/m);
    assert.match(r.stdout, /item ghost \(tools-original\): gold operation ghost is not in the docs/);
    assert.match(
      r.stdout,
      /Answers outside the candidates under tools-original \(1, scored as wrong\):\n {2}item plus: multiply/,
    );

    // The HTML report: the chart and the scores, no scripts.
    const page = await readFile(html, 'utf8');
    assert.match(page, /<svg/);
    assert.match(page, /tools-refined/);
    assert.doesNotMatch(page, /<script/i);

    // --json prints the same report.
    await llm.script(SCRIPT);
    const j = await runTooldraft([
      'evaluate',
      '--docs',
      docA,
      '--docs',
      docB,
      '--queries',
      queries,
      ...model(),
      '--json',
      '--quiet',
    ]);
    assert.equal(j.code, 0, j.stderr);
    assert.deepEqual(means(JSON.parse(j.stdout).versions[1]), [1, 1, 1, 0.75]);
  });

  test("the paper's RestBench TMDB docs, Initial against DRAFT, on a few items", async () => {
    await llm.script({ steps: [] });
    await llm.clear();
    const html = join(dir, 'tmdb.html');
    const report = join(dir, 'tmdb.json');
    const r = await runTooldraft([
      'evaluate',
      '--docs',
      join(PAPER, 'RestBench_docs_TMDB_Initial.json'),
      '--docs',
      join(PAPER, 'RestBench_docs_TMDB_DRAFT.json'),
      '--queries',
      join(PAPER, 'RestBench_queries_TMDB.json'),
      '--limit',
      '3',
      ...model(),
      '--report',
      report,
      '--html',
      html,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const e = JSON.parse(await readFile(report, 'utf8'));
    assert.equal(e.querySet, 'restbench');
    assert.equal(e.items, 3);
    assert.equal(e.scoredItems + new Set(e.skipped.map((s) => s.item)).size, 3);
    assert.deepEqual(
      e.versions.map((v) => v.label),
      ['RestBench_docs_TMDB_Initial', 'RestBench_docs_TMDB_DRAFT'],
    );
    for (const v of e.versions) {
      assert.equal(v.items.length, e.scoredItems);
      assert.ok(v.tokensPerItem.mean > 0);
      for (const m of [v.cp, v.cpOrdered, v.selection, v.argsValid]) assert.ok(m.mean >= 0 && m.mean <= 1);
    }
    // The DRAFT docs are longer: the model read more tokens per item.
    assert.ok(e.versions[1].tokensPerItem.mean > e.versions[0].tokensPerItem.mean);
    assert.equal((await llm.chats()).length, e.scoredItems * 2, 'one model call per item and version');
    assert.match(await readFile(html, 'utf8'), /<svg/);
  });

  test('bad input: a clear message and exit 2', async () => {
    const empty = join(dir, 'empty.jsonl');
    await writeFile(empty, '\n\n');
    const unknown = join(dir, 'unknown.jsonl');
    await writeFile(unknown, '{"query": "q", "gold": ["nope"]}\n{"query": "r", "gold": ["neither"]}\n');
    const broken = join(dir, 'broken.jsonl');
    await writeFile(broken, '{"query": "q", "gold": ["echo"]}\n{"query": "r"}\n');
    const other = join(PAPER, 'RestBench_docs_Spotify_Initial.json');
    const cases = [
      [['evaluate', '--docs', docA, '--queries', empty, ...model()], /empty\.jsonl: the query set is empty/],
      [
        ['evaluate', '--docs', docA, '--docs', other, '--queries', queries, ...model()],
        /does not look like a version of "tools-original"/,
      ],
      [
        ['evaluate', '--docs', docA, '--queries', unknown, ...model()],
        /unknown\.jsonl: none of the items can be scored \(2 skipped\).*nope/,
      ],
      [['evaluate', '--docs', docA, '--queries', broken, ...model()], /broken\.jsonl: invalid query set at line 2/],
      [['evaluate', '--docs', docA, ...model()], /missing --queries/],
      [['evaluate', '--queries', queries, ...model()], /missing --docs/],
      [['evaluate', '--docs', docA, '--queries', queries], /missing the model/],
      [['evaluate', '--docs', join(dir, 'nope.json'), '--queries', queries, ...model()], /nope\.json: no such file/],
      [
        ['evaluate', '--docs', docA, '--queries', queries, ...model(), '--api-key=sk-nope-123456'],
        /--api-key is not accepted/,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runTooldraft(args);
      assert.equal(r.code, 2, `${args.join(' ')}\n${r.stderr}`);
      assert.match(r.stderr, message);
      assert.ok(!r.stderr.includes('sk-nope-123456'));
    }
  });

  test('a model that refuses the key (401) or cannot be reached: exit 3, no report', async () => {
    await llm.script({ steps: [{ fault: '500', status: 401, times: 1000 }] });
    const report = join(dir, 'unauthorized.json');
    const key = 'sk-eval-wrong-4444';
    const r = await runTooldraft(
      ['evaluate', '--docs', docA, '--queries', queries, ...model(), '--api-key-env', 'K', '--report', report],
      { env: { K: key } },
    );
    assert.equal(r.code, 3, r.stderr);
    assert.match(r.stderr, /no usable answer for any item .*LlmUnauthorized.*401/);
    assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key));
    assert.ok(!existsSync(report));
    const port = await closedPort();
    const u = await runTooldraft([
      'evaluate',
      '--docs',
      docA,
      '--queries',
      queries,
      '--llm-url',
      `http://127.0.0.1:${port}/v1`,
      '--model',
      'm',
    ]);
    assert.equal(u.code, 3);
    assert.match(u.stderr, /model endpoint --llm-url .* could not be reached/);
  });
});

describe('evaluate with a tool target', () => {
  test('read-only calls go to the real MCP server: call success per version', async () => {
    const bed = await startTestbed(['everything']);
    try {
      const doc = await listMcpTools(bed.urls.everything);
      const original = join(dir, 'everything-original.json');
      const edited = join(dir, 'everything-edited.json');
      await writeFile(original, exportDoc(doc, 'mcp').text);
      doc.tools[0].operations.find((o) => o.id === 'echo').description = 'Returns the message it is given, unchanged.';
      await writeFile(edited, exportDoc(doc, 'mcp').text);
      const items = join(dir, 'everything.jsonl');
      const candidates = ['echo', 'get-sum'];
      await writeFile(
        items,
        [
          { query: 'Repeat the word lighthouse', gold: ['echo'], candidates },
          { query: 'Sum 3 and 4', gold: ['get-sum'], candidates },
          { query: 'Sum three and four', gold: ['get-sum'], candidates },
        ]
          .map((i) => JSON.stringify(i))
          .join('\n'),
      );
      const steps = [
        {
          match: 'User query: Repeat the word lighthouse',
          json: { calls: [call('echo', { message: 'lighthouse' })] },
          times: 10,
        },
        { match: 'User query: Sum 3 and 4', json: { calls: [call('get-sum', { a: 3, b: 4 })] }, times: 10 },
        {
          match: 'User query: Sum three and four',
          json: { calls: [call('get-sum', { a: 'three', b: 'four' })] },
          times: 10,
        },
      ];
      await llm.script({ steps });
      const report = join(dir, 'everything-eval.json');
      const r = await runTooldraft([
        'evaluate',
        '--docs',
        original,
        '--docs',
        edited,
        '--queries',
        items,
        ...model(),
        '--mcp-url',
        bed.urls.everything,
        '--report',
        report,
        '--quiet',
      ]);
      assert.equal(r.code, 0, r.stderr);
      const e = JSON.parse(await readFile(report, 'utf8'));
      for (const v of e.versions) {
        assert.equal(v.cp.mean, 1);
        assert.equal(v.callSuccess.n, 3);
        assert.ok(Math.abs(v.callSuccess.mean - 2 / 3) < 1e-9, `two of three calls succeed (${v.callSuccess.mean})`);
        assert.ok(Math.abs(v.argsValid.mean - 2 / 3) < 1e-9);
        assert.equal(v.items.find((i) => i.item === '3').callSuccess, 0);
      }
      assert.match(r.stdout, /^call success +66\.7% /m);
    } finally {
      await bed.stop();
    }
  });
});

describe('diff', () => {
  test('what changed, without a model', async () => {
    const r = await runTooldraft(['diff', docA, docB]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /2 operation\(s\)/);
    assert.match(r.stdout, /descriptions changed: +2/);
    assert.match(r.stdout, /parameter descriptions changed: +1/);
    assert.match(r.stdout, /add: description 5 → 37 chars; parameters: b/);
    const j = await runTooldraft(['diff', docA, docB, '--json']);
    assert.equal(j.code, 0);
    const c = JSON.parse(j.stdout);
    assert.equal(c.descriptionsChanged, 2);
    assert.deepEqual(c.changed.find((o) => o.operation === 'add').parametersChanged, ['b']);
    assert.ok(c.lengthGrowth > 1);
    const bad = await runTooldraft(['diff', docA]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /expected two documents/);
  });

  test('structural changes are listed: required, enum, format, output schema', async () => {
    const tool = (repaired) =>
      JSON.stringify({
        tools: [
          {
            name: 'forecast',
            description: 'Forecast for a city.',
            inputSchema: {
              type: 'object',
              properties: {
                city: { type: 'string', description: 'City.' },
                unit: { type: 'string', description: 'Unit.', ...(repaired ? { enum: ['metric', 'imperial'] } : {}) },
                day: { type: 'string', description: 'Day.', ...(repaired ? { format: 'date' } : {}) },
              },
              ...(repaired ? { required: ['city'] } : {}),
            },
            ...(repaired ? { outputSchema: { type: 'object', properties: { high: { type: 'number' } } } } : {}),
          },
        ],
      });
    const [a, b] = [join(dir, 'forecast-a.json'), join(dir, 'forecast-b.json')];
    await writeFile(a, tool(false));
    await writeFile(b, tool(true));
    const r = await runTooldraft(['diff', a, b]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /schema changes: +4/);
    assert.match(
      r.stdout,
      /forecast: response schema added; city: required; unit: allowed values metric, imperial; day: format date/,
    );
    const j = JSON.parse((await runTooldraft(['diff', a, b, '--json'])).stdout);
    assert.deepEqual(
      j.changed[0].schemaChanges.map((c) => c.id),
      ['city/required', 'unit/enumValues', 'day/schema/format', '/responseSchema'],
    );
  });
});

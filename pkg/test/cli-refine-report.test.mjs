// What `tooldraft refine` shows of a run, without servers: the progress bars on a terminal
// (names and messages cannot drive it) and the run report shared with the web app (a resumed
// run's events merged with the engine's report, the run file, the HTML report).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
// The Node entry initialises the engine (the HTML report escapes with the core's escaper).
import '../node.js';
import { Progress } from '../lib/progress.mjs';
import { buildRunFile, foldEvents, mergeReport, readRunFile } from '../lib/run-report.mjs';
import { buildHtmlReport } from '../lib/run-report-html.mjs';

describe('progress on a terminal', () => {
  test('bars per operation and in total, redrawn in place; names cannot drive the terminal', () => {
    let written = '';
    const stream = { isTTY: true, columns: 120, rows: 30, write: (s) => (written += s) };
    const doc = {
      tools: [
        {
          operations: [
            { id: 'a', name: 'alpha\u001b[2J' },
            { id: 'b', name: 'beta' },
          ],
        },
      ],
    };
    const p = new Progress(stream, { mode: 'bars', doc, maxEpisodes: 2, intervalMs: 1 });
    const events = [
      { type: 'runStarted', runId: 'r', operations: ['a', 'b'], maxEpisodes: 2, resumed: false },
      { type: 'operationStarted', operation: 'a' },
      { type: 'phase', operation: 'a', episode: 0, phase: 'call' },
      {
        type: 'usage',
        purpose: 'explorer',
        usage: { promptTokens: 1500, completionTokens: 500 },
        calls: 1,
        operation: 'a',
      },
      { type: 'toolCall', operation: 'a', episode: 0, trailId: 'a#1', arguments: {} },
      { type: 'error', operation: 'b', code: 'InvalidArguments', message: 'bad\u001b]0;owned\u0007 arguments' },
      { type: 'terminated', operation: 'a', reason: { kind: 'maxEpisodes', episodes: 2 } },
    ];
    for (const e of events) p.event(e);
    p.redraw();
    const lines = p.lines();
    assert.equal(lines.length, 3);
    assert.match(lines[0], /^alpha \[2J +█{20} done +1 model · 1 tool · 2\.0k tok$/);
    assert.match(lines[1], /^beta .*░{20} queued/);
    assert.match(lines[2], /^total .* 1\/2 done .*1 model · 1 tool · 2\.0k tok/);
    p.finish();
    assert.ok(written.startsWith('\x1b[?25l'), 'the cursor is hidden while drawing');
    assert.ok(written.includes('\x1b[3F\x1b[J'), 'the block is redrawn in place');
    assert.ok(written.endsWith('\x1b[?25h'), 'and shown again');
    assert.ok(written.includes('error: [beta] InvalidArguments: bad ]0;owned  arguments'));
    assert.ok(
      !written.includes('\x1b[2J') && !written.includes('\x1b]0;'),
      'no control sequence from a name or a message',
    );
  });
});

describe('the run report (shared with the web app)', () => {
  const doc = {
    format: 'mcp',
    syntax: 'json',
    tools: [
      {
        name: 't',
        description: '',
        pointer: '',
        operations: [{ id: 'a', name: 'a', description: 'Does a.', parameters: [], safety: {}, pointer: '' }],
      },
    ],
    source: {},
  };
  const obs = (n) => ({
    request: { method: 'POST', url: 'http://x/mcp', headers: [] },
    status: 200,
    headers: [],
    body: `r${n}`,
    truncated: false,
    bodyBytes: 2,
    isError: false,
    durationMs: 1,
  });
  // The events of a resumed run's second part only: episode 1.
  const events = [
    { type: 'runStarted', runId: 'r', operations: ['a'], maxEpisodes: 2, resumed: true },
    { type: 'toolCall', operation: 'a', episode: 1, trailId: 'a#2', arguments: { n: 2 } },
    { type: 'toolResult', operation: 'a', episode: 1, trailId: 'a#2', observation: obs(2) },
    { type: 'analysis', operation: 'a', episode: 1, findings: { mismatches: [], missing: [], suggestions: ['two'] } },
    { type: 'revisionAccepted', operation: 'a', episode: 1, revision: 2, delta: 0.5 },
    { type: 'usage', purpose: 'rewriter', usage: { promptTokens: 10, completionTokens: 5 }, calls: 1, operation: 'a' },
    { type: 'terminated', operation: 'a', reason: { kind: 'maxEpisodes', episodes: 2 } },
    { type: 'runFinished', cancelled: false },
  ];
  // The engine's report covers the whole run.
  const report = {
    runId: 'r',
    cancelled: false,
    operations: [
      {
        id: 'a',
        name: 'a',
        episodes: 2,
        termination: { kind: 'maxEpisodes', episodes: 2 },
        queries: [
          { episode: 0, query: 'q1', arguments: { n: 1 } },
          { episode: 1, query: 'q2', arguments: { n: 2 } },
        ],
        trails: [
          {
            id: 'a#1',
            operation: 'a',
            episode: 0,
            query: 'q1',
            arguments: { n: 1 },
            observation: obs(1),
            startedMs: 0,
            durationMs: 1,
          },
          {
            id: 'a#2',
            operation: 'a',
            episode: 1,
            query: 'q2',
            arguments: { n: 2 },
            observation: obs(2),
            startedMs: 5,
            durationMs: 1,
          },
        ],
        analyses: [
          { episode: 0, trail: 'a#1', mismatches: [], missing: [], suggestions: ['one'] },
          { episode: 1, trail: 'a#2', mismatches: [], missing: [], suggestions: ['two'] },
        ],
        revisions: [
          { index: 0, description: 'Does a.', parameters: {}, accepted: true },
          { index: 1, description: 'Does a, v1.', parameters: {}, accepted: true, episode: 0, delta: 0.2 },
          { index: 2, description: 'Does a, v2.', parameters: {}, accepted: true, episode: 1, delta: 0.5 },
        ],
        errors: [],
        usage: { rewriter: { calls: 2, promptTokens: 20, completionTokens: 10 } },
        modelCalls: 6,
        toolCalls: 2,
      },
    ],
    tools: [],
    totals: {
      modelCalls: 7,
      toolCalls: 2,
      usage: {
        rewriter: { calls: 2, promptTokens: 20, completionTokens: 10 },
        explorer: { calls: 5, promptTokens: 100, completionTokens: 50 },
      },
    },
  };

  test('a resumed run: what its events lack comes from the report, nothing twice', () => {
    const m = mergeReport(foldEvents(doc, events), report);
    const op = m.ops.get('a');
    assert.deepEqual(
      op.trails.map((t) => t.id),
      ['a#1', 'a#2'],
    );
    assert.equal(op.trails[0].query, 'q1');
    assert.deepEqual(
      op.decisions.map((d) => d.revision),
      [1, 2],
    );
    assert.deepEqual(
      op.analyses.map((a) => a.episode),
      [0, 1],
    );
    assert.equal(op.calls, 2);
    assert.equal(op.modelCalls, 6);
    assert.equal(m.modelCalls, 7);
    assert.deepEqual(m.tokens, { prompt: 120, completion: 60 });
    assert.ok(m.resumed);
    // Merging again changes nothing.
    const again = mergeReport(m, report).ops.get('a');
    assert.equal(again.trails.length, 2);
    assert.equal(again.decisions.length, 2);
    assert.equal(again.analyses.length, 2);
  });

  test('the run file and the HTML report of a resumed run show every episode; the file reads back', () => {
    const refined = structuredClone(doc);
    refined.tools[0].operations[0].description = 'Does a, v2.';
    refined.tools[0].operations[0].history = report.operations[0].revisions;
    const rec = {
      id: 'r',
      createdAt: 1,
      status: 'finished',
      sourceName: 'doc <1>.json',
      step: 9,
      original: doc,
      config: {
        llm: { provider: 'openai', baseUrl: 'http://m/v1', model: 'm', apiKey: 'sk-should-vanish' },
        tools: { mcpUrl: 'http://x/mcp', headers: { Authorization: 'Bearer gone-too' } },
      },
      result: { doc: refined, text: '{}', report, state: {} },
    };
    const file = buildRunFile(rec, events, '0.1.0');
    assert.equal(file.operations[0].trails.length, 2);
    assert.equal(file.run.config.llm.apiKey, undefined);
    assert.equal(file.run.config.tools.headers, undefined);
    assert.ok(!JSON.stringify(file).includes('sk-should-vanish') && !JSON.stringify(file).includes('gone-too'));
    assert.equal(file.reviewed.tools[0].operations[0].description, 'Does a, v2.');
    assert.deepEqual(readRunFile(JSON.stringify(file)).operations, JSON.parse(JSON.stringify(file.operations)));
    const html = buildHtmlReport(
      file,
      new Map([
        [
          'a',
          [
            { op: 'equal', text: 'Does a' },
            { op: 'insert', text: ', v2' },
          ],
        ],
      ]),
    );
    assert.match(html, /Episode 1 · a#1/);
    assert.match(html, /Episode 2 · a#2/);
    assert.match(html, /Does a<ins>, v2<\/ins>/);
    assert.match(html, /doc &lt;1&gt;\.json/);
  });

  test('readRunFile says what is wrong', () => {
    assert.throws(() => readRunFile('{'), { name: 'SyntaxError', message: /not JSON/ });
    assert.throws(() => readRunFile('{"kind": "other"}'), {
      name: 'StructureError',
      message: /not a tooldraft run file/,
    });
    assert.throws(() => readRunFile('{"kind": "tooldraft-run"}'), { name: 'StructureError', message: /\/original/ });
    assert.throws(() => readRunFile('{"kind": "tooldraft-run", "original": {"tools": []}, "result": {"doc": 1}}'), {
      name: 'StructureError',
      message: /\/result\/doc/,
    });
  });
});

// `tooldraft refine` end to end: the scripted model (tests/servers/scripted-llm.mjs) and REAL
// tools (MCP server-everything, httpbin behind its Swagger doc), both on 127.0.0.1. Exit codes,
// outputs (the refined doc, --report run file, --html, --state, --json), resume after Ctrl-C,
// the Anthropic provider, and redaction of secrets. Bad input: cli-refine-errors.test.mjs; the
// progress bars and the run report: cli-refine-report.test.mjs.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { inspect, parseDoc } from '../node.js';
import { readRunFile } from '../lib/run-report.mjs';
import { noStack } from './helpers.mjs';
import { bodies, runTooldraft, tempLeftovers } from './cli-run-helpers.mjs';
import {
  ECHO_SCRIPT,
  HOSTILE,
  SWAGGER,
  bed,
  dir,
  llm,
  mcpDoc,
  model,
  refineEcho,
  readJson,
  useRefineServers,
} from './cli-refine-servers.mjs';

// trigger-long-running-operation takes `duration` seconds: a Ctrl-C lands while it runs, when
// no model call is in flight.
const SLOW_SCRIPT = {
  steps: [
    {
      match: 'explore one operation',
      json: { query: 'Run the slow job for one second in a single step', arguments: { duration: 1, steps: 1 } },
      times: 100000,
    },
    // The replay verification's caller: the same one-second job.
    { match: 'calling one operation of a tool', json: { arguments: { duration: 1, steps: 1 } }, times: 100000 },
    // A real rewrite (the test model's automatic text is off-topic, and the gate refuses it):
    // it passes the gate, so replay verification runs.
    {
      match: 'rewrite the documentation of one operation',
      json: {
        description:
          'Demonstrates a long running operation with progress updates: it runs for duration seconds in the given number of steps, then reports the duration and steps it completed.',
        parameters: {},
        nextDirection: 'Try more steps.',
      },
      times: 100000,
    },
  ],
};

useRefineServers();

describe('refine: an MCP server (server-everything)', () => {
  test('refines one operation end to end: the doc in its format, the run file, the HTML report, the state, JSON events', async () => {
    await llm.script(ECHO_SCRIPT);
    await llm.clear();
    const out = join(dir, 'echo.refined.json');
    const report = join(dir, 'echo.report.json');
    const html = join(dir, 'echo.report.html');
    const state = join(dir, 'echo.state.json');
    const r = await runTooldraft([
      ...refineEcho(out),
      '--max-episodes',
      '2',
      '--concurrency',
      '1',
      '--report',
      report,
      '--html',
      html,
      '--state',
      state,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(noStack(r.stderr));
    assert.match(r.stderr, /text improved in 1 of 1 operation \(0 unchanged, 0 original kept\)/);
    assert.match(r.stderr, / {2}echo: improved: revision \d+ passes every rule against the original/);

    // --json: every stdout line is an event, from runStarted to runFinished.
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(events[0].type, 'runStarted');
    assert.deepEqual(events[0].operations, ['echo']);
    assert.deepEqual(events.at(-1), { type: 'runFinished', cancelled: false });
    assert.equal(
      events.filter((e) => e.type === 'toolResult').length,
      3,
      "one schema-driven call, then the model's two",
    );
    assert.ok(events.some((e) => e.type === 'checkpoint'));

    // The refined document: the input's format, the operation rewritten, the others untouched.
    const refinedText = await readFile(out, 'utf8');
    assert.equal(inspect(refinedText).format, 'mcp');
    const before = parseDoc(await readFile(mcpDoc, 'utf8')).tools[0].operations;
    const refined = parseDoc(refinedText).tools[0].operations;
    assert.notEqual(refined.find((o) => o.id === 'echo').description, before.find((o) => o.id === 'echo').description);
    assert.equal(
      refined.find((o) => o.id === 'get-sum').description,
      before.find((o) => o.id === 'get-sum').description,
    );

    // The run file: what the web app opens; the real tool's answers are in it.
    const file = readRunFile(await readFile(report, 'utf8'));
    assert.equal(file.run.status, 'finished');
    assert.equal(file.run.config.llm.model, 'scripted');
    // Two explorations, then replay verification of episode 2's revision: the caller answers
    // episode 1's query from the candidate's doc and from revision 1's, and both calls are made.
    const verified = events.filter((e) => e.type === 'verification');
    assert.equal(verified.length, 2, 'each candidate revision went through verification');
    assert.match(verified[0].summary, /^not verified: no successful call other than/);
    assert.equal(verified[1].counted, 1);
    const replayed = events.filter((e) => e.type === 'verificationCall');
    assert.deepEqual(
      replayed.map((e) => [e.call.revision, e.call.executed]),
      [
        [2, true],
        [1, true],
      ],
    );
    assert.equal(file.result.report.totals.toolCalls, 3 + 2);
    assert.equal(file.result.report.totals.usage.caller.calls, 2);
    const op = file.operations.find((o) => o.id === 'echo');
    assert.equal(op.trails.length, 3);
    // Before the model is asked: the smallest valid call the documentation allows.
    assert.equal(op.trails[0].schemaDriven, true);
    assert.deepEqual(op.trails[0].arguments, { message: 'example' });
    assert.equal(op.trails[0].observation.body, 'Echo: example');
    for (const t of op.trails.slice(1)) {
      assert.equal(t.schemaDriven, undefined);
      assert.equal(t.observation.isError, false);
      assert.match(JSON.stringify(t.observation.json ?? t.observation.body), /blue harbour at dawn/);
    }
    assert.equal(op.decisions.length, 2);
    assert.deepEqual(
      op.verifications.map((v) => [v.revision, v.calls.length]),
      [
        [1, 0],
        [2, 2],
      ],
    );
    assert.ok(op.revisions.length >= 3, 'the original and two revisions');
    assert.equal(file.events.length, events.length);
    assert.equal(file.usage.modelCalls, file.result.report.totals.modelCalls);

    // The HTML report: self-contained, no scripts, every string escaped.
    const page = await readFile(html, 'utf8');
    assert.match(page, /<!doctype html>/);
    assert.match(page, /default-src 'none'/);
    assert.doesNotMatch(page, /<script/i);
    assert.ok(!page.includes(HOSTILE), 'the hostile query is escaped');
    assert.ok(page.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.match(page, /<ins>|<del>/, 'a diff of the original and the refined text');
    assert.match(page, /replay verification: \d\/1 good calls from this doc, \d\/1 from revision 1/);

    // The state: the finished run, resumable as is.
    const s = await readJson(state);
    assert.equal(typeof s.fingerprint, 'string');
    assert.ok(s.step > 0);
    assert.equal(s.operations[0].stage.stage, 'done');
    assert.deepEqual(await tempLeftovers(dir), []);

    // The model saw the tool's real output.
    const prompts = bodies(await llm.chats()).map((b) => JSON.stringify(b.messages));
    assert.ok(prompts.some((p) => p.includes('blue harbour at dawn') && p.includes('analy')));
  });

  test('--verify 0 turns replay verification off', async () => {
    await llm.script(ECHO_SCRIPT);
    const out = join(dir, 'echo.unverified.json');
    const report = join(dir, 'echo.unverified.report.json');
    const r = await runTooldraft([
      ...refineEcho(out),
      '--max-episodes',
      '2',
      '--concurrency',
      '1',
      '--verify',
      '0',
      '--report',
      report,
      '--json',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.equal(events.filter((e) => e.type === 'verification' || e.type === 'verificationCall').length, 0);
    const totals = (await readJson(report)).result.report.totals;
    assert.equal(totals.toolCalls, 1 + 2, 'the schema-driven call and the two explorations only');
    assert.equal(totals.usage.caller, undefined);
    assert.equal((await readJson(report)).result.report.config.verify.queries, 0);
  });

  test('Ctrl-C saves the state and prints how to resume; --resume finishes without redoing any step', async () => {
    await llm.script(SLOW_SCRIPT);
    const args = (out) => [
      'refine',
      mcpDoc,
      '-o',
      out,
      ...model(),
      '--mcp-url',
      bed.urls.everything,
      '--only',
      'trigger-long-running-operation',
      '--max-episodes',
      '2',
      '--concurrency',
      '1',
      // The model's calls only: a schema-driven call would run the tool's 10 s default.
      '--schema-probes',
      '0',
    ];

    // An uninterrupted run, for comparison.
    await llm.clear();
    const whole = join(dir, 'slow.whole.json');
    const wholeReport = join(dir, 'slow.whole.report.json');
    const w = await runTooldraft([...args(whole), '--report', wholeReport, '--quiet']);
    assert.equal(w.code, 0, w.stderr);
    const wholeCalls = (await llm.chats()).length;
    const wholeTotals = (await readJson(wholeReport)).result.report.totals;
    assert.equal(wholeTotals.toolCalls, 2 + 2, 'two explorations and two replay-verification calls');

    // The same run, interrupted during the second tool call.
    await llm.clear();
    const out = join(dir, 'slow.json');
    const report = join(dir, 'slow.report.json');
    const state = join(dir, 'slow.state.json');
    let toolCalls = 0;
    let sent = false;
    const first = await runTooldraft([...args(out), '--state', state, '--report', report, '--json'], {
      onStdoutLine: (line, child) => {
        const e = JSON.parse(line);
        if (e.type === 'toolCall') toolCalls += 1;
        if (toolCalls === 2 && !sent) {
          sent = true;
          child.kill('SIGINT');
        }
      },
    });
    assert.ok(sent, 'the run reached its second tool call');
    assert.equal(first.code, 4, first.stderr);
    assert.match(first.stderr, /state is saved in .*slow\.state\.json/);
    assert.ok(first.stderr.includes(`--resume ${state}`), first.stderr);
    assert.ok(!existsSync(out), 'no refined document from an interrupted run');
    assert.equal((await readRunFile(await readFile(report, 'utf8'))).run.status, 'interrupted');
    const saved = await readJson(state);
    assert.ok(saved.step > 0);
    assert.notEqual(saved.operations[0].stage.stage, 'done');
    assert.deepEqual(await tempLeftovers(dir), []);
    const firstCalls = (await llm.chats()).length;

    // Resume with the printed command (its arguments, minus the program name).
    await llm.clear();
    const command = first.stderr
      .split('\n')
      .find((l) => l.trim().startsWith('tooldraft refine'))
      .trim();
    const resumed = command.split(' ').slice(1);
    assert.deepEqual(resumed.slice(-2), ['--resume', state]);
    const second = await runTooldraft([...resumed.filter((a) => a !== '--json'), '--quiet']);
    assert.equal(second.code, 0, second.stderr);
    const secondCalls = (await llm.chats()).length;
    assert.ok(secondCalls > 0 && firstCalls > 0);
    assert.equal(firstCalls + secondCalls, wholeCalls, 'no model call was made twice');

    const file = readRunFile(await readFile(report, 'utf8'));
    assert.equal(file.run.status, 'finished');
    const totals = file.result.report.totals;
    assert.equal(totals.modelCalls, wholeTotals.modelCalls);
    assert.equal(totals.toolCalls, wholeTotals.toolCalls);
    const op = file.operations[0];
    assert.equal(op.trails.length, 2, 'both episodes, the first from before the interruption');
    assert.equal(new Set(op.trails.map((t) => t.id)).size, 2);
    assert.equal(op.decisions.length, 2);
    assert.ok(file.events[0].resumed, 'the events of this part say it resumed');
    assert.ok(existsSync(out));
    assert.equal((await readJson(state)).operations[0].stage.stage, 'done', '--resume keeps saving to the same file');
  });
});

describe('refine: the Anthropic provider', () => {
  test('--provider anthropic sends Messages API requests with the key from the environment', async () => {
    await llm.script(ECHO_SCRIPT);
    await llm.clear();
    const out = join(dir, 'anthropic.json');
    const key = 'ant-test-key-31337';
    const r = await runTooldraft(
      [
        'refine',
        mcpDoc,
        '-o',
        out,
        '--provider',
        'anthropic',
        '--llm-url',
        llm.base,
        '--model',
        'claude-test',
        '--api-key-env',
        'AK',
        '--mcp-url',
        bed.urls.everything,
        '--only',
        'echo',
        '--max-episodes',
        '1',
      ],
      { env: { AK: key } },
    );
    assert.equal(r.code, 0, r.stderr);
    const calls = (await llm.log()).filter((l) => l.method === 'POST');
    assert.ok(calls.length >= 3);
    assert.ok(calls.every((c) => c.path === '/v1/messages' && c.headers['x-api-key'] === key));
    assert.ok(!r.stderr.includes(key));
    assert.equal(inspect(await readFile(out, 'utf8')).format, 'mcp');
  });

  test('--provider anthropic without --api-key-env: exit 2', async () => {
    const r = await runTooldraft([
      'refine',
      mcpDoc,
      '-o',
      join(dir, 'x.json'),
      '--provider',
      'anthropic',
      '--model',
      'claude-test',
      '--mcp-url',
      bed.urls.everything,
    ]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --api-key-env/);
  });
});

describe('refine: an HTTP API (httpbin behind its Swagger 2.0 doc)', () => {
  test('--base-url sends the calls to httpbin; no secret reaches any output', async () => {
    await llm.script({ steps: [] });
    await llm.clear();
    const secrets = { KEY: 'sk-test-key-5551212', HDR: 'hdr-secret-value-8877', plain: 'plain-header-secret-4242' };
    const out = join(dir, 'httpbin.refined.json');
    const report = join(dir, 'httpbin.report.json');
    const html = join(dir, 'httpbin.report.html');
    const state = join(dir, 'httpbin.state.json');
    const r = await runTooldraft(
      [
        'refine',
        SWAGGER,
        '-o',
        out,
        ...model(),
        '--api-key-env',
        'KEY',
        '--base-url',
        bed.urls.httpbin,
        '--header-env',
        'X-Secret=HDR',
        '--header',
        `X-Plain: ${secrets.plain}`,
        '--only',
        'GET /headers',
        '--max-episodes',
        '1',
        '--report',
        report,
        '--html',
        html,
        '--state',
        state,
        '--json',
      ],
      { env: { KEY: secrets.KEY, HDR: secrets.HDR } },
    );
    assert.equal(r.code, 0, r.stderr);
    const refined = JSON.parse(await readFile(out, 'utf8'));
    assert.equal(refined.swagger, '2.0', 'written back as Swagger 2.0');

    // The call went to httpbin with the headers, which echoed them (redacted in what was kept).
    const file = readRunFile(await readFile(report, 'utf8'));
    const trail = file.operations[0].trails[0];
    assert.ok(trail.observation.request.url.startsWith(bed.urls.httpbin), trail.observation.request.url);
    assert.equal(trail.observation.status, 200);
    assert.equal(trail.observation.json.headers['X-Secret'], '[REDACTED]');
    assert.equal(trail.observation.json.headers['X-Plain'], '[REDACTED]');
    // The model got the key.
    const seen = (await llm.chats()).map((c) => c.headers.authorization);
    assert.ok(seen.length > 0 && seen.every((a) => a === `Bearer ${secrets.KEY}`));

    const outputs = [
      r.stdout,
      r.stderr,
      ...(await Promise.all([out, report, html, state].map((p) => readFile(p, 'utf8')))),
    ];
    for (const text of outputs) {
      for (const secret of Object.values(secrets)) assert.ok(!text.includes(secret), `a secret leaked into an output`);
    }
  });
});

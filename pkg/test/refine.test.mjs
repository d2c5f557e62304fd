// The refinement engine through the npm API (wasm in Node): a real MCP server
// (server-everything) and a real REST API (httpbin), with the scripted OpenAI-compatible
// server answering every role (its auto mode fills any JSON schema deterministically).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import readline from 'node:readline';
import { Refiner, evaluate, exploreHeldOut, exportDoc, listMcpTools, parseDoc } from '../node.js';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { PKG } from './helpers.mjs';

const REPO = join(PKG, '..');

async function startScriptedLlm() {
  const child = spawn(process.execPath, [join(REPO, 'tests/servers/scripted-llm.mjs'), '--port', '0'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`scripted-llm exited with ${code}`)));
  });
  const { url } = JSON.parse(line);
  return {
    url,
    async log() {
      return (await fetch(`${url.replace(/\/v1$/, '')}/__log`)).json();
    },
    /** Replaces the server's script (answered before its auto mode). */
    async script(s) {
      const r = await fetch(`${url.replace(/\/v1$/, '')}/__script`, { method: 'POST', body: JSON.stringify(s) });
      assert.ok(r.ok, `script: HTTP ${r.status}`);
    },
    stop: () => child.kill(),
  };
}

describe('Refiner', () => {
  let llm;
  let testbed;
  before(async () => {
    llm = await startScriptedLlm();
    testbed = await startTestbed(['everything', 'httpbin']);
  });
  after(async () => {
    llm?.stop();
    await testbed?.stop();
  });

  test('refines MCP tools end to end: events in order, verified examples, observed output schema', async () => {
    const doc = await listMcpTools(testbed.urls.everything);
    const events = [];
    const checkpoints = [];
    const refiner = new Refiner({
      llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted', apiKey: 'sk-test-SECRET-123' },
      tools: { mcpUrl: testbed.urls.everything },
      limits: { maxEpisodes: 2, only: ['echo', 'get-sum'] },
    });
    const result = await refiner.run(doc, {
      onEvent: (e) => events.push(e),
      onCheckpoint: (s) => checkpoints.push(s.step),
    });
    assert.equal(events[0].type, 'runStarted');
    assert.equal(events.at(-1).type, 'runFinished');
    assert.deepEqual(result.report.operations.map((o) => o.id).sort(), ['echo', 'get-sum']);
    for (const op of result.report.operations) {
      assert.ok(op.toolCalls >= 1, `${op.id} was really called`);
      assert.ok(op.termination, `${op.id} says why it stopped`);
    }
    const echo = result.doc.tools[0].operations.find((o) => o.id === 'echo');
    assert.ok(
      echo.examples.some((e) => e.verified),
      'a verified example from a real call',
    );
    assert.ok(echo.history.length >= 2, 'the revision history is kept');
    assert.ok(typeof result.text === 'string' && JSON.parse(result.text).tools.length === 13, 'written back as MCP');
    assert.ok(checkpoints.length > 5 && checkpoints.every((s, i) => i === 0 || s > checkpoints[i - 1]));
    const everything = JSON.stringify({ events, report: result.report, state: result.state, text: result.text });
    assert.ok(!everything.includes('sk-test-SECRET-123'), 'the LLM key is nowhere in what the run recorded');
  });

  test('by default only read-only operations are called; writes need an allowance', async () => {
    const spec = readFileSync(join(REPO, 'tests/fixtures/openapi/httpbin.swagger.json'), 'utf8');
    const doc = parseDoc(spec);
    const ids = doc.tools[0].operations.map((o) => o.id);
    const get = ids.find((id) => /^GET \/get$/.test(id) || id === 'get_get');
    const post = ids.find((id) => /^POST \/post$/.test(id) || id === 'post_post');
    assert.ok(get && post, `httpbin has GET /get and POST /post: ${ids.slice(0, 8)}`);
    const calls = [];
    const recordingFetch = (url, init) => {
      calls.push(`${init?.method ?? 'GET'} ${url}`);
      return fetch(url, init);
    };
    const refiner = new Refiner({
      llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted' },
      tools: { baseUrl: testbed.urls.httpbin },
      limits: { maxEpisodes: 1, only: [get, post] },
      fetch: recordingFetch,
    });
    const result = await refiner.run(spec);
    const byId = Object.fromEntries(result.report.operations.map((o) => [o.id, o]));
    assert.equal(byId[post].termination.kind, 'notAllowed');
    assert.ok(byId[get].toolCalls >= 1);
    const toolCalls = calls.filter((c) => c.includes(testbed.urls.httpbin));
    assert.ok(toolCalls.length >= 1 && toolCalls.every((c) => c.startsWith('GET ')), toolCalls.join('\n'));
    const hosts = new Set(calls.map((c) => new URL(c.split(' ')[1]).origin));
    assert.deepEqual([...hosts].sort(), [new URL(llm.url).origin, testbed.urls.httpbin].sort(), 'no other host');
  });

  test('resumes from a checkpoint without repeating a step', async () => {
    // Scripted answers: the auto mode's text depends on the prompt, which carries call timings,
    // and the gate's verdicts (so the number of requests) would follow them.
    await llm.script({
      steps: [
        {
          match: 'explore one operation',
          json: { query: 'Please repeat hello harbour back to me', arguments: { message: 'hello harbour' } },
          times: 1000,
        },
        {
          match: 'rewrite the documentation of one operation',
          json: {
            description:
              "Echoes back the input string: the answer is one text block, 'Echo: ' followed by the message.",
            parameters: { message: 'The message to echo back, as a string.' },
            nextDirection: 'Try an empty message.',
          },
          times: 1000,
        },
        { match: 'calling one operation of a tool', json: { arguments: { message: 'hello harbour' } }, times: 1000 },
        {
          match: 'Your task: compare the documentation',
          json: { mismatches: [], missing: ['The answer format: one text block starting with Echo.'], suggestions: [] },
          times: 1000,
        },
        {
          match: 'Your task: write the description of a whole tool',
          json: { description: 'Tools of the everything server: echo repeats a message back.' },
          times: 1000,
        },
      ],
    });
    const doc = await listMcpTools(testbed.urls.everything);
    const config = {
      llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted' },
      tools: { mcpUrl: testbed.urls.everything },
      limits: { maxEpisodes: 2, only: ['echo'], concurrency: 1 },
    };
    const requests = async () => {
      const log = await llm.log();
      return (Array.isArray(log) ? log : (log.requests ?? [])).filter((r) =>
        /chat\/completions/.test(r.path ?? r.url ?? ''),
      ).length;
    };
    const r0 = await requests();
    const full = await new Refiner(config).run(doc);
    const fullRequests = (await requests()) - r0;
    const r2 = await requests();
    const controller = new AbortController();
    let saved;
    const first = await new Refiner(config)
      .run(doc, {
        signal: controller.signal,
        onCheckpoint: (s) => {
          saved = s;
          if (s.step === 4) controller.abort();
        },
      })
      .catch((e) => e);
    assert.ok(saved && saved.step >= 4, 'a state was saved before the abort');
    const firstCalls = first.report ? first.report.totals.modelCalls : saved.step;
    const r1 = await requests();
    const firstRequests = r1 - r2;
    const resumed = await new Refiner(config).run(doc, { resume: saved });
    const partRequests = (await requests()) - r1;
    assert.ok(fullRequests > 0);
    assert.equal(firstRequests + partRequests, fullRequests, `before the stop ${firstRequests}, after ${partRequests}`);
    assert.equal(resumed.report.operations[0].episodes, full.report.operations[0].episodes);
    assert.equal(resumed.report.totals.modelCalls, full.report.totals.modelCalls, 'no step repeated, none lost');
    assert.ok(firstCalls >= 1);
    const other = parseDoc(JSON.stringify({ tools: [{ name: 'x', inputSchema: { type: 'object' } }] }));
    await assert.rejects(
      new Refiner(config).run(other, { resume: saved }),
      (e) => e.name === 'StateMismatch' || e.name === 'UnknownOperation',
    );
  });

  test('held-out queries the rewrites never saw, then an evaluation of original against refined on them', async () => {
    await llm.script({ steps: [] }); // the auto mode again, whatever the test before left
    const doc = await listMcpTools(testbed.urls.everything);
    const original = exportDoc(doc, 'mcp').text;
    const config = {
      llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted' },
      tools: { mcpUrl: testbed.urls.everything },
      limits: { maxEpisodes: 1, only: ['echo', 'get-sum'] },
    };
    const run = await new Refiner(config).run(original);
    const held = await exploreHeldOut(config, original, { report: run.report, perOperation: 2 });
    const explored = new Set(run.report.operations.flatMap((o) => o.queries.map((q) => q.query)));
    assert.ok(held.items.length >= 1, JSON.stringify(held.skipped));
    assert.ok(
      held.items.every((i) => !explored.has(i.query)),
      'no held-out query was explored by the run',
    );
    assert.ok(held.toolCalls >= held.items.length, 'each item was verified by a call');
    assert.ok(held.exploredJsonl.trim().split('\n').length >= 1);
    const report = await evaluate({
      docs: [
        { label: 'original', text: original },
        { label: 'refined', text: run.text },
      ],
      queries: held.jsonl,
      llm: config.llm,
      resamples: 200,
    });
    assert.equal(report.scoredItems, held.items.length);
    assert.deepEqual(
      report.versions.map((v) => v.label),
      ['original', 'refined'],
    );
    assert.ok(report.comparisons.some((c) => c.metric === 'cp'));
  });
});

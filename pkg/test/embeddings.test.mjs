// Embedders through the npm API and the CLI (issue 12): an OpenAI-compatible /v1/embeddings
// endpoint (the scripted server, tests/servers/scripted-llm.mjs) counted per step, a host
// function, bad answers that fall back to the local embedding, the key kept out of what is
// written, and `calibrate` / `tooldraft calibrate`.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { Refiner, calibrate, parseDoc } from '../node.js';
import { embeddingsOptions } from '../lib/endpoint-options.mjs';
import { runTooldraft, startScriptedLlm } from './cli-run-helpers.mjs';

const KEY = 'emb-secret-7f3a9c21';
const SET = JSON.parse(await readFile(new URL('../lib/calibration-set.json', import.meta.url), 'utf8'));

// One tool, two operations, answered by a host function (no tool server needed).
const DOC = parseDoc(
  JSON.stringify({
    tools: [
      {
        name: 'get_weather',
        description: 'Weather.',
        annotations: { readOnlyHint: true },
        inputSchema: { type: 'object', properties: { city: { type: 'string', description: 'City.' } } },
      },
      {
        name: 'get_time',
        description: 'Time.',
        annotations: { readOnlyHint: true },
        inputSchema: { type: 'object', properties: { zone: { type: 'string', description: 'Zone.' } } },
      },
    ],
  }),
);
const callTool = async (operation, args) => ({ status: 200, json: { operation: operation.name, args, ok: true } });

let llm;
before(async () => {
  llm = await startScriptedLlm();
});
after(async () => {
  await llm?.stop();
});

function refiner(embeddings, extra = {}) {
  return new Refiner({
    llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted' },
    tools: { callTool },
    limits: { maxEpisodes: 3, concurrency: 1 },
    verify: { queries: 0 },
    embeddings,
    ...extra,
  });
}

describe('a remote embedder', () => {
  test('at most one /v1/embeddings request per explore step and accepted revision; counted, named, keyless output', async () => {
    await llm.clear();
    const { report, state } = await refiner({ baseUrl: llm.url, model: 'embed-x', apiKey: KEY }).run(DOC);
    const requests = (await llm.log()).filter((l) => l.path.endsWith('/embeddings'));
    assert.ok(requests.length > 0);
    assert.ok(requests.every((r) => r.headers.authorization === `Bearer ${KEY}`));
    assert.equal(report.embedder, 'openai-compatible:embed-x');
    assert.equal(report.totals.embeddingCalls, requests.length);
    let bound = 0;
    for (const o of report.operations) {
      assert.equal(o.embedder, 'openai-compatible:embed-x');
      const explores = o.usage.explorer.calls;
      const accepted = o.revisions.slice(1).filter((r) => r.accepted).length;
      assert.ok(o.embeddingCalls <= explores - 1 + accepted, `${o.embeddingCalls} > ${explores} - 1 + ${accepted}`);
      assert.equal(o.usage.embeddings.calls, o.embeddingCalls);
      assert.ok(o.usage.embeddings.promptTokens > 0);
      bound += explores - 1 + accepted;
    }
    assert.ok(requests.length <= bound);
    // Each text crosses once: φ and Δ share one cache.
    const texts = requests.flatMap((r) => r.body.input);
    assert.equal(new Set(texts).size, texts.length);
    for (const written of [JSON.stringify(report), JSON.stringify(state)]) assert.ok(!written.includes(KEY));
  });

  test('an endpoint that is down: a clear warning, the local embedding for the rest, said in the report', async () => {
    const events = [];
    const { report } = await refiner({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'gone',
      retry: { maxAttempts: 1 },
    }).run(DOC, {
      onEvent: (e) => events.push(e),
    });
    assert.match(report.embedderFallback, /openai-compatible:gone failed .*local-hashed-512/);
    assert.ok(report.operations.every((o) => o.embedder === 'local-hashed-512'));
    assert.equal(events.filter((e) => e.type === 'warning' && e.message === report.embedderFallback).length, 1);
  });
});

describe('a host embedder', () => {
  test('its vectors measure φ and Δ; NaN in its answer gives it up for the local embedding', async () => {
    let calls = 0;
    const local = (texts) => texts.map((t) => [t.length % 7, 1, (t.split(' ').length % 5) + 1]);
    const { report } = await refiner({
      provider: 'host',
      name: 'editor',
      embed: async (texts) => {
        calls++;
        return { vectors: local(texts), promptTokens: 3 };
      },
    }).run(DOC);
    assert.ok(calls > 0);
    assert.equal(report.embedder, 'host:editor');
    assert.equal(report.embedderFallback, undefined);
    const bad = await refiner({ provider: 'host', embed: async (texts) => texts.map(() => [NaN, 1, 2]) }).run(DOC);
    assert.match(bad.report.embedderFallback, /host:host failed .*finite/);
    assert.ok(bad.report.operations.every((o) => o.embedder === 'local-hashed-512'));
  });

  test('a config without embed is refused', () => {
    assert.throws(
      () => refiner({ provider: 'host' }),
      (e) => e.name === 'InvalidConfig' && /embeddings.embed is required/.test(e.message),
    );
  });
});

describe('calibrate', () => {
  test('the local embedder on the shipped set: its separation and its shipped thresholds', async () => {
    const c = await calibrate(SET);
    assert.equal(c.embedder, 'local-hashed-512');
    assert.equal(c.pairs, SET.pairs.length);
    assert.ok(c.queryAuc > 0.8, String(c.queryAuc));
    assert.deepEqual(c.thresholds, c.shipped);
  });

  test('an endpoint: one request per 64 texts; a wrong count is a clear error', async () => {
    await llm.clear();
    const c = await calibrate(SET, { embeddings: { baseUrl: llm.url, model: 'embed-x' } });
    assert.equal(c.requests, Math.ceil(SET.texts.length / 64));
    assert.ok(c.queryAuc > 0.5);
    await assert.rejects(
      calibrate(SET, { embeddings: { provider: 'host', embed: async (texts) => texts.slice(1).map(() => [1, 0]) } }),
      (e) => e.name === 'EmbeddingsBadAnswer' && /vectors for/.test(e.message),
    );
  });

  test('tooldraft calibrate prints the figures; --json one object', async () => {
    const r = await runTooldraft(['calibrate']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /separation \(ROC AUC\): queries same API vs other API 0\.\d{3}/);
    assert.match(r.stdout, /calibrated: φ 0\.\d\d/);
    const j = await runTooldraft(['calibrate', '--json', '--embeddings-url', llm.url, '--embeddings-model', 'embed-x']);
    assert.equal(j.code, 0, j.stderr);
    assert.equal(JSON.parse(j.stdout).embedder, 'openai-compatible:embed-x');
    const bad = await runTooldraft([
      'calibrate',
      '--embeddings-url',
      'http://127.0.0.1:9/v1',
      '--embeddings-model',
      'x',
    ]);
    assert.equal(bad.code, 3, bad.stderr);
    assert.match(bad.stderr, /calibration failed: embeddings endpoint http:\/\/127\.0\.0\.1:9\/v1\/embeddings/);
  });
});

describe('CLI embeddings options', () => {
  const chat = {
    llm: { provider: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', model: 'm', apiKey: 'chat-key-123' },
    local: false,
  };
  test("the chat key goes only to the chat endpoint's origin; --embeddings-key-env wins", () => {
    const same = embeddingsOptions({ 'embeddings-model': 'e' }, {}, 'refine', chat);
    assert.deepEqual(same.embeddings, {
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'e',
      apiKey: 'chat-key-123',
    });
    const other = embeddingsOptions(
      { 'embeddings-url': 'http://127.0.0.1:9090/v1', 'embeddings-model': 'e' },
      {},
      'refine',
      chat,
    );
    assert.equal(other.embeddings.apiKey, undefined);
    const own = embeddingsOptions(
      { model: 'm', 'embeddings-url': 'http://127.0.0.1:9090/v1', 'embeddings-key-env': 'EK' },
      { EK: 'emb-key-456' },
      'refine',
      chat,
    );
    assert.deepEqual([own.embeddings.apiKey, own.embeddings.model, own.secrets], ['emb-key-456', 'm', ['emb-key-456']]);
    assert.deepEqual(embeddingsOptions({}, {}, 'refine', chat), { local: false, secrets: [] });
    assert.throws(
      () => embeddingsOptions({ 'embeddings-url': 'ftp://x', 'embeddings-model': 'e' }, {}, 'refine', chat),
      /http\(s\) URL/,
    );
  });
});

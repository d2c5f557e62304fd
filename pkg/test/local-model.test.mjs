// A smoke run on the real embedded model (SmolLM2-135M through node-llama-cpp): one
// operation, one episode, against the real MCP server-everything. It proves the loop runs on
// a real model end to end; it says nothing about the quality of the rewrite.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Refiner, evaluate, exportDoc, listMcpTools } from '../node.js';
import { startLocalLlm } from '../lib/serve-llm.mjs';
import { startTestbed } from '../../tests/servers/testbed.mjs';

let llm;
let testbed;
before(async () => {
  llm = await startLocalLlm({ port: 0, threads: 1 });
  testbed = await startTestbed(['everything']);
});
after(async () => {
  await llm?.close();
  await testbed?.stop();
});

test('one operation, one episode on the local model', { timeout: 600_000 }, async () => {
  const doc = await listMcpTools(testbed.urls.everything);
  const events = [];
  const refiner = new Refiner({
    llm: { provider: 'openai', baseUrl: llm.url, model: 'local', maxTokens: 256 },
    tools: { mcpUrl: testbed.urls.everything },
    limits: { maxEpisodes: 1, concurrency: 1, only: ['echo'] },
  });
  const result = await refiner.run(doc, { onEvent: (e) => events.push(e) });
  const [op] = result.report.operations;
  assert.equal(op.id, 'echo');
  assert.ok(op.termination, 'the operation says why it stopped');
  assert.ok(op.modelCalls >= 1, 'the real model answered');
  assert.ok(result.report.totals.tokens > 0, 'tokens are counted');
  assert.equal(events.at(-1).type, 'runFinished');
  assert.ok(typeof result.text === 'string');
});

test('an evaluation item on the local model', { timeout: 300_000 }, async () => {
  const doc = exportDoc(await listMcpTools(testbed.urls.everything), 'mcp').text;
  const queries =
    '{"query": "Please echo back the words hello world", "gold": ["echo"], "candidates": ["echo", "get-sum"]}';
  const report = await evaluate({
    docs: [
      { label: 'a', text: doc },
      { label: 'b', text: doc },
    ],
    queries,
    llm: { provider: 'openai', baseUrl: llm.url, model: 'local', maxTokens: 128 },
    resamples: 100,
  });
  assert.equal(report.scoredItems, 1);
  assert.equal(report.versions.length, 2);
  for (const v of report.versions)
    assert.equal(v.items.length, 1, 'the item is scored (or its error shown), never dropped');
});

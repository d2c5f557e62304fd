// `tooldraft refine` → `tooldraft holdout` → `tooldraft evaluate`, end to end against the
// real MCP server-everything and the scripted model: the held-out queries are new (none was
// explored by the run), each verified by a call, and the evaluation scores them.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { exportDoc, listMcpTools } from '../node.js';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { tempDir } from './helpers.mjs';
import { runTooldraft, startScriptedLlm } from './cli-run-helpers.mjs';

let llm;
let testbed;
before(async () => {
  llm = await startScriptedLlm();
  testbed = await startTestbed(['everything']);
});
after(async () => {
  await llm?.stop();
  await testbed?.stop();
});

test('held-out queries from a run, then an evaluation on them', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const original = join(dir, 'tools.json');
    await writeFile(original, exportDoc(await listMcpTools(testbed.urls.everything), 'mcp').text);
    const model = ['--llm-url', llm.url, '--model', 'scripted', '--mcp-url', testbed.urls.everything];
    const refined = join(dir, 'refined.json');
    const report = join(dir, 'run.json');
    const r1 = await runTooldraft([
      'refine',
      original,
      '-o',
      refined,
      ...model,
      '--only',
      'echo,get-sum',
      '--max-episodes',
      '1',
      '--report',
      report,
      '--quiet',
    ]);
    assert.equal(r1.code, 0, r1.stderr);

    const heldOut = join(dir, 'held-out.jsonl');
    const explored = join(dir, 'explored.jsonl');
    const r2 = await runTooldraft([
      'holdout',
      original,
      '--report',
      report,
      '-o',
      heldOut,
      '--explored',
      explored,
      ...model,
      '--only',
      'echo,get-sum',
    ]);
    assert.equal(r2.code, 0, r2.stderr);
    assert.match(r2.stderr, /wrote \d+ held-out quer/);
    const items = (await readFile(heldOut, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const seen = (await readFile(explored, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).query);
    assert.ok(items.length >= 1 && items.every((i) => ['echo', 'get-sum'].includes(i.gold[0])));
    assert.ok(
      items.every((i) => !seen.includes(i.query)),
      'no held-out query was explored by the run',
    );

    const r3 = await runTooldraft([
      'evaluate',
      '--docs',
      original,
      '--docs',
      refined,
      '--queries',
      heldOut,
      '--llm-url',
      llm.url,
      '--model',
      'scripted',
      '--json',
      '--quiet',
    ]);
    assert.equal(r3.code, 0, r3.stderr);
    const evaluation = JSON.parse(r3.stdout);
    assert.equal(evaluation.scoredItems, items.length);
    assert.deepEqual(
      evaluation.versions.map((v) => v.label),
      ['tools', 'refined'],
    );

    const r4 = await runTooldraft([
      'holdout',
      original,
      '-o',
      join(dir, 'x.jsonl'),
      '--llm-url',
      llm.url,
      '--model',
      'scripted',
    ]);
    assert.equal(r4.code, 2, 'an MCP document has no server URL: a tool target is required');
    assert.match(r4.stderr, /--mcp-url or --base-url/);
  } finally {
    await cleanup();
  }
});

// Adversarial: a hostile model server (tests/servers/scripted-llm.mjs scripted by
// tests/adversarial/hostile-model.mjs) driving the real CLI: answers that are not JSON, cut
// short, empty, megabytes long, with absurd token counts, copying the tool's injections; and
// model endpoints (OpenAI-compatible and Anthropic) that redirect to another origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hostileOpenApi, plainOpenApi } from './hostile-servers.mjs';
import { brokenModelScript, redirectingModelScript, rogueModelScript } from './hostile-model.mjs';
import {
  assertClearEnd,
  assertNoHostileDoc,
  assertNoSecrets,
  assertNothingReachedOtherOrigin,
  refine,
  startWorld,
} from './harness.mjs';

let world;
let broken;
let rogue;
const redirected = {};

before(async () => {
  world = await startWorld();
  const tool = { doc: hostileOpenApi(), target: ['--base-url', world.tools.url], extra: ['--only', 'getReport'] };
  broken = await refine(world, 'broken', {
    ...tool,
    script: brokenModelScript(),
    extra: ['--only', 'getReport,getStatus', '--max-episodes', '3', '--concurrency', '1'],
  });
  // The one-off hostile answers that the run did not ask for (all should have been served).
  const left = await (await fetch(`${world.llm.base}/__script`)).json();
  broken.unserved = left.steps
    .filter((s) => s.times === undefined)
    .map((s) => `${s.match}: ${s.fault ?? Object.keys(s).join('+')}`);
  rogue = await refine(world, 'rogue', {
    doc: plainOpenApi(),
    target: ['--base-url', world.tools.url],
    script: rogueModelScript(),
    extra: ['--max-episodes', '3'],
  });
  const openai = ['--llm-url', world.llm.url, '--model', 'hostile', '--api-key-env', 'MODEL_KEY'];
  redirected.openai = await refine(world, 'redirect-openai', {
    ...tool,
    model: openai,
    script: redirectingModelScript(`${world.recorder.url}/v1/chat/completions`),
  });
  const anthropic = [
    '--provider',
    'anthropic',
    '--llm-url',
    world.llm.base,
    '--model',
    'claude-hostile',
    '--api-key-env',
    'MODEL_KEY',
  ];
  redirected.anthropic = await refine(world, 'redirect-anthropic', {
    ...tool,
    model: anthropic,
    script: redirectingModelScript(`${world.recorder.url}/v1/messages`),
  });
});

after(async () => {
  await world?.stop();
});

describe('adversarial: a broken and turned model', () => {
  test('the run ends clearly: no crash, no hang, a summary', () => {
    assertClearEnd(broken, [0]);
    assert.match(broken.stderr, /tooldraft: text improved in \d+ of 2 operation/);
    assert.deepEqual(broken.unserved, [], 'every hostile answer was served');
  });

  test('no hostile string reaches the refined document, in any export format', () => {
    assertNoHostileDoc(broken);
  });

  test('no secret in any output', () => {
    assertNoSecrets(broken);
  });

  test('absurd token counts do not poison the totals', () => {
    const totals = JSON.parse(broken.files.report).result.report.totals;
    assert.ok(Number.isFinite(totals.tokens) && totals.tokens >= 0, `tokens ${totals.tokens}`);
    for (const u of Object.values(totals.usage)) assert.ok(u.completionTokens >= 0, JSON.stringify(u));
  });
});

// The rewrite gate rejects instructions a rewrite copied from tool output (issue 10, item 3),
// and instructions to agents a model wrote of its own accord (override, addressed to agents,
// exfiltration, hidden text) unless the original documentation says them.
describe('adversarial: a model that injects on its own (the tool said nothing of the kind)', () => {
  test('no hostile string reaches the refined document, in any export format', () => {
    assertClearEnd(rogue, [0]);
    assertNoHostileDoc(rogue);
  });
});

describe('adversarial: a model endpoint that redirects to another origin', () => {
  for (const provider of ['openai', 'anthropic']) {
    test(`${provider}: the key never follows the redirect; exit 3 with the reason`, () => {
      const run = redirected[provider];
      assertClearEnd(run, [3]);
      assert.match(run.stderr, /redirect/i);
      assert.equal(run.files.doc, null, 'no refined document');
      assertNoSecrets(run);
      assertNothingReachedOtherOrigin(world.recorder);
    });
  }
});

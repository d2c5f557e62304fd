// Adversarial: a hostile MCP server (Streamable HTTP, tests/adversarial/hostile-servers.mjs)
// refined end to end by the real CLI, with a model that obeys the injections it reads; and an
// MCP endpoint that redirects to another origin.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { hostileMcpDoc } from './hostile-servers.mjs';
import { turnedModelScript } from './hostile-model.mjs';
import {
  assertClearEnd,
  assertInertHtml,
  assertNoHostileDoc,
  assertNoSecrets,
  assertNothingReachedOtherOrigin,
  refine,
  startWorld,
} from './harness.mjs';

let world;
let run;
let moved;
let file;
const op = (id) => file.operations.find((o) => o.id === id);
const called = (name) => world.tools.requests.filter((q) => q.tool === name).length;

before(async () => {
  world = await startWorld();
  run = await refine(world, 'mcp', {
    doc: hostileMcpDoc(),
    target: ['--mcp-url', `${world.tools.url}/mcp`],
    script: turnedModelScript({ tool: 'mcp' }),
  });
  file = run.files.report ? JSON.parse(run.files.report) : null;
  moved = await refine(world, 'mcp-moved', {
    doc: hostileMcpDoc(),
    target: ['--mcp-url', `${world.tools.url}/mcp-moved`],
    script: turnedModelScript({ tool: 'mcp' }),
    extra: ['--only', 'get_report'],
  });
});

after(async () => {
  await world?.stop();
});

describe('adversarial: a hostile MCP server', () => {
  test('the run ends clearly: exit 0, a summary, no stack, in time', () => {
    assertClearEnd(run, [0]);
    assert.match(run.stderr, /tooldraft: text improved in \d+ of 7 operation/);
    assert.deepEqual(run.events.at(-1), { type: 'runFinished', cancelled: false });
  });

  test('destructive tools are never called: deleteAllUsers (as documented), wipe_cache (the live server says destructive; the document says read-only)', () => {
    assert.ok(called('get_report') > 0, 'the server was called at all');
    assert.equal(called('deleteAllUsers'), 0, 'deleteAllUsers was called');
    assert.equal(
      called('wipe_cache'),
      0,
      "wipe_cache was called: the document's read-only claim beat the live server's destructive annotation",
    );
  });

  test("no secret in any output: the user's keys and the secrets of the tool's environment dump", () => {
    assertNoSecrets(run);
  });

  test('no hostile string reaches the refined document, in any export format', () => {
    assertNoHostileDoc(run);
  });

  test('the HTML report shows the hostile answers as text', () => {
    assertInertHtml(run);
  });

  test('hostile answers are evidence, not crashes: 4 MB of text, invalid UTF-8 in the event stream, a stream that trickles past the timeout', () => {
    const obs = (id) => op(id).trails[0]?.observation;
    assert.ok(obs('export_reports').truncated, 'the 4 MB answer is cut to the evidence cap');
    assert.equal(obs('get_legacy').isError, false);
    assert.match(JSON.stringify(obs('get_legacy')), /caf/);
    const codes = op('get_feed').errors.map((e) => e.code);
    assert.ok(
      codes.length > 0 && codes.every((c) => c === 'Timeout'),
      `the stream that trickles is a timeout: ${codes}`,
    );
    for (const [name, text] of Object.entries(run.files))
      assert.ok((text?.length ?? 0) < 4 * 1024 * 1024, `${name} is ${text?.length} bytes`);
  });
});

describe('adversarial: an MCP endpoint that redirects to another origin', () => {
  test('exit 3 with a message about the redirect; nothing reaches the other origin', () => {
    assertClearEnd(moved, [3]);
    assert.match(moved.stderr, /redirect/i);
    assert.equal(moved.files.doc, null, 'no refined document');
    assertNothingReachedOtherOrigin(world.recorder);
    assertNoSecrets(moved);
  });
});

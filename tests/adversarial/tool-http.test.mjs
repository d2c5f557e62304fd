// Adversarial: a hostile HTTP API (tests/adversarial/hostile-servers.mjs) refined end to end by
// the real CLI, with a model that obeys the injections it reads. One run, every operation
// hostile in its own way; then one assertion per property that must hold.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OTHER_ORIGIN_BODY } from './hostile-content.mjs';
import { hostileOpenApi } from './hostile-servers.mjs';
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
let file;
const op = (id) => file.operations.find((o) => o.id === id);

before(async () => {
  world = await startWorld();
  run = await refine(world, 'http', {
    doc: hostileOpenApi(),
    target: ['--base-url', world.tools.url],
    // The turned model also tries to step out of a route: ids [".."] in /items/{ids}/details.
    script: turnedModelScript({ tool: 'Reports', explore: [['getItemDetails', { ids: ['..'] }]] }),
  });
  file = run.files.report ? JSON.parse(run.files.report) : null;
});

after(async () => {
  await world?.stop();
});

describe('adversarial: a hostile HTTP API', () => {
  test('the run ends clearly: exit 0, a summary, no stack, in time, every operation accounted for', () => {
    assertClearEnd(run, [0]);
    assert.match(run.stderr, /tooldraft: text improved in \d+ of 9 operation/);
    assert.match(
      run.stderr,
      /getFeed: \d+ step\(s\) failed; the last: Timeout: .*timed out/,
      'the summary names the operation whose call failed',
    );
    assert.deepEqual(run.events.at(-1), { type: 'runFinished', cancelled: false });
    assert.equal(file.operations.length, 9);
  });

  test('a cross-origin redirect reaches nothing at the other origin, and is an error naming both origins', () => {
    assertNothingReachedOtherOrigin(world.recorder);
    const mirror = op('getMirror');
    const text = JSON.stringify(mirror.trails);
    assert.ok(!text.includes(OTHER_ORIGIN_BODY), "the other origin's answer is not recorded as the tool's");
    assert.ok(
      text.includes(world.tools.url.replace('http://', '')) && text.includes(world.recorder.url.replace('http://', '')),
      `the error names both origins: ${text.slice(0, 600)}`,
    );
  });

  test('a same-origin redirect is followed: the answer is the final URL', () => {
    const moved = op('getMoved').trails[0].observation;
    assert.equal(moved.status, 200);
    assert.match(JSON.stringify(moved.json ?? moved.body), /Quarterly report/);
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

  test('the turned model was judged: the injections it copied were rejected with the reason; what the tool said is withheld and listed', () => {
    const rejected = file.operations.flatMap((o) =>
      o.revisions.filter((r) => !r.accepted && /from the tool's output/.test(r.reason ?? '')),
    );
    assert.ok(rejected.length >= 3, `rewrites rejected for copying from the tool's output: ${rejected.length}`);
    const engine = Object.fromEntries(file.result.report.operations.map((o) => [o.id, o]));
    assert.ok(engine.getReport.withheld?.length > 0, 'the injections of getReport are listed as withheld');
    assert.ok(engine.getStatus.withheld?.length > 0, 'the secrets of getStatus are listed as withheld');
    assert.equal(engine.getStatus.sensitive, true);
    assert.match(
      run.stderr,
      /warning: getStatus: its responses carried \d+ value\(s\) that look like secrets/,
      'the CLI names the operation',
    );
  });

  test('a path argument cannot step to another route: the server saw only documented paths', () => {
    const documented = [/^\/$/, /^\/(report|env|export|tree|legacy|feed|moved|mirror)$/, /^\/items\/[^/]+\/details$/];
    const strays = world.tools.requests.map((q) => q.path).filter((p) => !documented.some((re) => re.test(p)));
    assert.deepEqual(strays, [], 'requests outside the documented routes');
  });

  test('hostile bodies are evidence, not crashes: 20 MB, 20,000 levels deep, invalid UTF-8, a drip past the timeout', () => {
    const obs = (id) => op(id).trails[0]?.observation;
    const huge = obs('exportReports');
    assert.equal(huge.status, 200);
    assert.ok(huge.truncated, 'the 20 MB body is cut to the evidence cap');
    assert.ok(huge.bodyBytes >= 20 * 1024 * 1024, `its size is recorded (${huge.bodyBytes})`);
    assert.equal(obs('getTree').status, 200);
    assert.equal(obs('getLegacy').status, 200);
    const feed = op('getFeed');
    const codes = feed.errors.map((e) => e.code);
    assert.ok(
      codes.length > 0 && codes.every((c) => c === 'Timeout'),
      `the drip is a timeout of that operation, not of the run: ${codes}`,
    );
    // Nothing holds the 20 MB: every output stays small.
    for (const [name, text] of Object.entries(run.files))
      assert.ok((text?.length ?? 0) < 4 * 1024 * 1024, `${name} is ${text?.length} bytes`);
  });
});

// `make demo` on the real embedded model (SmolLM2-135M) and the real server-memory: its output
// is never worse than its input. The doc-quality benchmark's scorer compares the refined doc
// with the demo's planted input over every operation (0 regressions, 0 invented
// parameters), evidence repairs at least one planted defect, and the closing summary names
// every operation and why the destructive one was not called. Bounded: one run of the demo
// with one episode per operation and without the web app (under a minute on 2 idle cores;
// the timeout leaves room for a machine shared with other work).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEFECTS } from '../../bench/quality/defects.mjs';
import { plant } from '../../bench/quality/docs.mjs';
import { scoreSource } from '../../bench/quality/score.mjs';
import { ROOT } from './cli-run-helpers.mjs';

const out = mkdtempSync(join(tmpdir(), 'tooldraft-demo-test-'));
let child;
after(async () => {
  // The demo stops what it started on SIGINT (a test that timed out leaves nothing behind).
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGINT');
    await new Promise((r) => child.once('close', r));
  }
  rmSync(out, { recursive: true, force: true });
});

test('make demo: the output is never worse than its input, and the summary says what happened', {
  timeout: 600_000,
}, async () => {
  const started = Date.now();
  const { code, stderr } = await new Promise((resolve) => {
    child = spawn(process.execPath, [join(ROOT, 'scripts/demo.mjs'), '--no-serve', '--episodes', '1', '--out', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('close', (c) => resolve({ code: c, stderr: err }));
  });
  const seconds = (Date.now() - started) / 1000;
  assert.equal(code, 0, stderr.slice(-3000));
  const read = (f) => JSON.parse(readFileSync(join(out, f), 'utf8'));
  const truth = read('original-tools.json');
  const input = read('memory-tools.json');
  const output = read('refined-tools.json');
  // The input is the real doc with the demo's planted defects, nothing else.
  const { docs, planted } = plant(
    { memory: truth },
    DEFECTS.filter((d) => ['M02', 'M03', 'M05', 'M10'].includes(d.id)),
  );
  assert.deepEqual(input, docs.memory);
  const score = scoreSource('memory', truth, input, output, planted);
  assert.deepEqual(score.invented, [], 'no invented parameters');
  assert.deepEqual(
    score.regressions.map(
      (r) => `${r.op} ${r.where}: ${r.why} (${JSON.stringify(r.before)} -> ${JSON.stringify(r.after)})`,
    ),
    [],
    'no part of the doc got worse',
  );
  assert.ok(
    score.defects.some((d) => d.fixed),
    `evidence repaired a planted defect: ${JSON.stringify(score.defects)}`,
  );
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping the terminal's ANSI colour codes is the point
  const plain = stderr.replace(/\x1b\[[0-9;]*m/g, '');
  assert.match(plain, /what the run did:/);
  for (const op of ['create_entities', 'search_nodes', 'open_nodes', 'delete_entities'])
    assert.match(plain, new RegExp(`\\[demo\\]\\s+${op}: `), op);
  assert.match(plain, /delete_entities: not called: .+/);
  assert.match(plain, /planted defects repaired: [1-4] of 4/);
  assert.match(plain, /never worse: no part of the input doc got worse/);
  process.stderr.write(`# demo test: ${Math.round(seconds)} s\n`);
});

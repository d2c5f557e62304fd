// The adversarial suite's harness: starts the hostile servers and the scripted model, runs the
// real built CLI (`node pkg/bin/tooldraft.mjs refine …`) with a tool key given by
// --header-env and a model key by environment variable, and reads back everything the run
// wrote (the refined doc, --report, --html, --state, the --json events, stderr) for the
// assertions: nothing reached the other origin, no secret anywhere, no hostile string in the
// refined doc in any export format, a clear end.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { exportDoc, parseDoc } from '../../pkg/node.js';
import { runTooldraft, startScriptedLlm } from '../../pkg/test/cli-run-helpers.mjs';
import { noStack, tempDir } from '../../pkg/test/helpers.mjs';
import { USER_KEYS, allSecrets, hostileIn, secretsIn } from './hostile-content.mjs';
import { startHostileTools, startRecorder } from './hostile-servers.mjs';

/** Every format a refined document can be exported to. */
export const EXPORT_FORMATS = ['openapi', 'swagger', 'mcp', 'openai', 'anthropic', 'toolbench', 'restbench'];

/** No run may take longer than this (the slowest hostile answer, the drip, is cut by --timeout 5). */
export const RUN_LIMIT_MS = 60_000;

/** The other origin, the hostile tool server, the scripted model and a temporary folder. */
export async function startWorld() {
  const [recorder, llm, tmp] = await Promise.all([startRecorder(), startScriptedLlm(), tempDir()]);
  const tools = await startHostileTools(recorder.url);
  return {
    recorder,
    tools,
    llm,
    dir: tmp.dir,
    stop: () => Promise.all([recorder.close(), tools.close(), llm.stop(), tmp.cleanup()]),
  };
}

/**
 * Writes `doc` to a file, scripts the model, runs `tooldraft refine` on it with every output
 * and returns the process's result with what it wrote.
 * @param {object} world from startWorld
 * @param {string} name a file-name prefix for this run
 * @param {{doc: object, target: string[], script: object, model?: string[], extra?: string[]}} options
 */
export async function refine(world, name, { doc, target, script, model, extra = [] }) {
  const file = (suffix) => join(world.dir, `${name}.${suffix}`);
  const paths = {
    doc: file('refined.json'),
    report: file('report.json'),
    html: file('report.html'),
    state: file('state.json'),
  };
  await writeFile(file('input.json'), JSON.stringify(doc, null, 2));
  await world.llm.script(script);
  await world.llm.clear();
  const started = Date.now();
  const r = await runTooldraft(
    [
      'refine',
      file('input.json'),
      '-o',
      paths.doc,
      ...(model ?? ['--llm-url', world.llm.url, '--model', 'hostile', '--api-key-env', 'MODEL_KEY']),
      ...target,
      '--header-env',
      'X-Api-Key=TOOL_KEY',
      '--max-episodes',
      '1',
      '--concurrency',
      '4',
      '--timeout',
      '5',
      '--report',
      paths.report,
      '--html',
      paths.html,
      '--state',
      paths.state,
      '--json',
      ...extra,
    ],
    { env: USER_KEYS, timeoutMs: RUN_LIMIT_MS + 30_000 },
  );
  const ms = Date.now() - started;
  const files = {};
  for (const [k, p] of Object.entries(paths)) files[k] = await readFile(p, 'utf8').catch(() => null);
  const events = r.stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return { ...r, ms, files, events, input: JSON.stringify(doc) };
}

/** The run ended on its own, in time, with an exit code of the documented kind and a plain message. */
export function assertClearEnd(run, codes = [0]) {
  assert.ok(run.ms < RUN_LIMIT_MS, `the run took ${run.ms} ms`);
  assert.equal(run.signal, null, 'the run was not killed');
  assert.ok(codes.includes(run.code), `exit code ${run.code} (expected one of ${codes}):\n${run.stderr.slice(-2000)}`);
  assert.ok(noStack(run.stderr), `no stack trace on stderr:\n${run.stderr.slice(-2000)}`);
  assert.doesNotMatch(run.stderr, /internal error|panicked|RuntimeError|unreachable/i);
  const last = run.stderr.trim().split('\n').at(-1) ?? '';
  assert.match(last, /^tooldraft: /, `the last stderr line says what happened: ${last}`);
}

/** Everything the run wrote, by name. */
function outputs(run) {
  return {
    stdout: run.stdout,
    stderr: run.stderr,
    ...Object.fromEntries(Object.entries(run.files).filter(([, t]) => t !== null)),
  };
}

/** No secret (the user's keys, the tool's own) in any output: the doc, the run file, the HTML, the state, the events, stderr. */
export function assertNoSecrets(run, secrets = allSecrets()) {
  const leaks = Object.entries(outputs(run))
    .map(([where, text]) => [where, secretsIn(text, secrets)])
    .filter(([, found]) => found.length > 0);
  assert.ok(
    leaks.length === 0,
    `secrets leaked (output: secret names): ${leaks.map(([w, f]) => `${w}: ${f.join(', ')}`).join('; ')}`,
  );
}

/** No hostile string in the refined document, in its own format and exported to every other one. */
export function assertNoHostileDoc(run) {
  assert.deepEqual(hostileIn(run.input), [], 'the input document is clean (the check means something)');
  assert.ok(run.files.doc, 'the refined document was written');
  const doc = parseDoc(run.files.doc);
  const found = [['as written', hostileIn(run.files.doc)]];
  for (const f of EXPORT_FORMATS) found.push([f, hostileIn(exportDoc(doc, f).text)]);
  const hits = found.filter(([, h]) => h.length > 0);
  assert.ok(
    hits.length === 0,
    `hostile text in the refined document (format: markers): ${hits.map(([f, h]) => `${f}: ${h.join(', ')}`).join('; ')}`,
  );
}

/** Nothing reached the other origin (a request carrying a key would be the worst of it). */
export function assertNothingReachedOtherOrigin(recorder) {
  const keys = Object.values(USER_KEYS);
  const carrying = recorder.requests.filter((q) => keys.some((k) => JSON.stringify(q).includes(k)));
  const shown = (qs) => qs.map((q) => `${q.method} ${q.url}`).join(', ');
  assert.ok(carrying.length === 0, `requests that carried a user key to the other origin: ${shown(carrying)}`);
  assert.ok(recorder.requests.length === 0, `requests that reached the other origin: ${shown(recorder.requests)}`);
}

/** The HTML report shows hostile text as text: escaped, under a CSP without scripts or forms. */
export function assertInertHtml(run) {
  const page = run.files.html;
  assert.ok(page, 'the HTML report was written');
  assert.match(page, /default-src 'none'[^"]*form-action 'none'/);
  assert.doesNotMatch(page, /<script|<form|<meta http-equiv="refresh"/i);
  for (const raw of ['<|im_start|>', '<<SYS>>', '<</SYS>>']) assert.ok(!page.includes(raw), `${raw} is escaped`);
  assert.ok(
    page.includes('&lt;|im_start|&gt;') || page.includes('&lt;&lt;SYS&gt;&gt;'),
    'the hostile text is there, escaped',
  );
}

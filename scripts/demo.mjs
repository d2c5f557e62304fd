#!/usr/bin/env node
// `make demo`: the main job on the embedded defaults, offline.
//   1. starts the embedded local model (SmolLM2-135M through node-llama-cpp) on 127.0.0.1;
//   2. starts a sandboxed real tool: the MCP server-memory behind supergateway, on 127.0.0.1,
//      with a minimal environment and its memory file in a fresh temporary folder;
//   3. reads its tools (MCP tools/list) and plants defects that calling the tools reveals (the
//      doc-quality benchmark's M02, M03, M05, M10: two response schemas removed, two required
//      flags dropped), so that the run has something evidence can repair; refines the planted
//      doc with the CLI, live progress: writes are allowed (the sandbox is thrown away),
//      destructive calls are not;
//   4. writes the real and the planted doc, the refined doc, the JSON report (the web app's run
//      file), the HTML report and the run state into demo-output/ (or --out);
//   5. prints what improved, what was refused and why, which planted defects were repaired,
//      and whether any part of the doc got worse (scripts/demo-summary.mjs);
//   6. serves the web app with the run loaded and prints its URL; Ctrl-C stops everything.
// Options: --episodes N (default 2), --only a,b (default create_entities,search_nodes,open_nodes,delete_entities),
//          --no-serve (stop after the run), --threads N, --out DIR (default demo-output).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORT, startLocalLlm } from '../pkg/lib/serve-llm.mjs';
import { DEFECTS } from '../bench/quality/defects.mjs';
import { plant } from '../bench/quality/docs.mjs';
import { mcpSession } from '../bench/quality/probe.mjs';
import { seedMemory } from '../bench/quality/check.mjs';
import { demoSummary } from './demo-summary.mjs';
import { startTestbed } from '../tests/servers/testbed.mjs';
import { startServer } from '../www/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The planted defects of the demo's input (bench/quality/defects.mjs). */
const DEMO_DEFECTS = ['M02', 'M03', 'M05', 'M10'];
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(ROOT, 'demo-output') },
    episodes: { type: 'string', default: '2' },
    only: { type: 'string', default: 'create_entities,search_nodes,open_nodes,delete_entities' },
    serve: { type: 'boolean', default: true },
    'no-serve': { type: 'boolean' },
    threads: { type: 'string' },
  },
});
const OUT = resolve(values.out);
/** A path as the user would type it: relative inside the checkout, absolute elsewhere. */
const shown = (p) => (p.startsWith(ROOT) ? relative(ROOT, p) : p);
const say = (s) => process.stderr.write(`\x1b[1m[demo]\x1b[0m ${s}\n`);
const cleanups = [];
/** Starts under way (the model, the tool): a Ctrl-C waits for them, then stops what they started. */
const starting = new Set();
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  await Promise.allSettled([...starting]);
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(code);
}
/** Thrown once stopping began, so the main flow goes no further. */
class Stopping extends Error {}
/**
 * Awaits a start and registers `stop` for what it started, even when a Ctrl-C came while it
 * was under way (stopAll waits for it, so nothing started is left running).
 * @template T
 * @param {Promise<T>} start
 * @param {(thing: T) => Promise<unknown> | unknown} stop
 * @returns {Promise<T>}
 */
async function track(start, stop) {
  const registered = start.then((thing) => {
    cleanups.push(async () => stop(thing));
    return thing;
  });
  starting.add(registered);
  try {
    const thing = await registered;
    if (stopping) throw new Stopping();
    return thing;
  } finally {
    starting.delete(registered);
  }
}
process.on('SIGINT', () => {
  say('stopping everything the demo started');
  stopAll(130);
});
process.on('SIGTERM', () => stopAll(143));

try {
  mkdirSync(OUT, { recursive: true });
  say('starting the embedded local model (SmolLM2-135M-Instruct) on 127.0.0.1');
  // On serve-llm's port when it is free: the web app's Set up points there by default.
  const llmOptions = { threads: values.threads ? Number(values.threads) : undefined, log: () => {} };
  const llm = await track(
    startLocalLlm({ ...llmOptions, port: DEFAULT_PORT }).catch((e) =>
      e?.code === 'PortInUse' ? startLocalLlm({ ...llmOptions, port: 0 }) : Promise.reject(e),
    ),
    (l) => l.close(),
  );
  say(`model: ${llm.url} (loaded in ${Math.round(llm.loadMs ?? 0)} ms, ${llm.threads} thread(s))`);

  say('starting the sandboxed tool: MCP server-memory through supergateway, on 127.0.0.1');
  const testbed = await track(startTestbed(['memory']), (t) => t.stop());
  const mcpUrl = testbed.urls.memory;
  say(`tool: ${mcpUrl}`);

  await seedMemory(mcpUrl);
  if (stopping) throw new Stopping();
  const truth = await (await mcpSession(mcpUrl)).list();
  writeFileSync(join(OUT, 'original-tools.json'), `${JSON.stringify(truth, null, 2)}\n`);
  const { docs, planted } = plant(
    { memory: truth },
    DEFECTS.filter((d) => DEMO_DEFECTS.includes(d.id)),
  );
  const toolsFile = join(OUT, 'memory-tools.json');
  writeFileSync(toolsFile, `${JSON.stringify(docs.memory, null, 2)}\n`);
  say(
    `read ${truth.tools.length} tools (original-tools.json), seeded the graph with two entities, and planted ${planted.length} defects that calling the tools reveals, into ${shown(toolsFile)}:`,
  );
  for (const d of planted)
    say(
      `  ${d.op}: ${d.class} (${d.pointer} ${d.plant.remove ? 'removed' : `without ${JSON.stringify(d.plant.removeItem)}`})`,
    );

  const args = [
    join(ROOT, 'pkg/bin/tooldraft.mjs'),
    'refine',
    toolsFile,
    '-o',
    join(OUT, 'refined-tools.json'),
    '--llm-url',
    llm.url,
    '--model',
    'smollm2-135m-instruct',
    '--mcp-url',
    mcpUrl,
    '--allow-writes',
    '--only',
    values.only,
    '--max-episodes',
    values.episodes,
    '--concurrency',
    '1',
    '--report',
    join(OUT, 'report.json'),
    '--html',
    join(OUT, 'report.html'),
    '--state',
    join(OUT, 'state.json'),
  ];
  say(`refining: tooldraft ${args.slice(1).map(shown).join(' ')}`);
  const started = Date.now();
  if (stopping) throw new Stopping();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    cleanups.push(async () => child.kill('SIGINT'));
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    say(`the refinement ended with exit code ${code}; see the messages above`);
    await stopAll(code);
  }
  say(
    `refined in ${Math.round((Date.now() - started) / 1000)} s; wrote ${shown(OUT)}/refined-tools.json, report.json, report.html, state.json`,
  );
  const output = JSON.parse(readFileSync(join(OUT, 'refined-tools.json'), 'utf8'));
  const runFile = JSON.parse(readFileSync(join(OUT, 'report.json'), 'utf8'));
  const { lines } = demoSummary(runFile, { truth, input: docs.memory, output, planted });
  say('what the run did:');
  for (const l of lines) say(`  ${l}`);

  if (values['no-serve']) await stopAll(0);
  const web = await track(
    startServer({
      port: 0,
      state: join(OUT, 'report.json'),
      connect: [new URL(llm.url).origin, new URL(mcpUrl).origin],
    }),
    (w) => w.close(),
  );
  say(`the web app, with this run loaded: ${web.url}`);
  say(
    `the local model (${llm.url}) and the tool (${mcpUrl}) keep running for new runs from the app; Ctrl-C stops everything`,
  );
} catch (e) {
  if (!(e instanceof Stopping) && !stopping) {
    say(`failed: ${e?.message ?? e}`);
    await stopAll(1);
  }
}

#!/usr/bin/env node
// `make demo`: the main job on the embedded defaults, offline.
//   1. starts the embedded local model (SmolLM2-135M through node-llama-cpp) on 127.0.0.1;
//   2. starts a sandboxed real tool: the MCP server-memory behind supergateway, on 127.0.0.1,
//      with a minimal environment and its memory file in a fresh temporary folder;
//   3. reads its tools (MCP tools/list) and refines their docs with the CLI, live progress:
//      writes are allowed (the sandbox is thrown away), destructive calls are not;
//   4. writes the refined doc, the JSON report (the web app's run file), the HTML report and
//      the run state into demo-output/;
//   5. serves the web app with the run loaded and prints its URL; Ctrl-C stops everything.
// Options: --episodes N (default 2), --only a,b (default create_entities,search_nodes,open_nodes,delete_entities),
//          --no-serve (stop after the run), --threads N.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { exportDoc, listMcpTools } from '../pkg/node.js';
import { startLocalLlm } from '../pkg/lib/serve-llm.mjs';
import { startTestbed } from '../tests/servers/testbed.mjs';
import { startServer } from '../www/server.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'demo-output');
const { values } = parseArgs({
  options: {
    episodes: { type: 'string', default: '2' },
    only: { type: 'string', default: 'create_entities,search_nodes,open_nodes,delete_entities' },
    serve: { type: 'boolean', default: true },
    'no-serve': { type: 'boolean' },
    threads: { type: 'string' },
  },
});
const say = (s) => process.stderr.write(`\x1b[1m[demo]\x1b[0m ${s}\n`);
const cleanups = [];
let stopping = false;
async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  for (const c of cleanups.reverse()) await c().catch(() => {});
  process.exit(code);
}
process.on('SIGINT', () => {
  say('stopping everything the demo started');
  stopAll(130);
});
process.on('SIGTERM', () => stopAll(143));

try {
  mkdirSync(OUT, { recursive: true });
  say('starting the embedded local model (SmolLM2-135M-Instruct) on 127.0.0.1');
  const llm = await startLocalLlm({ port: 0, threads: values.threads ? Number(values.threads) : undefined, log: () => {} });
  cleanups.push(() => llm.close());
  say(`model: ${llm.url} (loaded in ${Math.round(llm.loadMs ?? 0)} ms, ${llm.threads} thread(s))`);

  say('starting the sandboxed tool: MCP server-memory through supergateway, on 127.0.0.1');
  const testbed = await startTestbed(['memory']);
  cleanups.push(() => testbed.stop());
  const mcpUrl = testbed.urls.memory;
  say(`tool: ${mcpUrl}`);

  const doc = await listMcpTools(mcpUrl);
  const toolsFile = join(OUT, 'memory-tools.json');
  writeFileSync(toolsFile, exportDoc(doc, 'mcp').text);
  say(`read ${doc.tools[0].operations.length} tools into ${relative(ROOT, toolsFile)}`);

  const args = [
    join(ROOT, 'pkg/bin/tooldraft.mjs'), 'refine', toolsFile,
    '-o', join(OUT, 'refined-tools.json'),
    '--llm-url', llm.url, '--model', 'smollm2-135m-instruct',
    '--mcp-url', mcpUrl,
    '--allow-writes',
    '--only', values.only,
    '--max-episodes', values.episodes,
    '--concurrency', '1',
    '--report', join(OUT, 'report.json'),
    '--html', join(OUT, 'report.html'),
    '--state', join(OUT, 'state.json'),
  ];
  say(`refining: tooldraft ${args.slice(1).map((a) => (a.startsWith(ROOT) ? relative(ROOT, a) : a)).join(' ')}`);
  const started = Date.now();
  const code = await new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    cleanups.push(async () => child.kill('SIGINT'));
    child.on('close', (c) => resolve(c ?? 1));
  });
  if (code !== 0) {
    say(`the refinement ended with exit code ${code}; see the messages above`);
    await stopAll(code);
  }
  say(`refined in ${Math.round((Date.now() - started) / 1000)} s; wrote ${relative(ROOT, OUT)}/refined-tools.json, report.json, report.html, state.json`);

  if (values['no-serve']) await stopAll(0);
  const web = await startServer({ port: 0, state: join(OUT, 'report.json'), connect: [new URL(llm.url).origin, new URL(mcpUrl).origin] });
  cleanups.push(() => web.close());
  say(`the web app, with this run loaded: ${web.url}`);
  say(`the local model (${llm.url}) and the tool (${mcpUrl}) keep running for new runs from the app; Ctrl-C stops everything`);
} catch (e) {
  say(`failed: ${e?.message ?? e}`);
  await stopAll(1);
}

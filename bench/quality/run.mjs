#!/usr/bin/env node
// The doc-quality benchmark: plants the defects of defects.mjs into the real docs of the
// testbed's tools (all on 127.0.0.1), refines the planted docs with `tooldraft refine` (the
// CLI, as a user runs it) on a model, and scores the output against the real docs
// (score.mjs). Prints a markdown report; with --record writes bench/quality/RESULTS.md.
//
//   node bench/quality/run.mjs [--model scripted|local|both] [--quick] [--episodes N]
//                              [--record] [--keep DIR] [--json FILE]
//   --model     scripted: tests/servers/scripted-llm.mjs with scripted-answers.mjs (a decent
//               model, two careless answers); local: the embedded SmolLM2-135M (slow: about
//               40 tokens/s); both (the default)
//   --quick     the embedded model only on the defects marked `quick` (one or two per class),
//               with one episode (the scripted model still gets every defect)
//   --episodes  episodes per operation (default 2; the embedded model's is 1 with --quick)
//   --keep DIR  keep the planted and refined docs and the run files in DIR
//   --json FILE the scores as JSON
// Needs `make build` (pkg/gen) and the testbed's servers (scripts/setup.sh).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFECTS, STRUCTURAL } from './defects.mjs';
import { SOURCES, defectOperationIds, loadSources, plant } from './docs.mjs';
import { scoreSource } from './score.mjs';
import { scriptedAnswers } from './scripted-answers.mjs';
import { seedMemory } from './check.mjs';
import { renderReport } from './report.mjs';
import { startTestbed } from '../../tests/servers/testbed.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');

/** Starts tests/servers/scripted-llm.mjs with the benchmark's answer set. */
async function startScripted(dir) {
  const script = join(dir, 'scripted-answers.json');
  writeFileSync(script, JSON.stringify({ steps: scriptedAnswers() }));
  const child = spawn(
    process.execPath,
    [join(ROOT, 'tests/servers/scripted-llm.mjs'), '--port', '0', '--script', script, '--exit-on-stdin-close'],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const line = await new Promise((ok, fail) => {
    readline.createInterface({ input: child.stdout }).once('line', ok);
    child.once('exit', (c) => fail(new Error(`scripted-llm exited with ${c}`)));
  });
  return { url: JSON.parse(line).url, model: 'scripted-llm', close: async () => child.kill() };
}

async function startLocal() {
  const { startLocalLlm } = await import('../../pkg/lib/serve-llm.mjs');
  const llm = await startLocalLlm({ port: 0, log: () => {} });
  return { url: llm.url, model: 'smollm2-135m-instruct', close: () => llm.close() };
}

/** `tooldraft refine` on one planted doc; resolves with {code, ms, stderr}. */
function refine(args) {
  return new Promise((ok) => {
    const started = Date.now();
    const child = spawn(process.execPath, [join(ROOT, 'pkg/bin/tooldraft.mjs'), 'refine', ...args], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d).slice(-4000);
    });
    child.on('close', (code) => ok({ code, ms: Date.now() - started, stderr }));
  });
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/** What the run's report says per operation, when the engine reports it (newer engines). */
function reportFacts(runFile) {
  const report = runFile?.result?.report ?? runFile;
  const ops = report?.operations ?? [];
  const outcomes = {};
  for (const o of ops)
    if (o.outcome) outcomes[o.outcome.kind ?? o.outcome] = (outcomes[o.outcome.kind ?? o.outcome] ?? 0) + 1;
  const schemaChanges = ops.reduce((n, o) => n + (Array.isArray(o.schemaChanges) ? o.schemaChanges.length : 0), 0);
  return {
    outcomes,
    schemaChanges,
    accepted: report?.totals?.revisionsAccepted ?? 0,
    rejected: report?.totals?.revisionsRejected ?? 0,
    modelCalls: report?.totals?.modelCalls ?? 0,
    toolCalls: report?.totals?.toolCalls ?? 0,
  };
}

/** Refines every source's planted doc on `llm` and scores it. */
async function runModel(name, llm, ctx) {
  const results = [];
  for (const [source, s] of Object.entries(SOURCES)) {
    const only = defectOperationIds(ctx.docs[source], ctx.planted, source);
    if (only.length === 0) continue;
    const dir = join(ctx.dir, name, source);
    mkdirSync(dir, { recursive: true });
    const input = join(dir, 'planted.json');
    writeFileSync(input, `${JSON.stringify(ctx.docs[source], null, 2)}\n`);
    const args = [
      input,
      '-o',
      join(dir, 'refined.json'),
      '--llm-url',
      llm.url,
      '--model',
      llm.model,
      '--only',
      only.join(','),
      '--max-episodes',
      String(ctx.episodes),
      '--concurrency',
      '1',
      '--report',
      join(dir, 'report.json'),
      '--quiet',
      '--timeout',
      '300',
    ];
    if (s.format === 'mcp') args.push('--mcp-url', ctx.urls[s.server]);
    else args.push('--base-url', ctx.urls[s.server]);
    if (source === 'memory') args.push('--allow', 'create_entities');
    process.stderr.write(`[quality] ${name}: refining ${only.length} operation(s) of ${source}\n`);
    const run = await refine(args);
    const output = readJson(join(dir, 'refined.json'));
    const report = readJson(join(dir, 'report.json'));
    if (run.code !== 0 || !output) {
      process.stderr.write(
        `[quality] ${name}/${source}: tooldraft refine exited ${run.code}: ${run.stderr.trim().split('\n').slice(-3).join(' | ')}\n`,
      );
    }
    const score = scoreSource(source, ctx.sources[source], ctx.docs[source], output ?? ctx.docs[source], ctx.planted);
    results.push({
      source,
      operations: only.length,
      exitCode: run.code,
      seconds: Math.round(run.ms / 100) / 10,
      ...score,
      report: reportFacts(report),
    });
  }
  return results;
}

async function main() {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'both' },
      quick: { type: 'boolean', default: false },
      episodes: { type: 'string' },
      record: { type: 'boolean', default: false },
      keep: { type: 'string' },
      json: { type: 'string' },
    },
  });
  const models = values.model === 'both' ? ['scripted', 'local'] : [values.model];
  if (!models.every((m) => m === 'scripted' || m === 'local')) throw new Error('--model is scripted, local or both');
  const plan = (m) => {
    const quick = values.quick && m === 'local';
    return {
      defects: quick ? DEFECTS.filter((d) => d.quick) : DEFECTS,
      episodes: Number(values.episodes ?? (quick ? 1 : 2)),
      quick,
    };
  };
  const dir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'tooldraft-quality-'));
  mkdirSync(dir, { recursive: true });
  const bed = await startTestbed([...new Set(Object.values(SOURCES).map((s) => s.server))]);
  const started = Date.now();
  const runs = {};
  try {
    await seedMemory(bed.urls.memory);
    const sources = await loadSources(bed.urls);
    for (const m of models) {
      const { defects, episodes, quick } = plan(m);
      const { docs, planted } = plant(sources, defects);
      const ctx = { dir, urls: bed.urls, sources, docs, planted, episodes };
      const llm = m === 'scripted' ? await startScripted(dir) : await startLocal();
      try {
        const t = Date.now();
        const meta = {
          quick,
          episodes,
          defects: defects.length,
          classes: new Set(defects.map((d) => d.class)).size,
          structural: defects.filter((d) => STRUCTURAL.has(d.class)).length,
        };
        runs[m] = {
          model: llm.model,
          ...meta,
          sources: await runModel(m, llm, ctx),
          seconds: Math.round((Date.now() - t) / 1000),
        };
      } finally {
        await llm.close();
      }
    }
  } finally {
    await bed.stop();
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }
  const meta = { seconds: Math.round((Date.now() - started) / 1000) };
  const text = renderReport(runs, meta);
  process.stdout.write(text);
  if (values.json) writeFileSync(values.json, `${JSON.stringify({ meta, runs }, null, 2)}\n`);
  if (values.record) {
    writeFileSync(
      join(HERE, 'RESULTS.md'),
      `# Results: doc-quality benchmark\n\nRecorded ${new Date().toISOString().slice(0, 10)} by \`node bench/quality/run.mjs --record${values.quick ? ' --quick' : ''}\`; how it is scored: bench/quality/README.md.\n\n${text}`,
    );
    process.stderr.write('wrote bench/quality/RESULTS.md\n');
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    process.stderr.write(`quality: ${e.stack ?? e}\n`);
    process.exit(1);
  });
}

// The refinement benchmark: the DRAFT paper's ToolBench operations refined through the npm
// API (wasm in Node) with a scripted OpenAI-compatible model answering every call after a
// fixed latency (100 ms) and tools answered by a local stub server, at concurrency 1 and 16,
// in one run. Prints a Markdown report:
//   - engine overhead: CPU time of this process (the engine, its JSON and HTTP work) as a
//     share of wall time at concurrency 1 (the model's and the tool's time is waiting);
//   - the speed-up of concurrency 16 over 1 on the same operations;
//   - chat calls per operation (the paper's bound is 23) and embedding calls (0 by default);
//   - the cost of replay verification: chat calls per operation with it (the default, K = 2
//     held-out queries) and without it (verify: {queries: 0}), on the same operations;
//   - all 1,006 operations at concurrency 16.
//   - with --similarity: embedding requests per operation with a remote embedder (the scripted
//     server's /v1/embeddings), and termination with Δ over the description (the default, the
//     paper's) against Δ over the description plus parameter lines, at concurrency 16.
// Usage: node bench/refine/run.mjs [--ops N (operations for the 1-vs-16 comparison, default 32)]
//        [--all (also refine all operations at 16)] [--latency-ms 100] [--similarity]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Refiner, parseDoc } from '../../pkg/node.js';
import { REPO, cpuMs, profiled, scriptedLlm, stubTools } from '../servers.mjs';

const { values } = parseArgs({
  options: {
    ops: { type: 'string', default: '32' },
    all: { type: 'boolean' },
    'latency-ms': { type: 'string', default: '100' },
    similarity: { type: 'boolean' },
  },
});
const latency = Number(values['latency-ms']);
const text = readFileSync(join(REPO, 'data/draft-paper/ToolBench_docs_Initial.json'), 'utf8');
const doc = parseDoc(text);
const allIds = doc.tools.flatMap((t) => t.operations.map((o) => o.id));

const llm = await scriptedLlm(latency);
const tools = await stubTools();

/**
 * Refines `only` at `concurrency` (`verify`: held-out queries per candidate, undefined for the
 * default); returns timings and counts.
 */
async function refine(only, concurrency, profile = false, verify = undefined, extra = {}) {
  await llm.clear();
  const refiner = new Refiner({
    llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted', timeoutMs: 60_000 },
    tools: {
      // The paper's ToolBench docs name no HTTP binding; the host function sends each call to
      // the stub server on 127.0.0.1.
      callTool: async (operation, args) => {
        const res = await fetch(`${tools.url}/${encodeURIComponent(operation.name)}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(args),
        });
        return { status: res.status, json: await res.json() };
      },
    },
    // The stub server changes nothing; ToolBench's docs carry no safety hints.
    safety: { allowWrites: true, allowDestructive: true },
    // The paper's bound of 23 chat calls covers explore, analyze and rewrite; the Caller of
    // replay verification comes on top (at most 2K a candidate).
    limits: { concurrency, only, budgetCallsPerOperation: 23 + 2 * (verify ?? 2) * 5 },
    ...(verify === undefined ? {} : { verify: { queries: verify } }),
    ...extra,
  });
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const run = () => refiner.run(text);
  const sampled = profile ? await profiled(run) : { result: await run() };
  const result = sampled.result;
  const wall = performance.now() - t0;
  const cpu = cpuMs(cpu0);
  const counts = await llm.counts();
  const ops = result.report.operations;
  const perOp = ops.map((o) => o.modelCalls);
  const totals = result.report.totals;
  const terminations = {};
  for (const o of ops) {
    const kind = o.termination?.kind ?? 'none';
    terminations[kind] = (terminations[kind] ?? 0) + 1;
  }
  return {
    callerPerOp: (totals.usage.caller?.calls ?? 0) / ops.length,
    verified: totals.revisionsVerified ?? 0,
    heldBack: totals.revisionsHeldBack ?? 0,
    accepted: totals.revisionsAccepted,
    ops: ops.length,
    wall,
    cpu,
    chat: counts['/v1/chat/completions'] ?? 0,
    embeddings: result.report.totals.embeddingCalls,
    embeddingRequests: counts['/v1/embeddings'] ?? 0,
    embeddingsPerOp: ops.map((o) => o.embeddingCalls),
    episodesPerOp: ops.reduce((a, o) => a + o.episodes, 0) / ops.length,
    maxPerOp: Math.max(...perOp),
    meanPerOp: perOp.reduce((a, b) => a + b, 0) / perOp.length,
    engineMs: sampled.engineMs,
    httpMs: sampled.httpMs,
    terminations,
  };
}

const n = Math.min(Number(values.ops), allIds.length);
const subset = allIds.slice(0, n);
try {
  // One operation first, unmeasured: V8 compiles a wasm module's functions lazily, and the
  // engine's module (loaded apart from the document module since the split) would otherwise
  // compile its document reader and the loop inside the measured run. A one-time cost of the
  // process, not of refining.
  await refine(subset.slice(0, 1), 1);
  const c1 = await refine(subset, 1, true);
  const c16 = await refine(subset, 16);
  const off = await refine(subset, 16, false, 0);
  const all = values.all ? await refine(allIds, 16) : null;
  const fmt = (ms) => `${(ms / 1000).toFixed(1)} s`;
  const row = (name, r) =>
    `| ${name} | ${r.ops} | ${fmt(r.wall)} | ${fmt(r.cpu)} | ${((100 * r.cpu) / r.wall).toFixed(2)}% | ${r.chat} | ${r.meanPerOp.toFixed(1)} / ${r.maxPerOp} | ${r.embeddings} | ${JSON.stringify(r.terminations)} |`;
  const lines = [
    '## Refinement benchmark',
    '',
    `ToolBench operations from the DRAFT paper's data; scripted model answering after ${latency} ms; stub tools on 127.0.0.1.`,
    `Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}. Default engine settings (5 episodes, the local embedder with its calibrated φ 0.88 and τ 0.54, Δ over the description, replay verification with K = 2), 23 chat calls per operation at most for explore/analyze/rewrite plus 2K per episode for the Caller.`,
    '',
    '| run | operations | wall | process CPU | CPU / wall | chat calls | chat calls per op (mean / max) | embedding calls | terminations |',
    '|---|---|---|---|---|---|---|---|---|',
    row('concurrency 1', c1),
    row('concurrency 16', c16),
    row('concurrency 16, verification off', off),
    ...(all ? [row('all, concurrency 16', all)] : []),
    '',
    `Replay verification (default K = 2 held-out queries per candidate revision) on the same ${n} operations at concurrency 16: **${c16.meanPerOp.toFixed(1)}** chat calls per operation with it (${c16.callerPerOp.toFixed(1)} of them the Caller's), **${off.meanPerOp.toFixed(1)}** without it (\`verify: {queries: 0}\`): ×${(c16.meanPerOp / off.meanPerOp).toFixed(2)}; wall ${fmt(c16.wall)} against ${fmt(off.wall)}. It scored ${c16.verified} candidate revisions and held back ${c16.heldBack}; ${c16.accepted} were accepted with it, ${off.accepted} without it.`,
    '',
    `Engine overhead at concurrency 1 (CPU in the wasm engine, its glue and GC, sampled by the V8 profiler, after a one-operation warm-up): **${((100 * c1.engineMs) / c1.wall).toFixed(2)}%** of wall time (target < 2%); Node's HTTP client (undici) adds ${((100 * c1.httpMs) / c1.wall).toFixed(2)}%, and the whole process used ${((100 * c1.cpu) / c1.wall).toFixed(2)}% (including reading the 1,006-operation document once per run).`,
    `Speed-up of concurrency 16 over 1 on the same ${n} operations: **${(c1.wall / c16.wall).toFixed(1)}×** (target ≥ 12×).`,
    `Chat calls per operation: at most **${Math.max(c1.maxPerOp, c16.maxPerOp, all?.maxPerOp ?? 0)}** with verification, **${off.maxPerOp}** without it (paper's bound 23, without a Caller); embedding calls: **${c1.embeddings + c16.embeddings + off.embeddings + (all?.embeddings ?? 0)}**.`,
  ];
  if (values.similarity) {
    const remote = await refine(subset, 16, false, undefined, {
      embeddings: { baseUrl: llm.url, model: 'scripted-embed' },
    });
    const withParams = await refine(subset, 16, false, undefined, {
      thresholds: { deltaText: 'descriptionAndParameters' },
    });
    const per = remote.embeddingsPerOp;
    lines.push(
      '',
      '### Similarity (issue 12)',
      '',
      `Remote embedder (the scripted server's /v1/embeddings, cached, one batch a step) on the same ${n} operations at concurrency 16: **${(per.reduce((a, b) => a + b, 0) / per.length).toFixed(1)}** embedding requests per operation (max ${Math.max(...per)}; the server counted ${remote.embeddingRequests}, the report ${remote.embeddings}; DRAFT's code makes up to 27), terminations ${JSON.stringify(remote.terminations)}.`,
      `Termination, local embedder: Δ over the description (default) ${JSON.stringify(c16.terminations)}, ${c16.episodesPerOp.toFixed(2)} episodes per operation; Δ over the description and parameter lines ${JSON.stringify(withParams.terminations)}, ${withParams.episodesPerOp.toFixed(2)} episodes per operation.`,
    );
  }
  console.log(lines.join('\n'));
} finally {
  llm.stop();
  tools.stop();
}

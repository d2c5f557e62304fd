// The evaluation benchmark: the DRAFT paper's RestBench TMDB items scored through the npm API
// (wasm in Node) against a scripted model answering after a fixed latency (100 ms), at
// concurrency 1 and 16, in one run. Prints items per second, the ratio (target ≥ 12×) and
// the engine's CPU per item (wasm, glue and GC, sampled by the V8 profiler).
// Usage: node bench/eval/run.mjs [--latency-ms 100]
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { evaluate } from '../../pkg/node.js';
import { REPO, cpuMs, profiled, scriptedLlm } from '../servers.mjs';

const { values } = parseArgs({ options: { 'latency-ms': { type: 'string', default: '100' } } });
const latency = Number(values['latency-ms']);
const read = (f) => readFileSync(join(REPO, 'data/draft-paper', f), 'utf8');
const docs = [{ label: 'initial', text: read('RestBench_docs_TMDB_Initial.json') }];
const queries = read('RestBench_queries_TMDB.json');
const llm = await scriptedLlm(latency);

async function run(concurrency, profile) {
  await llm.clear();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const go = () =>
    evaluate({
      docs,
      queries,
      llm: { provider: 'openai', baseUrl: llm.url, model: 'scripted' },
      concurrency,
      resamples: 200,
    });
  const sampled = profile ? await profiled(go) : { result: await go() };
  const wall = performance.now() - t0;
  const report = sampled.result;
  const items = report.versions[0].items.length;
  return {
    items,
    wall,
    cpu: cpuMs(cpu0),
    engineMs: sampled.engineMs,
    chat: (await llm.counts())['/v1/chat/completions'] ?? 0,
    skipped: report.skipped.length,
  };
}

try {
  const c1 = await run(1, true);
  const c16 = await run(16, false);
  const ips = (r) => (r.items / (r.wall / 1000)).toFixed(1);
  console.log(
    [
      '## Evaluation benchmark',
      '',
      `RestBench TMDB (${c1.items} scored items, ${c1.skipped} skipped), scripted model answering after ${latency} ms.`,
      `Machine: ${cpus()[0]?.model ?? 'unknown'}, ${cpus().length} cores, Node ${process.version}.`,
      '',
      '| concurrency | items | wall | items / s | model calls | process CPU |',
      '|---|---|---|---|---|---|',
      `| 1 | ${c1.items} | ${(c1.wall / 1000).toFixed(1)} s | ${ips(c1)} | ${c1.chat} | ${(c1.cpu / 1000).toFixed(2)} s |`,
      `| 16 | ${c16.items} | ${(c16.wall / 1000).toFixed(1)} s | ${ips(c16)} | ${c16.chat} | ${(c16.cpu / 1000).toFixed(2)} s |`,
      '',
      `Concurrency 16 over 1: **${(c1.wall / c16.wall).toFixed(1)}×** items per second (target ≥ 12×).`,
      `Engine overhead per item (wasm, glue and GC; concurrency 1): **${(c1.engineMs / c1.items).toFixed(2)} ms**, against ${latency} ms of model latency.`,
    ].join('\n'),
  );
} finally {
  llm.stop();
}

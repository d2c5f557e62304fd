// The parse benchmark: import + $ref resolution + export of GitHub's OpenAPI description in
// wasm under Node, against @apidevtools/swagger-parser dereferencing the same file. Each side
// runs in its own child process (so each peak RSS is its own), one warm-up then N timed runs;
// the sides take turns for R rounds, so a change in the machine's load hits both alike.
// Prints a Markdown report. Usage: node run.mjs [--reps N] [--rounds R] [--file F]
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    file: { type: 'string', default: join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json') },
  },
});
const reps = Number(values.reps);
const rounds = Number(values.rounds);
const file = values.file;

function side(script) {
  const out = execFileSync(process.execPath, [join(here, script), file, String(reps)], {
    cwd: repo,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

function stats(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const median =
    sorted.length % 2
      ? sorted[(sorted.length - 1) / 2]
      : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const ms = (x) => `${x.toFixed(0)} ms`;

const baseline = Number(
  execFileSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)'], { encoding: 'utf8' }),
);
const load = loadavg()[0];
const runs = { wasm: [], js: [] };
for (let r = 0; r < rounds; r++) {
  const wasm = side('wasm-side.mjs');
  if (wasm.error) {
    console.error(`bench: the wasm side cannot process ${relative(repo, file)}: ${wasm.error}`);
    process.exit(1);
  }
  const js = side('js-side.mjs');
  if (js.error) {
    console.error(`bench: swagger-parser failed on ${relative(repo, file)}: ${js.error}`);
    process.exit(1);
  }
  runs.wasm.push(wasm);
  runs.js.push(js);
}
const all = (list, key) => list.flatMap((x) => x[key]);
const peak = (list) => Math.max(...list.map((x) => x.peakRssKb));
const w = stats(all(runs.wasm, 'times'));
const j = stats(all(runs.js, 'times'));
const wc = stats(all(runs.wasm, 'cpuTimes'));
const jc = stats(all(runs.js, 'cpuTimes'));
const ratio = j.median / w.median;
const cpuRatio = jc.median / wc.median;
const verdict = (x) => (x >= 2 ? '(target ≥ 2×: met)' : '(target ≥ 2×: NOT met)');

console.log(`## Parse benchmark

Input: \`${relative(repo, file)}\` (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${runs.wasm[0].operations} operations; swagger-parser counts ${runs.js[0].operations}).
Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}, load average ${load.toFixed(1)} at the start. ${rounds} rounds; in each, each side runs in its own process: one warm-up, then ${reps} timed runs (${rounds * reps} per side in all).

| side | what is timed | median | min | max | CPU median | peak RSS |
|---|---|---|---|---|---|---|
| tooldraft (wasm) | \`convert(text, 'openapi')\`: parse, import with \`$ref\` resolution, export | ${ms(w.median)} | ${ms(w.min)} | ${ms(w.max)} | ${ms(wc.median)} | ${mb(peak(runs.wasm))} |
| swagger-parser | \`SwaggerParser.dereference(JSON.parse(text))\` | ${ms(j.median)} | ${ms(j.min)} | ${ms(j.max)} | ${ms(jc.median)} | ${mb(peak(runs.js))} |

Ratio (swagger-parser median / tooldraft median): **${ratio.toFixed(2)}×** ${verdict(ratio)}.
Ratio of CPU time (less sensitive to other work on the machine): **${cpuRatio.toFixed(2)}×** ${verdict(cpuRatio)}.
CPU time is the whole process's, so swagger-parser's includes V8's garbage-collector threads.
An idle \`node\` process peaks at ${mb(baseline)} RSS; both peaks include it.

What each side does: swagger-parser parses the text and replaces every \`$ref\` with the object it
names, sharing one object per target. tooldraft parses the text into a document, imports it (one
operation per path and method, parameters and response schemas with local \`$ref\`s copied in:
the top of each schema always, then nearest first up to 250 nodes), then exports it as OpenAPI:
export reads the document again into a baseline that keeps nested \`$ref\`s, compares every
operation, parameter and schema of the model with it, and writes only what differs. Here nothing
differs, so the export is the source itself and \`convert\` returns the input text as it was (no
re-serialising); a document with changes is written out in full.
`);

// The parse benchmark: import + $ref resolution + export of GitHub's OpenAPI description in
// wasm under Node, against @apidevtools/swagger-parser dereferencing the same file. Each side
// runs in its own child process (so each peak RSS is its own), one warm-up then N timed runs.
// Prints a Markdown report. Usage: node run.mjs [--reps N] [--file F]
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..');
const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '5' },
    file: { type: 'string', default: join(repo, 'node_modules/@octokit/openapi/generated/api.github.com.json') },
  },
});
const reps = Number(values.reps);
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
  const median = sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1] };
}

const mb = (kb) => `${(kb / 1024).toFixed(0)} MB`;
const ms = (x) => `${x.toFixed(0)} ms`;

const baseline = Number(execFileSync(process.execPath, ['-e', 'console.log(process.resourceUsage().maxRSS)'], { encoding: 'utf8' }));
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
const w = stats(wasm.times);
const j = stats(js.times);
const ratio = j.median / w.median;

console.log(`## Parse benchmark

Input: \`${relative(repo, file)}\` (${(statSync(file).size / 1024 / 1024).toFixed(1)} MB, ${wasm.operations} operations; swagger-parser counts ${js.operations}).
Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, Node ${process.version}. ${reps} timed runs per side after one warm-up, each side in its own process.

| side | what is timed | median | min | max | peak RSS |
|---|---|---|---|---|---|
| tooldraft (wasm) | \`convert(text, 'openapi')\`: parse, import with \`$ref\` resolution, export | ${ms(w.median)} | ${ms(w.min)} | ${ms(w.max)} | ${mb(wasm.peakRssKb)} |
| swagger-parser | \`SwaggerParser.dereference(JSON.parse(text))\` | ${ms(j.median)} | ${ms(j.min)} | ${ms(j.max)} | ${mb(js.peakRssKb)} |

Ratio (swagger-parser median / tooldraft median): **${ratio.toFixed(2)}×** ${ratio >= 2 ? '(target ≥ 2×: met)' : '(target ≥ 2×: NOT met)'}.
An idle \`node\` process peaks at ${mb(baseline)} RSS; both peaks include it.
`);

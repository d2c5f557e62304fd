// One side of the parse benchmark, in its own process: tooldraft (wasm under Node) reads an
// OpenAPI description, resolves its $refs into the model and writes it back out
// (`convert(text, 'openapi')`). Prints one JSON line: wall and CPU times (ms), peak RSS, a
// sanity count. Usage: node wasm-side.mjs <file> <reps>
import { readFileSync } from 'node:fs';
import { convert, parseDoc } from '../../pkg/node.js';

const [file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const text = readFileSync(file, 'utf8');
const times = [];
const cpuTimes = [];
let outputBytes = 0;
try {
  for (let i = 0; i <= reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = convert(text, 'openapi');
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (i > 0) {
      // the first run warms up (wasm compile tiers, heap growth)
      times.push(ms);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
    outputBytes = out.text.length;
  }
} catch (e) {
  console.log(JSON.stringify({ side: 'wasm', error: `${e.name}: ${e.message}` }));
  process.exit(0);
}
const operations = parseDoc(text).tools.reduce((n, t) => n + t.operations.length, 0);
console.log(
  JSON.stringify({ side: 'wasm', times, cpuTimes, peakRssKb: process.resourceUsage().maxRSS, operations, outputBytes }),
);

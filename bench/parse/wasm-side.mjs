// One side of the parse benchmark, in its own process: tooldraft (wasm under Node) reads an
// OpenAPI description, resolves its $refs into the model and writes it back out
// (`convert(text, 'openapi')`). Prints one JSON line: times (ms), peak RSS, a sanity count.
// Usage: node wasm-side.mjs <file> <reps>
import { readFileSync } from 'node:fs';
import { convert, parseDoc } from '../../pkg/node.js';

const [file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const text = readFileSync(file, 'utf8');
const times = [];
let outputBytes = 0;
try {
  for (let i = 0; i <= reps; i++) {
    const t0 = performance.now();
    const out = convert(text, 'openapi');
    const ms = performance.now() - t0;
    if (i > 0) times.push(ms); // the first run warms up (wasm compile tiers, allocator)
    outputBytes = out.text.length;
  }
} catch (e) {
  console.log(JSON.stringify({ side: 'wasm', error: `${e.name}: ${e.message}` }));
  process.exit(0);
}
const operations = parseDoc(text).tools.reduce((n, t) => n + t.operations.length, 0);
console.log(
  JSON.stringify({ side: 'wasm', times, peakRssKb: process.resourceUsage().maxRSS, operations, outputBytes }),
);

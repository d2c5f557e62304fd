// The other side of the parse benchmark, in its own process: @apidevtools/swagger-parser
// parses the same text and dereferences every $ref (SwaggerParser.dereference).
// Prints one JSON line: wall and CPU times (ms), peak RSS, a sanity count. CPU time is the
// whole process's, so it includes V8's garbage-collector threads.
// Usage: node js-side.mjs <file> <reps>
import SwaggerParser from '@apidevtools/swagger-parser';
import { readFileSync } from 'node:fs';

const METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
const [file, repsArg] = process.argv.slice(2);
const reps = Number(repsArg ?? 5);
const text = readFileSync(file, 'utf8');
const times = [];
const cpuTimes = [];
let api;
try {
  for (let i = 0; i <= reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    api = await SwaggerParser.dereference(JSON.parse(text));
    const ms = performance.now() - t0;
    const cpu = process.cpuUsage(c0);
    if (i > 0) {
      // the first run warms up the JIT
      times.push(ms);
      cpuTimes.push((cpu.user + cpu.system) / 1000);
    }
  }
} catch (e) {
  console.log(JSON.stringify({ side: 'js', error: `${e.name}: ${e.message}` }));
  process.exit(0);
}
let operations = 0;
for (const item of Object.values(api.paths ?? {})) {
  for (const key of Object.keys(item)) if (METHODS.has(key)) operations++;
}
console.log(JSON.stringify({ side: 'js', times, cpuTimes, peakRssKb: process.resourceUsage().maxRSS, operations }));

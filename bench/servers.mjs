// Servers the benchmarks start on 127.0.0.1: the scripted OpenAI-compatible model (auto
// mode, a fixed latency per answer) and the stub tool server. Each prints its URL first.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');

async function start(script, args) {
  const child = spawn(process.execPath, [join(REPO, script), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  const line = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url: JSON.parse(line).url, stop: () => child.kill() };
}

/** The scripted model answering every request after `latencyMs`. */
export async function scriptedLlm(latencyMs) {
  const s = await start('tests/servers/scripted-llm.mjs', ['--port', '0', '--latency-ms', String(latencyMs)]);
  const base = s.url.replace(/\/v1$/, '');
  return {
    ...s,
    /** Requests received so far, by path. */
    async counts() {
      // Once more on a socket the server closed while idle (keep-alive race after a long run).
      const get = () => fetch(`${base}/__log?counts`).then((r) => r.json());
      return get().catch(get);
    },
    async clear() {
      await fetch(`${base}/__log`, { method: 'DELETE' });
    },
  };
}

/** The stub tool server (answers at once with a JSON echo). */
export const stubTools = () => start('tests/servers/stub-tools.mjs', ['--port', '0']);

/** CPU milliseconds of this process since `from` (a process.cpuUsage() value). */
export function cpuMs(from) {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
}

/**
 * Samples this process's CPU while `fn` runs (node:inspector) and splits the busy time into
 * the engine (wasm, its JS glue, garbage collection), the HTTP client (undici, streams,
 * sockets) and the rest. Resolves with {result, engineMs, httpMs, otherMs}.
 */
export async function profiled(fn) {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  await session.post('Profiler.start');
  let result;
  let profile;
  try {
    result = await fn();
  } finally {
    ({ profile } = await session.post('Profiler.stop'));
    session.disconnect();
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const sums = { engine: 0, http: 0, other: 0 };
  profile.samples.forEach((id, i) => {
    const { functionName: fnName, url = '' } = byId.get(id).callFrame;
    const us = profile.timeDeltas[i] ?? 0;
    if (fnName === '(idle)' || fnName === '(program)') return;
    if (url.includes('wasm') || url.includes('tooldraft.js') || fnName === '(garbage collector)') sums.engine += us;
    else if (/undici|webstreams|node:net|stream_base|node:internal\/deps/.test(url) || fnName === 'writev')
      sums.http += us;
    else sums.other += us;
  });
  return { result, engineMs: sums.engine / 1000, httpMs: sums.http / 1000, otherMs: sums.other / 1000 };
}

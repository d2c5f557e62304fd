// Helpers for the refine/evaluate CLI tests: the scripted model server as a child process,
// running the CLI with a chosen environment (and reacting to its stdout while it runs), and
// reading what the scripted server saw.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CLI, PKG } from './helpers.mjs';

export const ROOT = join(PKG, '..');
const SCRIPTED = join(ROOT, 'tests', 'servers', 'scripted-llm.mjs');

/**
 * Starts tests/servers/scripted-llm.mjs on a free port.
 * @param {string[]} [args] e.g. ['--latency-ms', '50']
 * @returns {Promise<{url: string, base: string, script(s: object): Promise<void>, log(): Promise<object[]>, chats(): Promise<object[]>, clear(): Promise<void>, stop(): Promise<void>}>}
 */
export async function startScriptedLlm(args = []) {
  const child = spawn(process.execPath, [SCRIPTED, '--port', '0', '--exit-on-stdin-close', ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { PATH: process.env.PATH },
  });
  let buffer = '';
  const url = await new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => reject(new Error(`scripted-llm exited with ${code}`)));
    child.stdout.on('data', (d) => {
      buffer += d;
      const nl = buffer.indexOf('\n');
      if (nl >= 0) resolve(JSON.parse(buffer.slice(0, nl)).url);
    });
  });
  child.removeAllListeners('exit');
  const base = url.replace(/\/v1$/, '');
  const call = async (method, path, body) => {
    const r = await fetch(`${base}${path}`, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    if (!r.ok) throw new Error(`scripted-llm ${method} ${path}: HTTP ${r.status}`);
    return r.headers.get('content-type')?.includes('json') ? r.json() : r.text();
  };
  return {
    url,
    base,
    script: (s) => call('POST', '/__script', s),
    log: () => call('GET', '/__log'),
    chats: async () => (await call('GET', '/__log')).filter((l) => l.path.endsWith('/chat/completions')),
    clear: () => call('DELETE', '/__log'),
    stop: async () => {
      if (child.exitCode !== null) return;
      child.stdin.end();
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

/**
 * Runs the CLI with exactly `env` (plus PATH and HOME). `onStdoutLine(line, child)` sees each
 * stdout line as it comes (to send a signal mid-run, say).
 * @returns {Promise<{code: number|null, signal: string|null, stdout: string, stderr: string}>}
 */
export function runTooldraft(args, { env = {}, cwd = PKG, timeoutMs = 60_000, onStdoutLine } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    let pending = '';
    child.stdout.on('data', (c) => {
      out.push(c);
      if (!onStdoutLine) return;
      pending += c.toString('utf8');
      for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        onStdoutLine(line, child);
      }
    });
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tooldraft ${args.join(' ')} did not finish within ${timeoutMs} ms:\n${Buffer.concat(err)}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/** Parsed chat request bodies from the scripted server's log. */
export function bodies(chats) {
  return chats.map((l) => (typeof l.body === 'string' ? JSON.parse(l.body) : l.body));
}

/** Files in a folder that look like leftovers of an atomic write. */
export async function tempLeftovers(dir) {
  return (await readdir(dir)).filter((f) => f.endsWith('.tmp'));
}

// Helpers for the package's tests: run the CLI as a child process, local HTTP servers on
// 127.0.0.1 (random ports, closed after each test), temporary directories.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PKG = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(PKG, 'bin', 'tooldraft.mjs');
export const FIXTURES = join(PKG, 'test', 'fixtures');

/**
 * Runs the CLI. Resolves with {code, signal, stdout, stderr, ms}.
 * @param {string[]} args
 * @param {{input?: string|Buffer, cwd?: string, onSpawn?: (child: import('node:child_process').ChildProcess) => void, timeoutMs?: number}} [options]
 */
export function runCli(args, options = {}) {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: options.cwd ?? PKG,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`tooldraft ${args.join(' ')} did not finish within ${options.timeoutMs ?? 30000} ms`));
    }, options.timeoutMs ?? 30000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        ms: Date.now() - started,
      });
    });
    child.stdin.on('error', () => {});
    if (options.input !== undefined) child.stdin.end(options.input);
    else child.stdin.end();
    options.onSpawn?.(child);
  });
}

/**
 * Starts an HTTP server on 127.0.0.1 with a random port.
 * @param {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => void} handler
 * @returns {Promise<{url: string, close: () => Promise<void>}>}
 */
export async function serve(handler) {
  const server = createServer(handler);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed). */
export async function closedPort() {
  const s = await serve(() => {});
  const port = Number(new URL(s.url).port);
  await s.close();
  return port;
}

/** A temporary directory, removed by the returned cleanup. */
export async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'tooldraft-test-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** True when the output has no JavaScript stack trace in it. */
export function noStack(text) {
  return !/^\s+at .+:\d+:\d+\)?$/m.test(text);
}

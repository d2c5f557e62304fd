#!/usr/bin/env node
// Starts real local servers for tests, each on 127.0.0.1 with a free port, and stops them again.
//
// CLI:
//   node tests/servers/testbed.mjs start httpbin everything memory jsonserver recorder
// prints one JSON line once every named server answers, e.g.
//   {"httpbin":"http://127.0.0.1:41234","everything":"http://127.0.0.1:41235/mcp",...}
// and keeps running until SIGINT/SIGTERM or until its stdin closes (so a test that spawns it
// with a piped stdin cleans up even when it crashes); then it kills every child process group
// and removes its temporary directories.
//
// Library (node tests, Playwright):
//   import { startTestbed } from './tests/servers/testbed.mjs';
//   const { urls, stop } = await startTestbed(['httpbin', 'everything']);
//   ...; await stop();
//
// Servers:
//   httpbin     httpbin under gunicorn from .cache/venv (REST; echoes requests)
//   everything  MCP server-everything, Streamable HTTP at /mcp
//   memory      MCP server-memory behind supergateway --stateful --cors, at /mcp
//               (MEMORY_FILE_PATH in a fresh temp dir)
//   jsonserver  json-server 0.17 on a fresh copy of tests/servers/db.json (or TESTBED_DB)
//   recorder    an in-process HTTP server that records every request: any path answers
//               200 with a JSON echo; GET /__requests lists what it saw; DELETE clears it
//
// Environment: TESTBED_NODE_MODULES (default <repo>/node_modules), TESTBED_DB (json-server's
// fixture, default tests/servers/db.json).
//
// Each child runs with a minimal environment (PATH and a temporary HOME only); Node servers
// get loopback-shim.cjs through NODE_OPTIONS so they cannot bind other interfaces.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, copyFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, '..', '..');
const SHIM = join(HERE, 'loopback-shim.cjs');
// TESTBED_NODE_MODULES points at another install (a temporary one while the workspace's is
// being rebuilt, say).
const NODE_MODULES = process.env.TESTBED_NODE_MODULES
  ? resolve(process.env.TESTBED_NODE_MODULES)
  : join(ROOT, 'node_modules');
const READY_TIMEOUT_MS = 30_000;

export const SERVER_NAMES = ['httpbin', 'everything', 'memory', 'jsonserver', 'recorder'];

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race remains until the child binds). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const srv = createNetServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolvePort(port));
    });
  });
}

function minimalEnv(home, extra = {}) {
  return { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, ...extra };
}

function nodeEnv(home, extra = {}) {
  return minimalEnv(home, { NODE_OPTIONS: `--require ${SHIM}`, ...extra });
}

function requireFile(path, what) {
  if (!existsSync(path)) throw new Error(`testbed: ${what} is not installed (missing ${path}); run scripts/setup.sh`);
  return path;
}

/** How to start each server: the command, its environment, and the URL to report. */
const RECIPES = {
  httpbin: (port, tmp) => ({
    cmd: requireFile(join(ROOT, '.cache', 'venv', 'bin', 'gunicorn'), 'httpbin (gunicorn in .cache/venv)'),
    args: ['-b', `127.0.0.1:${port}`, '--threads', '4', '--log-level', 'warning', 'httpbin:app'],
    env: minimalEnv(tmp),
    url: `http://127.0.0.1:${port}`,
    probe: `http://127.0.0.1:${port}/get`,
  }),
  everything: (port, tmp) => ({
    cmd: process.execPath,
    args: [
      requireFile(
        join(NODE_MODULES, '@modelcontextprotocol', 'server-everything', 'dist', 'index.js'),
        'server-everything',
      ),
      'streamableHttp',
    ],
    env: nodeEnv(tmp, { PORT: String(port) }),
    url: `http://127.0.0.1:${port}/mcp`,
    probe: `http://127.0.0.1:${port}/mcp`,
  }),
  memory: (port, tmp) => {
    const memory = requireFile(
      join(NODE_MODULES, '@modelcontextprotocol', 'server-memory', 'dist', 'index.js'),
      'server-memory',
    );
    return {
      cmd: process.execPath,
      args: [
        requireFile(join(NODE_MODULES, 'supergateway', 'dist', 'index.js'), 'supergateway'),
        '--stdio',
        `"${process.execPath}" "${memory}"`,
        '--outputTransport',
        'streamableHttp',
        '--stateful',
        '--port',
        String(port),
        '--cors',
        '--logLevel',
        'none',
      ],
      env: nodeEnv(tmp, { MEMORY_FILE_PATH: join(tmp, 'memory.jsonl') }),
      url: `http://127.0.0.1:${port}/mcp`,
      probe: `http://127.0.0.1:${port}/mcp`,
    };
  },
  jsonserver: (port, tmp) => {
    const db = join(tmp, 'db.json');
    copyFileSync(process.env.TESTBED_DB ?? join(HERE, 'db.json'), db);
    return {
      cmd: process.execPath,
      args: [
        requireFile(join(NODE_MODULES, 'json-server', 'lib', 'cli', 'bin.js'), 'json-server'),
        '--watch',
        db,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--quiet',
      ],
      env: nodeEnv(tmp),
      url: `http://127.0.0.1:${port}`,
      probe: `http://127.0.0.1:${port}/db`,
    };
  },
};

async function waitUntilAnswering(url, child, stderr, name) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `testbed: ${name} exited before answering (code ${child.exitCode}, signal ${child.signalCode}): ${stderr().trim().slice(-2000)}`,
      );
    }
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(
        `testbed: ${name} did not answer ${url} within ${READY_TIMEOUT_MS} ms: ${stderr().trim().slice(-2000)}`,
      );
    await new Promise((r) => setTimeout(r, 100));
  }
}

function killGroup(child, signal) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

async function startChild(name) {
  const tmp = mkdtempSync(join(tmpdir(), `testbed-${name}-`));
  const port = await freePort();
  let recipe;
  try {
    recipe = RECIPES[name](port, tmp);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
  const child = spawn(recipe.cmd, recipe.args, {
    cwd: tmp,
    env: recipe.env,
    detached: true, // its own process group, so stop() reaches grandchildren too
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    err = (err + d).slice(-8000);
  });
  child.on('error', (e) => {
    err += `\nspawn error: ${e.message}`;
  });
  const handle = {
    name,
    url: recipe.url,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 3000);
        await exited;
        clearTimeout(timer);
      }
      // The group may outlive its leader (supergateway's stdio child, gunicorn's workers).
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // none left
      }
      rmSync(tmp, { recursive: true, force: true });
    },
    killNow() {
      killGroup(child, 'SIGKILL');
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilAnswering(recipe.probe, child, () => err, name);
  } catch (e) {
    await handle.stop();
    throw e;
  }
  return handle;
}

function startRecorder() {
  const seen = [];
  const server = createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (req.url === '/__requests') {
        if (req.method === 'DELETE') seen.length = 0;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(req.method === 'DELETE' ? [] : seen));
        return;
      }
      const entry = { method: req.method, url: req.url, headers: req.headers, body };
      seen.push(entry);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(entry));
    });
  });
  return new Promise((resolveRec, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolveRec({
        name: 'recorder',
        url: `http://127.0.0.1:${port}`,
        stop: () => new Promise((r) => server.close(() => r())),
        killNow: () => server.close(),
      });
    });
  });
}

const live = new Set();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort: never leave servers behind when the process exits without calling stop().
  process.on('exit', () => {
    for (const h of live) h.killNow();
  });
}

/**
 * Starts the named servers (in parallel) and resolves once all of them answer.
 * @param {string[]} names any of SERVER_NAMES
 * @returns {Promise<{urls: Record<string, string>, stop: () => Promise<void>}>}
 */
export async function startTestbed(names) {
  for (const n of names) {
    if (!SERVER_NAMES.includes(n))
      throw new Error(`testbed: unknown server "${n}" (known: ${SERVER_NAMES.join(', ')})`);
  }
  installExitHook();
  const unique = [...new Set(names)];
  const results = await Promise.allSettled(unique.map((n) => (n === 'recorder' ? startRecorder() : startChild(n))));
  const handles = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
  for (const h of handles) live.add(h);
  const stop = async () => {
    await Promise.all(
      handles.map(async (h) => {
        live.delete(h);
        await h.stop();
      }),
    );
  };
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) {
    await stop();
    throw failed.reason;
  }
  const urls = Object.fromEntries(handles.map((h) => [h.name, h.url]));
  return { urls, stop };
}

async function main(argv) {
  const [command, ...names] = argv;
  if (command !== 'start' || names.length === 0) {
    process.stderr.write(`usage: node tests/servers/testbed.mjs start <${SERVER_NAMES.join('|')}>...\n`);
    process.exit(2);
  }
  let bed;
  try {
    bed = await startTestbed(names);
  } catch (e) {
    process.stderr.write(`${e.message}\n`);
    process.exit(1);
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await bed.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  process.on('SIGHUP', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('close', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
  process.stdout.write(`${JSON.stringify(bed.urls)}\n`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}

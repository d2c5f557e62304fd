// listMcpTools against the real MCP server-everything (Streamable HTTP) on 127.0.0.1.
// Needs the MCP client wired into src/wasm/mcp.rs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closedPort, FIXTURES, PKG, tempDir } from './helpers.mjs';
import { listMcpTools } from '../node.js';

const SERVER = join(PKG, '..', 'node_modules', '@modelcontextprotocol', 'server-everything', 'dist', 'index.js');

let child;
let url;
let home;

before(async () => {
  home = await tempDir();
  const port = await closedPort();
  // A minimal environment: server-everything has a tool that returns its whole environment.
  child = spawn(process.execPath, [SERVER, 'streamableHttp'], {
    env: {
      PATH: process.env.PATH,
      HOME: home.dir,
      PORT: String(port),
      NODE_OPTIONS: `--require ${join(FIXTURES, 'loopback.cjs')}`,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  url = `http://127.0.0.1:${port}/mcp`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await fetch(url, { method: 'GET' });
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error('server-everything did not start');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
});

after(async () => {
  child?.kill();
  await home?.cleanup();
});

describe('listMcpTools', () => {
  test('lists the tools of a real MCP server as a document', async () => {
    const doc = await listMcpTools(url);
    assert.equal(doc.format, 'mcp');
    const ops = doc.tools.flatMap((t) => t.operations);
    assert.ok(ops.length >= 10, `${ops.length} tools`);
    const echo = ops.find((o) => o.name === 'echo');
    assert.ok(echo, 'server-everything has an echo tool');
    assert.ok(echo.parameters.some((p) => p.name === 'message'));
  });

  test('an aborted signal rejects with Aborted; a refused port with NetworkError', async () => {
    await assert.rejects(listMcpTools(url, { signal: AbortSignal.abort() }), { name: 'Aborted' });
    const port = await closedPort();
    await assert.rejects(listMcpTools(`http://127.0.0.1:${port}/mcp`), { name: 'NetworkError' });
  });

  test('an injected fetch is used for every request', async () => {
    const seen = [];
    const doc = await listMcpTools(url, {
      fetch: (input, init) => {
        seen.push(init?.method ?? 'GET');
        return fetch(input, init);
      },
    });
    assert.ok(doc.tools.length > 0);
    assert.ok(seen.includes('POST'), `requests: ${seen.join(', ')}`);
  });
});

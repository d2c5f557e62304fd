#!/usr/bin/env node
// Two servers on 127.0.0.1 for the redirect tests (tests/wasm_redirects.rs): the "target" an
// endpoint is configured with, and "elsewhere", another origin (another port) the target
// redirects to. Both answer CORS preflights permissively, so that in a browser only the
// client's own rules can keep a request from reaching "elsewhere".
//
//   target     /r301/<rest>, /r302/<rest>, /r303/<rest>, /r307/<rest>, /r308/<rest>: that
//              status with `Location: <elsewhere>/<rest>` (another origin);
//              /same/<n>/<rest>: 302 to /same/<n-1>/<rest> on the target, and at 0 the echo;
//              GET /__seen: every request "elsewhere" received (method, url, headers, body).
//   elsewhere  records every request and answers 200 with a JSON body that reads as a chat
//              completion, an Anthropic message, an MCP reply and a tool answer at once (so a
//              client that followed the redirect would take it for the endpoint's answer).
//
// CLI: `node tests/servers/redirect-pair.mjs` prints {"target": URL, "elsewhere": URL} and runs
// until SIGINT/SIGTERM or until stdin closes. Library: `startRedirectPair()` resolves to
// {target, elsewhere, seen, stop()}.
import { createServer } from 'node:http';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function cors(req) {
  return {
    'access-control-allow-origin': '*',
    'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? '*',
    'access-control-expose-headers': '*',
    'access-control-allow-private-network': 'true',
  };
}

function readBody(req) {
  return new Promise((ok) => {
    let body = '';
    req.on('data', (c) => {
      if (body.length < 1e6) body += c;
    });
    req.on('end', () => ok(body));
  });
}

function listen(handler) {
  const server = createServer((req, res) => {
    handler(req, res).catch(() => res.destroy());
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${server.address().port}` }));
  });
}

/** An answer every client under test would accept as its endpoint's. */
function lure(path) {
  const text = `the answer of another origin (${path})`;
  return {
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    content: [{ type: 'text', text }],
    data: [{ index: 0, embedding: [0.5, 0.25] }],
    usage: { prompt_tokens: 1, completion_tokens: 1, input_tokens: 1, output_tokens: 1 },
    jsonrpc: '2.0',
    id: 1,
    result: {
      protocolVersion: '2025-11-25',
      capabilities: { tools: {} },
      serverInfo: { name: 'elsewhere', version: '1' },
      tools: [],
    },
    stolen: true,
  };
}

export async function startRedirectPair() {
  const seen = [];
  const elsewhere = await listen(async (req, res) => {
    const body = await readBody(req);
    seen.push({ method: req.method, url: req.url, headers: req.headers, body });
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors(req));
      return res.end();
    }
    res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
    res.end(JSON.stringify(lure(req.url)));
  });
  const target = await listen(async (req, res) => {
    const body = await readBody(req);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors(req));
      return res.end();
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    if (url.pathname === '/__seen') {
      res.writeHead(200, { ...cors(req), 'content-type': 'application/json', 'cache-control': 'no-store' });
      return res.end(JSON.stringify(seen));
    }
    const moved = /^\/r(301|302|303|307|308)(\/.*)?$/.exec(url.pathname);
    if (moved) {
      res.writeHead(Number(moved[1]), { ...cors(req), location: `${elsewhere.url}${moved[2] ?? '/'}${url.search}` });
      return res.end();
    }
    const same = /^\/same\/(\d+)(\/.*)?$/.exec(url.pathname);
    if (same && Number(same[1]) > 0) {
      res.writeHead(302, { ...cors(req), location: `/same/${Number(same[1]) - 1}${same[2] ?? '/'}${url.search}` });
      return res.end();
    }
    res.writeHead(200, { ...cors(req), 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ ok: true, method: req.method, path: url.pathname, key: req.headers['x-api-key'] ?? null, body }),
    );
  });
  return {
    target: target.url,
    elsewhere: elsewhere.url,
    seen,
    stop: () =>
      Promise.all(
        [target.server, elsewhere.server].map(
          (s) =>
            new Promise((ok) => {
              s.closeAllConnections?.();
              s.close(() => ok());
            }),
        ),
      ),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const pair = await startRedirectPair();
  console.log(JSON.stringify({ target: pair.target, elsewhere: pair.elsewhere }));
  const stop = () => pair.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  process.stdin.on('end', stop);
  process.stdin.resume();
}

#!/usr/bin/env node
// A stub tool server for benchmarks: answers every request at once with a small JSON echo
// of what it received, so a refinement run measures the engine and the model, not a tool.
//   node tests/servers/stub-tools.mjs [--port 0] [--latency-ms N]
// Prints {"url": "http://127.0.0.1:PORT"} as its first stdout line; bound to 127.0.0.1.
// GET /__stats answers {"requests": N}. Stops on SIGINT/SIGTERM or when stdin closes.
import http from 'node:http';

const arg = (name, def) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : def;
};
const latency = Number(arg('--latency-ms', '0'));
let requests = 0;

const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c) => {
    body += c;
    if (body.length > 1e6) req.destroy();
  });
  req.on('end', () => {
    if (req.url === '/__stats') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ requests }));
      return;
    }
    requests += 1;
    let args = null;
    try {
      args = body ? JSON.parse(body) : null;
    } catch {
      args = body;
    }
    const url = new URL(req.url, 'http://127.0.0.1');
    const reply = JSON.stringify({
      ok: true,
      method: req.method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      arguments: args,
      result: { id: requests, items: [{ name: 'example', value: requests % 7 }] },
    });
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': '*' });
      res.end(reply);
    }, latency);
  });
});
server.listen(Number(arg('--port', '0')), '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.stdin.on('end', stop);
process.stdin.resume();

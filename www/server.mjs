#!/usr/bin/env node
// The local server for the web app (the one `make demo` uses).
//
//   node www/server.mjs [--port N] [--dir www/dist] [--connect-src ORIGIN]... [--relay ORIGIN] [--state run.json]
//
// - Serves the built app (www/dist, which holds the package's wasm) on 127.0.0.1 only, with
//   correct MIME types (application/wasm for .wasm) and a strict Content-Security-Policy:
//   scripts only from this origin (plus 'wasm-unsafe-eval' to compile the wasm), no inline
//   scripts or styles, connections only to this origin and the --connect-src origins
//   (default: any port on 127.0.0.1 and localhost, where the local model and tools run).
// - --relay ORIGIN: forwards /relay/<path> to ORIGIN/<path>, and nowhere else, for tool APIs
//   that send no CORS headers. Only same-origin requests from the app are relayed; request
//   bodies are limited (--relay-body-limit, 8 MiB: a larger one is a 413 and is not sent on);
//   redirects are not followed. The relayed response cannot act as the app: its headers never
//   override the app's security headers, it gets `content-security-policy: sandbox;
//   default-src 'none'`, and anything but JSON is served as an attachment.
// - --state FILE: serves a finished run at /state.json for the app to open on start, and tells
//   the page so with a <meta name="tooldraft-state"> (without it the page asks for no run file).
//
// Prints one JSON line {"url": "http://127.0.0.1:PORT/"} on stdout when it listens.
// Also importable: `startServer(options)` returns {url, close()}.

import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = fileURLToPath(new URL('.', import.meta.url));

export const MIME = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
};

export const DEFAULT_CONNECT = ['http://127.0.0.1:*', 'http://localhost:*'];

/** The largest request body the relay forwards by default (8 MiB). */
export const DEFAULT_RELAY_BODY_LIMIT = 8 * 1024 * 1024;

/** The CSP of every relayed response: whatever it is, it runs nothing and loads nothing. */
export const RELAY_CSP = "sandbox; default-src 'none'";

/** The Content-Security-Policy for a list of extra connect-src sources. */
export function csp(connect = DEFAULT_CONNECT) {
  return [
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connect.join(' ')}`.trim(),
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

const HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
]);

function parseOrigin(s) {
  const u = new URL(s);
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--relay needs an http(s) origin, got ${s}`);
  return u.origin;
}

/** Parses the command line. Throws with a message on bad input. */
export function parseArgs(argv) {
  const opts = {
    port: 0,
    dir: join(HERE, 'dist'),
    connect: [],
    relay: null,
    state: null,
    relayBodyLimit: DEFAULT_RELAY_BODY_LIMIT,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--port') opts.port = Number(val());
    else if (a === '--dir') opts.dir = resolve(val());
    else if (a === '--connect-src') opts.connect.push(...val().split(/\s+/).filter(Boolean));
    else if (a === '--relay') opts.relay = parseOrigin(val());
    else if (a === '--state') opts.state = resolve(val());
    else if (a === '--relay-body-limit') opts.relayBodyLimit = Number(val());
    else if (a === '-h' || a === '--help') opts.help = true;
    else throw new Error(`unknown option ${a} (see --help)`);
  }
  if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) throw new Error('--port needs a port number');
  if (!Number.isSafeInteger(opts.relayBodyLimit) || opts.relayBodyLimit < 0)
    throw new Error('--relay-body-limit needs a number of bytes');
  return opts;
}

/** Injected into the app's HTML when the server has a run file to give (`--state`). */
export const STATE_META = '<meta name="tooldraft-state" content="/state.json" />';

/**
 * Starts the server. Options: port (0 = any free port), dir (the built app), connect (extra
 * connect-src sources; the defaults are kept), relay (the one origin /relay/ forwards to),
 * relayBodyLimit (bytes of request body the relay forwards at most), state (a run file
 * served at /state.json).
 */
export async function startServer({
  port = 0,
  dir = join(HERE, 'dist'),
  connect = [],
  relay = null,
  state = null,
  relayBodyLimit = DEFAULT_RELAY_BODY_LIMIT,
} = {}) {
  const root = resolve(dir);
  await stat(join(root, 'index.html')).catch(() => {
    throw new Error(`no built app in ${root}: run \`node_modules/.bin/vite build www\` (or make build) first`);
  });
  const connectSrc = [...DEFAULT_CONNECT, ...connect];
  if (relay && !connectSrc.includes(relay)) connectSrc.push(relay);
  const policy = csp(connectSrc);
  let self = '';

  const security = {
    'content-security-policy': policy,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };

  const send = (res, status, body, type = 'text/plain; charset=utf-8', extra = {}) => {
    res.writeHead(status, { ...security, 'content-type': type, 'cache-control': 'no-store', ...extra });
    res.end(body);
  };

  const server = createServer(async (req, res) => {
    try {
      // Refuse other host names (DNS rebinding): only the loopback names we listen on.
      const host = String(req.headers.host ?? '');
      if (!/^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host)) return send(res, 421, 'misdirected request\n');
      const url = new URL(req.url ?? '/', self);
      if (url.pathname.startsWith('/relay/') || url.pathname === '/relay') return await relayRequest(req, res, url);
      if (req.method !== 'GET' && req.method !== 'HEAD')
        return send(res, 405, 'method not allowed\n', undefined, { allow: 'GET, HEAD' });
      if (url.pathname === '/state.json') {
        if (!state)
          return send(res, 404, '{"error":"no run state; start the server with --state FILE"}\n', MIME['.json']);
        return send(res, 200, await readFile(state), MIME['.json']);
      }
      let path;
      try {
        path = decodeURIComponent(url.pathname);
      } catch {
        return send(res, 400, 'bad path\n');
      }
      if (path.endsWith('/')) path += 'index.html';
      const file = normalize(join(root, path));
      if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'forbidden\n');
      let body;
      try {
        body = await readFile(file);
      } catch {
        return send(res, 404, 'not found\n');
      }
      // The page asks for /state.json only when told there is one (no 404 in its console otherwise).
      if (state && extname(file) === '.html')
        body = Buffer.from(String(body).replace('<head>', `<head>\n    ${STATE_META}`));
      const type = MIME[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const cache = path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      res.writeHead(200, { ...security, 'content-type': type, 'content-length': body.length, 'cache-control': cache });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch (e) {
      if (!res.headersSent) send(res, 500, `server error: ${e?.message ?? e}\n`);
      else res.destroy();
    }
  });

  async function relayRequest(req, res, url) {
    if (!relay) return send(res, 404, 'the relay is off: start the server with --relay ORIGIN\n');
    // Only the app itself may use the relay: a cross-site page must not reach the target through us.
    const origin = req.headers.origin;
    if (origin && origin !== self.replace(/\/$/, '')) return send(res, 403, 'the relay only serves this app\n');
    const site = req.headers['sec-fetch-site'];
    if (site && site !== 'same-origin' && site !== 'none') return send(res, 403, 'the relay only serves this app\n');
    const rest = url.pathname.slice('/relay'.length) || '/';
    const target = new URL(relay);
    // Build the target by string so that no path can name another host (//evil, /\evil, @).
    const dest = new URL(`${target.origin}${rest.startsWith('/') ? rest : `/${rest}`}${url.search}`);
    if (dest.origin !== target.origin) return send(res, 403, 'the relay only forwards to its configured target\n');
    const headers = {};
    for (const [k, v] of Object.entries(req.headers)) {
      const key = k.toLowerCase();
      if (HOP.has(key) || key === 'origin' || key === 'referer' || key === 'cookie' || key.startsWith('sec-')) continue;
      headers[key] = Array.isArray(v) ? v.join(', ') : v;
    }
    const declared = Number(req.headers['content-length']);
    const chunks =
      Number.isFinite(declared) && declared > relayBodyLimit ? null : await readLimited(req, relayBodyLimit);
    if (!chunks) {
      // Drain what the client still sends (without keeping it) so that it reads the 413
      // rather than a reset connection; give up on a client that never stops.
      req.resume();
      setTimeout(() => req.destroy(), 10_000).unref();
      return send(
        res,
        413,
        `relay: the request body is larger than ${relayBodyLimit} bytes; nothing was forwarded\n`,
        undefined,
        { connection: 'close' },
      );
    }
    const body = chunks.length && req.method !== 'GET' && req.method !== 'HEAD' ? Buffer.concat(chunks) : undefined;
    let upstream;
    try {
      upstream = await fetch(dest, { method: req.method, headers, body, redirect: 'manual' });
    } catch (e) {
      return send(res, 502, `relay: ${target.origin} could not be reached (${e?.cause?.code ?? e?.message ?? e})\n`);
    }
    const out = {};
    upstream.headers.forEach((v, k) => {
      const key = k.toLowerCase();
      if (
        HOP.has(key) ||
        key === 'content-encoding' ||
        key === 'set-cookie' ||
        key.startsWith('access-control-') ||
        key in security
      )
        return;
      if (key === 'location') {
        // Redirects within the target stay on the relay; others are not followed.
        try {
          const loc = new URL(v, dest);
          if (loc.origin === target.origin) out.location = `/relay${loc.pathname}${loc.search}`;
        } catch {
          /* dropped */
        }
        return;
      }
      out[key] = v;
    });
    // The app's headers win; the relayed body can neither run nor render as the app.
    Object.assign(out, security, { 'content-security-policy': RELAY_CSP, 'cache-control': 'no-store' });
    if (!isJson(upstream.headers.get('content-type'))) out['content-disposition'] = 'attachment';
    res.writeHead(upstream.status, out);
    if (!upstream.body) return res.end();
    try {
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    } catch {
      res.destroy();
    }
  }

  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', ok);
  });
  const addr = server.address();
  self = `http://127.0.0.1:${addr.port}/`;
  return {
    url: self,
    port: addr.port,
    policy,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections?.();
      }),
  };
}

/** Whether a content type is JSON (`application/json`, `application/problem+json`, …). */
function isJson(contentType) {
  const essence = String(contentType ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  return essence === 'application/json' || /^application\/[a-z0-9.+-]*\+json$/.test(essence);
}

/**
 * The request body as chunks, or null as soon as it grows past `limit` bytes (the rest is
 * then left unread).
 * @param {import('node:http').IncomingMessage} req
 * @param {number} limit
 * @returns {Promise<Buffer[] | null>}
 */
function readLimited(req, limit) {
  return new Promise((ok, fail) => {
    const chunks = [];
    let size = 0;
    const onData = (c) => {
      size += c.length;
      if (size > limit) {
        req.off('data', onData);
        req.pause();
        ok(null);
      } else chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => ok(chunks));
    req.on('error', fail);
  });
}

const USAGE = `usage: node www/server.mjs [--port N] [--dir DIR] [--connect-src ORIGIN]... [--relay ORIGIN] [--relay-body-limit BYTES] [--state FILE]
  --port N            port on 127.0.0.1 (default: any free port)
  --dir DIR           the built app (default: www/dist)
  --connect-src SRC   another origin the app may connect to (default already allows
                      http://127.0.0.1:* and http://localhost:*); repeatable
  --relay ORIGIN      relay /relay/<path> to ORIGIN/<path> (for APIs without CORS headers)
  --relay-body-limit BYTES  the largest request body the relay forwards (default 8 MiB)
  --state FILE        serve a finished run at /state.json; the app opens it on start`;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`server.mjs: ${e.message}\n${USAGE}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log(USAGE);
    process.exit(0);
  }
  try {
    const s = await startServer(opts);
    console.log(JSON.stringify({ url: s.url }));
    console.error(
      `tooldraft web app on ${s.url}${opts.relay ? ` (relaying /relay/ to ${opts.relay})` : ''}${opts.state ? ` with ${opts.state}` : ''}`,
    );
    const stop = () => s.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  } catch (e) {
    console.error(`server.mjs: ${e.message}`);
    process.exit(1);
  }
}

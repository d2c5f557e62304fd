// www/server.mjs: loopback only, MIME types, a strict CSP, the relay (to its target and
// nowhere else), and --state. These need no package functions beyond a built app.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_PKG, WWW, expect, openApp, shot, test } from './fixtures';
import { HOSTILE, runFile } from './support/runfile';
// @ts-expect-error: a plain ESM module without types
import { startServer } from '../server.mjs';

interface Got {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (so that Host, Origin and odd paths are sent exactly as given). */
function raw(
  url: string,
  opts: { method?: string; path?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Got> {
  const u = new URL(url);
  return new Promise((ok, fail) => {
    const r = httpRequest(
      {
        host: u.hostname,
        port: u.port,
        path: opts.path ?? u.pathname + u.search,
        method: opts.method ?? 'GET',
        headers: opts.headers,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    r.on('error', fail);
    r.end(opts.body);
  });
}

test('serves the app with a strict CSP, correct MIME types and no inline script', async ({ app }) => {
  const index = await raw(app.url);
  expect(index.status).toBe(200);
  const csp = String(index.headers['content-security-policy']);
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).toMatch(/connect-src 'self' http:\/\/127\.0\.0\.1:\*/);
  expect(index.headers['x-content-type-options']).toBe('nosniff');
  // Every script in the page is an external file.
  for (const m of index.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    expect(m[1]).toMatch(/\bsrc=/);
    expect(m[2].trim()).toBe('');
  }
  const assets = readdirSync(join(WWW, 'dist/assets'));
  const wasm = assets.find((f) => f.endsWith('.wasm'));
  if (!FAKE_PKG) {
    expect(wasm, 'the package wasm is in the build').toBeTruthy();
    expect((await raw(`${app.url}assets/${wasm}`)).headers['content-type']).toBe('application/wasm');
  }
  expect((await raw(`${app.url}assets/${assets.find((f) => f.endsWith('.js'))}`)).headers['content-type']).toMatch(
    /^text\/javascript/,
  );
  expect((await raw(app.url, { path: '/../../etc/passwd' })).status).toBeGreaterThanOrEqual(400);
  expect((await raw(app.url, { path: '/%2e%2e/%2e%2e/etc/passwd' })).status).toBeGreaterThanOrEqual(400);
  // Another host name (DNS rebinding) is refused.
  expect((await raw(app.url, { headers: { host: 'evil.example' } })).status).toBe(421);
  expect((await raw(`${app.url}relay/x`)).status).toBe(404);
});

test('the page loads with no CSP violation', async ({ page, app, problems }) => {
  await openApp(page, app.url);
  expect(problems.cspViolations).toEqual([]);
});

test('the relay forwards to its target only, and only for the app', async () => {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: string }[] = [];
  const target = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  });
  await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
  const s = await startServer({ dir: join(WWW, 'dist'), relay: origin });
  try {
    const self = s.url.replace(/\/$/, '');
    const r = await raw(`${self}/relay/api/items?q=1`, {
      method: 'POST',
      headers: { origin: self, 'content-type': 'application/json', authorization: 'Bearer t', cookie: 'secret=1' },
      body: '{"x":1}',
    });
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ ok: true, path: '/api/items?q=1' });
    expect(r.headers['set-cookie']).toBeUndefined();
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/items?q=1', body: '{"x":1}' });
    expect(seen[0].headers.authorization).toBe('Bearer t');
    expect(seen[0].headers.cookie).toBeUndefined();
    expect(seen[0].headers.origin).toBeUndefined();
    // Paths that look like other hosts stay on the target.
    for (const path of ['/relay//evil.example/x', '/relay/@evil.example/x', '/relay/%2F%2Fevil.example']) {
      const got = await raw(self, { path });
      expect(got.status).toBe(200);
      expect(seen[seen.length - 1].headers.host).toBe(origin.slice('http://'.length));
    }
    // Other sites may not use the relay.
    expect((await raw(`${self}/relay/x`, { headers: { origin: 'http://evil.example' } })).status).toBe(403);
    expect((await raw(`${self}/relay/x`, { headers: { 'sec-fetch-site': 'cross-site' } })).status).toBe(403);
    // The relay's target is allowed by the CSP.
    expect(String((await raw(self)).headers['content-security-policy'])).toContain(origin);
  } finally {
    await s.close();
    target.close();
  }
  // A dead target is a 502 that names it.
  const dead = await startServer({ dir: join(WWW, 'dist'), relay: 'http://127.0.0.1:9' });
  try {
    const r = await raw(`${dead.url}relay/x`);
    expect(r.status).toBe(502);
    expect(r.body).toContain('127.0.0.1:9');
  } finally {
    await dead.close();
  }
});

test('relayed responses never act as the app: its headers win, HTML is sandboxed and downloaded, bodies are limited', async () => {
  const seen: string[] = [];
  const target = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    req.resume();
    req.on('end', () => {
      const json = req.url?.startsWith('/json');
      res.writeHead(200, {
        'content-type': json ? 'application/problem+json' : 'text/html; charset=utf-8',
        'content-security-policy': "script-src 'unsafe-inline'",
        'x-content-type-options': 'sniff',
        'referrer-policy': 'unsafe-url',
        'cross-origin-resource-policy': 'cross-origin',
        'content-disposition': 'inline',
        'x-upstream': 'kept',
      });
      res.end(json ? '{"ok":true}' : '<script>alert(document.cookie)</script>');
    });
  });
  await new Promise<void>((ok) => target.listen(0, '127.0.0.1', ok));
  const origin = `http://127.0.0.1:${(target.address() as { port: number }).port}`;
  // No build needed: the relay does not touch the app's files.
  const dir = mkdtempSync(join(tmpdir(), 'app-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>app</title>');
  const s = await startServer({ dir, relay: origin, relayBodyLimit: 1024 });
  try {
    const self = s.url.replace(/\/$/, '');
    const html = await raw(`${self}/relay/page`, { headers: { origin: self } });
    expect(html.status).toBe(200);
    expect(html.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(html.headers['content-disposition']).toBe('attachment');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect(html.headers['referrer-policy']).toBe('no-referrer');
    expect(html.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(html.headers['x-upstream']).toBe('kept');
    const json = await raw(`${self}/relay/json`, { headers: { origin: self } });
    expect(JSON.parse(json.body)).toEqual({ ok: true });
    expect(json.headers['content-security-policy']).toBe("sandbox; default-src 'none'");
    expect(json.headers['content-disposition']).toBe('inline');
    expect(json.headers['content-type']).toBe('application/problem+json');
    // Bodies past the limit are refused with a clear 413 and never reach the target.
    const before = seen.length;
    const big = await raw(`${self}/relay/upload`, {
      method: 'POST',
      headers: { origin: self, 'content-type': 'text/plain' },
      body: 'x'.repeat(4096),
    });
    expect(big.status).toBe(413);
    expect(big.body).toContain('larger than 1024 bytes');
    const chunked = await new Promise<Got>((ok, fail) => {
      const u = new URL(`${self}/relay/chunked`);
      const r = httpRequest(
        { host: u.hostname, port: u.port, path: u.pathname, method: 'PUT', headers: { origin: self } },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d) => (body += d));
          res.on('end', () => ok({ status: res.statusCode ?? 0, headers: res.headers, body }));
        },
      );
      r.on('error', fail);
      for (let i = 0; i < 8; i++) r.write('y'.repeat(512));
      r.end();
    });
    expect(chunked.status).toBe(413);
    expect(seen.length).toBe(before);
    const small = await raw(`${self}/relay/json-upload`, {
      method: 'POST',
      headers: { origin: self, 'content-type': 'text/plain' },
      body: 'x'.repeat(1024),
    });
    expect(small.status).toBe(200);
    expect(seen[seen.length - 1]).toBe('POST /json-upload');
  } finally {
    await s.close();
    target.close();
  }
});

test('bad command lines are refused with a message', () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(WWW, 'server.mjs'), ...args], { encoding: 'utf8', timeout: 10_000 });
  const a = run('--relay', 'ftp://x');
  expect(a.status).toBe(2);
  expect(a.stderr).toContain('http(s) origin');
  expect(run('--relay-body-limit', 'lots').stderr).toContain('--relay-body-limit needs a number of bytes');
  const b = run('--bogus');
  expect(b.status).toBe(2);
  expect(b.stderr).toContain('unknown option --bogus');
  const c = run('--dir', '/nonexistent');
  expect(c.status).toBe(1);
  expect(c.stderr).toContain('no built app');
});

test('a run served with --state opens in Results, hostile strings shown as text', async ({ page, problems }) => {
  const dir = mkdtempSync(join(tmpdir(), 'state-'));
  const file = join(dir, 'run.json');
  writeFileSync(file, JSON.stringify(runFile()));
  const s = await startServer({ dir: join(WWW, 'dist'), state: file });
  try {
    expect(JSON.parse((await raw(`${s.url}state.json`)).body).kind).toBe('tooldraft-run');
    await page.goto(s.url);
    await expect(page.getByRole('heading', { name: 'Results' })).toBeVisible();
    const pane = page.getByTestId('results-pane');
    await expect(pane.getByTestId('timeline').locator(':scope > li')).toHaveCount(3);
    await expect(pane.getByTestId('timeline')).toContainText(HOSTILE);
    await page.getByRole('tab', { name: 'Trails' }).click();
    await pane.locator('summary').first().click();
    await expect(pane).toContainText('truncated');
    // A long body is collapsed; opening it renders it as text.
    await pane.getByText(/Show the whole body/).click();
    await expect(pane.locator('pre.full')).toContainText('<script>alert(3)</script>');
    expect(await page.locator('main img, main script').count()).toBe(0);
    await shot(page, 'served-run-trails');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('run-status')).toHaveText('finished');
    expect(problems.dialogs).toEqual([]);
    // The served file is untouched by the app.
    expect(readFileSync(file, 'utf8')).toContain('served-run');
  } finally {
    await s.close();
  }
});

test('served without --state, the page asks for no run file (no 404 in its console) @pkg', async ({ page, app }) => {
  const asked: string[] = [];
  const failed: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/state.json') asked.push(r.url());
  });
  page.on('console', (m) => {
    if (m.type() === 'error') failed.push(m.text());
  });
  expect((await raw(app.url)).body).not.toContain('tooldraft-state');
  await openApp(page, app.url);
  await expect(page.locator('#engine-status')).toHaveText(/engine/);
  // The restore runs after the engine is up; give it the time it takes.
  await page.waitForTimeout(500);
  expect(asked).toEqual([]);
  expect(failed.filter((t) => /404|state\.json/.test(t))).toEqual([]);
});

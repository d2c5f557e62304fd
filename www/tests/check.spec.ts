// Issue 14 part 2 in the web app: "Check against the live tool" in the Review view runs the
// package's check in the worker against a small API on 127.0.0.1 (CORS on): ok while the API
// does what the document says; drift, named, once it changes; tool output shown as text.
// Needs the real package: tagged @pkg.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, openApp, pasteDoc, test } from './fixtures';

const HOSTILE = '<img src=x onerror=alert(1)>';
let server: Server;
let base = '';
let mode: 'faithful' | 'changed' = 'faithful';

test.beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('access-control-allow-origin', '*');
    res.setHeader('content-type', 'application/json');
    if (mode === 'changed') {
      res.statusCode = 404;
      res.end(JSON.stringify({ error: HOSTILE }));
      return;
    }
    res.end(JSON.stringify([{ id: 1, title: 'hello' }]));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
test.afterAll(async () => {
  await new Promise((r) => server.close(r));
});

function doc(): string {
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 'blog', version: '1' },
    servers: [{ url: base }],
    paths: {
      '/posts': {
        get: {
          operationId: 'listPosts',
          summary: 'List posts.',
          responses: {
            200: {
              description: 'OK',
              content: {
                'application/json': { schema: { type: 'array', items: { type: 'object', required: ['title'] } } },
              },
            },
          },
          'x-tooldraft-examples': [
            { query: 'all posts', arguments: {}, result: [{ id: 1, title: 'hello' }], verified: true },
          ],
        },
      },
    },
  });
}

test('check the document against the live tool from the Review view: ok, then drift named @pkg', async ({
  page,
  app,
}) => {
  mode = 'faithful';
  await openApp(page, app.url);
  await pasteDoc(page, doc());
  await page.getByRole('button', { name: 'Review & export' }).click();
  await page.locator('#check-panel summary').click();
  await expect(page.locator('#check-target-url')).toHaveValue(base);
  await page.locator('#check-run').click();
  const result = page.getByTestId('check-result');
  await expect(result).toHaveAttribute('data-verdict', 'ok', { timeout: 15_000 });
  await expect(page.locator('tr[data-check-op="listPosts"]')).toHaveAttribute('data-verdict', 'ok');

  mode = 'changed';
  await page.locator('#check-run').click();
  await expect(result).toHaveAttribute('data-verdict', 'drift', { timeout: 15_000 });
  const row = page.locator('tr[data-check-op="listPosts"]');
  await expect(row).toHaveAttribute('data-verdict', 'drift');
  await expect(row).toContainText('example #1: now fails: HTTP 404');
  // The tool's text is shown as text, never as markup.
  await expect(row).toContainText(HOSTILE);
  await expect(row.locator('img')).toHaveCount(0);
});

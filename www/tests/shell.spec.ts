// The shell (issue 2 item 6): open a document, see its operations, errors with location,
// export. Needs the merged package's parseDoc/inspect/exportDoc (or TOOLDRAFT_PKG's fake).
import { readFileSync } from 'node:fs';
import { expect, openApp, pasteDoc, shot, test } from './fixtures';

const MCP_DOC = JSON.stringify({
  tools: [
    {
      name: 'echo',
      description: 'Echoes back the input.',
      inputSchema: {
        type: 'object',
        properties: { message: { type: 'string', description: 'Message to echo' } },
        required: ['message'],
      },
    },
    {
      name: 'add',
      description: 'Adds two numbers.',
      inputSchema: {
        type: 'object',
        properties: { a: { type: 'number' }, b: { type: 'number' } },
        required: ['a', 'b'],
      },
      annotations: { readOnlyHint: true },
    },
  ],
});

test('the app paints before the engine is ready and names its version once it is', async ({ page, app, problems }) => {
  // When the engine's version appears, on the page's own clock: the order of the two events is
  // what the test asserts, not a time a loaded machine may miss (speed is for benchmarks).
  await page.addInitScript(() => {
    const w = window as unknown as { __engineReadyAt?: number };
    const seen = () => {
      const el = document.getElementById('engine-status');
      if (w.__engineReadyAt === undefined && el && /^engine \S+/.test(el.textContent ?? ''))
        w.__engineReadyAt = performance.now();
    };
    new MutationObserver(seen).observe(document, { subtree: true, childList: true, characterData: true });
  });
  await page.goto(app.url);
  await expect(page.getByRole('heading', { name: 'tooldraft' })).toBeVisible();
  await expect(page.locator('#engine-status')).toHaveText(/^engine \S+/);
  const { paint, ready } = await page.evaluate(() => ({
    paint: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? -1,
    ready: (window as unknown as { __engineReadyAt?: number }).__engineReadyAt ?? -1,
  }));
  expect(paint, 'the page painted').toBeGreaterThan(0);
  expect(ready, 'the engine became ready').toBeGreaterThan(0);
  expect(paint, 'the page painted before the engine was ready').toBeLessThan(ready);
  expect(problems.cspViolations).toEqual([]);
});

test('paste a document and see its tools, operations and parameters @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await pasteDoc(page, MCP_DOC);
  await expect(page.getByTestId('format')).toHaveText(/mcp/);
  await expect(page.getByTestId('count-operations')).toHaveText('2');
  await expect(page.getByTestId('count-parameters')).toHaveText('3');
  const echo = page.locator('details.op[data-op]', { hasText: 'echo' }).first();
  await echo.locator('summary').click();
  const row = echo.locator('table.params tbody tr').first();
  await expect(row).toContainText('message');
  await expect(row).toContainText('string');
  await expect(row).toContainText('yes');
  await expect(row).toContainText('Message to echo');
  // a and b have no description: smells are listed.
  expect(Number(await page.getByTestId('count-smells').textContent())).toBeGreaterThan(0);
  await shot(page, 'shell-document');
});

test('a malformed document shows where it is broken, and the editor can jump there @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await pasteDoc(page, '{\n  "tools": [\n    {"name": "x",,}\n  ]\n}');
  const alert = page.getByRole('alert');
  await expect(alert).toContainText(/line 3/);
  await expect(page.getByLabel('Where the error is')).toContainText('3 |');
  await alert.getByRole('button', { name: /Show line 3/ }).click();
  const sel = await page
    .locator('#doc-text')
    .evaluate((t: HTMLTextAreaElement) => t.value.slice(0, t.selectionStart).split('\n').length);
  expect(sel).toBe(3);
  await shot(page, 'shell-error');
});

test('open a file, and drop one @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await page
    .locator('#doc-file')
    .setInputFiles({ name: 'tools.json', mimeType: 'application/json', buffer: Buffer.from(MCP_DOC) });
  await expect(page.getByTestId('count-operations')).toHaveText('2');
  await expect(page.getByTestId('doc-summary')).toContainText('tools.json');
  // Drag and drop: dispatch a drop carrying a file.
  const dt = await page.evaluateHandle(
    (text) => {
      const d = new DataTransfer();
      d.items.add(new File([text], 'dropped.json', { type: 'application/json' }));
      return d;
    },
    MCP_DOC.replace('"add"', '"sum"'),
  );
  await page.getByTestId('dropzone').dispatchEvent('drop', { dataTransfer: dt });
  await expect(page.getByTestId('doc-summary')).toContainText('dropped.json');
  await expect(page.getByTestId('tools')).toContainText('sum');
});

test('export downloads the document in another format @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await pasteDoc(page, MCP_DOC);
  await page.locator('#export-format').selectOption('openai');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-doc').click()]);
  expect(dl.suggestedFilename()).toMatch(/\.openai\.json$/);
  const text = readFileSync((await dl.path())!, 'utf8');
  const parsed = JSON.parse(text);
  expect(JSON.stringify(parsed)).toContain('"echo"');
  expect(JSON.stringify(parsed)).toContain('function');
});

test('a URL without CORS headers is explained, with the way out', async ({ page, app }) => {
  // A server that answers without CORS headers.
  const { createServer } = await import('node:http');
  const s = createServer((_q, r) => r.end('{"tools":[]}'));
  await new Promise<void>((ok) => s.listen(0, '127.0.0.1', ok));
  const port = (s.address() as { port: number }).port;
  try {
    await openApp(page, app.url);
    await page.locator('#doc-url').fill(`http://127.0.0.1:${port}/spec.json`);
    await page.locator('#open-url').click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('CORS');
    await expect(alert).toContainText('--relay');
    await expect(alert).toContainText('tooldraft refine');
  } finally {
    s.close();
  }
  // And a port where nothing listens.
  await page.locator('#doc-url').fill('http://127.0.0.1:9/none.json');
  await page.locator('#open-url').click();
  await expect(page.getByRole('alert')).toContainText(/Nothing answered/);
});

test('the shell is usable by keyboard: tab reaches the editor and Open, Enter opens @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await page.locator('#doc-text').focus();
  await page.keyboard.insertText(MCP_DOC);
  await page.keyboard.press('Tab');
  await expect(page.locator('#open-pasted')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('count-operations')).toHaveText('2');
  // The focused element has a visible outline.
  const outline = await page.locator('#open-pasted').evaluate((el) => getComputedStyle(el).outlineStyle);
  expect(outline).not.toBe('none');
});

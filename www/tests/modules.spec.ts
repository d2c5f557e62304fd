// The package's two wasm modules in the app (README "Two wasm modules"): the worker starts on
// the small document module, and opening, inspecting, exporting and diffing a document fetch
// nothing more; the engine module is fetched once, by the first engine function.
import type { Page } from '@playwright/test';
import { expect, openApp, pasteDoc, test } from './fixtures';
import { startEverything } from './support/servers';

/** The wasm files the page and its worker fetch, by name before Vite's hash. */
function watchWasm(page: Page): string[] {
  const fetched: string[] = [];
  page.on('request', (r) => {
    const file = new URL(r.url()).pathname.split('/').pop() ?? '';
    if (file.endsWith('.wasm')) fetched.push(file.slice(0, file.indexOf('_bg-') + 3));
  });
  return fetched;
}

const DOC = JSON.stringify({
  tools: [
    {
      name: 'echo',
      description: 'Echoes.',
      inputSchema: { type: 'object', properties: { message: { type: 'string' } } },
    },
  ],
});

test('documents open on the document module; the engine is fetched on first use, once @pkg', async ({ page, app }) => {
  const fetched = watchWasm(page);
  await openApp(page, app.url);
  await pasteDoc(page, DOC);
  await expect(page.getByTestId('count-operations')).toHaveText('1');
  await expect(page.getByTestId('format')).toHaveText(/mcp/);
  expect(fetched).toEqual(['tooldraft_document_bg']);

  const everything = await startEverything();
  try {
    await page.getByRole('button', { name: 'Document', exact: true }).click();
    await page.locator('#mcp-url').fill(everything.mcpUrl);
    await page.locator('#read-mcp').click();
    await expect(page.getByTestId('tools')).toContainText('get-sum', { timeout: 15_000 });
    expect(fetched).toEqual(['tooldraft_document_bg', 'tooldraft_bg']);
    await page.locator('#read-mcp').click(); // a second engine call fetches nothing more
    await expect(page.getByTestId('tools')).toContainText('get-sum', { timeout: 15_000 });
    expect(fetched).toEqual(['tooldraft_document_bg', 'tooldraft_bg']);
  } finally {
    await everything.stop();
  }
});

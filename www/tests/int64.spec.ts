// Integers beyond 2^53 through the web app: a document with int64/uint64 limits opens (it
// used to fail with ConversionError), and is exported with the very digits it had. And the
// worker keeps the structured fields of a document error (line, column), so the hint needs
// no reading of the message.
import { readFileSync } from 'node:fs';
import { expect, openApp, pasteDoc, test } from './fixtures';

const LIMITS = JSON.stringify({
  openapi: '3.0.3',
  info: { title: 'Ids', version: '1' },
  paths: {
    '/ids': {
      get: {
        operationId: 'getIds',
        description: 'Gets ids.',
        parameters: [
          {
            name: 'id',
            in: 'query',
            schema: { type: 'integer', format: 'int64', minimum: '@MIN@', maximum: '@UMAX@' },
          },
        ],
        responses: { 200: { description: 'ok' } },
      },
    },
  },
})
  .replace('"@MIN@"', '-9223372036854775808')
  .replace('"@UMAX@"', '18446744073709551615');

test('a document with int64 and uint64 limits opens and is exported exactly @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await pasteDoc(page, LIMITS);
  await expect(page.getByTestId('count-operations')).toHaveText('1');
  await page.locator('#export-format').selectOption('mcp');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-doc').click()]);
  const text = readFileSync((await dl.path())!, 'utf8');
  expect(text).toContain('18446744073709551615');
  expect(text).toContain('-9223372036854775808');
  expect(text).not.toContain('18446744073709552000');
});

test('a syntax error keeps its line and column across the worker @pkg', async ({ page, app }) => {
  await openApp(page, app.url);
  await pasteDoc(page, '{\n  "tools": [\n    {"name": }\n  ]\n}');
  await expect(page.getByRole('alert')).toContainText('Go to line 3, column 14 of the document.');
});

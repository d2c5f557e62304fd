// Quality: light and dark themes, a narrow window, keyboard use, cancel. The views come from
// a run file served with --state, so most of these need no package functions.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { WWW, expect, openApp, shot, test } from './fixtures';
import { runFile } from './support/runfile';
import { startEverything, startLlm } from './support/servers';
// @ts-expect-error: a plain ESM module without types
import { startServer } from '../server.mjs';

async function served(
  use: (url: string) => Promise<void>,
  bodyBytes?: number,
  schemaChanges?: boolean,
  sensitive?: boolean,
): Promise<void> {
  const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'run.json');
  writeFileSync(file, JSON.stringify(runFile({ bodyBytes, schemaChanges, sensitive })));
  const s = await startServer({ dir: join(WWW, 'dist'), state: file });
  try {
    await use(s.url);
  } finally {
    await s.close();
  }
}

function luminance(rgb: string): number {
  const [r, g, b] = (rgb.match(/\d+/g) ?? ['0', '0', '0']).slice(0, 3).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

async function noHorizontalScroll(page: Page, where: string): Promise<void> {
  const { scroll, width } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    width: window.innerWidth,
  }));
  expect(scroll, `no horizontal scrolling in ${where}`).toBeLessThanOrEqual(width);
}

test('light and dark themes follow the system setting', async ({ page }) => {
  await served(async (url) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(url);
    await expect(page.getByTestId('timeline')).toBeVisible();
    const light = await page.evaluate(() => [
      getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.body).color,
    ]);
    expect(luminance(light[0])).toBeGreaterThan(0.8);
    expect(luminance(light[1])).toBeLessThan(0.3);
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate(() => [
      getComputedStyle(document.body).backgroundColor,
      getComputedStyle(document.body).color,
    ]);
    expect(luminance(dark[0])).toBeLessThan(0.2);
    expect(luminance(dark[1])).toBeGreaterThan(0.7);
    await page.getByRole('tab', { name: 'Diff' }).click();
    await shot(page, 'results-dark');
  });
});

test('works in a narrow window', async ({ page }) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await served(async (url) => {
    await page.goto(url);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await noHorizontalScroll(page, 'results');
    await page.getByRole('tab', { name: 'Trails' }).click();
    await page.getByTestId('results-pane').locator('summary').first().click();
    await noHorizontalScroll(page, 'trails');
    await shot(page, 'results-narrow');
    for (const view of ['Document', 'Set up', 'Run', 'Review & export']) {
      await page.getByRole('button', { name: view, exact: true }).click();
      await noHorizontalScroll(page, view);
    }
  });
});

test('usable by keyboard: skip link, views, tabs with arrow keys, visible focus', async ({ page }) => {
  await served(async (url) => {
    await page.goto(url);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Document', exact: true })).toBeFocused();
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe('none');
    // Tab to "Run" and open it with Enter.
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Run', exact: true })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('run-status')).toBeVisible();
    await page.getByRole('button', { name: 'Results', exact: true }).press('Enter');
    // Result tabs: arrow keys move between them.
    await page.getByRole('tab', { name: 'Timeline' }).focus();
    await page.keyboard.press('ArrowRight');
    await expect(page.getByRole('tab', { name: 'Diff' })).toBeFocused();
    await expect(page.getByRole('tab', { name: 'Diff' })).toHaveAttribute('aria-selected', 'true');
    // Everything clickable is a real control.
    expect(await page.locator('main [onclick], main div[tabindex="0"]:not([role])').count()).toBe(0);
  });
});

test('review: pick an earlier revision; the choice survives a reload and goes into the report', async ({ page }) => {
  await served(async (url) => {
    await page.goto(url);
    await expect(page.getByTestId('timeline')).toBeVisible();
    await page.getByRole('button', { name: 'Review & export' }).click();
    const sel = page.locator('select[data-name="fetch"]');
    await expect(sel.locator('option')).toHaveText([
      'Accept the final revision (1)',
      'Reject: keep the original',
      'Use revision 2 (rejected)',
    ]);
    await sel.selectOption('2');
    const row = page.getByTestId('review').locator('tr[data-name="fetch"]');
    await expect(row).toContainText('- url: x');
    await page.reload();
    await page.getByRole('button', { name: 'Review & export' }).click();
    await expect(page.locator('select[data-name="fetch"]')).toHaveValue('2');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
    const report = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
    expect(report.review).toEqual({ fetch: 2 });
    const op = report.reviewed.tools[0].operations[0];
    expect(op.description).toBe('Fetches.');
    expect(op.parameters[0].description).toBe('x');
    // The reviewed doc keeps the history, so the document still says how it got there.
    expect(op.history).toHaveLength(3);
  });
});

test('review: reject one schema change; the decision survives a reload and the reviewed document undoes it', async ({
  page,
}) => {
  await served(
    async (url) => {
      await page.goto(url);
      await page.getByRole('button', { name: 'Review & export' }).click();
      const table = page.getByTestId('schema-changes');
      await expect(table.locator('tbody tr')).toHaveCount(2);
      await expect(table.locator('tr[data-change="url/schema/format"]')).toContainText('url: format uri');
      await expect(table.locator('tr[data-change="url/schema/format"]')).toContainText('t1');
      await expect(table.locator('tr[data-change="url/enumValues"]')).toContainText('conflicting evidence: unchanged');
      await expect(table.locator('tr[data-change="url/enumValues"] select')).toHaveCount(0);
      const sel = table.locator('select[data-schema-change="fetch url/schema/format"]');
      await expect(sel).toHaveValue('accept');
      await sel.selectOption('reject');
      // The row is drawn again from the stored run once the decision is saved; reloading before that would lose it.
      await expect(table.locator('tr[data-change="url/schema/format"]')).toHaveAttribute('data-decision', 'reject');
      await page.reload();
      await page.getByRole('button', { name: 'Review & export' }).click();
      await expect(page.locator('select[data-schema-change="fetch url/schema/format"]')).toHaveValue('reject');
      const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
      const report = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
      expect(report.schemaReview).toEqual({ fetch: { 'url/schema/format': 'reject' } });
      expect(report.reviewed.tools[0].operations[0].parameters[0].schema).toEqual({ type: 'string' });
      expect(report.result.doc.tools[0].operations[0].parameters[0].schema.format).toBe('uri');
    },
    undefined,
    true,
  );
});

test('review: an operation whose responses carried secrets is flagged before export', async ({ page }) => {
  await served(
    async (url) => {
      await page.goto(url);
      await expect(page.getByTestId('timeline')).toBeVisible();
      await page.getByRole('button', { name: 'Review & export' }).click();
      await expect(page.getByTestId('sensitive-notice')).toContainText('look like secrets');
      await expect(page.getByTestId('sensitive-notice')).toContainText('fetch');
      await expect(page.getByTestId('review').locator('tr[data-name="fetch"] [data-sensitive="fetch"]')).toHaveText(
        'secrets withheld',
      );
    },
    undefined,
    false,
    true,
  );
  // Without the flag, no warning.
  await served(async (url) => {
    await page.goto(url);
    await page.getByRole('button', { name: 'Review & export' }).click();
    await expect(page.getByTestId('review')).toBeVisible();
    await expect(page.getByTestId('sensitive-notice')).toHaveCount(0);
  });
});

test('a 5 MB tool response is collapsed and the page stays responsive', async ({ page }) => {
  await served(
    async (url) => {
      await page.goto(url);
      await expect(page.getByTestId('timeline')).toBeVisible();
      await page.getByRole('tab', { name: 'Trails' }).click();
      const pane = page.getByTestId('results-pane');
      await pane.locator('summary').first().click();
      // Collapsed: only the head of the body is in the page until asked for.
      const shown = await pane
        .locator('pre.code')
        .evaluateAll((els) => els.reduce((n, e) => n + (e.textContent?.length ?? 0), 0));
      expect(shown).toBeLessThan(20_000);
      await pane.getByText(/Show the whole body/).click();
      await expect(pane.locator('pre.full')).toBeVisible();
      const t0 = Date.now();
      await page.getByRole('tab', { name: 'Timeline' }).click();
      await expect(page.getByTestId('timeline')).toBeVisible();
      expect(Date.now() - t0, 'the page answers promptly with 5 MB on screen').toBeLessThan(3000);
    },
    5 * 1024 * 1024,
  );
});

test('a document with hostile descriptions is shown as text @pkg', async ({ page, app, problems }) => {
  await page.goto(app.url);
  await expect(page.locator('#engine-status')).toHaveText(/^engine /);
  const doc = {
    tools: [
      {
        name: 'x<img src=x onerror=alert(1)>',
        description: '<script>alert(1)</script><img src=x onerror=alert(2)>',
        inputSchema: {
          type: 'object',
          properties: {
            '<b onmouseover=alert(3)>p</b>': { type: 'string', description: '<iframe src=javascript:alert(4)>' },
          },
        },
      },
    ],
  };
  await page.locator('#doc-text').fill(JSON.stringify(doc));
  await page.locator('#open-pasted').click();
  await expect(page.getByTestId('count-operations')).toHaveText('1');
  await page.locator('details.op > summary').first().click();
  await expect(page.getByTestId('tools')).toContainText('<script>alert(1)</script>');
  await expect(page.getByTestId('tools')).toContainText('<iframe src=javascript:alert(4)>');
  expect(await page.locator('main img, main script, main iframe, main b').count()).toBe(0);
  expect(problems.dialogs).toEqual([]);
});

test('a run can be cancelled and resumed @pkg', async ({ page, app }) => {
  const everything = await startEverything();
  const llm = await startLlm({ delayMs: 300 });
  try {
    await openApp(page, app.url);
    await page.locator('#mcp-url').fill(everything.mcpUrl);
    await page.locator('#read-mcp').click();
    await expect(page.getByTestId('format')).toHaveText(/mcp/, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    await page.getByRole('button', { name: 'Select none' }).click();
    await page.locator('input[data-name="echo"]').check();
    await page.locator('#llm-base-url').fill(llm.baseUrl);
    await page.locator('#llm-model').fill('scripted');
    await page.locator('#max-episodes').fill('5');
    await page.locator('#start-run').click();
    await expect(page.getByTestId('progress')).toContainText(/explore|call|analyze|rewrite/);
    // The page stays responsive during the run: switching views answers at once.
    const t0 = Date.now();
    await page.getByRole('button', { name: 'Document', exact: true }).click();
    await expect(page.locator('#view-doc')).toBeVisible();
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    expect(Date.now() - t0).toBeLessThan(2000);
    await page.locator('#cancel-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('cancelled', { timeout: 30_000 });
    await expect(page.locator('#resume-run')).toBeVisible();
    await page.locator('#resume-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
  } finally {
    await llm.stop();
    await everything.stop();
  }
});

test('Set up: an embeddings endpoint measures φ and Δ (requests reach its /v1/embeddings) @pkg', async ({
  page,
  app,
}) => {
  const everything = await startEverything();
  const llm = await startLlm();
  try {
    await openApp(page, app.url);
    await page.locator('#mcp-url').fill(everything.mcpUrl);
    await page.locator('#read-mcp').click();
    await expect(page.getByTestId('format')).toHaveText(/mcp/, { timeout: 15_000 });
    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    await page.getByRole('button', { name: 'Select none' }).click();
    await page.locator('input[data-name="echo"]').check();
    await page.locator('#llm-base-url').fill(llm.baseUrl);
    await page.locator('#llm-model').fill('scripted');
    await page.locator('#max-episodes').fill('3');
    await expect(page.locator('#embeddings-model')).toBeHidden();
    await page.locator('#embeddings-kind').selectOption('openai');
    await page.locator('#start-run').click();
    await expect(page.locator('#setup-form .errors')).toContainText('Name the embedding model');
    await page.locator('#embeddings-model').fill('scripted-embed');
    await page.locator('#start-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
    const counts = await (await fetch(`${llm.baseUrl.replace(/\/v1$/, '')}/__log?counts`)).json();
    expect(counts['/v1/embeddings'] ?? 0).toBeGreaterThan(0);
  } finally {
    await llm.stop();
    await everything.stop();
  }
});

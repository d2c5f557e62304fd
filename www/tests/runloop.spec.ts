// Issue 15: the run loop as a user lives it. Resume with what the user fixed in Set up (the
// endpoints named first, the document and operations locked), an error box for every failure,
// operations never left "running"; "Test connection"; a safe default selection with reasons;
// progress and the event log grouped by run; one episode numbering; findings as lists;
// review with the original beside the kept text and every example the export adds; the
// model-free comparison counting what the export writes; the whole-document diff navigable.
// Needs the real package: tagged @pkg.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, WWW, expect, openApp, shot, test } from './fixtures';
import { runFile } from './support/runfile';
import { startEverything, startLlm, type Everything } from './support/servers';
// @ts-expect-error: a plain ESM module without types
import { startServer } from '../server.mjs';
// @ts-expect-error: a plain ESM module without types
import { DEFAULT_PORT } from '../../pkg/lib/serve-llm.mjs';

const DEAD = 'http://127.0.0.1:9/v1';
let everything: Everything;

test.beforeAll(async () => {
  everything = await startEverything();
});
test.afterAll(async () => {
  await everything?.stop();
});

/** TOOLDRAFT_DOC_SHOTS=1 refreshes the screenshots of the main views in docs/screenshots/. */
async function docShot(page: Page, name: string): Promise<void> {
  await shot(page, name);
  if (!process.env.TOOLDRAFT_DOC_SHOTS) return;
  mkdirSync(join(ROOT, 'docs/screenshots'), { recursive: true });
  await page.screenshot({ path: join(ROOT, 'docs/screenshots', `${name}.png`) });
}

async function loadEverything(page: Page, url: string): Promise<void> {
  await openApp(page, url);
  await page.locator('#mcp-url').fill(everything.mcpUrl);
  await page.locator('#read-mcp').click();
  await expect(page.getByTestId('format')).toHaveText(/mcp/, { timeout: 15_000 });
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
}

test('Set up starts from a safe selection with the reason for each flag, and the serve-llm URL @pkg', async ({
  page,
  app,
}) => {
  await loadEverything(page, app.url);
  await expect(page.locator('#llm-base-url')).toHaveValue(`http://127.0.0.1:${DEFAULT_PORT}/v1`);
  const ticked = await page
    .locator('input[data-op]:checked')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  expect(ticked.length).toBeGreaterThan(0);
  expect(ticked.length).toBeLessThanOrEqual(5);
  expect(ticked).not.toContain('get-env');
  expect(ticked).not.toContain('trigger-long-running-operation');
  await expect(page.getByTestId('flags-get-env')).toContainText('may expose secrets');
  await expect(page.getByTestId('flags-trigger-long-running-operation')).toContainText('may run long');
  await expect(page.getByTestId('flags-toggle-simulated-logging')).toContainText('not marked read-only');
  // Every ticked operation is read-only and unflagged.
  for (const name of ticked) await expect(page.getByTestId(`flags-${name}`)).toHaveText('—');
  // A safe operation left out only by the cap says so.
  const unticked = await page
    .locator('input[data-op]:not(:checked)')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
  const capped: string[] = [];
  for (const name of unticked)
    if (/only the first 5/.test((await page.getByTestId(`flags-${name}`).textContent()) ?? '')) capped.push(name);
  expect(capped.length + ticked.length).toBeGreaterThan(5);
  await page.getByRole('button', { name: 'Select all' }).click();
  await page.getByRole('button', { name: 'Safe default' }).click();
  expect(await page.locator('input[data-op]:checked').count()).toBe(ticked.length);
  await docShot(page, 'setup');
});

test('Test connection: the model (models listed, a structured call) and the tool target, good and bad @pkg', async ({
  page,
  app,
}) => {
  const llm = await startLlm();
  try {
    await loadEverything(page, app.url);
    await page.locator('#llm-base-url').fill(DEAD);
    await page.locator('#test-model').click();
    const model = page.getByTestId('test-model-result');
    await expect(model.getByRole('alert')).toContainText(/cannot be reached|Nothing answered/, { timeout: 15_000 });
    await page.locator('#llm-base-url').fill(llm.baseUrl);
    await page.locator('#llm-model').fill('scripted');
    await page.locator('#test-model').click();
    await expect(model).toContainText('Connected', { timeout: 15_000 });
    await expect(model).toContainText('scripted');
    await expect(model).toContainText('structured call answered');
    await page.locator('#test-tools').click();
    const tools = page.getByTestId('test-tools-result');
    await expect(tools).toContainText(/Connected.*initialize and tools\/list: \d+ tool/, { timeout: 15_000 });
    // An MCP URL without /mcp: a clean message, no garbled pointer hint.
    await page.locator('#tool-url').fill(everything.mcpUrl.replace(/\/mcp$/, '/'));
    await page.locator('#test-tools').click();
    await expect(tools.getByRole('alert')).toBeVisible({ timeout: 15_000 });
    await expect(tools).not.toContainText('Look at /');
  } finally {
    await llm.stop();
  }
});

test('resume after fixing a wrong model URL: endpoints named, settings locked, an error box every time @pkg', async ({
  page,
  app,
}) => {
  const llm = await startLlm();
  try {
    await loadEverything(page, app.url);
    await page.getByRole('button', { name: 'Select none' }).click();
    await page.locator('input[data-name="echo"]').check();
    await page.locator('#llm-base-url').fill(DEAD);
    await page.locator('#llm-model').fill('scripted');
    await page.locator('#max-episodes').fill('2');
    await page.locator('#concurrency').fill('1');
    await page.locator('#timeout-ms').fill('10000');
    // The quick check warns before the run starts.
    await page.locator('#start-run').click();
    await expect(page.getByRole('alert').first()).toContainText(/cannot be reached|Nothing answered/, {
      timeout: 20_000,
    });
    await page.locator('#start-anyway').click();
    const status = page.getByTestId('run-status');
    await expect(status).toHaveText('failed', { timeout: 60_000 });
    const alert = page.locator('#view-run').getByRole('alert');
    await expect(alert).toBeVisible();
    await expect(page.getByTestId('progress').locator('tr[data-op="echo"]')).toHaveAttribute('data-status', 'failed');
    // Resumed unchanged, it fails again: the error box is there again.
    await expect(page.getByTestId('resume-endpoints')).toContainText(DEAD);
    await page.locator('#resume-run').click();
    await expect(status).toHaveText('failed', { timeout: 60_000 });
    await expect(alert).toBeVisible();
    await expect(page.getByTestId('progress').locator('tr[data-op="echo"] [data-testid="op-status"]')).not.toHaveText(
      'running',
    );
    // Fix the URL in Set up: the form holds the run's settings and says what is locked.
    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    await expect(page.getByTestId('resume-note')).toContainText('locked');
    await expect(page.locator('#max-episodes')).toHaveValue('2');
    await page.locator('#llm-base-url').fill(llm.baseUrl);
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('resume-endpoints')).toContainText(llm.baseUrl);
    await expect(page.getByTestId('resume-endpoints')).toContainText(everything.mcpUrl);
    await expect(page.getByTestId('resume-locked')).toContainText('1 operation');
    await docShot(page, 'run-resume');
    await page.locator('#resume-run').click();
    await expect(status).toHaveText('finished', { timeout: 90_000 });
    await expect(alert).toHaveCount(0);
    // The final state: done, the bar full, completed episodes counted from 1.
    const row = page.getByTestId('progress').locator('tr[data-op="echo"]');
    await expect(row).toHaveAttribute('data-status', 'done');
    await expect(row).toContainText(/[12] of 2 episodes done/);
    const bar = row.locator('progress');
    expect(await bar.getAttribute('value')).toBe(await bar.getAttribute('max'));
    // The event log: one group per attempt (started, resumed, resumed).
    await page.locator('#view-run summary', { hasText: 'Event log' }).click();
    await expect(page.getByTestId('event-log').locator('section.log-group')).toHaveCount(3);
    await expect(page.getByTestId('event-log').locator('section.log-group').first()).toContainText('Resumed');
    await expect(page.getByTestId('event-log')).not.toContainText('episode 0');
    await docShot(page, 'run-finished');
    // The stored run now holds the fixed URL, without secrets.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain('sk-');
  } finally {
    await llm.stop();
  }
});

test('results, review and export of a run: one episode numbering, findings as lists, every added example reviewed, counted as exported @pkg', async ({
  page,
}) => {
  const findings = {
    mismatches: ['The tool returns the page body, not a status.'],
    missing: ['<what a caller needs that the documentation lacks>'],
    suggestions: [],
  };
  const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'run.json');
  writeFileSync(file, JSON.stringify(runFile({ examples: true, findings })));
  const s = await startServer({ dir: join(WWW, 'dist'), state: file });
  try {
    await page.goto(s.url);
    const timeline = page.getByTestId('timeline');
    await expect(timeline).toBeVisible();
    await expect(timeline).toContainText('episode 1');
    await expect(timeline).not.toContainText('episode 0');
    await page.getByRole('tab', { name: 'Trails' }).click();
    await expect(page.getByTestId('trails').locator('summary').first()).toContainText('Episode 1 ·');
    await page.getByRole('tab', { name: 'Findings' }).click();
    const f = page.getByTestId('findings');
    await expect(f.locator('[data-section="mismatches"] li')).toHaveText(
      'The tool returns the page body, not a status.',
    );
    await expect(f.locator('[data-section="missing"] li.placeholder')).toContainText('echoes the prompt');
    await expect(f).not.toContainText('"mismatches"');
    await docShot(page, 'results');

    // The whole document: jump from change to change; unchanged parts folded.
    await page.locator('[data-target="#document"]').click();
    const doc = page.getByTestId('document-diff');
    await expect(doc.getByTestId('next-change')).toBeEnabled();
    await doc.getByTestId('next-change').click();
    await expect(doc.getByTestId('change-position')).toHaveText(/^change 1 of \d+$/);
    await doc.getByTestId('next-change').click();
    await doc.getByTestId('prev-change').click();
    await expect(doc.getByTestId('change-position')).toHaveText(/^change 1 of/);
    await expect(doc.locator('.current').first()).toBeVisible();

    // Review: the original beside the kept text; the examples the export adds, one rejected.
    await page.getByRole('button', { name: 'Review & export' }).click();
    const row = page.getByTestId('review').locator('tr[data-name="fetch"]');
    await expect(row.locator('[data-col="original"]')).toContainText('Fetches.');
    await expect(row.locator('[data-col="kept"]')).toContainText('Fetches a URL and returns its body.');
    const examples = page.getByTestId('examples-added');
    await expect(examples.locator('tbody tr')).toHaveCount(2);
    await examples.locator('select').nth(1).selectOption('reject');
    await expect(examples.locator('tbody tr').nth(1)).toHaveAttribute('data-decision', 'reject');
    await docShot(page, 'review');
    // The served run's document is MCP, which has no field for examples: said before the export.
    await expect(page.getByTestId('examples-not-carried')).toContainText('mcp has no field for examples');
    await page.locator('#export-refined-format').selectOption('anthropic');
    await expect(page.getByTestId('examples-not-carried')).toBeHidden();
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-refined').click()]);
    const exported = JSON.parse(readFileSync((await dl.path())!, 'utf8')) as {
      name: string;
      input_examples?: unknown[];
    }[];
    const written = exported.reduce((n, t) => n + (t.input_examples?.length ?? 0), 0);
    expect(written, 'the rejected example is not exported').toBe(1);
    expect(JSON.stringify(exported)).toContain('http://127.0.0.1:1/a');
    expect(JSON.stringify(exported)).not.toContain('http://127.0.0.1:1/b');

    // The model-free comparison counts what the export wrote.
    await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
    await page.locator('#compare-docs').click();
    await expect(page.getByTestId('eval-changes').getByTestId('chg-examples')).toHaveText(String(written));
  } finally {
    await s.close();
  }
});

test('after a reload, a run that had a key asks for it, names its endpoints and resumes with the Set up it shows @pkg', async ({
  page,
  app,
}) => {
  const llm = await startLlm({ delayMs: 150 });
  try {
    await loadEverything(page, app.url);
    await page.getByRole('button', { name: 'Select none' }).click();
    await page.locator('input[data-name="echo"]').check();
    await page.locator('#llm-base-url').fill(llm.baseUrl);
    await page.locator('#llm-model').fill('scripted');
    await page.locator('#llm-api-key').fill('sk-kept-in-memory');
    await page.locator('#max-episodes').fill('3');
    await page.locator('#start-run').click();
    await expect
      .poll(async () => Number((await page.getByTestId('run-steps').textContent()) ?? 0), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.reload();
    await expect(page.getByTestId('run-status')).toHaveText(/interrupted/, { timeout: 15_000 });
    // No document is open: Set up edits the interrupted run's settings (without its key).
    await page.getByRole('button', { name: 'Set up', exact: true }).click();
    await expect(page.getByTestId('resume-note')).toBeVisible();
    await expect(page.locator('#llm-base-url')).toHaveValue(llm.baseUrl);
    await expect(page.locator('#max-episodes')).toHaveValue('3');
    await expect(page.locator('#llm-api-key')).toHaveValue('');
    await page.locator('#max-episodes').fill('2');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(page.getByTestId('resume-endpoints')).toContainText(llm.baseUrl);
    await page.locator('#resume-key').fill('sk-kept-in-memory');
    await page.locator('#resume-run').click();
    await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout: 90_000 });
    // The edited limit was used (at most 2 episodes) and no key was stored.
    await expect(page.getByTestId('progress').locator('tr[data-op="echo"]')).toContainText(/of 2 episodes done/);
    expect(await page.evaluate(() => JSON.stringify(localStorage))).not.toContain('sk-kept-in-memory');
  } finally {
    await llm.stop();
  }
});

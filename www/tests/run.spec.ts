// Issue 5 end to end: load server-everything's tools from its MCP URL, run a refinement
// against a scripted model, watch progress, open a diff, reject one revision, export and
// check the files; hostile payloads; resume after a reload; errors a person can act on.
// Needs the merged package (listMcpTools, Refiner, diffText, exportDoc): tagged @pkg.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT, expect, openApp, shot, test } from './fixtures';
import { startEverything, startLlm, type Everything, type Llm } from './support/servers';

const HOSTILE = '<img src=x onerror=alert(1)>';
let everything: Everything;

test.beforeAll(async () => {
  everything = await startEverything();
});
test.afterAll(async () => {
  await everything?.stop();
});

async function loadEverything(page: Page, url: string): Promise<void> {
  await openApp(page, url);
  await page.locator('#mcp-url').fill(everything.mcpUrl);
  await page.locator('#read-mcp').click();
  await expect(page.getByTestId('format')).toHaveText(/mcp/, { timeout: 15_000 });
  expect(Number(await page.getByTestId('count-operations').textContent())).toBeGreaterThanOrEqual(5);
  await expect(page.getByTestId('tools')).toContainText('echo');
}

async function setUp(page: Page, llm: Llm, ops: string[], episodes = 2): Promise<void> {
  await page.getByRole('button', { name: 'Set up', exact: true }).click();
  await page.getByRole('button', { name: 'Select none' }).click();
  for (const op of ops) {
    await page.locator(`input[data-name="${op}"]`).check();
    const allow = page.locator(`[data-allow-name="${op}"]`);
    if (await allow.count()) await allow.check();
  }
  await page.locator('#llm-base-url').fill(llm.baseUrl);
  await page.locator('#llm-model').fill('scripted');
  await page.locator('#max-episodes').fill(String(episodes));
  await page.locator('#concurrency').fill('1');
  await page.locator('#timeout-ms').fill('10000');
}

async function waitFinished(page: Page, timeout = 90_000): Promise<void> {
  await expect(page.getByTestId('run-status')).toHaveText('finished', { timeout });
}

// Rewrites that say more than the originals and keep what they said, so they pass the gate and
// go through replay verification (the scripted model's auto text is off-topic and refused).
const REWRITES = {
  steps: [
    {
      match: ['rewrite the documentation of one operation', 'Echoes back the input string'],
      json: {
        description: "Echoes back the input string: the answer is one text block, 'Echo: ' followed by the message.",
        parameters: { message: 'The message to echo back, as a string.' },
        nextDirection: 'Try an empty message.',
      },
      times: 100,
    },
    {
      match: ['rewrite the documentation of one operation', 'Returns the sum of two numbers'],
      json: {
        description: 'Returns the sum of two numbers: the answer is one text block giving the sum of a and b.',
        parameters: { a: 'The first number to add.', b: 'The second number to add.' },
        nextDirection: 'Try negative numbers.',
      },
      times: 100,
    },
  ],
};

test('load tools from an MCP URL, run, watch progress, diff, reject one, export @pkg', async ({ page, app }) => {
  const llm = await startLlm({ script: REWRITES });
  try {
    await loadEverything(page, app.url);
    const originalEcho = (
      (await page.locator('#view-doc details.op[data-op="echo"] > p.desc').textContent()) ?? ''
    ).trim();
    expect(originalEcho.length).toBeGreaterThan(0);
    await shot(page, 'document-mcp');
    await setUp(page, llm, ['echo', 'get-sum']);
    await shot(page, 'setup');
    await page.locator('#start-run').click();
    // Progress: one row per chosen operation, with episode counts and phases.
    const progress = page.getByTestId('progress');
    await expect(progress.locator('tbody tr')).toHaveCount(2);
    await expect(progress).toContainText(/explore|call|analyze|rewrite|done/);
    await shot(page, 'run-progress');
    await waitFinished(page);
    await expect(page.getByTestId('ops-done')).toHaveText('2 / 2');
    await shot(page, 'run-finished');

    // Results: the timeline, then a diff between two revisions.
    await page.locator('#show-results').click();
    await page.getByRole('navigation', { name: 'Operations' }).locator('[data-name="echo"]').click();
    const timeline = page.getByTestId('timeline');
    await expect(timeline.locator('li').first()).toContainText('Original');
    await expect(page.getByTestId('termination')).not.toContainText('not finished');
    // Replay verification of each candidate revision, with its calls.
    await expect(timeline.getByTestId('verification').first()).toContainText(/replay verification|not verified/);
    const compare = timeline.locator('[data-compare]').first();
    if (await compare.count()) {
      await compare.click();
      await expect(page.getByTestId('diff-side')).toBeVisible();
      await expect(page.getByTestId('diff-summary')).toBeVisible();
      await shot(page, 'results-diff');
      // TOOLDRAFT_README_SHOT=1 refreshes the README's screenshot from this view.
      if (process.env.TOOLDRAFT_README_SHOT) {
        mkdirSync(join(ROOT, 'docs'), { recursive: true });
        await page.screenshot({ path: join(ROOT, 'docs/screenshot.png') });
      }
      await page.getByLabel('Inline').check();
      await expect(page.getByTestId('diff-inline')).toBeVisible();
    }
    await page.getByRole('tab', { name: 'Trails' }).click();
    await expect(page.getByTestId('trails').locator('details').first()).toBeVisible();
    await page.getByTestId('trails').locator('summary').first().click();
    await shot(page, 'results-trails');
    await page.getByRole('tab', { name: 'Facts' }).click();
    await expect(page.getByTestId('facts')).toBeVisible();
    await page.locator('[data-target="#document"]').click();
    await expect(page.getByTestId('document-diff')).toContainText(/added|removed|no change/);
    await shot(page, 'results-document');

    // Review: reject echo's revision (keep the original), keep get-sum's final one.
    await page.getByRole('button', { name: 'Review & export' }).click();
    await page.locator('select[data-name="echo"]').selectOption('reject');
    await expect(page.getByTestId('review').locator('tr[data-name="echo"] td').nth(2)).toHaveText(
      new RegExp(`^${originalEcho.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(\n|Parameters|$)`),
    );
    await shot(page, 'review');
    await page.locator('#export-refined-format').selectOption('mcp');
    const [dl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-refined').click()]);
    const exported = JSON.parse(readFileSync((await dl.path())!, 'utf8'));
    const tools: { name: string; description: string }[] = exported.tools ?? exported;
    const echo = tools.find((t) => t.name === 'echo')!;
    expect(echo.description, 'the rejected operation keeps its original description').toBe(originalEcho);
    expect(JSON.stringify(exported)).not.toContain('apiKey');

    // The JSON report: a run file with the review, and no secrets.
    const [jl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-json').click()]);
    const report = JSON.parse(readFileSync((await jl.path())!, 'utf8'));
    expect(report.kind).toBe('tooldraft-run');
    const echoOp = report.operations.find((o: { name: string }) => o.name === 'echo');
    expect(report.review[echoOp.id]).toBe('reject');
    expect(report.operations.map((o: { name: string }) => o.name).sort()).toEqual(['echo', 'get-sum']);
    expect(report.events.length).toBeGreaterThan(5);

    // The HTML report: standalone, with its own CSP; opened as a file it runs nothing.
    const [hl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-html').click()]);
    const html = readFileSync((await hl.path())!, 'utf8');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('echo');
  } finally {
    await llm.stop();
  }
});

test('hostile tool and model output is shown as text, never run @pkg', async ({ page, app, problems }) => {
  const llm = await startLlm({ hostile: true });
  try {
    await loadEverything(page, app.url);
    await setUp(page, llm, ['echo'], 2);
    await page.locator('#start-run').click();
    await expect(page.getByTestId('run-status')).toHaveText(/finished|failed/, { timeout: 90_000 });
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await page.getByRole('navigation', { name: 'Operations' }).locator('[data-name="echo"]').click();
    const pane = page.getByTestId('results-pane');
    // The payload appears as text (queries, trails, findings, revisions) …
    let text = '';
    for (const tab of ['Timeline', 'Trails', 'Findings', 'Facts']) {
      await page.getByRole('tab', { name: tab }).click();
      text += (await pane.textContent()) ?? '';
    }
    expect(text).toContain(HOSTILE);
    await shot(page, 'hostile-as-text');
    // … and never as markup.
    expect(await page.locator('main img, main script, main iframe, main object').count()).toBe(0);
    await page.getByRole('button', { name: 'Review & export' }).click();
    const [hl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-html').click()]);
    const html = readFileSync((await hl.path())!, 'utf8');
    expect(html).not.toContain(HOSTILE);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // Open the HTML report itself: no dialog may fire (the fixture fails the test on one).
    const file = join(mkdtempSync(join(tmpdir(), 'report-')), 'report.html');
    writeFileSync(file, html);
    await page.goto(`file://${file}`);
    await expect(page.locator('h1')).toHaveText('tooldraft report');
    expect(await page.locator('img').count()).toBe(0);
    expect(problems.dialogs).toEqual([]);
  } finally {
    await llm.stop();
  }
});

test('a reload mid-run keeps the finished work and the run resumes from its checkpoint @pkg', async ({ page, app }) => {
  const llm = await startLlm({ delayMs: 150 });
  try {
    await loadEverything(page, app.url);
    await setUp(page, llm, ['echo', 'get-sum'], 3);
    await page.locator('#start-run').click();
    // Wait for at least one checkpoint, then reload in the middle of the run.
    await expect
      .poll(async () => Number((await page.getByTestId('run-steps').textContent()) ?? 0), { timeout: 60_000 })
      .toBeGreaterThan(0);
    await page.reload();
    await expect(page.getByTestId('run-status')).toHaveText(/interrupted/, { timeout: 15_000 });
    await shot(page, 'run-interrupted');
    const before = await page.getByTestId('progress').textContent();
    expect(before).toMatch(/echo/);
    await page.locator('#resume-run').click();
    await waitFinished(page, 120_000);
    await expect(page.getByTestId('ops-done')).toHaveText('2 / 2');
    await page.getByRole('button', { name: 'Results', exact: true }).click();
    await page.getByRole('navigation', { name: 'Operations' }).locator('[data-name="get-sum"]').click();
    await expect(page.getByTestId('timeline').locator('li').first()).toContainText('Original');
  } finally {
    await llm.stop();
  }
});

test('a 401 from the model endpoint says to check the key @pkg', async ({ page, app }) => {
  const llm = await startLlm({ status: 401 });
  try {
    await loadEverything(page, app.url);
    await setUp(page, llm, ['echo'], 1);
    await page.locator('#llm-api-key').fill('sk-wrong');
    await page.locator('#start-run').click();
    const alert = page.getByRole('alert');
    await expect(alert).toContainText('401', { timeout: 30_000 });
    await expect(alert).toContainText(/API key/);
    await expect(page.locator('#resume-run')).toBeVisible();
    // The key is not in storage: it was not remembered.
    const stored = await page.evaluate(() => JSON.stringify(localStorage));
    expect(stored).not.toContain('sk-wrong');
  } finally {
    await llm.stop();
  }
});

test('an unreachable model endpoint is named @pkg', async ({ page, app }) => {
  await loadEverything(page, app.url);
  await setUp(page, { baseUrl: 'http://127.0.0.1:9/v1', stop: async () => {} }, ['echo'], 1);
  await page.locator('#start-run').click();
  await expect(page.getByRole('alert')).toContainText(/cannot be reached|Nothing answered/, { timeout: 30_000 });
});

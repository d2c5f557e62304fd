// Issue 7 item 4 in the web app: the Evaluate view against the scripted OpenAI-compatible
// server with deterministic answers (exact scores), live progress, the chart, exports,
// hostile labels/queries/model output shown as text, errors a person can act on, cancel,
// a finished run's documents compared without a model, narrow and dark. Needs the real
// package (evaluate, evaluationChart, evaluationHtml, compareDocs): tagged @pkg.
import { mkdirSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Download, Page } from '@playwright/test';
import { SHOTS, WWW, expect, openApp, pasteDoc, shot, test } from './fixtures';
import { runFile } from './support/runfile';
import { startEverything, startLlm, type Llm } from './support/servers';
// @ts-expect-error: a plain ESM module without types
import { startServer } from '../server.mjs';

const HOSTILE = '<img src=x onerror=alert(1)>';
const SECRET = 'sk-eval-secret-4711';

/** A small MCP tool; the last operation has no parameters, so its description ends the docs. */
function weatherTool(weather: string, units: string, name = 'get_weather'): string {
  return JSON.stringify({
    tools: [
      {
        name,
        description: weather,
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string', description: 'City name' } },
          required: ['city'],
        },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'get_forecast',
        description: 'Forecast.',
        inputSchema: {
          type: 'object',
          properties: { city: { type: 'string' }, days: { type: 'integer' } },
          required: ['city'],
        },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'list_units',
        description: units,
        inputSchema: { type: 'object', properties: {} },
        annotations: { readOnlyHint: true },
      },
    ],
  });
}
const ORIGINAL = weatherTool('Weather.', 'Units.');
const REFINED = weatherTool(
  'Returns the current weather for a city.',
  'Lists the measurement units the weather operations accept.',
);
/** The text that ends each version's operation docs, just before the query in the prompt. */
const ENDS = { original: 'Units.', refined: 'accept.' } as const;

const ITEMS = [
  { id: 'paris', query: 'What is the weather in Paris?', gold: ['get_weather'] },
  { id: 'rome', query: 'Forecast for Rome for the next 3 days', gold: ['get_forecast'] },
  { id: 'units', query: 'Which units can I ask for?', gold: ['list_units'] },
];
const QUERIES = ITEMS.map((i) => JSON.stringify(i)).join('\n');

type Call = [string, Record<string, unknown>];
/** A scripted answer for one (version, query): the prompt ends with the version's docs, then the query. */
function answer(version: keyof typeof ENDS, query: string, calls: Call[], delayMs = 0): object {
  return {
    match: `${ENDS[version]}\nParameters: none\n\nUser query: ${query}`,
    json: { calls: calls.map(([operation, args]) => ({ operation, arguments: args })) },
    ...(delayMs ? { delayMs } : {}),
  };
}

/**
 * Original: Paris right, Rome wrong (get_weather), units right → CP 2/3, all arguments valid.
 * Refined: all three right, but Rome's `days` is not an integer → CP 3/3, valid arguments 2/3.
 */
function script(delayMs = 0): object[] {
  return [
    answer('original', ITEMS[0].query, [['get_weather', { city: 'Paris' }]], delayMs),
    answer('original', ITEMS[1].query, [['get_weather', { city: 'Rome' }]], delayMs),
    answer('original', ITEMS[2].query, [['list_units', {}]], delayMs),
    answer('refined', ITEMS[0].query, [['get_weather', { city: 'Paris' }]], delayMs),
    answer('refined', ITEMS[1].query, [['get_forecast', { city: 'Rome', days: 'three' }]], delayMs),
    answer('refined', ITEMS[2].query, [['list_units', {}]], delayMs),
  ];
}

function root(llm: Llm): string {
  return llm.baseUrl.replace(/\/v1$/, '');
}

async function setScript(llm: Llm, steps: object[]): Promise<void> {
  const res = await fetch(`${root(llm)}/__script`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(steps),
  });
  expect(res.ok).toBe(true);
  await fetch(`${root(llm)}/__log`, { method: 'DELETE' });
}

async function openEvaluate(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Evaluate', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Evaluate', exact: true })).toBeVisible();
}

async function fillModel(page: Page, llm: Llm | string, concurrency = 1): Promise<void> {
  await page.locator('#eval-llm-base-url').fill(typeof llm === 'string' ? llm : llm.baseUrl);
  await page.locator('#eval-llm-model').fill('scripted');
  await page.locator('#eval-concurrency').fill(String(concurrency));
  await page.locator('#eval-timeout').fill('10000');
}

async function saved(dl: Download): Promise<string> {
  return readFileSync((await dl.path())!, 'utf8');
}

function scoreCell(page: Page, version: number, metric: string) {
  return page.getByTestId('eval-scores').locator(`tbody tr[data-version="${version}"] td[data-metric="${metric}"]`);
}

test('two versions × three items: exact scores, progress, chart, changes, exports @pkg', async ({
  page,
  app,
  problems,
}) => {
  const llm = await startLlm();
  try {
    await setScript(llm, script(500));
    await openApp(page, app.url);
    // Version 1 is the open document; version 2 is pasted.
    await pasteDoc(page, ORIGINAL);
    await expect(page.getByTestId('count-operations')).toHaveText('3');
    await openEvaluate(page);
    const slot1 = page.locator('fieldset.slot[data-slot="0"]');
    const slot2 = page.locator('fieldset.slot[data-slot="1"]');
    await expect(slot1.locator('select')).toHaveValue('current');
    await expect(slot1.getByRole('textbox', { name: 'Label' })).toHaveValue('original');
    await expect(slot2.locator('select')).toHaveValue('text');
    await slot2.getByRole('textbox', { name: 'Document text' }).fill(REFINED);
    await page.locator('#eval-queries').fill(QUERIES);
    await fillModel(page, llm);
    await page.locator('#eval-llm-api-key').fill(SECRET);
    await page.locator('#start-eval').click();

    // Live progress: some but not all of the 6 (item, version) pairs done, then all.
    await expect(page.getByTestId('eval-progress')).toBeVisible();
    await expect(page.getByTestId('eval-done')).toHaveText(/^[1-5] \/ 6$/);
    await expect(page.locator('#cancel-eval')).toBeVisible();
    await shot(page, 'evaluate-progress');
    await expect(page.getByTestId('eval-done')).toHaveText('6 / 6', { timeout: 30_000 });
    await expect(page.getByTestId('eval-scores')).toBeVisible();
    await expect(page.getByTestId('eval-status')).toHaveText('Evaluated 3 items under 2 versions.');

    // Exact scores with their intervals.
    await expect(scoreCell(page, 0, 'cp').locator('.figure')).toHaveText('66.7%');
    await expect(scoreCell(page, 1, 'cp').locator('.figure')).toHaveText('100.0%');
    await expect(scoreCell(page, 1, 'cp').locator('.ci')).toHaveText('[100.0, 100.0]');
    await expect(scoreCell(page, 0, 'cp').locator('.ci')).toHaveText(/^\[\d+\.\d, 100\.0\]$/);
    await expect(scoreCell(page, 0, 'cpOrdered').locator('.figure')).toHaveText('66.7%');
    await expect(scoreCell(page, 0, 'selection').locator('.figure')).toHaveText('66.7%');
    await expect(scoreCell(page, 1, 'selection').locator('.figure')).toHaveText('100.0%');
    await expect(scoreCell(page, 0, 'argsValid').locator('.figure')).toHaveText('100.0%');
    await expect(scoreCell(page, 1, 'argsValid').locator('.figure')).toHaveText('66.7%');
    await expect(scoreCell(page, 0, 'callSuccess')).toHaveText('–');
    await expect(scoreCell(page, 0, 'errors')).toHaveText('0');
    await expect(page.getByTestId('eval-scores').locator('tbody th')).toHaveText(['original', 'refined']);

    // Paired comparison of CP: +33.3 percentage points, exact McNemar (1 discordant pair: p = 1).
    const cpRow = page.getByTestId('eval-comparisons').locator('tr[data-metric="cp"]');
    await expect(cpRow).toContainText('original → refined');
    await expect(cpRow.locator('td.figure')).toHaveText('+33.3 pp');
    await expect(cpRow).toContainText('1.000');
    await expect(cpRow).toContainText('exact McNemar');
    await expect(page.getByTestId('eval-comparisons').locator('tr[data-metric="argsValid"] td.figure')).toHaveText(
      '−33.3 pp',
    );
    await expect(page.getByTestId('eval-skipped')).toHaveText('No item was skipped.');

    // Per-item outcomes, collapsed until asked for.
    const items = page.getByTestId('eval-items');
    await expect(items.locator('table')).toBeHidden();
    await items.locator('summary').click();
    const rome = items.locator('tr[data-item="rome"]');
    await expect(rome).toContainText(ITEMS[1].query);
    await expect(rome.locator('td').nth(2)).toContainText('chose get_weather');
    await expect(rome.locator('td').nth(2)).toContainText('CP ✗');
    await expect(rome.locator('td').nth(3)).toContainText('chose get_forecast');
    await expect(rome.locator('td').nth(3)).toContainText('args valid 0.0%');

    // The model-free change report: two descriptions rewritten, two short-description smells fixed.
    const changes = page.getByTestId('eval-changes');
    await expect(changes.getByTestId('chg-descriptions')).toHaveText('2');
    await expect(changes.getByTestId('chg-parameters')).toHaveText('0');
    await expect(changes.getByTestId('chg-fixed')).toHaveText('2');
    await expect(changes.getByTestId('chg-introduced')).toHaveText('0');
    expect(Number((await changes.getByTestId('chg-length').textContent())!.slice(1))).toBeGreaterThan(3);

    // The chart: the engine's SVG, as an inert data: image that the CSP lets load.
    const chart = page.getByTestId('eval-chart');
    await expect(chart).toBeVisible();
    await expect.poll(() => chart.evaluate((i: HTMLImageElement) => i.complete && i.naturalWidth)).toBeGreaterThan(0);
    const src = (await chart.getAttribute('src'))!;
    expect(src.startsWith('data:image/svg+xml')).toBe(true);
    const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    expect(svg).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('>original<');
    expect(svg).toContain('>refined<');
    expect(svg).not.toMatch(/<script|onload|onerror/i);
    expect(await chart.getAttribute('alt')).toContain('original: CP 66.7%');
    await chart.scrollIntoViewIfNeeded();
    await shot(page, 'evaluate-results');
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'evaluate-full.png'), fullPage: true });
    // The chart's text takes the page's colour, in either theme.
    const svgColor = async () => {
      const s = (await chart.getAttribute('src'))!;
      return /<svg[^>]* color="([^"]+)"/.exec(decodeURIComponent(s.slice(s.indexOf(',') + 1)))?.[1];
    };
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(svgColor).toBe('rgb(27, 31, 36)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(svgColor).toBe('rgb(230, 232, 235)');
    await shot(page, 'evaluate-results-dark');
    await page.emulateMedia({ colorScheme: 'light' });

    // The key went to the model, and nowhere else.
    const log = (await (await fetch(`${root(llm)}/__log`)).json()) as {
      method: string;
      path: string;
      headers: Record<string, string>;
    }[];
    const chats = log.filter((e) => e.method === 'POST' && e.path.endsWith('/chat/completions'));
    expect(chats).toHaveLength(6);
    expect(chats.every((e) => e.headers.authorization === `Bearer ${SECRET}`)).toBe(true);

    // Exports: the JSON report (the engine's report + the change reports) and the HTML page.
    const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-eval-json').click()]);
    expect(jsonDl.suggestedFilename()).toMatch(/^tooldraft-evaluation-.*\.json$/);
    const jsonText = await saved(jsonDl);
    expect(jsonText).not.toContain(SECRET);
    const report = JSON.parse(jsonText);
    expect(report.kind).toBe('tooldraft-evaluation');
    expect(report.querySet).toBe('jsonl');
    expect(report.scoredItems).toBe(3);
    expect(report.versions.map((v: { label: string }) => v.label)).toEqual(['original', 'refined']);
    expect(report.versions[0].cp.mean).toBeCloseTo(2 / 3, 10);
    expect(report.versions[1].cp.mean).toBe(1);
    expect(report.versions[1].argsValid.mean).toBeCloseTo(2 / 3, 10);
    expect(report.versions[0].items.find((i: { item: string }) => i.item === 'rome').chosen).toEqual(['get_weather']);
    expect(report.changes[0].changes.descriptionsChanged).toBe(2);

    const [htmlDl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-eval-html').click()]);
    expect(htmlDl.suggestedFilename()).toMatch(/^tooldraft-evaluation-.*\.html$/);
    const html = await saved(htmlDl);
    expect(html).toContain('<svg');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('66.7%');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain(SECRET);

    // A saved JSON report opens again in the view.
    await page.reload();
    await openEvaluate(page);
    await page.locator('details', { hasText: 'Open a saved evaluation' }).locator('summary').click();
    await page
      .locator('#open-eval-file')
      .setInputFiles({ name: 'eval.json', mimeType: 'application/json', buffer: Buffer.from(jsonText) });
    await expect(scoreCell(page, 0, 'cp').locator('.figure')).toHaveText('66.7%');
    await expect(page.getByTestId('eval-changes').getByTestId('chg-descriptions')).toHaveText('2');
    expect(problems.cspViolations).toEqual([]);
  } finally {
    await llm.stop();
  }
});

test('hostile labels, queries, item ids and model output are shown as text @pkg', async ({ page, app }) => {
  const llm = await startLlm();
  try {
    const item = { id: `id ${HOSTILE}`, query: `Weather in Paris ${HOSTILE}`, gold: ['get_weather'] };
    await setScript(llm, [
      {
        match: `User query: ${item.query}`,
        times: 2,
        json: {
          calls: [
            { operation: `<img src=x onerror=alert(3)>`, arguments: { city: HOSTILE } },
            { operation: 'get_weather', arguments: { city: HOSTILE } },
          ],
        },
      },
    ]);
    await openApp(page, app.url, '#evaluate');
    for (const [n, text] of [
      [0, ORIGINAL],
      [1, REFINED],
    ] as const) {
      const slot = page.locator(`fieldset.slot[data-slot="${n}"]`);
      await slot.locator('select').selectOption('text');
      await slot.getByRole('textbox', { name: 'Document text' }).fill(text);
    }
    await page.locator('fieldset.slot[data-slot="1"]').getByRole('textbox', { name: 'Label' }).fill(HOSTILE);
    await page.locator('#eval-queries').fill(JSON.stringify(item));
    await fillModel(page, llm);
    await page.locator('#start-eval').click();
    await expect(page.getByTestId('eval-scores')).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId('eval-scores').locator('tbody th').nth(1)).toHaveText(HOSTILE);
    await expect(scoreCell(page, 1, 'outsideCandidates')).toHaveText('1');
    await page.getByTestId('eval-items').locator('summary').click();
    const row = page.getByTestId('eval-items').locator('tbody tr').first();
    await expect(row).toContainText(item.id);
    await expect(row).toContainText(item.query);
    await expect(row).toContainText('not a candidate: <img src=x onerror=alert(3)>');
    await expect(page.getByTestId('eval-comparisons')).toContainText(`original → ${HOSTILE}`);
    // Nothing became markup: no <img src=x> anywhere in the page.
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    const src = (await page.getByTestId('eval-chart').getAttribute('src'))!;
    const svg = decodeURIComponent(src.slice(src.indexOf(',') + 1));
    expect(svg).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(svg).not.toContain(HOSTILE);
    const [htmlDl] = await Promise.all([page.waitForEvent('download'), page.locator('#export-eval-html').click()]);
    const html = await saved(htmlDl);
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    await shot(page, 'evaluate-hostile');
  } finally {
    await llm.stop();
  }
});

test('errors a person can act on: empty or broken query sets, different tools, unknown operations, labels @pkg', async ({
  page,
  app,
}) => {
  await openApp(page, app.url, '#evaluate');
  for (const [n, text] of [
    [0, ORIGINAL],
    [1, REFINED],
  ] as const) {
    const slot = page.locator(`fieldset.slot[data-slot="${n}"]`);
    await slot.locator('select').selectOption('text');
    await slot.getByRole('textbox', { name: 'Document text' }).fill(text);
  }
  // No model is asked for any of these: the endpoint need not exist.
  await fillModel(page, 'http://127.0.0.1:9/v1');
  const alert = page.locator('#view-evaluate').getByRole('alert');
  const start = page.locator('#start-eval');

  await page.locator('#eval-queries').fill('  \n');
  await start.click();
  await expect(alert).toContainText('The query set is empty');
  await expect(alert).toContainText('"gold"');
  await shot(page, 'evaluate-error');

  await page.locator('#eval-queries').fill(`${JSON.stringify(ITEMS[0])}\n{"query": "no gold"}`);
  await start.click();
  await expect(alert).toContainText('The query set cannot be read');
  await expect(alert).toContainText('Fix line 2 of the query set.');

  await page.locator('#eval-queries').fill(JSON.stringify({ query: 'Delete everything', gold: ['drop_database'] }));
  await start.click();
  await expect(alert).toContainText('None of the queries can be scored');
  await expect(alert).toContainText('drop_database');

  await page.locator('#eval-queries').fill(QUERIES);
  const other = JSON.stringify({
    tools: [
      { name: 'send_mail', description: 'Sends mail.', inputSchema: { type: 'object', properties: {} } },
      { name: 'read_mail', description: 'Reads mail.', inputSchema: { type: 'object', properties: {} } },
    ],
  });
  await page.locator('fieldset.slot[data-slot="1"]').getByRole('textbox', { name: 'Document text' }).fill(other);
  await start.click();
  await expect(alert).toContainText('These documents are not versions of the same tool');

  await page
    .locator('fieldset.slot[data-slot="1"]')
    .getByRole('textbox', { name: 'Document text' })
    .fill('{"tools": [,]}');
  await start.click();
  await expect(alert).toContainText('The document of version "refined" cannot be read');

  await page.locator('fieldset.slot[data-slot="1"]').getByRole('textbox', { name: 'Label' }).fill('original');
  await start.click();
  await expect(alert).toContainText('Give each version a different label.');
  await expect(page.getByTestId('eval-progress')).toBeHidden();
});

test('cancel stops an evaluation mid-way @pkg', async ({ page, app }) => {
  const llm = await startLlm();
  try {
    await setScript(llm, [
      { json: { calls: [{ operation: 'get_weather', arguments: { city: 'x' } }] }, delayMs: 1500, times: 50 },
    ]);
    await openApp(page, app.url, '#evaluate');
    for (const [n, text] of [
      [0, ORIGINAL],
      [1, REFINED],
    ] as const) {
      const slot = page.locator(`fieldset.slot[data-slot="${n}"]`);
      await slot.locator('select').selectOption('text');
      await slot.getByRole('textbox', { name: 'Document text' }).fill(text);
    }
    await page.locator('#eval-queries').fill(QUERIES);
    await fillModel(page, llm);
    await page.locator('#start-eval').click();
    await expect(page.getByTestId('eval-done')).toHaveText(/^[1-5] \/ 6$/, { timeout: 15_000 });
    await page.locator('#cancel-eval').click();
    await expect(page.getByTestId('eval-status')).toHaveText('The evaluation was cancelled.', { timeout: 15_000 });
    await expect(page.locator('#cancel-eval')).toBeHidden();
    await expect(page.locator('#start-eval')).toBeEnabled();
    await expect(page.getByTestId('eval-scores')).toHaveCount(0);
    await expect(page.locator('#view-evaluate').getByRole('alert')).toHaveCount(0);
  } finally {
    await llm.stop();
  }
});

test("a finished run's original and reviewed documents, compared without a model; narrow and dark @pkg", async ({
  page,
}) => {
  const file = join(mkdtempSync(join(tmpdir(), 'state-')), 'run.json');
  writeFileSync(file, JSON.stringify(runFile()));
  const s = await startServer({ dir: join(WWW, 'dist'), state: file });
  try {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(s.url);
    await expect(page.getByTestId('timeline')).toBeVisible();
    // By keyboard: the nav button, then the compare button.
    await page.getByRole('button', { name: 'Evaluate', exact: true }).focus();
    await page.keyboard.press('Enter');
    await expect(page.locator('#view-evaluate')).toBeVisible();
    await expect(page.locator('fieldset.slot[data-slot="0"] select')).toHaveValue('runOriginal');
    await expect(page.locator('fieldset.slot[data-slot="1"] select')).toHaveValue('runReviewed');
    await page.locator('#compare-docs').focus();
    await page.keyboard.press('Enter');
    const changes = page.getByTestId('eval-changes');
    await expect(changes.getByTestId('chg-descriptions')).toHaveText('1');
    // The reviewed doc rewrote the description; its parameter descriptions stayed as they were.
    await expect(changes.getByTestId('chg-parameters')).toHaveText('0');
    expect(Number((await changes.getByTestId('chg-length').textContent())!.slice(1))).toBeGreaterThan(2);
    await changes.locator('summary').click();
    await expect(changes).toContainText('fetch: description 8 →');
    const { scroll, width } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      width: window.innerWidth,
    }));
    expect(scroll, 'no horizontal scrolling').toBeLessThanOrEqual(width);
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe('rgb(15, 17, 21)');
    await shot(page, 'evaluate-narrow-dark');
  } finally {
    await s.close();
  }
});

test('with a tool target, the chosen read-only calls are made: call success against server-everything @pkg', async ({
  page,
  app,
}) => {
  const llm = await startLlm();
  const everything = await startEverything();
  try {
    // Both versions are the same document, so the model is asked once per item (cached).
    await setScript(llm, [
      {
        match: 'User query: Echo hello',
        times: 2,
        json: { calls: [{ operation: 'echo', arguments: { message: 'hello' } }] },
      },
      {
        match: 'User query: Add two and three',
        times: 2,
        json: { calls: [{ operation: 'get-sum', arguments: { a: 'two', b: 3 } }] },
      },
    ]);
    await openApp(page, app.url);
    await page.locator('#mcp-url').fill(everything.mcpUrl);
    await page.locator('#read-mcp').click();
    await expect(page.getByTestId('tools')).toContainText('get-sum', { timeout: 15_000 });
    await openEvaluate(page);
    const slot2 = page.locator('fieldset.slot[data-slot="1"]');
    await slot2.locator('select').selectOption('current');
    await slot2.getByRole('textbox', { name: 'Label' }).fill('same');
    await page
      .locator('#eval-queries')
      .fill(
        ['{"query": "Echo hello", "gold": ["echo"]}', '{"query": "Add two and three", "gold": ["get-sum"]}'].join('\n'),
      );
    // One at a time: the cache answers the second version (it does not merge requests in flight).
    await fillModel(page, llm, 1);
    await page.locator('#eval-tool-kind').selectOption('mcp');
    await expect(page.locator('#eval-tool-url')).toHaveValue(everything.mcpUrl);
    await page.locator('#start-eval').click();
    await expect(page.getByTestId('eval-scores')).toBeVisible({ timeout: 30_000 });
    for (const v of [0, 1]) {
      await expect(scoreCell(page, v, 'cp').locator('.figure')).toHaveText('100.0%');
      // get-sum's `a` is not a number: invalid, and server-everything refuses the call.
      await expect(scoreCell(page, v, 'argsValid').locator('.figure')).toHaveText('50.0%');
      await expect(scoreCell(page, v, 'callSuccess').locator('.figure')).toHaveText('50.0%');
    }
    const log = (await (await fetch(`${root(llm)}/__log`)).json()) as { method: string; path: string }[];
    expect(log.filter((e) => e.method === 'POST' && e.path.endsWith('/chat/completions'))).toHaveLength(2);
  } finally {
    await everything.stop();
    await llm.stop();
  }
});

// End to end in a real VS Code for the web: code-server (e2e/node_modules, from the npm
// registry) serves the workbench on 127.0.0.1 with the packaged .vsix installed; Debian's
// Chromium, driven by Playwright, opens a workspace with an OpenAPI file, sees the doc smells
// in the Problems panel, refines two operations (the scripted model server as the
// OpenAI-compatible model, httpbin as the tool), sees the diff, applies it and undoes it.
// Needs scripts/build.sh, `npm run build && npx vsce package` here (npm run package), and
// code-server installed by scripts/setup.sh.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startTestbed } from '../../../tests/servers/testbed.mjs';
import { EXTENSION, FIXTURES, REPO, startScriptedModel } from '../test/helpers.mjs';

const { chromium } = createRequire(join(REPO, 'package.json'))('playwright-core');
// CODE_SERVER_ENTRY: another install's out/node/entry.js.
const CODE_SERVER =
  process.env.CODE_SERVER_ENTRY ?? join(EXTENSION, 'e2e', 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const VSIX = join(EXTENSION, 'dist', 'tooldraft.vsix');
const OPERATION_SMELL = 'decodeBase64 › value: parameter has no description';

/** Where the extension runs: code-server's Node extension host, or the browser's Web Worker one. */
const HOSTS = { node: 'Node', web: 'a Web Worker' };

/** Runs a command from the command palette (again if the palette opened before the extension's commands were known). */
async function runCommand(page, title) {
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(`>${title}`);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      await page.keyboard.press('Escape');
      if (attempt === 3) throw e;
    }
  }
}

/** Opens a workspace file from the Explorer and waits for its tab. */
async function openFile(page, name) {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().dblclick();
  await page.locator('.tab.active', { hasText: name }).first().waitFor();
}

for (const host of Object.keys(HOSTS)) {
  describe(`extension host: ${host}`, () => {
    let llm;
    let testbed;
    let server;
    let browser;
    let tmp;
    let workspace;
    let url;

    before(async () => {
      tmp = mkdtempSync(join(tmpdir(), 'tooldraft-e2e-'));
      const env = {
        PATH: process.env.PATH,
        HOME: join(tmp, 'home'),
        XDG_CONFIG_HOME: join(tmp, 'config'),
        XDG_DATA_HOME: join(tmp, 'data'),
        TMPDIR: tmp,
      };
      const dirs = ['--user-data-dir', join(tmp, 'user'), '--extensions-dir', join(tmp, 'extensions')];
      const installed = spawnSync(process.execPath, [CODE_SERVER, ...dirs, '--install-extension', VSIX], {
        env,
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(installed.status, 0, `install the .vsix: ${installed.stdout}${installed.stderr}`);
      llm = await startScriptedModel();
      testbed = await startTestbed(['httpbin']);
      workspace = join(tmp, 'workspace');
      mkdirSync(join(workspace, '.vscode'), { recursive: true });
      copyFileSync(join(FIXTURES, 'httpbin.yaml'), join(workspace, 'httpbin.yaml'));
      // The model comes from the settings (code-server has no Language Model API provider); the
      // tool target is asked for by the extension and kept.
      writeFileSync(
        join(workspace, '.vscode', 'settings.json'),
        JSON.stringify({
          'tooldraft.model.provider': 'openai',
          'tooldraft.model.baseUrl': llm.url,
          'tooldraft.model.name': 'scripted',
          'tooldraft.limits.maxEpisodes': 1,
          'workbench.startupEditor': 'none',
          'security.workspace.trust.enabled': false,
          'telemetry.telemetryLevel': 'off',
          'extensions.autoCheckUpdates': false,
        }),
      );
      mkdirSync(join(tmp, 'user', 'User'), { recursive: true });
      writeFileSync(
        join(tmp, 'user', 'User', 'settings.json'),
        JSON.stringify({
          'workbench.startupEditor': 'none',
          'workbench.welcomePage.walkthroughs.openOnInstall': false,
          // "ui": the extension runs in the browser's Web Worker extension host (its web bundle).
          ...(host === 'web' ? { 'remote.extensionKind': { 'tooldraft.tooldraft-vscode': ['ui'] } } : {}),
        }),
      );
      const port = await freePort();
      server = spawn(
        process.execPath,
        [
          CODE_SERVER,
          ...dirs,
          '--bind-addr',
          `127.0.0.1:${port}`,
          '--auth',
          'none',
          '--disable-telemetry',
          '--disable-update-check',
          '--disable-workspace-trust',
          '--disable-getting-started-override',
          workspace,
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
      );
      await new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error('code-server did not start in 60 s')), 60_000);
        server.stdout.on('data', (b) => {
          if (String(b).includes('HTTP server listening')) {
            clearTimeout(timer);
            ok();
          }
        });
        server.once('exit', (code) => fail(new Error(`code-server exited with ${code}`)));
      });
      url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}`;
      browser = await chromium.launch({
        executablePath: '/usr/bin/chromium',
        args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'],
      });
    });

    after(async () => {
      await browser?.close();
      if (server?.pid) {
        try {
          process.kill(-server.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
      llm?.stop();
      await testbed?.stop();
      if (tmp) rmSync(tmp, { recursive: true, force: true });
    });

    test(`Problems, Refine two operations, diff, Apply and Undo (extension in ${HOSTS[host]})`, {
      timeout: 600_000,
    }, async (t) => {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      const shot = (name) => page.screenshot({ path: join(tmp, `${name}.png`) }).catch(() => {});
      try {
        await page.goto(url);
        await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
        await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor({ timeout: 60_000 });
        await openFile(page, 'httpbin.yaml');

        // Problems: the doc smells at their places.
        await page.keyboard.press('Control+Shift+M');
        const problem = page.locator('.markers-panel .monaco-list-row', { hasText: OPERATION_SMELL });
        await problem.waitFor({ timeout: 120_000 });
        const line =
          readFileSync(join(FIXTURES, 'httpbin.yaml'), 'utf8')
            .split('\n')
            .findIndex((l) => l.includes('name: value')) + 1;
        assert.match(await problem.innerText(), new RegExp(`\\[Ln ${line}, Col 17\\]`));
        await shot('problems');
        await runCommand(page, 'tooldraft: Show Log');
        await page
          .locator('.view-lines', { hasText: `tooldraft activated in ${HOSTS[host]}` })
          .first()
          .waitFor({ timeout: 60_000 });

        // Refine: pick two operations, give the tool's base URL.
        await openFile(page, 'httpbin.yaml');
        await runCommand(page, 'tooldraft: Refine Tool Docs');
        const input = page.locator('.quick-input-widget input');
        for (const op of ['uuid', 'anything']) {
          await input.fill(op);
          const row = page.locator('.quick-input-list .monaco-list-row', { hasText: op }).first();
          await row.waitFor();
          await row.locator('input[type=checkbox], .monaco-checkbox, .quick-input-list-checkbox').first().click();
        }
        await input.fill('');
        await page.keyboard.press('Enter');
        await page.locator('.quick-input-widget', { hasText: 'API base URL' }).waitFor();
        await input.fill(testbed.urls.httpbin);
        await page.keyboard.press('Enter');

        // The diff: original ↔ refined.
        await page.locator('.tab', { hasText: 'original ↔ refined' }).waitFor({ timeout: 300_000 });
        await page.locator('.monaco-diff-editor').first().waitFor();
        // The results view: the run's report in a webview (two nested frames in VS Code for the web).
        const report = page.frameLocator('iframe.webview').frameLocator('iframe#active-frame').locator('body');
        await report.getByText('anything', { exact: false }).first().waitFor({ timeout: 60_000 });
        assert.match(await report.innerText(), /uuid/);
        await shot('diff');
        const settings = JSON.parse(readFileSync(join(workspace, '.vscode', 'settings.json'), 'utf8'));
        assert.equal(
          settings['tooldraft.target.baseUrl'],
          testbed.urls.httpbin,
          'the target was kept in the workspace settings',
        );

        // Apply, save, and the file on disk is the refined one; Undo and save: the original again.
        const original = readFileSync(join(workspace, 'httpbin.yaml'), 'utf8');
        await runCommand(page, 'tooldraft: Apply Refined Document');
        await openFile(page, 'httpbin.yaml');
        await page.keyboard.press('Control+S');
        await waitFor(
          () => readFileSync(join(workspace, 'httpbin.yaml'), 'utf8') !== original,
          'the refined text saved',
        );
        const refined = readFileSync(join(workspace, 'httpbin.yaml'), 'utf8');
        assert.match(refined, /operationId: uuid/);
        // Saving refreshed the Problems: the refined document documents uuid's response.
        await page
          .locator('.markers-panel .monaco-list-row', { hasText: 'uuid: no response schema' })
          .waitFor({ state: 'detached' });
        await shot('applied');
        await page.keyboard.press('Control+Z');
        await page.keyboard.press('Control+S');
        await waitFor(
          () => readFileSync(join(workspace, 'httpbin.yaml'), 'utf8') === original,
          'Undo restored the original',
        );
        await shot('undone');
      } catch (e) {
        await shot('failure');
        t.diagnostic(`screenshots in ${tmp}`);
        tmp = undefined; // keep them
        throw e;
      }
    });
  });
}

async function waitFor(check, what, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  assert.fail(`timed out: ${what}`);
}

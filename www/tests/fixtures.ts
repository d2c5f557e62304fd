// Shared fixtures: the app's server (www/server.mjs over www/dist), a page that fails the test
// on any dialog (a hostile payload that ran would open one) or uncaught page error, and
// helpers to start local servers on 127.0.0.1 and stop them afterwards.
import { test as base, expect, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
// @ts-expect-error: a plain ESM module without types
import { startServer } from '../server.mjs';

export const WWW = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const ROOT = resolve(WWW, '..');
export const SHOTS = join(ROOT, 'artifacts', 'screenshots');

/** True when the app was built against the scripted fake package (TOOLDRAFT_PKG), not the real one. */
export const FAKE_PKG = Boolean(process.env.TOOLDRAFT_PKG);

export interface Served {
  url: string;
  close(): Promise<void>;
}

export interface Problems {
  dialogs: string[];
  pageErrors: string[];
  cspViolations: string[];
}

export const test = base.extend<{ problems: Problems }, { app: Served }>({
  app: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from an object pattern in its first parameter; this one has none
    async ({}, use) => {
      const s: Served = await startServer({ dir: process.env.TOOLDRAFT_DIST ?? join(WWW, 'dist') });
      await use(s);
      await s.close();
    },
    { scope: 'worker' },
  ],
  problems: async ({ page }, use) => {
    const p: Problems = { dialogs: [], pageErrors: [], cspViolations: [] };
    page.on('dialog', (d) => {
      p.dialogs.push(d.message());
      void d.dismiss();
    });
    page.on('pageerror', (e) => p.pageErrors.push(String(e)));
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) p.cspViolations.push(m.text());
    });
    await use(p);
    expect(p.dialogs, 'no dialog may open (a hostile payload ran)').toEqual([]);
    expect(p.pageErrors, 'no uncaught page errors').toEqual([]);
  },
});

export { expect };

/** Saves a screenshot under artifacts/screenshots/. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: false });
}

/** Opens the app and waits for the engine (the worker's "ready"). */
export async function openApp(page: Page, url: string, hash = ''): Promise<void> {
  await page.goto(url + hash);
  await expect(page.locator('#engine-status')).toHaveText(/^engine /, { timeout: 15_000 });
}

/** Pastes a document and opens it. */
export async function pasteDoc(page: Page, text: string): Promise<void> {
  await page.getByRole('button', { name: 'Document', exact: true }).click();
  await page.locator('#doc-text').fill(text);
  await page.locator('#open-pasted').click();
}

export interface Child {
  proc: ChildProcess;
  /** The first line the process printed that parsed as JSON. */
  info: Record<string, unknown>;
  stop(): Promise<void>;
}

/**
 * Starts a process that prints a JSON line (e.g. {"url": …}) when ready, and returns it with
 * that line. Rejects (and kills the process) if no such line comes within `timeoutMs`.
 */
export function startJsonChild(
  cmd: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {},
): Promise<Child> {
  return new Promise((ok, fail) => {
    const proc = spawn(cmd, args, {
      cwd: opts.cwd ?? ROOT,
      env: opts.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: false,
    });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const stop = () =>
      new Promise<void>((done) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return done();
        proc.once('exit', () => done());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
      });
    const timer = setTimeout(() => {
      void stop();
      fail(new Error(`${cmd} ${args.join(' ')} printed no JSON line in time; stderr: ${stderr.slice(-2000)}`));
    }, opts.timeoutMs ?? 20_000);
    const rl = createInterface({ input: proc.stdout! });
    rl.on('line', (line) => {
      try {
        const info = JSON.parse(line) as Record<string, unknown>;
        clearTimeout(timer);
        ok({ proc, info, stop });
      } catch {
        /* not the JSON line yet */
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${cmd} exited with ${code} before it was ready; stderr: ${stderr.slice(-2000)}`));
    });
  });
}

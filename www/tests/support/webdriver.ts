// A small W3C WebDriver client over fetch, enough to drive Firefox (geckodriver) through the
// app's main path: Playwright's Firefox needs its own browser build, which is not installed;
// Debian's firefox-esr with geckodriver is. geckodriver is started on 127.0.0.1 and stopped
// afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from './servers';

/** geckodriver and Firefox, from $GECKODRIVER / $FIREFOX or the usual places; null when absent. */
export function findFirefox(): { driver: string; browser: string } | null {
  const onPath = (name: string) =>
    (process.env.PATH ?? '')
      .split(':')
      .map((d) => join(d, name))
      .find((p) => existsSync(p));
  const driver =
    process.env.GECKODRIVER ??
    onPath('geckodriver') ??
    [join(process.env.HOME ?? '/root', '.cargo/bin/geckodriver')].find((p) => existsSync(p));
  const browser = process.env.FIREFOX ?? onPath('firefox-esr') ?? onPath('firefox');
  return driver && browser ? { driver, browser } : null;
}

export interface Browser {
  goto(url: string): Promise<void>;
  /** Runs a function body in the page (`arguments` holds `args`) and returns its result. */
  run<T>(body: string, ...args: unknown[]): Promise<T>;
  /** Waits until the function body returns a truthy value; returns it. */
  until<T>(body: string, what: string, timeoutMs?: number, ...args: unknown[]): Promise<T>;
  click(css: string): Promise<void>;
  type(css: string, text: string): Promise<void>;
  screenshot(): Promise<Buffer>;
  close(): Promise<void>;
}

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

/** Starts geckodriver and a headless Firefox session. */
export async function startFirefox(found: { driver: string; browser: string }): Promise<Browser> {
  const port = await freePort();
  const proc: ChildProcess = spawn(found.driver, ['--host', '127.0.0.1', '--port', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  proc.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const j = (await res.json()) as { value: unknown };
    if (!res.ok) throw new Error(`webdriver ${method} ${path}: ${JSON.stringify(j.value).slice(0, 600)}`);
    return j.value;
  };
  for (let i = 0; ; i++) {
    try {
      await call('GET', '/status');
      break;
    } catch (e) {
      if (i > 100) {
        proc.kill('SIGKILL');
        throw new Error(`geckodriver did not start: ${(e as Error).message} ${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const caps = {
    capabilities: {
      alwaysMatch: {
        browserName: 'firefox',
        'moz:firefoxOptions': {
          binary: found.browser,
          args: ['-headless', '-width', '1280', '-height', '800'],
          prefs: { 'browser.download.folderList': 2, 'browser.download.dir': '/tmp' },
        },
      },
    },
  };
  let session: { sessionId: string };
  try {
    session = (await call('POST', '/session', caps)) as { sessionId: string };
  } catch (e) {
    proc.kill('SIGKILL');
    throw new Error(`${(e as Error).message}\n${log}`);
  }
  const s = `/session/${session.sessionId}`;
  const find = async (css: string) =>
    ((await call('POST', `${s}/element`, { using: 'css selector', value: css })) as Record<string, string>)[ELEMENT];
  const run = async <T>(body: string, ...args: unknown[]) =>
    (await call('POST', `${s}/execute/sync`, { script: body, args })) as T;
  return {
    goto: async (url) => void (await call('POST', `${s}/url`, { url })),
    run,
    until: async <T>(body: string, what: string, timeoutMs = 20_000, ...args: unknown[]) => {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const v = await run<T>(body, ...args);
        if (v) return v;
        if (Date.now() > end) throw new Error(`Firefox: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    click: async (css) => void (await call('POST', `${s}/element/${await find(css)}/click`, {})),
    type: async (css, text) => {
      const id = await find(css);
      await call('POST', `${s}/element/${id}/clear`, {});
      await call('POST', `${s}/element/${id}/value`, { text });
    },
    screenshot: async () => Buffer.from((await call('GET', `${s}/screenshot`)) as string, 'base64'),
    close: async () => {
      await call('DELETE', s).catch(() => undefined);
      proc.kill('SIGTERM');
      await new Promise((r) => (proc.exitCode !== null ? r(null) : proc.once('exit', r)));
    },
  };
}

// Local servers the end-to-end tests run against, all on 127.0.0.1 and stopped afterwards:
// MCP server-everything (through tests/servers/testbed.mjs when that launcher exists), and
// an OpenAI-compatible scripted model (tests/servers/scripted-llm.mjs when it exists, else
// www/tests/support/llm.mjs, which also does hostile output and forced statuses).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, WWW, startJsonChild, type Child } from '../fixtures';

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => ok(p));
    });
  });
}

async function waitForPort(port: number, ms: number): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    const up = await new Promise<boolean>((ok) => {
      const r = request({ host: '127.0.0.1', port, path: '/', method: 'GET', timeout: 500 }, (res) => {
        res.resume();
        ok(true);
      });
      r.on('error', () => ok(false));
      r.on('timeout', () => {
        r.destroy();
        ok(false);
      });
      r.end();
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`nothing listened on 127.0.0.1:${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface Everything {
  mcpUrl: string;
  stop(): Promise<void>;
}

/** MCP server-everything over Streamable HTTP, loopback only, with a minimal environment. */
export async function startEverything(): Promise<Everything> {
  const launcher = join(ROOT, 'tests/servers/testbed.mjs');
  if (existsSync(launcher) && !process.env.TOOLDRAFT_OWN_TESTBED) {
    try {
      const c = await startJsonChild(process.execPath, [launcher, 'start', 'everything']);
      const url = String(c.info.mcpUrl ?? c.info.url ?? '');
      // A launcher that hands the server off and exits is asked to stop it by name.
      const stop = async () => {
        if (c.proc.exitCode !== null)
          spawnSync(process.execPath, [launcher, 'stop', 'everything'], { timeout: 10_000 });
        await c.stop();
      };
      if (url) return { mcpUrl: url.endsWith('/mcp') ? url : `${url.replace(/\/$/, '')}/mcp`, stop };
      await stop();
    } catch {
      // Fall back to starting it here.
    }
  }
  const port = await freePort();
  const home = mkdtempSync(join(tmpdir(), 'everything-'));
  const proc = spawn(
    process.execPath,
    [join(ROOT, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js'), 'streamableHttp'],
    {
      cwd: home,
      // get-env returns the whole environment: give it nothing worth reading.
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        PORT: String(port),
        NODE_OPTIONS: `--require=${join(WWW, 'tests/support/loopback.cjs')}`,
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const stop = () =>
    new Promise<void>((done) => {
      if (proc.exitCode !== null || proc.signalCode !== null) return done();
      proc.once('exit', () => done());
      proc.kill('SIGTERM');
      setTimeout(() => proc.kill('SIGKILL'), 3000).unref();
    });
  try {
    await waitForPort(port, 15_000);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}; server-everything said: ${err.slice(-1000)}`);
  }
  return { mcpUrl: `http://127.0.0.1:${port}/mcp`, stop };
}

export interface Llm {
  /** The OpenAI-compatible base URL (…/v1). */
  baseUrl: string;
  stop(): Promise<void>;
}

/** A scripted model. `hostile` or `status` need our own script (the shared one has neither). */
/** `script`: steps for the shared scripted model (see tests/servers/scripted-llm.mjs), answered
 * before its auto mode. */
export async function startLlm(
  opts: { hostile?: boolean; status?: number; delayMs?: number; script?: object } = {},
): Promise<Llm> {
  const shared = join(ROOT, 'tests/servers/scripted-llm.mjs');
  const own =
    !existsSync(shared) ||
    opts.hostile ||
    opts.status !== undefined ||
    opts.delayMs !== undefined ||
    process.env.TOOLDRAFT_OWN_LLM;
  let script: string[] = [];
  if (opts.script && !own) {
    const file = join(mkdtempSync(join(tmpdir(), 'llm-script-')), 'script.json');
    writeFileSync(file, JSON.stringify(opts.script));
    script = ['--script', file];
  }
  const args = own
    ? [
        join(WWW, 'tests/support/llm.mjs'),
        '--port',
        '0',
        ...(opts.hostile ? ['--hostile'] : []),
        ...(opts.status ? ['--status', String(opts.status)] : []),
        ...(opts.delayMs ? ['--delay', String(opts.delayMs)] : []),
      ]
    : [shared, '--port', '0', ...script];
  const c: Child = await startJsonChild(process.execPath, args);
  const url = String(c.info.url).replace(/\/$/, '');
  return { baseUrl: url.endsWith('/v1') ? url : `${url}/v1`, stop: c.stop };
}

// `make demo` interrupted while it is still starting (after the model, while the sandboxed
// tool starts: supergateway, in its own session) stops everything it started: the tool's
// whole process group is gone once the demo has exited.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ROOT } from './cli-run-helpers.mjs';

const out = mkdtempSync(join(tmpdir(), 'tooldraft-demo-interrupt-'));
let child;
after(() => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(out, { recursive: true, force: true });
});

/** Children of `pid` whose command line names supergateway (Linux /proc). */
function supergatewayChildren(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === pid && readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes('supergateway'))
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (e) {
    return e.code !== 'ESRCH';
  }
}

test('Ctrl-C while the sandboxed tool is starting stops it too', {
  timeout: 300_000,
  skip: process.platform !== 'linux' && 'reads /proc',
}, async () => {
  child = spawn(process.execPath, [join(ROOT, 'scripts/demo.mjs'), '--no-serve', '--episodes', '1', '--out', out], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => {
    stderr += d;
  });
  const closed = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  // Interrupt as soon as supergateway exists: it is then still starting (not yet answering).
  let gateway;
  const deadline = Date.now() + 240_000;
  while (!gateway) {
    assert.ok(Date.now() < deadline && child.exitCode === null, `supergateway never started:\n${stderr}`);
    [gateway] = supergatewayChildren(child.pid);
    if (!gateway) await new Promise((r) => setTimeout(r, 20));
  }
  child.kill('SIGINT');
  const { code } = await closed;
  assert.equal(code, 130, stderr);
  assert.match(stderr, /stopping everything the demo started/);
  // The gateway leads its own process group (the MCP server-memory is in it too).
  for (let i = 0; i < 50 && groupAlive(gateway); i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(groupAlive(gateway), false, `supergateway's group ${gateway} outlived the demo`);
});

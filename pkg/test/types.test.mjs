// index.d.ts is precise (no `any`) and a strict TypeScript consumer compiles against it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { PKG } from './helpers.mjs';

const tsc = join(PKG, '..', 'node_modules', '.bin', 'tsc');

test('a consumer compiles with tsc --strict (and the expected errors are errors)', () => {
  assert.ok(existsSync(tsc), `typescript is installed at ${tsc} (run make setup)`);
  const r = spawnSync(tsc, ['-p', join(PKG, 'test', 'types', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test('the public types never use any', async () => {
  for (const file of ['index.d.ts', 'types/generated.d.ts', 'types/json.d.ts']) {
    const dts = await readFile(join(PKG, file), 'utf8');
    const code = dts.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');
    assert.doesNotMatch(code, /\bany\b/, file);
  }
});

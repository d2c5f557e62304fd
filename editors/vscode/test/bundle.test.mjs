// The bundles the .vsix ships (dist/extension.js for the desktop, dist/web.js for VS Code for
// the web) load as CommonJS with nothing but `vscode` (here the double) and the wasm from the
// extension's own folder, and find the doc smells. Needs `node build.mjs` first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { join } from 'node:path';
import { createVscodeDouble } from './vscode-double.mjs';
import { EXTENSION, FIXTURES } from './helpers.mjs';

const require = createRequire(import.meta.url);

for (const bundle of ['extension.js', 'web.js']) {
  test(`dist/${bundle} activates and reports smells, with only vscode supplied`, async () => {
    const path = join(EXTENSION, 'dist', bundle);
    assert.ok(existsSync(path), `${path} is built (node build.mjs)`);
    const source = readFileSync(path, 'utf8');
    const imports = [...source.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
    if (bundle === 'web.js')
      assert.deepEqual(
        [...new Set(imports)].filter((m) => m !== 'vscode'),
        [],
        'the web bundle needs no Node module',
      );
    const double = createVscodeDouble();
    const load = Module._load;
    Module._load = function loadWithVscode(request, ...rest) {
      return request === 'vscode' ? double.vscode : load.call(this, request, ...rest);
    };
    try {
      delete require.cache[path];
      const ext = require(path);
      ext.activate(double.context(EXTENSION));
    } finally {
      Module._load = load;
    }
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', readFileSync(join(FIXTURES, 'httpbin.yaml'), 'utf8'));
    const list = double.diagnostics.get(doc.uri.toString());
    assert.ok(
      list?.some((d) => d.code === 'missingParameterDescription'),
      JSON.stringify(list?.map((d) => d.message)),
    );
    assert.match(double.shown.outputs[0].lines[0], /^tooldraft activated in Node/);
  });
}

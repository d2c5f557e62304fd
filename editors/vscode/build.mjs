// Bundles the extension with esbuild: dist/extension.js for the desktop (Node extension host)
// and dist/web.js for VS Code for the web (a Web Worker), both CommonJS with `vscode` left to
// the host; and copies the package's two wasm modules to dist/ (tooldraft_document_bg.wasm and
// tooldraft_bg.wasm), which the extension reads from its own files at activation. Needs the package built first (scripts/build.sh).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = join(here, 'dist');
mkdirSync(dist, { recursive: true });
const common = {
  entryPoints: [join(here, 'src', 'extension.mjs')],
  bundle: true,
  format: 'cjs',
  external: ['vscode'],
  minify: true,
  sourcemap: false,
  target: 'es2022',
  // The package's default wasm URL (import.meta.url) is never used: the bytes are passed in.
  define: { 'import.meta.url': 'undefined' },
  logLevel: 'warning',
  plugins: [
    {
      // pkg/lib/endpoint-options.mjs (whose Scrubber the extension uses) loads the CLI's local
      // model server lazily; the extension never calls that path, so it is not bundled.
      name: 'cli-only',
      setup(b) {
        b.onResolve({ filter: /serve-llm\.mjs$/ }, (a) => ({ path: a.path, external: true }));
      },
    },
  ],
};
await build({ ...common, platform: 'node', outfile: join(dist, 'extension.js') });
await build({ ...common, platform: 'browser', outfile: join(dist, 'web.js') });
for (const wasm of ['tooldraft_document_bg.wasm', 'tooldraft_bg.wasm']) {
  copyFileSync(join(here, '..', '..', 'pkg', 'gen', wasm), join(dist, wasm));
}
console.log('built editors/vscode/dist (extension.js, web.js, tooldraft_document_bg.wasm, tooldraft_bg.wasm)');

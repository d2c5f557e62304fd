// Builds the web app (www/ → www/dist). `tooldraft` resolves to the package in ../pkg:
// its entry when it exists, else the raw wasm-bindgen glue (a package under construction).
// TOOLDRAFT_PKG=<path to an index.js> builds against another copy of the package.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkgEntry =
  process.env.TOOLDRAFT_PKG ??
  (existsSync(here('../pkg/index.js')) ? here('../pkg/index.js') : here('../pkg/gen/tooldraft.js'));

export default defineConfig({
  root: here('.'),
  base: '/',
  resolve: { alias: { tooldraft: pkgEntry } },
  build: {
    outDir: here('dist'),
    emptyOutDir: true,
    target: 'es2022',
    // The wasm stays a separate file (served as application/wasm), never inlined as data:.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
    modulePreload: { polyfill: false },
    sourcemap: false,
  },
  worker: { format: 'es' },
  server: { fs: { allow: [here('..')] } },
});

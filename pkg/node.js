// tooldraft's Node entry (package.json exports["."].node): reads the document module from disk
// and initialises synchronously, so `import { inspect } from 'tooldraft'` works with no
// `await init()`; the engine module is read and instantiated, synchronously too, the
// first time an engine function is called, so `inspect` and `convert` never load it.
import { readFileSync } from 'node:fs';
import { initSync } from './index.js';

const gen = (file) => new URL(`./gen/${file}`, import.meta.url);
initSync({
  document: readFileSync(gen('tooldraft_document_bg.wasm')),
  engine: () => readFileSync(gen('tooldraft_bg.wasm')),
});

export * from './index.js';
export { default } from './index.js';

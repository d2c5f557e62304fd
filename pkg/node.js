// tooldraft's Node entry (package.json exports["."].node): reads the wasm from disk and
// initialises synchronously, so `import { inspect } from 'tooldraft'` works with no `await init()`.
import { readFileSync } from 'node:fs';
import { initSync } from './index.js';

initSync(readFileSync(new URL('./gen/tooldraft_bg.wasm', import.meta.url)));

export * from './index.js';
export { default } from './index.js';

// Packaging smoke: an IDE-extension-style bundle. rolldown turns this into one CommonJS file
// (import.meta.url is empty there); the wasm bytes are read from beside the bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync, parseDoc, version } from 'tooldraft/web';

export function activate(dir) {
  initSync(readFileSync(join(dir, 'tooldraft_bg.wasm')));
  try {
    parseDoc('{"tools": [}');
  } catch (e) {
    return `${version()} ${e.name}`;
  }
  return 'no error';
}

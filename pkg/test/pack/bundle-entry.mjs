// Packaging smoke: an IDE-extension-style bundle. rolldown turns this into one CommonJS file
// (import.meta.url is empty there); the two wasm modules' bytes are read from beside the bundle.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compareDocs, initSync, parseDoc, version } from 'tooldraft/web';

export function activate(dir) {
  initSync({
    document: readFileSync(join(dir, 'tooldraft_document_bg.wasm')),
    engine: () => readFileSync(join(dir, 'tooldraft_bg.wasm')),
  });
  try {
    parseDoc('{"tools": [}');
  } catch (e) {
    const changes = compareDocs('{"tools": []}', '{"tools": []}');
    return `${version()} ${e.name} ${changes.operations}`;
  }
  return 'no error';
}

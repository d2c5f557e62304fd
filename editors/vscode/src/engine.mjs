//! The tooldraft engine, loaded once from the extension's own bytes: the package's two wasm
//! modules shipped in the extension (`dist/tooldraft_document_bg.wasm`, which reads and writes
//! documents, and `dist/tooldraft_bg.wasm`, the engine) are read through `vscode.workspace.fs`,
//! which works on the desktop and in VS Code for the web alike (no `import.meta.url`, no network).

import init, * as tooldraft from '../../../pkg/index.js';

/** Where the two wasm modules lie inside the extension. */
export const WASM_PATHS = {
  document: ['dist', 'tooldraft_document_bg.wasm'],
  engine: ['dist', 'tooldraft_bg.wasm'],
};

let loading = null;

/**
 * The package's API once its wasm is initialised.
 * @param {typeof import('vscode')} vscode
 * @param {import('vscode').Uri} extensionUri
 * @returns {Promise<typeof tooldraft>}
 */
export function loadEngine(vscode, extensionUri) {
  if (tooldraft.isInitialized()) return Promise.resolve(tooldraft);
  loading ??= (async () => {
    const read = (path) => vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...path));
    const [document, engine] = await Promise.all([read(WASM_PATHS.document), read(WASM_PATHS.engine)]);
    await init({ document, engine });
    return tooldraft;
  })().catch((e) => {
    loading = null;
    throw e;
  });
  return loading;
}

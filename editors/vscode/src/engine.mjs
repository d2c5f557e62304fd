//! The tooldraft engine, loaded once from the extension's own bytes: the wasm file shipped in
//! the extension (`dist/tooldraft_bg.wasm`) is read through `vscode.workspace.fs`, which works
//! on the desktop and in VS Code for the web alike (no `import.meta.url`, no network).

import init, * as tooldraft from '../../../pkg/index.js';

/** Where the wasm lies inside the extension. */
export const WASM_PATH = ['dist', 'tooldraft_bg.wasm'];

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
    const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, ...WASM_PATH));
    await init(bytes);
    return tooldraft;
  })().catch((e) => {
    loading = null;
    throw e;
  });
  return loading;
}

//! The extension's wiring, with the `vscode` module passed in (src/extension.mjs passes the
//! real one; the tests pass a double): commands, the Problems-panel inspection refreshed on
//! open and save, the code actions, the virtual documents of Refine and the results panel.

import { loadEngine } from './engine.mjs';
import { RefinedDocs, SCHEME } from './refined-docs.mjs';
import { refineCommand } from './refine-flow.mjs';
import { ResultsPanel } from './results-panel.mjs';
import {
  headersSecret,
  modelKeySecret,
  modelOrigin,
  originOf,
  parseHeaderLines,
  savedTarget,
  SetupError,
} from './settings.mjs';
import { LANGUAGES, showExplanation, SmellActions, SmellDiagnostics } from './smells.mjs';

/**
 * @param {typeof import('vscode')} vscode
 * @param {import('vscode').ExtensionContext} context
 */
export function activateWith(vscode, context) {
  const log = vscode.window.createOutputChannel('tooldraft');
  const engine = () => loadEngine(vscode, context.extensionUri);
  // Which extension host runs the extension: Node (desktop, remote) or a Web Worker (web).
  const host = globalThis.process?.versions?.node
    ? `Node ${globalThis.process.versions.node}`
    : 'a Web Worker (VS Code for the web)';
  log.appendLine(`tooldraft activated in ${host}`);
  const smells = new SmellDiagnostics(vscode, engine);
  const docs = new RefinedDocs(vscode);
  const panel = new ResultsPanel(vscode);
  const ctx = { vscode, secrets: context.secrets, engine, docs, panel, log };
  const report = (e) => vscode.window.showErrorMessage(`tooldraft: ${e?.message ?? e}`);
  const inspect = (d) => smells.refresh(d).catch(report);

  context.subscriptions.push(
    log,
    smells,
    vscode.workspace.onDidOpenTextDocument(inspect),
    vscode.workspace.onDidSaveTextDocument(inspect),
    vscode.workspace.onDidCloseTextDocument((d) => smells.forget(d)),
    vscode.languages.registerCodeActionsProvider(
      LANGUAGES.map((language) => ({ language })),
      new SmellActions(vscode),
      { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
    ),
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, docs),
    vscode.commands.registerCommand('tooldraft.inspect', () => {
      const d = vscode.window.activeTextEditor?.document;
      return d ? smells.refresh(d) : [];
    }),
    vscode.commands.registerCommand('tooldraft.showLog', () => log.show(true)),
    vscode.commands.registerCommand('tooldraft.explainSmell', (kind) => showExplanation(vscode, String(kind))),
    vscode.commands.registerCommand('tooldraft.refine', (uri, only) =>
      refineCommand(ctx, uri, only).catch((e) => void report(e)),
    ),
    vscode.commands.registerCommand('tooldraft.apply', async (arg) => {
      const r = await docs.apply(arg);
      if (!r.applied) vscode.window.showWarningMessage(`tooldraft: ${r.reason}`);
      return r;
    }),
    vscode.commands.registerCommand('tooldraft.showResults', (arg) => {
      const r = docs.find(arg);
      if (!r) return void vscode.window.showWarningMessage('tooldraft: no run to show yet');
      panel.show(`tooldraft: ${r.name}`, r.html);
    }),
    vscode.commands.registerCommand('tooldraft.setModelApiKey', async () => {
      const origin = modelOrigin(vscode);
      if (!origin)
        return void vscode.window.showWarningMessage(
          'tooldraft: set tooldraft.model.provider to "openai" or "anthropic" (and tooldraft.model.baseUrl) first: the key is kept for that endpoint only',
        );
      const key = await vscode.window.showInputBox({
        title: `tooldraft: API key for ${origin} (kept in the secret storage)`,
        password: true,
        ignoreFocusOut: true,
      });
      if (key === undefined) return;
      if (key) await context.secrets.store(modelKeySecret(origin), key);
      else await context.secrets.delete(modelKeySecret(origin));
    }),
    vscode.commands.registerCommand('tooldraft.setToolHeaders', async () => {
      const target = savedTarget(vscode);
      const origin = originOf(target?.mcpUrl ?? target?.baseUrl);
      if (!origin)
        return void vscode.window.showWarningMessage(
          'tooldraft: set the tool first (tooldraft.target.mcpUrl or tooldraft.target.baseUrl, or run Refine once): the headers are kept for that endpoint only',
        );
      const text = await vscode.window.showInputBox({
        title: `tooldraft: headers sent with every call to ${origin} (kept in the secret storage)`,
        prompt: 'Name: value; Other-Name: value (empty clears them)',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => {
          try {
            parseHeaderLines(v);
            return null;
          } catch (e) {
            return e instanceof SetupError ? e.message : String(e);
          }
        },
      });
      if (text === undefined) return;
      const headers = parseHeaderLines(text);
      if (Object.keys(headers).length) await context.secrets.store(headersSecret(origin), JSON.stringify(headers));
      else await context.secrets.delete(headersSecret(origin));
    }),
  );
  for (const d of vscode.workspace.textDocuments) inspect(d);
  return { smells, docs, panel, engine };
}

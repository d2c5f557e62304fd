//! The Refine command: pick operations (quick pick), ask for the tool target once (kept in the
//! workspace settings; headers come from SecretStorage), run the engine with progress and
//! cancel, then show the refined document as a diff with Apply, and the run's revisions and
//! evidence in the results panel. Every problem the user can fix (no model, no target, a
//! document tooldraft cannot read, an endpoint that is down) ends in a message saying what to
//! do, never in an exception.

import { buildRunFile } from '../../../pkg/lib/run-report.mjs';
import { Scrubber } from '../../../pkg/lib/endpoint-options.mjs';
import { checkUrl, modelConfig, runLimits, saveTarget, savedTarget, SetupError, toolHeaders } from './settings.mjs';
import { resultsHtml } from './results-panel.mjs';

/** The operations of a parsed document, in order. */
export function operationsOf(doc) {
  return doc.tools.flatMap((t) => t.operations);
}

/** One line of progress for an engine event, or null. */
export function progressLine(e) {
  switch (e.type) {
    case 'operationStarted':
      return `${e.operation}: started`;
    case 'phase':
      return `${e.operation}: episode ${e.episode}, ${e.phase}`;
    case 'revisionAccepted':
      return `${e.operation}: revision ${e.revision} accepted`;
    case 'revisionRejected':
      return `${e.operation}: revision ${e.revision} rejected`;
    case 'terminated':
      return `${e.operation}: done (${e.reason.kind})`;
    default:
      return null;
  }
}

/** "2 operations: 1 improved, 1 unchanged" from a run report. */
export function outcomeSummary(report) {
  const counts = new Map();
  for (const op of report.operations ?? [])
    counts.set(op.outcome ?? 'unchanged', (counts.get(op.outcome ?? 'unchanged') ?? 0) + 1);
  const n = report.operations?.length ?? 0;
  const parts = [...counts].map(([k, v]) => `${v} ${k === 'originalKept' ? 'original kept' : k}`);
  return `${n} operation${n === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

const baseName = (uri) => uri.path.split('/').pop() || 'document';

/** Asks for the tool target when the settings have none, and keeps it. */
async function askTarget(vscode, doc) {
  const saved = savedTarget(vscode);
  if (saved) return saved;
  const mcp = doc.format === 'mcp';
  const value = await vscode.window.showInputBox({
    title: 'tooldraft: the tool to call',
    prompt: mcp
      ? 'The MCP server URL (Streamable HTTP), e.g. http://127.0.0.1:3001/mcp'
      : 'The API base URL the operations are sent to',
    value: mcp ? '' : (doc.tools.find((t) => t.baseUrl)?.baseUrl ?? ''),
    ignoreFocusOut: true,
    validateInput: checkUrl,
  });
  if (!value) return null;
  const target = mcp ? { mcpUrl: value.trim() } : { baseUrl: value.trim() };
  await saveTarget(vscode, target);
  return target;
}

/**
 * Runs Refine on a document. Resolves with the stored result, or null when it did not finish.
 * @param {{vscode: typeof import('vscode'), secrets: import('vscode').SecretStorage, engine: () => Promise<any>, docs: import('./refined-docs.mjs').RefinedDocs, panel: import('./results-panel.mjs').ResultsPanel, log?: import('vscode').OutputChannel}} ctx
 * @param {import('vscode').Uri} [uri] the document (default: the active editor's)
 * @param {string[]} [only] operation ids (default: asked with a quick pick)
 */
export async function refineCommand(ctx, uri, only) {
  const { vscode } = ctx;
  const say = (m) => vscode.window.showErrorMessage(`tooldraft: ${m}`);
  if (vscode.workspace.isTrusted === false) {
    return void say(
      'Refine calls the model and tool endpoints from the settings: trust this workspace first (Inspect works without)',
    );
  }
  const document = uri?.scheme
    ? await vscode.workspace.openTextDocument(uri)
    : vscode.window.activeTextEditor?.document;
  if (!document) return void say('open an OpenAPI, Swagger, MCP, OpenAI or Anthropic tool document first');
  const engine = await ctx.engine();
  const text = document.getText();
  const name = baseName(document.uri);
  let doc;
  try {
    doc = engine.parseDoc(text);
  } catch (e) {
    return void say(`${name} cannot be refined: ${e.name}: ${e.message}`);
  }
  const ops = operationsOf(doc);
  if (!ops.length) return void say(`${name} has no operations to refine`);

  let ids = Array.isArray(only) ? only.filter((id) => ops.some((o) => o.id === id)) : null;
  if (!ids?.length) {
    const picked = await vscode.window.showQuickPick(
      ops.map((o) => ({
        label: o.name,
        description: o.http ? `${o.http.method} ${o.http.path}` : '',
        detail: o.description.slice(0, 100) || '(no description)',
        id: o.id,
      })),
      { canPickMany: true, title: `tooldraft: operations of ${name} to refine`, ignoreFocusOut: true },
    );
    ids = (picked ?? []).map((p) => p.id);
  }
  if (!ids.length) return null;

  let model;
  try {
    model = await modelConfig(vscode, ctx.secrets);
  } catch (e) {
    if (!(e instanceof SetupError)) throw e;
    vscode.window.showErrorMessage(`tooldraft: ${e.message}`, 'Open Settings').then((choice) => {
      if (choice) vscode.commands.executeCommand('workbench.action.openSettings', 'tooldraft.model');
    });
    return null;
  }
  const target = await askTarget(vscode, doc);
  if (!target) return void say('Refine calls the tool: give its MCP URL or API base URL (setting tooldraft.target.*)');
  const headers = await toolHeaders(ctx.secrets, target);
  const secrets = [...model.secrets, ...Object.values(headers)];
  const { safety, limits } = runLimits(vscode);
  const config = { llm: model.llm, tools: { ...target, headers }, safety, limits: { ...limits, only: ids } };

  const events = [];
  const started = Date.now();
  let outcome;
  await vscode.window.withProgress(
    {
      location: vscode.ProgressLocation.Notification,
      title: `tooldraft: refining ${ids.length} operation(s) of ${name} with ${model.label}`,
      cancellable: true,
    },
    async (progress, token) => {
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      let refiner;
      try {
        refiner = new engine.Refiner(config);
        const result = await refiner.run(doc, {
          signal: abort.signal,
          onEvent: (e) => {
            events.push(e);
            const line = progressLine(e);
            if (line)
              progress.report({ message: line, ...(e.type === 'terminated' ? { increment: 100 / ids.length } : {}) });
          },
        });
        outcome = { result, cancelled: abort.signal.aborted || Boolean(result.report.cancelled) };
      } catch (e) {
        outcome = { error: e, cancelled: abort.signal.aborted || e?.name === 'Aborted' };
      } finally {
        sub.dispose();
        refiner?.free();
      }
    },
  );
  const scrubber = new Scrubber(secrets);
  const scrub = (s) => scrubber.scrub(s);
  if (outcome.cancelled) {
    vscode.window.showInformationMessage('tooldraft: Refine was cancelled; the document is unchanged');
    return null;
  }
  if (outcome.error) return void say(scrub(`the run stopped: ${outcome.error.name}: ${outcome.error.message}`));
  const { result } = outcome;
  const aborted = result.report.aborted ? events.filter((e) => e.type === 'error').at(-1) : null;
  if (aborted) return void say(scrub(`the run stopped: ${aborted.code}: ${aborted.message}`));
  if (typeof result.text !== 'string')
    return void say(`the refined document cannot be written in its format (${result.exportError ?? 'unknown format'})`);

  const record = {
    id: String(result.report.runId ?? started),
    createdAt: started,
    status: 'finished',
    sourceName: name,
    config: {
      llm: { provider: model.llm.provider, model: model.label },
      tools: { ...target },
      safety,
      limits: config.limits,
    },
    original: doc,
    result,
    review: {},
  };
  const file = buildRunFile(record, events, engine.version());
  const stored = {
    id: `${started.toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
    target: document.uri,
    name,
    original: text,
    refined: scrub(result.text),
    file,
    html: resultsHtml(engine, file, secrets),
  };
  ctx.log?.appendLine(`${name}: ${outcomeSummary(result.report)} (${model.label}; ${events.length} events)`);
  await ctx.docs.show(stored);
  ctx.panel.show(`tooldraft: ${name}`, stored.html);
  vscode.window
    .showInformationMessage(`tooldraft: ${outcomeSummary(result.report)}. Apply the refined ${name}?`, 'Apply')
    .then(async (choice) => {
      if (choice === 'Apply') await vscode.commands.executeCommand('tooldraft.apply', stored.id);
    });
  return stored;
}

// A TEST DOUBLE of the part of the `vscode` module the extension uses: not an editor. It keeps
// documents, diagnostics, settings, secrets, commands and edits in memory, records what the
// extension shows, and answers quick picks, input boxes and message buttons from a script the
// test gives. The real editor is exercised by the end-to-end test (e2e/).

import { readFile } from 'node:fs/promises';

export class Position {
  constructor(line, character) {
    this.line = line;
    this.character = character;
  }
}

export class Range {
  constructor(a, b, c, d) {
    [this.start, this.end] = a instanceof Position ? [a, b] : [new Position(a, b), new Position(c, d)];
  }
}

export class Uri {
  constructor(scheme, path, query = '') {
    this.scheme = scheme;
    this.path = path;
    this.query = query;
  }
  get fsPath() {
    return this.path;
  }
  static file(path) {
    return new Uri('file', path);
  }
  static from({ scheme, path = '', query = '' }) {
    return new Uri(scheme, path, query);
  }
  static joinPath(base, ...parts) {
    return new Uri(base.scheme, [base.path.replace(/\/$/, ''), ...parts].join('/'), base.query);
  }
  toString() {
    return `${this.scheme}:${this.path}${this.query ? `?${this.query}` : ''}`;
  }
}

export class CancellationTokenSource {
  constructor() {
    const listeners = [];
    this.token = {
      isCancellationRequested: false,
      onCancellationRequested: (fn) => {
        listeners.push(fn);
        return { dispose: () => listeners.splice(listeners.indexOf(fn), 1) };
      },
    };
    this.cancel = () => {
      if (this.token.isCancellationRequested) return;
      this.token.isCancellationRequested = true;
      for (const fn of [...listeners]) fn();
    };
  }
  dispose() {}
}

class TextDocument {
  constructor(uri, languageId, text) {
    this.uri = uri;
    this.languageId = languageId;
    this.text = text;
    this.version = 1;
  }
  getText() {
    return this.text;
  }
  positionAt(offset) {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, before.at(-1).length);
  }
  offsetAt(p) {
    const lines = this.text.split('\n');
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  }
}

/**
 * A fresh double.
 * @param {{answers?: {quickPick?: Function[], inputBox?: Function[], message?: Function[]}, models?: object[], settings?: Record<string, unknown>}} script
 */
export function createVscodeDouble(script = {}) {
  const answers = { quickPick: [], inputBox: [], message: [], ...(script.answers ?? {}) };
  const listeners = { open: [], save: [], close: [] };
  const on = (list) => (fn) => {
    list.push(fn);
    return { dispose: () => list.splice(list.indexOf(fn), 1) };
  };
  const documents = new Map();
  const diagnostics = new Map();
  const settings = new Map(Object.entries(script.settings ?? {}));
  const commands = new Map();
  const undo = [];
  const shown = {
    errors: [],
    warnings: [],
    infos: [],
    diffs: [],
    quickPicks: [],
    inputBoxes: [],
    progress: [],
    panels: [],
    settingsWrites: [],
    outputs: [],
  };
  const providers = { content: new Map(), codeActions: [] };
  const progressCancel = [];

  const vscode = {
    Position,
    Range,
    Uri,
    CancellationTokenSource,
    DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
    ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
    CodeActionKind: { QuickFix: 'quickfix' },
    Diagnostic: class {
      constructor(range, message, severity) {
        Object.assign(this, { range, message, severity });
      }
    },
    CodeAction: class {
      constructor(title, kind) {
        Object.assign(this, { title, kind });
      }
    },
    WorkspaceEdit: class {
      constructor() {
        this.edits = [];
      }
      replace(uri, range, text) {
        this.edits.push({ uri, range, text });
      }
    },
    LanguageModelChatMessage: {
      User: (content) => ({ role: 'user', content }),
      Assistant: (content) => ({ role: 'assistant', content }),
    },
    lm: {
      selectChatModels: async (selector) =>
        (script.models ?? []).filter((m) => !selector?.family || m.family === selector.family),
    },
    languages: {
      createDiagnosticCollection: () => ({
        set: (uri, list) => diagnostics.set(uri.toString(), list),
        delete: (uri) => diagnostics.delete(uri.toString()),
        clear: () => diagnostics.clear(),
        dispose: () => diagnostics.clear(),
      }),
      registerCodeActionsProvider: (selector, provider) => {
        providers.codeActions.push({ selector, provider });
        return { dispose() {} };
      },
    },
    workspace: {
      isTrusted: script.trusted ?? true,
      get textDocuments() {
        return [...documents.values()];
      },
      fs: { readFile: async (uri) => new Uint8Array(await readFile(uri.fsPath)) },
      onDidOpenTextDocument: on(listeners.open),
      onDidSaveTextDocument: on(listeners.save),
      onDidCloseTextDocument: on(listeners.close),
      openTextDocument: async (uri) => {
        const d = documents.get(uri.toString());
        if (!d) throw new Error(`the double has no document ${uri}`);
        return d;
      },
      getConfiguration: (section) => ({
        get: (key, fallback) => (settings.has(`${section}.${key}`) ? settings.get(`${section}.${key}`) : fallback),
        update: async (key, value, target) => {
          shown.settingsWrites.push({ key: `${section}.${key}`, value, target });
          settings.set(`${section}.${key}`, value);
        },
      }),
      registerTextDocumentContentProvider: (scheme, provider) => {
        providers.content.set(scheme, provider);
        return { dispose() {} };
      },
      applyEdit: async (edit) => {
        for (const { uri, range, text } of edit.edits) {
          const d = documents.get(uri.toString());
          const before = d.text;
          d.text = before.slice(0, d.offsetAt(range.start)) + text + before.slice(d.offsetAt(range.end));
          d.version += 1;
          undo.push(() => {
            d.text = before;
            d.version += 1;
          });
        }
        return true;
      },
    },
    window: {
      activeTextEditor: undefined,
      showErrorMessage: async (m, ...items) => {
        shown.errors.push(m);
        return answer('message', m, items);
      },
      showWarningMessage: async (m, ...items) => {
        shown.warnings.push(m);
        return answer('message', m, items);
      },
      showInformationMessage: async (m, ...items) => {
        shown.infos.push(m);
        return answer('message', m, items);
      },
      showQuickPick: async (items, options) => {
        shown.quickPicks.push({ items, options });
        return answer('quickPick', items, options);
      },
      showInputBox: async (options) => {
        shown.inputBoxes.push(options);
        const v = await answer('inputBox', options);
        if (v !== undefined && options?.validateInput?.(v))
          throw new Error(`the double typed an invalid value: ${options.validateInput(v)}`);
        return v;
      },
      withProgress: async (options, task) => {
        const source = new CancellationTokenSource();
        progressCancel.push(source);
        const entry = { options, reports: [] };
        shown.progress.push(entry);
        return task({ report: (r) => entry.reports.push(r) }, source.token);
      },
      createOutputChannel: (name) => {
        const channel = { name, lines: [], appendLine: (l) => channel.lines.push(l), show() {}, dispose() {} };
        shown.outputs.push(channel);
        return channel;
      },
      createWebviewPanel: (viewType, title, _column, options) => {
        const disposeFns = [];
        const panel = {
          viewType,
          title,
          options,
          webview: { html: '' },
          onDidDispose: (fn) => disposeFns.push(fn),
          reveal() {},
          dispose: () => {
            for (const f of disposeFns) f();
          },
        };
        shown.panels.push(panel);
        return panel;
      },
    },
    commands: {
      registerCommand: (name, fn) => {
        commands.set(name, fn);
        return { dispose: () => commands.delete(name) };
      },
      executeCommand: async (name, ...args) => {
        if (name === 'vscode.diff') return void shown.diffs.push(args);
        if (name === 'workbench.action.openSettings') return undefined;
        const fn = commands.get(name);
        if (!fn) throw new Error(`the double has no command ${name}`);
        return fn(...args);
      },
    },
  };

  async function answer(kind, ...args) {
    const next = answers[kind].shift();
    return next ? next(...args) : undefined;
  }

  const secrets = new Map();
  /** The test's handle on the double. */
  const control = {
    vscode,
    shown,
    diagnostics,
    settings,
    providers,
    answers,
    /** An ExtensionContext whose secret storage is the double's (kept as `context.lastSecrets`). */
    context(extensionPath) {
      control.context.lastSecrets = {
        get: async (k) => secrets.get(k),
        store: async (k, v) => void secrets.set(k, v),
        delete: async (k) => void secrets.delete(k),
      };
      return { extensionUri: Uri.file(extensionPath), subscriptions: [], secrets: control.context.lastSecrets };
    },
    /** Opens a document (fires onDidOpenTextDocument) and makes it the active editor's. */
    async open(path, languageId, text) {
      const d = new TextDocument(Uri.file(path), languageId, text);
      documents.set(d.uri.toString(), d);
      vscode.window.activeTextEditor = { document: d };
      await Promise.all(listeners.open.map((fn) => fn(d)));
      return d;
    },
    /** Replaces a document's text and saves it (fires onDidSaveTextDocument). */
    async save(d, text) {
      d.text = text;
      d.version += 1;
      await Promise.all(listeners.save.map((fn) => fn(d)));
    },
    /** Undoes the last edit, as Ctrl+Z would. */
    undo() {
      undo.pop()?.();
    },
    /** Presses "Cancel" on the running progress notification. */
    cancelProgress() {
      progressCancel.at(-1)?.cancel();
    },
    /** The virtual document's text, as the editor would ask for it. */
    virtualText(uri) {
      return providers.content.get(uri.scheme).provideTextDocumentContent(uri);
    },
  };
  return control;
}

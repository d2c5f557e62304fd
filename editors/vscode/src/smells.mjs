//! Inspect: the core's doc smells as diagnostics in the Problems panel, at the places their
//! JSON pointers name in the JSON or YAML text, refreshed when a document is opened or saved;
//! and a code action on each that explains it (and one that refines the operation).
//! A document that is not a tool document (the core answers UnknownFormat, or the text does
//! not parse) gets no diagnostics: the JSON/YAML language support reports syntax errors. A
//! tool document the core cannot read is one error at the place it names, and a part the
//! reader skipped is an information at its place.

import { lineColumn, PointerIndex } from './pointer-range.mjs';
import { explainSmell } from './smell-explanations.mjs';

export const SOURCE = 'tooldraft';
export const LANGUAGES = ['json', 'jsonc', 'yaml'];

/** Documents this large are not inspected on every save (the core would still read them). */
export const MAX_INSPECT_CHARS = 20_000_000;

/**
 * The smells of a text as plain findings (no vscode types): what `inspect` reports, placed.
 * A structure error (a tool document the core cannot read) is one finding at its pointer.
 * @returns {{findings: {kind: string, message: string, pointer: string, operation?: string|null, start: {line: number, character: number}, end: {line: number, character: number}}[], format: string|null}}
 */
export function findSmells(engine, text) {
  if (!text.trim() || text.length > MAX_INSPECT_CHARS) return { findings: [], format: null };
  let report;
  try {
    report = engine.inspect(text);
  } catch (e) {
    if (e?.name === 'StructureError' && typeof e.pointer === 'string') {
      const index = new PointerIndex(text);
      const r = index.range(e.pointer);
      return {
        findings: [
          {
            kind: 'structureError',
            message: e.message,
            pointer: e.pointer,
            start: lineColumn(text, r.start),
            end: lineColumn(text, r.end),
          },
        ],
        format: null,
      };
    }
    return { findings: [], format: null };
  }
  const index = new PointerIndex(text);
  const findings = report.smells.map((s) => {
    const r = index.range(s.pointer);
    const where = [s.operation, s.parameter].filter(Boolean).join(' › ');
    return {
      kind: s.kind,
      message: where ? `${where}: ${s.message}` : s.message,
      pointer: s.pointer,
      operation: s.operation ?? null,
      start: lineColumn(text, r.start),
      end: lineColumn(text, r.end),
    };
  });
  // The reader's warnings that name a place ("at /paths/~1a/get: expected …; skipped").
  for (const w of report.warnings ?? []) {
    const m = /^at (\/\S*): (.+)$/s.exec(w);
    if (!m) continue;
    const r = index.range(m[1]);
    findings.push({
      kind: 'readerWarning',
      message: m[2],
      pointer: m[1],
      operation: null,
      start: lineColumn(text, r.start),
      end: lineColumn(text, r.end),
    });
  }
  return { findings, format: report.format };
}

/** Findings that are not doc smells: a document the core cannot read, a part it skipped. */
const SEVERITY = { structureError: 'Error', readerWarning: 'Information' };

/** Data kept per diagnostic for the code actions (VS Code gives back the same objects). */
const details = new WeakMap();

/** The Problems panel side of Inspect. */
export class SmellDiagnostics {
  /**
   * @param {typeof import('vscode')} vscode
   * @param {() => Promise<object>} engine resolves with the loaded package API
   */
  constructor(vscode, engine) {
    this.vscode = vscode;
    this.engine = engine;
    this.collection = vscode.languages.createDiagnosticCollection(SOURCE);
  }

  /** Inspects one document and replaces its diagnostics. */
  async refresh(document) {
    const vscode = this.vscode;
    if (!LANGUAGES.includes(document.languageId) || document.uri.scheme === 'tooldraft') return [];
    const engine = await this.engine();
    const { findings } = findSmells(engine, document.getText());
    const diagnostics = findings.map((f) => {
      const range = new vscode.Range(f.start.line, f.start.character, f.end.line, f.end.character);
      const severity =
        SEVERITY[f.kind] === undefined
          ? vscode.DiagnosticSeverity.Warning
          : vscode.DiagnosticSeverity[SEVERITY[f.kind]];
      const d = new vscode.Diagnostic(range, f.message, severity);
      d.source = SOURCE;
      d.code = f.kind;
      details.set(d, f);
      return d;
    });
    if (diagnostics.length) this.collection.set(document.uri, diagnostics);
    else this.collection.delete(document.uri);
    return diagnostics;
  }

  forget(document) {
    this.collection.delete(document.uri);
  }

  dispose() {
    this.collection.dispose();
  }
}

/** The code actions on tooldraft's diagnostics: explain each; refine the operation it names. */
export class SmellActions {
  constructor(vscode) {
    this.vscode = vscode;
  }

  provideCodeActions(document, _range, context) {
    const vscode = this.vscode;
    const actions = [];
    const refined = new Set();
    for (const d of context.diagnostics) {
      if (d.source !== SOURCE) continue;
      const explain = new vscode.CodeAction(`Explain the doc smell "${d.code}"`, vscode.CodeActionKind.QuickFix);
      explain.diagnostics = [d];
      explain.command = {
        command: 'tooldraft.explainSmell',
        title: 'Explain this doc smell',
        arguments: [String(d.code)],
      };
      actions.push(explain);
      const op = details.get(d)?.operation;
      if (op && !refined.has(op)) {
        refined.add(op);
        const refine = new vscode.CodeAction(`Refine "${op}" with tooldraft`, vscode.CodeActionKind.QuickFix);
        refine.diagnostics = [d];
        refine.command = { command: 'tooldraft.refine', title: 'Refine', arguments: [document.uri, [op]] };
        actions.push(refine);
      }
    }
    return actions;
  }
}

/** Shows the explanation of a smell kind. */
export function showExplanation(vscode, kind) {
  return vscode.window.showInformationMessage(`${kind}: ${explainSmell(kind)}`, { modal: true });
}

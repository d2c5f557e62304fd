//! The results of Refine as virtual documents (scheme `tooldraft`): the original text as it was
//! when the run started and the refined text, shown side by side with `vscode.diff`; and Apply,
//! which writes the refined text into the real document as one undoable WorkspaceEdit, only if
//! the document still holds the text the run started from.

export const SCHEME = 'tooldraft';

/**
 * @typedef {{id: string, target: import('vscode').Uri, name: string, original: string, refined: string, file: object, html?: string}} RefineResult
 */

export class RefinedDocs {
  /** @param {typeof import('vscode')} vscode */
  constructor(vscode) {
    this.vscode = vscode;
    /** @type {Map<string, RefineResult>} */
    this.results = new Map();
    this.latest = null;
  }

  /** TextDocumentContentProvider: `tooldraft:/<id>/<side>/<name>`. */
  provideTextDocumentContent(uri) {
    const [, id, side] = uri.path.split('/');
    const r = this.results.get(id);
    if (!r) return '';
    return side === 'refined' ? r.refined : r.original;
  }

  /** The virtual documents' URIs of a result. */
  uris(r) {
    const at = (side) => this.vscode.Uri.from({ scheme: SCHEME, path: `/${r.id}/${side}/${r.name}` });
    return { original: at('original'), refined: at('refined') };
  }

  /** Keeps a result and shows its diff (original ↔ refined). */
  async show(r) {
    this.results.set(r.id, r);
    this.latest = r.id;
    const { original, refined } = this.uris(r);
    await this.vscode.commands.executeCommand(
      'vscode.diff',
      original,
      refined,
      `${r.name}: original ↔ refined (tooldraft)`,
    );
  }

  /** The result a command means: by id, by one of its virtual URIs, or the latest. */
  find(arg) {
    if (typeof arg === 'string' && this.results.has(arg)) return this.results.get(arg);
    if (arg?.scheme === SCHEME) return this.results.get(arg.path.split('/')[1]);
    return this.latest ? this.results.get(this.latest) : undefined;
  }

  /**
   * Writes the refined text into the document, as one undoable edit.
   * @returns {Promise<{applied: boolean, reason?: string}>}
   */
  async apply(arg) {
    const vscode = this.vscode;
    const r = this.find(arg);
    if (!r)
      return {
        applied: false,
        reason: 'there is no refined document to apply: run "tooldraft: Refine Tool Docs" first',
      };
    const doc = await vscode.workspace.openTextDocument(r.target);
    if (doc.getText() !== r.original) {
      return {
        applied: false,
        reason: `${r.name} changed since the run started: refine it again (nothing was applied)`,
      };
    }
    const edit = new vscode.WorkspaceEdit();
    const end = doc.positionAt(doc.getText().length);
    edit.replace(r.target, new vscode.Range(0, 0, end.line, end.character), r.refined);
    const applied = await vscode.workspace.applyEdit(edit);
    return applied ? { applied: true } : { applied: false, reason: 'the editor refused the edit' };
  }
}

//! The run's revisions and evidence in a webview: the same report the CLI writes with
//! `--html` and the web app exports (pkg/lib/run-report.mjs: per operation the revisions,
//! word diffs, trails, findings, verification and schema changes), shown with scripts off and a
//! Content-Security-Policy that allows nothing but its inline styles. Secrets the run used are
//! scrubbed from the page before it is shown.

import { buildHtmlReport, reportDiffInputs, REPORT_CSP } from '../../../pkg/lib/run-report-html.mjs';
import { Scrubber } from '../../../pkg/lib/endpoint-options.mjs';

/** The CSP of the webview: the report's own (no scripts, forms, frames, images or fetches). */
export const WEBVIEW_CSP = REPORT_CSP;

/** The report page for a run file, with every secret replaced. */
export function resultsHtml(engine, file, secrets) {
  const diffs = new Map(reportDiffInputs(file).map((d) => [d.id, engine.diffText(d.before, d.after)]));
  return new Scrubber(secrets).scrub(buildHtmlReport(file, diffs));
}

/** Opens (or reuses) the results panel and shows `html` in it. */
export class ResultsPanel {
  constructor(vscode) {
    this.vscode = vscode;
    this.panel = null;
  }

  show(title, html) {
    const vscode = this.vscode;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel('tooldraft.results', title, vscode.ViewColumn.Beside, {
        enableScripts: false,
        enableForms: false,
        enableCommandUris: false,
        localResourceRoots: [],
      });
      this.panel.onDidDispose(() => {
        this.panel = null;
      });
    }
    this.panel.title = title;
    this.panel.webview.html = html;
    this.panel.reveal?.();
    return this.panel;
  }
}

// Types of run-report-html.mjs: the standalone HTML report of a run (needs the package
// initialised: it escapes with the core's `escapeHtml`).

import type { RunFile } from './run-report.d.mts';

/** A word-diff chunk: the package's `{op, text}` or the web app's `{tag, text}`. */
export interface DiffChunkLike {
  tag?: 'equal' | 'insert' | 'delete';
  op?: 'equal' | 'insert' | 'delete';
  text: string;
}

/** The HTML report's own Content-Security-Policy (no scripts, forms or base URL). */
export const REPORT_CSP: string;
/** Per operation, the texts its HTML diff compares: the original and the reviewed revision. */
export function reportDiffInputs(file: RunFile): { id: string; before: string; after: string }[];
/** The standalone HTML report; `diffs` maps an operation id to its word diff (`diffText`). */
export function buildHtmlReport(file: RunFile, diffs: Map<string, DiffChunkLike[]>): string;

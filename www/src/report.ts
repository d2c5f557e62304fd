// The JSON report (also the "run file" the app can open again, and what `--state` serves)
// and the standalone HTML report. The HTML report escapes every string it writes and carries
// its own CSP (no scripts at all), so it is safe to open whatever the tools returned.
//
// Both are built by the package's pkg/lib/run-report.mjs, the one implementation shared with
// the CLI (`tooldraft refine --report/--html`); this module adapts it to the app's records.

import {
  buildHtmlReport as buildHtml,
  buildRunFile as buildFile,
  escapeHtml,
  readRunFile,
  RUN_FILE_KIND,
  type RunFile,
} from '../../pkg/lib/run-report.mjs';
import type { RunRecord } from './store';
import type { DiffChunk, RefinerConfig, RunEvent, RunResult, ToolDoc } from './types';

export { escapeHtml, RUN_FILE_KIND, type RunFile };

export function buildRunFile(rec: RunRecord, events: RunEvent[], engine?: string): RunFile {
  return buildFile(rec, events, engine);
}

/** Reads a run file back into a record and its events. Throws with what is wrong. */
export function parseRunFile(text: string): { record: RunRecord; events: RunEvent[] } {
  const v = readRunFile(text);
  const run = v.run ?? ({} as Partial<RunFile['run']>);
  const result = (v.result ?? undefined) as RunResult | undefined;
  const record: RunRecord = {
    id: run.id ?? crypto.randomUUID(),
    createdAt: run.createdAt ?? Date.now(),
    updatedAt: Date.now(),
    status: run.status === 'running' ? 'interrupted' : ((run.status as RunRecord['status'] | undefined) ?? 'finished'),
    config: (run.config as RefinerConfig | undefined) ?? {
      llm: { provider: 'openai', model: '' },
      tools: {},
      safety: {},
      limits: {},
      thresholds: {},
    },
    hadSecrets: false,
    original: v.original as ToolDoc,
    sourceName: run.sourceName ?? 'run file',
    step: run.step,
    result,
    state: result?.state,
    error: run.error,
    review: v.review ?? {},
    schemaReview: v.schemaReview ?? {},
  };
  return { record, events: Array.isArray(v.events) ? (v.events as unknown as RunEvent[]) : [] };
}

/**
 * The standalone HTML report. `diffs` maps an operation id to the word diff of its original
 * and its reviewed text (computed by the caller through the package's diffText).
 */
export function buildHtmlReport(file: RunFile, diffs: Map<string, DiffChunk[]>): string {
  return buildHtml(file, diffs);
}

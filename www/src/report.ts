// The JSON report (also the "run file" the app can open again, and what `--state` serves),
// built by the package's pkg/lib/run-report.mjs, the one implementation shared with the CLI
// (`tooldraft refine --report`); this module adapts it to the app's records. The standalone
// HTML report is pkg/lib/run-report-html.mjs, built in the worker (`htmlReport`), where the
// core's one HTML escaper is.

import { buildRunFile as buildFile, readRunFile, RUN_FILE_KIND, type RunFile } from '../../pkg/lib/run-report.mjs';
import type { RunRecord } from './store';
import type { RefinerConfig, RunEvent, RunResult, ToolDoc } from './types';

export { RUN_FILE_KIND, type RunFile };

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

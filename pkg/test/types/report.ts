// The run report is typed (generated from the Rust types): a consumer reads its fields without
// casts, and a misnamed field or an unknown outcome is a type error.
import type {
  OperationReport,
  Outcome,
  RunReport,
  RunResult,
  SchemaChange,
  TerminationReason,
  Trail,
} from '../../index.js';

export function summary(result: RunResult): string[] {
  const report: RunReport = result.report;
  const lines: string[] = [
    `${report.runId}: ${report.totals.improved} improved, ${report.totals.originalKept} original kept`,
  ];
  if (report.cancelled || report.aborted !== undefined) lines.push(`stopped: ${report.aborted ?? 'cancelled'}`);
  if (report.embedderFallback) lines.push(`embedder given up: ${report.embedderFallback}`);
  const episodes: number = report.config.maxEpisodes;
  const budget: number | undefined = report.config.runBudget.modelCalls;
  lines.push(`${episodes} episodes, budget ${budget ?? 'unlimited'}, verify ${report.config.verify.queries}`);
  for (const op of report.operations) lines.push(...operation(op));
  for (const tool of report.tools)
    lines.push(`${tool.name}: ${tool.summary?.accepted ? tool.summary.description : 'kept'}`);
  const tokens = Object.values(report.totals.usage).reduce((n, u) => n + u.promptTokens + u.completionTokens, 0);
  lines.push(`${tokens} tokens in ${report.totals.modelCalls} model calls`);
  return lines;
}

function operation(op: OperationReport): string[] {
  const outcome: Outcome = op.outcome;
  const stop: TerminationReason | undefined = op.termination;
  const why =
    stop?.kind === 'converged' ? `Δ ${stop.delta.toFixed(2)} > τ ${stop.threshold}` : (stop?.kind ?? 'running');
  const current = op.revisions[op.currentRevision];
  const rules = op.revisions.flatMap((r) => (r.violations ?? []).map((v) => v.rule));
  const verified = op.revisions.map((r) => r.verification?.passed);
  const changes: SchemaChange[] = op.schemaChanges ?? [];
  const applied = changes.filter((c) => c.status === 'applied').map((c) => `${c.kind} ${c.parameter ?? ''}`);
  const trails: Trail[] = op.trails;
  const statuses = trails.map(
    (t) => t.observation?.status ?? (t.error?.kind === 'transport' ? t.error.source.kind : 'no response'),
  );
  const withheld = (op.withheld ?? []).map((w) => `${w.pointer} (${w.reason}: ${w.rule})`);
  const example = op.facts.verifiedExample?.query;
  return [
    `${op.id}: ${outcome} (${op.outcomeReason}), ${why}, now ${current?.description ?? ''}`,
    ...rules,
    ...applied,
    ...withheld,
    String(verified),
    String(statuses),
    example ?? '',
  ];
}

declare const report: RunReport;
// @ts-expect-error: a misnamed field is a type error
void report.totals.improve;
// @ts-expect-error: outcomes are the core's three
void (report.operations[0]?.outcome === 'kept');
// @ts-expect-error: termination kinds are the core's
void (report.operations[0]?.termination?.kind === 'stopped');
// @ts-expect-error: an operation's report has no `description` (its revisions do)
void report.operations[0]?.description;

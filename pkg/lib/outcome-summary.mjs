// The closing summary of `tooldraft refine`: how many operations were improved, left
// unchanged, or kept as the original by the end-of-run check, and for each operation what
// happened and why (the report's `outcome` and `outcomeReason`).

import { OUTCOME_LABELS } from './run-model.mjs';

/**
 * Counts of each outcome over the report's operations.
 * @param {{operations?: {outcome?: string}[]}} report
 * @returns {{improved: number, unchanged: number, originalKept: number}}
 */
export function outcomeCounts(report) {
  const counts = { improved: 0, unchanged: 0, originalKept: 0 };
  for (const op of report.operations ?? []) {
    const k = op.outcome ?? 'unchanged';
    if (k in counts) counts[/** @type {keyof typeof counts} */ (k)] += 1;
  }
  return counts;
}

/**
 * The headline: `text improved in 1 of 3 operations (1 unchanged, 1 original kept)`, and what
 * evidence changed in the schemas whatever became of the text (`; 2 schema changes from
 * evidence applied to 1 operation`): an operation whose text stayed can still have changed.
 * @param {{operations?: {outcome?: string, schemaChanges?: {status?: string}[]}[]}} report
 */
export function outcomeHeadline(report) {
  const c = outcomeCounts(report);
  const ops = report.operations ?? [];
  const plural = (/** @type {number} */ k, /** @type {string} */ one) => `${k} ${one}${k === 1 ? '' : 's'}`;
  const head = `text improved in ${c.improved} of ${plural(ops.length, 'operation')} (${c.unchanged} unchanged, ${c.originalKept} original kept)`;
  const applied = ops.map((op) => (op.schemaChanges ?? []).filter((ch) => ch.status === 'applied').length);
  const changes = applied.reduce((a, b) => a + b, 0);
  if (changes === 0) return head;
  const changed = applied.filter((k) => k > 0).length;
  return `${head}; ${plural(changes, 'schema change')} from evidence applied to ${plural(changed, 'operation')}`;
}

/**
 * One line per operation: `  id: original kept: <why>`, the reason cut to `max` characters.
 * @param {{operations?: {id: string, outcome?: string, outcomeReason?: string}[]}} report
 * @param {number} [max]
 */
export function outcomeLines(report, max = 240) {
  return (report.operations ?? []).map((op) => {
    const label =
      OUTCOME_LABELS[/** @type {keyof typeof OUTCOME_LABELS} */ (op.outcome ?? 'unchanged')] ?? String(op.outcome);
    const why = String(op.outcomeReason ?? '');
    const cut = why.length > max ? `${why.slice(0, max - 1)}…` : why;
    return `  ${op.id}: ${label}${cut ? `: ${cut}` : ''}`;
  });
}

/**
 * A warning per operation whose responses carried values that look like secrets (the report's
 * `sensitive`): they were withheld from the outputs, but the operation itself exposes them,
 * which its author should know before publishing the refined document.
 * @param {{operations?: {id: string, sensitive?: boolean, withheld?: {reason?: string}[]}[]}} report
 */
export function sensitiveLines(report) {
  return (report.operations ?? [])
    .filter((op) => op.sensitive)
    .map((op) => {
      const n = (op.withheld ?? []).filter((w) => w.reason === 'secret').length;
      return `  warning: ${op.id}: its responses carried ${n || 'some'} value(s) that look like secrets; they were withheld from every output (see "withheld" in the report): review this operation before you publish`;
    });
}

// The closing summary of `make demo`: per operation what improved and what was refused and
// why (from the run file: outcomes, the gate's reasons, schema changes, the safety policy),
// which of the demo's planted defects the run repaired, and whether the output is worse
// than its input anywhere (the doc-quality benchmark's scorer: regressions and invented
// parameters).
import { scoreSource } from '../bench/quality/score.mjs';

const clip = (s, n = 110) => (s.length > n ? `${s.slice(0, n - 3)}...` : s);

/** The outcome the engine reports (`improved` / `unchanged` / `originalKept`), with its reason. */
function outcomeOf(reportOp) {
  const o = reportOp?.outcome;
  if (!o) return null;
  if (typeof o === 'string') return { kind: o, reason: reportOp.outcomeReason ?? '' };
  return { kind: o.kind ?? o.outcome ?? 'unknown', reason: o.reason ?? o.why ?? '' };
}

function describeChange(c) {
  if (typeof c === 'string') return c;
  const what = c.kind ?? c.type ?? 'change';
  const pointer = c.pointer === `/${what}` ? '' : c.pointer; // "responseSchema /responseSchema" says it twice
  const where = c.parameter ?? c.name ?? pointer ?? c.target ?? '';
  const status = c.status ?? (c.accepted === false ? 'rejected' : '');
  return [what, where, status && `(${status})`].filter(Boolean).join(' ');
}

/**
 * Lines of the closing summary. `runFile` is the CLI's --report file; `docs` is
 * {truth, input, output} (the real tools/list, the demo's planted input, the refined output)
 * and `planted` the planted defects (bench/quality/docs.mjs `plant`).
 * Returns {lines, score}.
 */
export function demoSummary(runFile, { truth, input, output, planted }) {
  const lines = [];
  const reportOps = new Map((runFile?.result?.report?.operations ?? []).map((o) => [o.id, o]));
  for (const op of runFile?.operations ?? []) {
    const rep = reportOps.get(op.id);
    const outcome = outcomeOf(rep);
    const accepted = (op.revisions ?? []).filter((r) => r.index > 0 && r.accepted);
    const refused = (op.revisions ?? []).filter((r) => r.index > 0 && !r.accepted);
    let head;
    if (op.termination?.kind === 'notAllowed') head = `not called: ${op.termination.reason ?? op.terminationText}`;
    else if (outcome) head = `${outcome.kind}${outcome.reason ? `: ${outcome.reason}` : ''}`;
    else head = accepted.length ? `${accepted.length} revision(s) accepted` : 'unchanged (no revision accepted)';
    lines.push(`${op.id}: ${head}`);
    const before = (input?.tools ?? []).find((t) => t.name === op.id)?.description;
    const now = (output?.tools ?? []).find((t) => t.name === op.id)?.description;
    if (now !== before) lines.push(`  description now: ${JSON.stringify(clip(now ?? ''))}`);
    if (refused.length) {
      const reasons = [...new Set(refused.map((r) => r.reason).filter(Boolean))];
      lines.push(`  refused ${refused.length} revision(s): ${reasons.map((r) => clip(r)).join('; ')}`);
    }
    const changes = rep?.schemaChanges ?? [];
    if (changes.length) lines.push(`  schema changes from evidence: ${changes.map(describeChange).join(', ')}`);
    // The explorer was told and retried; these are the tries the model never got right.
    const poor = (rep?.warnings ?? []).filter((w) => /could not write a (real|new) query/.test(w));
    if (poor.length)
      lines.push(`  the model could not produce a real query ${poor.length} time(s): ${clip(poor[0], 200)}`);
    if (op.terminationText && op.termination?.kind !== 'notAllowed')
      lines.push(`  stopped: ${clip(op.terminationText.split('\n')[0], 200)}`);
  }
  const score = scoreSource('memory', truth, input, output, planted);
  const fixed = score.defects.filter((d) => d.fixed);
  const open = score.defects.filter((d) => !d.fixed);
  lines.push(
    `planted defects repaired: ${fixed.length} of ${score.defects.length}${fixed.length ? ` (${fixed.map((d) => `${d.op} ${d.class}`).join(', ')})` : ''}`,
  );
  if (open.length) lines.push(`  not repaired: ${open.map((d) => `${d.op} ${d.class}`).join(', ')}`);
  const worse = score.regressions.length + score.invented.length;
  lines.push(
    worse === 0
      ? 'never worse: no part of the input doc got worse (0 regressions, 0 invented parameters)'
      : `WORSE than the input in ${worse} place(s):`,
  );
  for (const r of score.regressions)
    lines.push(
      `  ${r.op} ${r.where}: ${r.why}${r.before !== undefined ? ` (${clip(JSON.stringify(r.before), 60)} -> ${clip(JSON.stringify(r.after ?? null), 60)})` : ''}`,
    );
  for (const i of score.invented) lines.push(`  ${i.op}: invented parameter ${i.name}`);
  return { lines, score };
}

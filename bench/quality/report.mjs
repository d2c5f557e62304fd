// report.mjs: the benchmark's markdown report: per model, a table per defect class, the
// targets (0 invented parameters, 0 regressions, >= 60% of structural defects fixed with the
// embedded model), growth, the engine's own outcome counts when it reports them, and every
// defect and regression listed.
import { CLASSES } from './defects.mjs';

const pct = (a, b) => (b ? `${Math.round((100 * a) / b)}%` : '-');
const short = (v) => {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  return s === undefined ? '(none)' : s.length > 90 ? `${s.slice(0, 87)}...` : s;
};
const cell = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** Sums one model's sources. */
export function summarize(run) {
  const defects = run.sources.flatMap((s) => s.defects);
  const structural = defects.filter((d) => d.structural);
  const g = run.sources.reduce(
    (a, s) => ({
      wordsIn: a.wordsIn + s.growth.wordsIn,
      wordsOut: a.wordsOut + s.growth.wordsOut,
      bytesIn: a.bytesIn + s.growth.bytesIn,
      bytesOut: a.bytesOut + s.growth.bytesOut,
    }),
    { wordsIn: 0, wordsOut: 0, bytesIn: 0, bytesOut: 0 },
  );
  const outcomes = {};
  for (const s of run.sources)
    for (const [k, v] of Object.entries(s.report.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + v;
  return {
    defects,
    fixed: defects.filter((d) => d.fixed).length,
    structural: structural.length,
    structuralFixed: structural.filter((d) => d.fixed).length,
    invented: run.sources.flatMap((s) => s.invented),
    regressions: run.sources.flatMap((s) => s.regressions.map((r) => ({ source: s.source, ...r }))),
    growth: g,
    outcomes,
    schemaChanges: run.sources.reduce((n, s) => n + s.report.schemaChanges, 0),
    failedRuns: run.sources.filter((s) => s.exitCode !== 0).map((s) => `${s.source} (exit ${s.exitCode})`),
  };
}

export function renderReport(runs, meta) {
  const out = [];
  out.push(
    `${meta.seconds} s in all. Per model: planted defects, classes (structural defects), episodes per operation:`,
    '',
  );
  for (const [k, r] of Object.entries(runs))
    out.push(
      `- ${k}: ${r.defects} defects of ${r.classes} classes (${r.structural} structural)${r.quick ? ', the quick subset' : ''}, ${r.episodes} episode(s)`,
    );
  out.push('');
  const sums = Object.fromEntries(Object.entries(runs).map(([k, r]) => [k, summarize(r)]));
  out.push(
    '| model | defects fixed | structural fixed | invented parameters | regressions | description words out/in | bytes out/in | time |',
    '|---|---|---|---|---|---|---|---|',
  );
  for (const [k, r] of Object.entries(runs)) {
    const s = sums[k];
    out.push(
      `| ${k} (${r.model}) | ${s.fixed}/${s.defects.length} (${pct(s.fixed, s.defects.length)}) | ${s.structuralFixed}/${s.structural} (${pct(s.structuralFixed, s.structural)}) | ${s.invented.length} | ${s.regressions.length} | ${(s.growth.wordsOut / Math.max(1, s.growth.wordsIn)).toFixed(2)} | ${(s.growth.bytesOut / Math.max(1, s.growth.bytesIn)).toFixed(2)} | ${r.seconds} s |`,
    );
  }
  out.push('', '## Targets', '');
  for (const k of Object.keys(runs)) {
    const s = sums[k];
    out.push(
      `- ${k}: 0 invented parameters: **${s.invented.length === 0 ? 'met' : `not met (${s.invented.length})`}**; 0 regressions: **${s.regressions.length === 0 ? 'met' : `not met (${s.regressions.length})`}**` +
        (k === 'local'
          ? `; >= 60% of structural defects fixed: **${s.structural && s.structuralFixed / s.structural >= 0.6 ? 'met' : 'not met'}** (${pct(s.structuralFixed, s.structural)})`
          : '') +
        (s.failedRuns.length ? `; runs that failed: ${s.failedRuns.join(', ')}` : ''),
    );
  }
  for (const [k, r] of Object.entries(runs)) {
    const s = sums[k];
    out.push('', `## ${k} (${r.model})`, '');
    out.push('| class | defects | fixed |', '|---|---|---|');
    for (const c of CLASSES) {
      const ds = s.defects.filter((d) => d.class === c);
      if (ds.length)
        out.push(
          `| ${c} | ${ds.length} | ${ds.filter((d) => d.fixed).length} (${pct(ds.filter((d) => d.fixed).length, ds.length)}) |`,
        );
    }
    const engine = Object.entries(s.outcomes)
      .map(([o, n]) => `${o} ${n}`)
      .join(', ');
    const calls = r.sources.reduce(
      (a, x) => ({
        m: a.m + x.report.modelCalls,
        t: a.t + x.report.toolCalls,
        acc: a.acc + x.report.accepted,
        rej: a.rej + x.report.rejected,
      }),
      { m: 0, t: 0, acc: 0, rej: 0 },
    );
    out.push(
      '',
      `Engine: ${calls.m} model calls, ${calls.t} tool calls; revisions accepted ${calls.acc}, rejected ${calls.rej}; schema changes ${s.schemaChanges}; operation outcomes: ${engine || '(not reported by this engine)'}.`,
      '',
    );
    out.push('| defect | class | operation | fixed | found in the output |', '|---|---|---|---|---|');
    for (const d of s.defects)
      out.push(`| ${d.id} | ${d.class} | ${cell(d.op)} | ${d.fixed ? 'yes' : 'no'} | ${cell(short(d.found))} |`);
    if (s.regressions.length) {
      out.push('', 'Regressions:', '');
      for (const g of s.regressions)
        out.push(
          `- ${g.source} ${g.op} ${g.where}: ${g.why}${g.before !== undefined ? ` (${short(g.before)} → ${short(g.after)})` : ''}`,
        );
    }
    if (s.invented.length) {
      out.push('', 'Invented parameters:', '');
      for (const i of s.invented) out.push(`- ${i.op}: ${i.name}`);
    }
  }
  return `${out.join('\n')}\n`;
}

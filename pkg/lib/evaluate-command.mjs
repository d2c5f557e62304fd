// `tooldraft evaluate`: does the refined doc help a model pick and call the right tools?
// Scores doc versions side by side on the same query set (the package's `evaluate`), prints
// the scores with 95% intervals and the paired comparisons, and writes the JSON and HTML
// reports. `tooldraft diff`: what changed between two versions, without a model.
import { basename, extname } from 'node:path';
import { compareDocs, evaluate, evaluationHtml, parseDoc, parseQueries } from '../node.js';
import {
  MODEL_HELP,
  MODEL_OPTIONS,
  toolHelp,
  TOOL_OPTIONS,
  Scrubber,
  checkReachable,
  intOption,
  modelOptions,
  refuseKeysOnArgv,
  startLocal,
  toolOptions,
  usage,
} from './endpoint-options.mjs';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.mjs';
import { stringifyJson } from './json.mjs';
import { writeFileAtomic, writeOut } from './output.mjs';
import { clean } from './progress.mjs';
import { describeSchemaChange } from './schema-changes.mjs';
import { checkWritable, core, maxBytesOption, readText } from './sources.mjs';

export const EVALUATE_HELP = `Usage: tooldraft evaluate --docs A [--docs B …] --queries Q [options]

Scores versions of a tool's documentation on the same test items: for each item the model
sees the candidate operations' docs and the user query, and picks the operation(s) to call,
in order, with their arguments. Per version: CP% (every gold operation chosen, the DRAFT
paper's Correct Path rate), ordered CP%, selection accuracy (exactly the gold set), valid
arguments (against the parameter schema), call success (with a tool target: read-only
operations only), tokens per item; each with a 95% bootstrap interval. Every other version
is compared with the first on the same items (difference, 95% CI, p). Items that cannot be
scored (a gold operation the docs lack, …) are counted and listed, never silently dropped.

Inputs:
  --docs FILE                    a doc version (repeatable; labelled by its file name;
                                 the first is the baseline)
  --queries FILE                 the DRAFT paper's ToolBench/RestBench query JSON, or JSONL:
                                 {"query": "…", "gold": ["operationId", …], "args"?: {…}}
  --limit N                      only the first N items of the query set

${MODEL_HELP}

${toolHelp('optional: without a tool target, no call is made')}

Options:
  --concurrency N                items evaluated at once (default 4)
  --resamples N                  bootstrap resamples (default 2000)
  --seed N                       seed of the statistics (default: fixed, so reports repeat)
  --report FILE                  the evaluation report as JSON
  --html FILE                    a standalone HTML report with the chart (no scripts)
  --json                         print the report as JSON on stdout instead of the tables
  --quiet                        no progress
  --max-size MB                  refuse inputs larger than this (default 32)
  -h, --help                     show this help

${EXIT_CODES_HELP}
`;

export const EVALUATE_OPTIONS = {
  ...MODEL_OPTIONS,
  ...TOOL_OPTIONS,
  docs: { type: 'string', multiple: true },
  queries: { type: 'string' },
  limit: { type: 'string' },
  concurrency: { type: 'string' },
  resamples: { type: 'string' },
  seed: { type: 'string' },
  report: { type: 'string' },
  html: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export const DIFF_HELP = `Usage: tooldraft diff <before> <after> [--json]

What changed between two versions of a document, without any model: descriptions,
parameter descriptions, examples, response schemas, operations added or removed, how much
the text grew, and the doc smells fixed and introduced. Operations are matched by id, then
by name.

Options:
  --json          print the change report as one JSON object
  --max-size MB   refuse documents larger than this (default 32)
  -h, --help      show this help

${EXIT_CODES_HELP}
`;

export const DIFF_OPTIONS = {
  json: { type: 'boolean' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const C = 'evaluate';

/** Labels from file names, made unique. */
export function labelsFor(paths) {
  const seen = new Map();
  return paths.map((p) => {
    const base = basename(p.replace(/[?#].*$/, '')) || p;
    let label = base.slice(0, base.length - extname(base).length) || base;
    if (seen.has(label)) {
      const n = seen.get(label) + 1;
      seen.set(label, n);
      label = `${label} (${n})`;
    } else {
      seen.set(label, 1);
    }
    return label;
  });
}

const pct = (x) => `${(x * 100).toFixed(1)}%`;
const pctCi = (m) => (m ? `${pct(m.mean)} [${(m.low * 100).toFixed(1)}, ${(m.high * 100).toFixed(1)}]` : '–');
const numCi = (m) => (m ? `${m.mean.toFixed(0)} [${m.low.toFixed(0)}, ${m.high.toFixed(0)}]` : '–');

function table(rows) {
  const widths = [];
  for (const r of rows) for (const [i, c] of r.entries()) widths[i] = Math.max(widths[i] ?? 0, c.length);
  return rows
    .map((r) =>
      r
        .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** A metric's or test's words, from the report (the core's one label set: src/eval/labels.rs). */
const metricLabel = (report, id) => report.labels?.metrics?.[id] ?? id;
const testLabel = (report, id) => report.labels?.tests?.[id] ?? id;

/**
 * The evaluation for a terminal: a table of scores (a column per version), the paired
 * comparisons, and the skipped items.
 * @param {import('../index.js').EvalReport} report
 */
export function formatEvalReport(report) {
  const out = [];
  const v = report.versions;
  out.push(
    `Query set: ${report.querySet}, ${report.items} item(s); ${report.scoredItems} scored, ${new Set(report.skipped.map((s) => s.item)).size} skipped`,
    '',
  );
  const rows = [['', ...v.map((x) => clean(x.label))]];
  for (const id of ['cp', 'cpOrdered', 'selection', 'argsValid', 'callSuccess'])
    rows.push([metricLabel(report, id), ...v.map((x) => pctCi(x[id]))]);
  rows.push([metricLabel(report, 'tokensPerItem'), ...v.map((x) => numCi(x.tokensPerItem))]);
  rows.push(['outside candidates', ...v.map((x) => String(x.outsideCandidates))]);
  rows.push(['no usable answer', ...v.map((x) => String(x.errors))]);
  out.push(table(rows), '(95% bootstrap intervals in brackets)');
  const pairs = new Map();
  for (const c of report.comparisons) {
    const key = `${clean(c.candidate)} vs ${clean(c.baseline)}`;
    if (!pairs.has(key)) pairs.set(key, []);
    pairs.get(key).push(c);
  }
  for (const [key, cs] of pairs) {
    out.push('', `${key} (paired, same items; difference = candidate − baseline):`);
    const crow = [['  metric', 'difference [95% CI]', 'p', 'test']];
    for (const c of cs) {
      const tokens = c.metric === 'tokensPerItem';
      const f = (x) => (tokens ? `${x >= 0 ? '+' : ''}${x.toFixed(0)}` : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}`);
      crow.push([
        `  ${metricLabel(report, c.metric)}`,
        `${f(c.difference)}${tokens ? ' tokens' : ' pts'} [${f(c.low)}, ${f(c.high)}]`,
        c.pValue < 0.0001 ? '<0.0001' : c.pValue.toFixed(4),
        testLabel(report, c.test),
      ]);
    }
    out.push(table(crow));
  }
  if (report.skipped.length > 0) {
    out.push('', `Skipped (${report.skipped.length}):`);
    for (const s of report.skipped.slice(0, 20))
      out.push(`  item ${clean(s.item)} (${clean(s.version)}): ${clean(s.reason)}`);
    if (report.skipped.length > 20) out.push(`  … and ${report.skipped.length - 20} more (see --report)`);
  }
  for (const x of v) {
    const outside = x.items.filter((i) => i.outside?.length);
    if (outside.length > 0) {
      out.push('', `Answers outside the candidates under ${clean(x.label)} (${outside.length}, scored as wrong):`);
      for (const i of outside.slice(0, 5)) out.push(`  item ${clean(i.item)}: ${i.outside.map(clean).join(', ')}`);
      if (outside.length > 5) out.push(`  … and ${outside.length - 5} more (see --report)`);
    }
    const errs = x.items.filter((i) => i.error);
    if (errs.length > 0) {
      out.push('', `No usable answer under ${clean(x.label)} (${errs.length}):`);
      for (const i of errs.slice(0, 5)) out.push(`  item ${clean(i.item)}: ${clean(i.error)}`);
      if (errs.length > 5) out.push(`  … and ${errs.length - 5} more`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** A one-line progress display for a terminal, or a line per 10% elsewhere. */
function evalProgress(stream, quiet) {
  if (quiet) return { update() {}, done() {} };
  const tty = stream.isTTY && process.env.TERM !== 'dumb';
  let lastTenth = -1;
  let shown = false;
  return {
    update(p) {
      const f = p.total ? p.done / p.total : 1;
      if (tty) {
        const width = 24;
        const full = Math.round(f * width);
        const line = `evaluating ${'█'.repeat(full)}${'░'.repeat(width - full)} ${p.done}/${p.total} · ${clean(p.version)} · item ${clean(p.item)}`;
        stream.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stream.columns ?? 80) - 1))}`);
        shown = true;
      } else {
        const tenth = Math.floor(f * 10);
        if (tenth !== lastTenth) {
          lastTenth = tenth;
          stream.write(`evaluating: ${p.done}/${p.total}\n`);
        }
      }
    },
    done() {
      if (tty && shown) stream.write('\r\x1b[2K');
    },
  };
}

export async function runEvaluate(values, positionals, io) {
  const env = io.env ?? process.env;
  refuseKeysOnArgv(io.argv ?? [], C);
  if (positionals.length > 0) throw usage(`unexpected argument ${positionals[0]} (doc versions go with --docs)`, C);
  const docPaths = values.docs ?? [];
  if (docPaths.length === 0) throw usage('missing --docs FILE (one per doc version; the first is the baseline)', C);
  if (!values.queries) throw usage('missing --queries FILE (a query set: the DRAFT paper JSON or JSONL)', C);
  const model = modelOptions(values, env, C);
  const target = toolOptions(values, env, C);
  const limit = intOption(values.limit, '--limit', C);
  const concurrency = intOption(values.concurrency, '--concurrency', C);
  const resamples = intOption(values.resamples, '--resamples', C);
  const seed = intOption(values.seed, '--seed', C, { min: 0 });
  for (const [flag, path] of [
    ['--report', values.report],
    ['--html', values.html],
  ]) {
    if (path !== undefined) await checkWritable(path, flag, C);
  }
  const maxBytes = maxBytesOption(values['max-size'], C);
  const labels = labelsFor(docPaths);
  const docs = [];
  for (const [i, path] of docPaths.entries()) {
    const { text, name } = await readText(path, maxBytes, io.signal);
    core(name, () => parseDoc(text));
    docs.push({ label: labels[i], text });
  }
  const q = await readText(values.queries, maxBytes, io.signal);
  const queries = q.text;
  core(q.name, () => parseQueries(queries));
  const scrubber = new Scrubber([...model.secrets, ...target.secrets]);
  const quiet = Boolean(values.quiet);
  const say = (line) => writeOut(io.stderr, `${scrubber.scrub(line)}\n`);
  if (target.tools.mcpUrl || target.tools.baseUrl) {
    await checkReachable(
      target.tools.mcpUrl ?? target.tools.baseUrl,
      target.tools.mcpUrl ? '--mcp-url' : '--base-url',
      io.signal,
    );
  }
  if (model.llm?.baseUrl) await checkReachable(model.llm.baseUrl, '--llm-url', io.signal, 'the model endpoint');

  let local = null;
  try {
    let llm = model.llm;
    if (model.local) {
      if (!quiet) await say('tooldraft: starting the embedded local model…');
      local = await startLocal({
        threads: model.threads,
        model: values.model,
        signal: io.signal,
        log: (line) => (quiet ? undefined : say(`  ${line}`)),
      });
      llm = local.llm;
    }
    const options = { docs, queries, llm };
    if (limit !== undefined) options.limit = limit;
    if (Object.keys(target.tools).length > 0) options.tools = target.tools;
    if (concurrency !== undefined) options.concurrency = concurrency;
    if (resamples !== undefined) options.resamples = resamples;
    if (seed !== undefined) options.seed = seed;
    if (model.timeoutMs !== undefined) options.timeoutMs = model.timeoutMs;
    const progress = evalProgress(io.stderr, quiet);
    let report;
    try {
      report = await evaluate(options, { signal: io.signal, onProgress: (p) => progress.update(p) });
    } catch (e) {
      progress.done();
      if (io.signal.aborted || e?.name === 'Aborted') throw new CliError('interrupted', EXIT.INTERRUPTED);
      const code = exitCodeFor(e);
      if (code === EXIT.INTERNAL) throw e;
      const where = ['EmptyQuerySet', 'InvalidQuerySet', 'NoUsableItems'].includes(e.name) ? `${q.name}: ` : '';
      throw new CliError(scrubber.scrub(`${where}${e.message}`), code);
    }
    progress.done();
    // When the model answered no item at all (a wrong key, a dead endpoint), there are no
    // scores to show: say why, write nothing.
    if (report.versions.every((x) => x.items.length > 0 && x.errors === x.items.length)) {
      const first = report.versions[0].items.find((i) => i.error)?.error ?? 'no answer';
      throw new CliError(scrubber.scrub(`the model gave no usable answer for any item (e.g. ${first})`), EXIT.ENDPOINT);
    }
    if (values.report) await writeFileAtomic(values.report, scrubber.scrub(`${stringifyJson(report, 2)}\n`));
    if (values.html) await writeFileAtomic(values.html, scrubber.scrub(evaluationHtml(report)));
    if (values.json) await writeOut(io.stdout, scrubber.scrub(`${stringifyJson(report, 2)}\n`));
    else await writeOut(io.stdout, scrubber.scrub(formatEvalReport(report)));
    if (!quiet && (values.report || values.html)) {
      await say(`tooldraft: wrote ${[values.report, values.html].filter(Boolean).join(', ')}`);
    }
    return EXIT.OK;
  } finally {
    if (local) await local.close().catch(() => {});
  }
}

/**
 * The change report for a terminal.
 * @param {import('../index.js').DocChanges} c
 */
export function formatDocChanges(c, before, after) {
  const out = [`${before} → ${after}: ${c.operations} operation(s)`];
  out.push(`  descriptions changed:           ${c.descriptionsChanged}`);
  out.push(`  parameter descriptions changed: ${c.parameterDescriptionsChanged}`);
  out.push(`  examples added:                 ${c.examplesAdded}`);
  out.push(`  response schemas added:         ${c.responseSchemasAdded}`);
  out.push(`  schema changes:                 ${c.schemaChanges ?? 0}`);
  out.push(`  description length:             ×${c.lengthGrowth.toFixed(2)}`);
  if (c.removed.length) out.push(`  removed: ${c.removed.map(clean).join(', ')}`);
  if (c.added.length) out.push(`  added: ${c.added.map(clean).join(', ')}`);
  const kinds = (smells) => {
    const m = new Map();
    for (const s of smells) m.set(s.kind, (m.get(s.kind) ?? 0) + 1);
    return [...m]
      .map(
        ([k, n]) =>
          `${n}× ${String(k)
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toLowerCase()}`,
      )
      .join(', ');
  };
  out.push(`  smells fixed: ${c.smellsFixed.length}${c.smellsFixed.length ? ` (${kinds(c.smellsFixed)})` : ''}`);
  out.push(
    `  smells introduced: ${c.smellsIntroduced.length}${c.smellsIntroduced.length ? ` (${kinds(c.smellsIntroduced)})` : ''}`,
  );
  if (c.changed.length) {
    out.push('', 'Changed operations:');
    for (const o of c.changed) {
      const parts = [];
      if (o.descriptionChanged) parts.push(`description ${o.descriptionBefore} → ${o.descriptionAfter} chars`);
      if (o.parametersChanged.length) parts.push(`parameters: ${o.parametersChanged.map(clean).join(', ')}`);
      if (o.examplesAdded) parts.push(`+${o.examplesAdded} example(s)`);
      if (o.responseSchemaAdded) parts.push('response schema added');
      for (const sc of o.schemaChanges ?? [])
        if (sc.kind !== 'responseSchema' || !o.responseSchemaAdded) parts.push(describeSchemaChange(sc));
      out.push(`  ${clean(o.operation)}: ${parts.join('; ')}`);
    }
  }
  return `${out.join('\n')}\n`;
}

export async function runDiff(values, positionals, io) {
  if (positionals.length !== 2)
    throw usage(`expected two documents (before and after), got ${positionals.length}`, 'diff');
  const maxBytes = maxBytesOption(values['max-size'], 'diff');
  const before = await readText(positionals[0], maxBytes, io.signal);
  const after = await readText(positionals[1], maxBytes, io.signal);
  core(before.name, () => parseDoc(before.text));
  core(after.name, () => parseDoc(after.text));
  const changes = core(`${before.name} → ${after.name}`, () => compareDocs(before.text, after.text));
  if (values.json) await writeOut(io.stdout, `${stringifyJson(changes, 2)}\n`);
  else await writeOut(io.stdout, formatDocChanges(changes, before.name, after.name));
  return EXIT.OK;
}

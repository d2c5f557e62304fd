// The run report, shared by the CLI (`tooldraft refine --report/--html`) and the web app
// (www/src/runmodel.ts and www/src/report.ts re-export this module): a run folded from the
// engine's events (and completed from its RunReport), the JSON "run file" the web app opens
// again (format: www/README.md "Run file"), and the standalone HTML report.
//
// Pure functions: no DOM, no Node APIs, no wasm. Types: run-report.d.mts.
// The HTML report escapes every string it writes and carries its own CSP (no scripts at all),
// so it is safe to open whatever the tools and the model returned.
//
//   const file = buildRunFile(record, events, version());
//   const diffs = new Map(reportDiffInputs(file).map((d) => [d.id, diffText(d.before, d.after)]));
//   const html = buildHtmlReport(file, diffs);

/** The `kind` of a run file. */
export const RUN_FILE_KIND = 'tooldraft-run';

// ---------------------------------------------------------------------------------------------
// The run, folded from events

/**
 * An empty run model for a document: every operation (or those in `only`) queued.
 * @param {import('./run-report.d.mts').ToolDocLike} doc
 * @param {string[]} [only]
 * @param {number} [maxEpisodes]
 * @returns {import('./run-report.d.mts').RunModel}
 */
export function newRunModel(doc, only, maxEpisodes = 5) {
  const m = {
    maxEpisodes,
    ops: new Map(),
    order: [],
    toolSummaries: new Map(),
    tokens: { prompt: 0, completion: 0 },
    modelCalls: 0,
    toolCalls: 0,
    errors: [],
    warnings: [],
    steps: 0,
    finished: false,
    cancelled: false,
    resumed: false,
    eventCount: 0,
  };
  const filter = only && only.length > 0 ? only : undefined;
  for (const t of doc.tools) for (const o of t.operations) if (!filter || filter.includes(o.id)) ensureOp(m, o.id, o.name);
  return m;
}

function ensureOp(m, id, name = id) {
  let op = m.ops.get(id);
  if (!op) {
    op = {
      id,
      name,
      status: 'queued',
      episode: 0,
      calls: 0,
      modelCalls: 0,
      tokens: 0,
      queries: [],
      trails: [],
      analyses: [],
      decisions: [],
      retries: [],
      rejectedArguments: [],
      errors: [],
      warnings: [],
    };
    m.ops.set(id, op);
    m.order.push(id);
  }
  return op;
}

function trailOf(op, id, episode) {
  let t = op.trails.find((x) => x.id === id);
  if (!t) {
    t = { id, episode, arguments: null };
    op.trails.push(t);
  }
  return t;
}

/**
 * Folds one event into the model (events the model does not know are counted and ignored).
 * @param {import('./run-report.d.mts').RunModel} m
 * @param {import('./run-report.d.mts').RunEventLike} e
 */
export function applyEvent(m, e) {
  m.eventCount += 1;
  switch (e.type) {
    case 'runStarted':
      m.runId = e.runId;
      m.maxEpisodes = e.maxEpisodes;
      if (e.resumed) m.resumed = true;
      m.finished = false;
      e.operations.forEach((id) => ensureOp(m, id));
      break;
    case 'operationStarted':
      ensureOp(m, e.operation).status = 'running';
      break;
    case 'phase': {
      const op = ensureOp(m, e.operation);
      if (op.status === 'queued') op.status = 'running';
      op.episode = Math.max(op.episode, e.episode);
      op.phase = e.phase;
      break;
    }
    case 'query':
      ensureOp(m, e.operation).queries.push({ episode: e.episode, query: e.query, arguments: e.arguments });
      break;
    case 'diversityRetry':
      ensureOp(m, e.operation).retries.push({ episode: e.episode, attempt: e.attempt, similarTo: e.similarTo, similarity: e.similarity });
      break;
    case 'argumentsRejected':
      ensureOp(m, e.operation).rejectedArguments.push({ episode: e.episode, arguments: e.arguments, reason: e.reason });
      break;
    case 'toolCall': {
      const op = ensureOp(m, e.operation);
      op.calls += 1;
      m.toolCalls += 1;
      const t = trailOf(op, e.trailId, e.episode);
      t.arguments = e.arguments;
      t.query = [...op.queries].reverse().find((q) => q.episode === e.episode)?.query;
      break;
    }
    case 'toolResult':
      trailOf(ensureOp(m, e.operation), e.trailId, e.episode).observation = e.observation;
      break;
    case 'analysis':
      ensureOp(m, e.operation).analyses.push({ episode: e.episode, findings: e.findings });
      break;
    case 'revisionAccepted':
      ensureOp(m, e.operation).decisions.push({ episode: e.episode, revision: e.revision, accepted: true, delta: e.delta });
      break;
    case 'revisionRejected':
      ensureOp(m, e.operation).decisions.push({ episode: e.episode, revision: e.revision, accepted: false, reason: e.reason });
      break;
    case 'terminated': {
      const op = ensureOp(m, e.operation);
      op.termination = e.reason;
      op.status = 'done';
      op.phase = 'done';
      break;
    }
    case 'toolSummary':
      m.toolSummaries.set(e.tool, e.description);
      break;
    case 'usage': {
      const prompt = e.usage?.promptTokens ?? 0;
      const completion = e.usage?.completionTokens ?? 0;
      m.tokens.prompt += prompt;
      m.tokens.completion += completion;
      m.modelCalls += e.calls ?? 1;
      if (e.operation) {
        const op = ensureOp(m, e.operation);
        op.tokens += prompt + completion;
        op.modelCalls += e.calls ?? 1;
      }
      break;
    }
    case 'warning':
      m.warnings.push({ operation: e.operation ?? null, message: e.message });
      if (e.operation) ensureOp(m, e.operation).warnings.push(e.message);
      break;
    case 'error':
      m.errors.push({ operation: e.operation ?? null, code: e.code, message: e.message });
      if (e.operation) ensureOp(m, e.operation).errors.push({ code: e.code, message: e.message });
      break;
    case 'checkpoint':
      m.steps = Math.max(m.steps, e.step);
      break;
    case 'runFinished':
      m.finished = true;
      m.cancelled = e.cancelled;
      break;
    default:
      break;
  }
}

/**
 * Folds a whole event list.
 * @param {import('./run-report.d.mts').ToolDocLike} doc
 * @param {import('./run-report.d.mts').RunEventLike[]} events
 * @param {string[]} [only]
 * @param {number} [maxEpisodes]
 */
export function foldEvents(doc, events, only, maxEpisodes) {
  const m = newRunModel(doc, only, maxEpisodes);
  for (const e of events) applyEvent(m, e);
  return m;
}

function numberOr(v, fallback) {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/**
 * Completes a model from the engine's RunReport: what the events did not show (a run resumed
 * from a saved state only emits events for the work done after it) is taken from the report,
 * which covers the whole run. Nothing the events showed is counted twice.
 * @param {import('./run-report.d.mts').RunModel} m
 * @param {import('./run-report.d.mts').RunReportLike | undefined | null} report
 * @returns {import('./run-report.d.mts').RunModel} `m`
 */
export function mergeReport(m, report) {
  if (!report || typeof report !== 'object' || !Array.isArray(report.operations)) return m;
  if (!m.runId && typeof report.runId === 'string') m.runId = report.runId;
  for (const r of report.operations) {
    if (!r || typeof r.id !== 'string') continue;
    const op = ensureOp(m, r.id, typeof r.name === 'string' ? r.name : r.id);
    if (typeof r.name === 'string' && op.name === op.id) op.name = r.name;
    if (r.termination && !op.termination) op.termination = r.termination;
    if (r.termination) {
      op.status = 'done';
      op.phase = 'done';
    }
    if (typeof r.episodes === 'number' && r.episodes > 0) op.episode = Math.max(op.episode, r.episodes - 1);
    for (const q of Array.isArray(r.queries) ? r.queries : []) {
      if (!op.queries.some((x) => x.episode === q.episode && x.query === q.query)) {
        op.queries.push({ episode: q.episode, query: q.query, arguments: q.arguments ?? null });
      }
    }
    for (const t of Array.isArray(r.trails) ? r.trails : []) {
      const have = op.trails.find((x) => x.id === t.id);
      if (have) {
        if (!have.observation && t.observation) have.observation = t.observation;
        if (have.query === undefined && t.query) have.query = t.query;
        if (!have.error && t.error) have.error = t.error;
      } else {
        op.trails.push({ id: t.id, episode: t.episode, query: t.query, arguments: t.arguments ?? null, observation: t.observation, error: t.error });
      }
    }
    op.trails.sort((a, b) => a.episode - b.episode || trailNumber(a.id) - trailNumber(b.id));
    op.calls = Math.max(op.calls, numberOr(r.toolCalls, 0), op.trails.length);
    const seenEpisodes = new Set(op.analyses.map((a) => a.episode));
    for (const a of Array.isArray(r.analyses) ? r.analyses : []) {
      if (seenEpisodes.has(a.episode)) continue;
      const { episode, trail: _trail, ...findings } = a;
      op.analyses.push({ episode, findings });
    }
    op.analyses.sort((a, b) => a.episode - b.episode);
    for (const rev of Array.isArray(r.revisions) ? r.revisions : []) {
      if (typeof rev.episode !== 'number' || typeof rev.index !== 'number') continue;
      if (op.decisions.some((d) => d.revision === rev.index)) continue;
      op.decisions.push(
        rev.accepted
          ? { episode: rev.episode, revision: rev.index, accepted: true, delta: rev.delta ?? null }
          : { episode: rev.episode, revision: rev.index, accepted: false, reason: rev.reason },
      );
    }
    op.decisions.sort((a, b) => a.revision - b.revision);
    for (const err of Array.isArray(r.errors) ? r.errors : []) {
      if (!op.errors.some((x) => x.code === err.code && x.message === err.message)) op.errors.push({ code: err.code, message: err.message });
    }
    const usage = r.usage && typeof r.usage === 'object' ? Object.values(r.usage) : [];
    const tokens = usage.reduce((n, u) => n + numberOr(u?.promptTokens, 0) + numberOr(u?.completionTokens, 0), 0);
    op.tokens = Math.max(op.tokens, tokens);
    op.modelCalls = Math.max(op.modelCalls, numberOr(r.modelCalls, 0));
  }
  for (const t of Array.isArray(report.tools) ? report.tools : []) {
    if (t?.summary?.accepted && !m.toolSummaries.has(t.name)) m.toolSummaries.set(t.name, t.summary.description);
  }
  const totals = report.totals;
  if (totals && typeof totals === 'object') {
    const usage = totals.usage && typeof totals.usage === 'object' ? Object.values(totals.usage) : [];
    const prompt = usage.reduce((n, u) => n + numberOr(u?.promptTokens, 0), 0);
    const completion = usage.reduce((n, u) => n + numberOr(u?.completionTokens, 0), 0);
    if (prompt + completion > m.tokens.prompt + m.tokens.completion) m.tokens = { prompt, completion };
    m.modelCalls = Math.max(m.modelCalls, numberOr(totals.modelCalls, 0));
    m.toolCalls = Math.max(m.toolCalls, numberOr(totals.toolCalls, 0));
  }
  if (report.cancelled) m.cancelled = true;
  return m;
}

function trailNumber(id) {
  const n = Number(String(id).split('#').pop());
  return Number.isFinite(n) ? n : 0;
}

/**
 * The run as shown in reports: the events folded, completed from the result's report.
 * @param {import('./run-report.d.mts').RunFile} file
 */
export function runModelOf(file) {
  const limits = file.run?.config?.limits ?? {};
  const m = foldEvents(file.original, file.events ?? [], limits.only, limits.maxEpisodes);
  return mergeReport(m, file.result?.report);
}

/**
 * One line a person reads for why an operation stopped.
 * @param {import('./run-report.d.mts').TerminationLike | undefined | null} r
 */
export function describeTermination(r) {
  if (!r) return 'not finished';
  switch (r.kind) {
    case 'converged':
      return `converged: revisions stopped changing (Δ ${fmt(r.delta)} > τ ${fmt(r.threshold)})`;
    case 'maxEpisodes':
      return `reached the maximum of ${r.episodes} episodes`;
    case 'budgetSpent':
      return r.budget ? `call budget spent (${r.calls} calls: ${r.budget})` : `call budget spent (${r.calls} calls)`;
    case 'notAllowed':
      return `not called: ${r.reason}`;
    case 'failed':
      return `failed: ${r.message}`;
    case 'cancelled':
      return 'cancelled';
    default:
      return JSON.stringify(r);
  }
}

function fmt(n) {
  return typeof n === 'number' ? n.toFixed(2) : '?';
}

/**
 * Every operation of a document by id.
 * @template {import('./run-report.d.mts').OperationLike} O
 * @param {{tools: {operations: O[]}[]}} doc
 * @returns {Map<string, O>}
 */
export function operationsById(doc) {
  const m = new Map();
  for (const t of doc.tools) for (const o of t.operations) m.set(o.id, o);
  return m;
}

/**
 * An operation's revisions, oldest first, with revision 0 the original. Uses the refined
 * doc's history when it has one, else builds revision 0 from the original operation.
 * @param {import('./run-report.d.mts').OperationLike | undefined} original
 * @param {import('./run-report.d.mts').OperationLike | undefined} refined
 */
export function revisionsOf(original, refined) {
  const hist = refined?.history ?? [];
  if (hist.length > 0) {
    const sorted = [...hist].sort((a, b) => a.index - b.index);
    if (sorted[0].index !== 0 && original) sorted.unshift(revisionFromOperation(original, 0));
    return sorted;
  }
  const base = original ?? refined;
  return base ? [revisionFromOperation(base, 0)] : [];
}

/**
 * An operation's current text as a revision.
 * @param {import('./run-report.d.mts').OperationLike} op
 * @param {number} index
 */
export function revisionFromOperation(op, index) {
  const parameters = {};
  for (const p of op.parameters) parameters[p.name] = p.description;
  return { index, description: op.description, parameters, accepted: true, reason: index === 0 ? 'original' : undefined };
}

/**
 * The text a revision is diffed by: its description, then one line per parameter.
 * @param {import('./run-report.d.mts').RevisionLike} r
 */
export function revisionText(r) {
  const params = Object.entries(r.parameters ?? {});
  const lines = [String(r.description ?? '').trim()];
  if (params.length) {
    lines.push('', 'Parameters:');
    for (const [k, v] of params) lines.push(`- ${k}: ${v}`);
  }
  return lines.join('\n');
}

/**
 * The revision to keep when the user accepts the final one: the last accepted revision.
 * @template {import('./run-report.d.mts').RevisionLike} R
 * @param {R[]} revs
 * @returns {R | undefined}
 */
export function finalRevision(revs) {
  return [...revs].reverse().find((r) => r.accepted) ?? revs[0];
}

/**
 * The reviewed document: each operation of the refined doc as the user chose: the final
 * revision (as refined), rejected (the original operation as it was), or an earlier revision
 * (its description and parameter descriptions over the refined operation).
 * @param {import('./run-report.d.mts').ToolDocLike} original
 * @param {{doc: import('./run-report.d.mts').ToolDocLike} | undefined | null} result
 * @param {Record<string, import('./run-report.d.mts').Choice>} review
 */
export function reviewedDoc(original, result, review) {
  if (!result) return original;
  const doc = structuredClone(result.doc);
  const orig = operationsById(original);
  for (const tool of doc.tools) {
    tool.operations = tool.operations.map((op) => {
      const choice = review[op.id] ?? 'final';
      const o = orig.get(op.id);
      if (choice === 'final') return op;
      if (choice === 'reject') return o ? { ...structuredClone(o), history: op.history } : op;
      const rev = revisionsOf(o, op).find((r) => r.index === choice);
      if (!rev) return op;
      const base = rev.index === 0 && o ? structuredClone(o) : op;
      return {
        ...base,
        description: rev.description,
        parameters: base.parameters.map((p) => ({ ...p, description: rev.parameters?.[p.name] ?? p.description })),
        history: op.history,
      };
    });
  }
  return doc;
}

/**
 * Prompt + completion tokens of a run.
 * @param {import('./run-report.d.mts').RunModel} m
 */
export function sumUsage(m) {
  return m.tokens.prompt + m.tokens.completion;
}

// ---------------------------------------------------------------------------------------------
// The run file (JSON report)

/**
 * A run's configuration with API keys and auth headers removed: safe to write anywhere.
 * @template {import('./run-report.d.mts').RunConfigLike} C
 * @param {C} config
 * @returns {{config: C, hadSecrets: boolean}}
 */
export function withoutSecrets(config) {
  const llm = { ...(config.llm ?? {}) };
  const tools = { ...(config.tools ?? {}) };
  const hadSecrets =
    Boolean(llm.apiKey) || Object.keys(llm.headers ?? {}).length > 0 || Object.keys(tools.headers ?? {}).length > 0;
  delete llm.apiKey;
  delete llm.headers;
  delete llm.call;
  delete tools.headers;
  delete tools.callTool;
  const out = { ...config, llm, tools };
  delete out.fetch;
  return { config: out, hadSecrets };
}

/**
 * The JSON report: a run file the web app can open again.
 * @param {import('./run-report.d.mts').RunRecordLike} rec the run; its config must be without secrets
 * @param {import('./run-report.d.mts').RunEventLike[]} events everything the run emitted, in order
 * @param {string} [engine] the package version
 * @returns {import('./run-report.d.mts').RunFile}
 */
export function buildRunFile(rec, events, engine) {
  const config = withoutSecrets(rec.config).config;
  const limits = config.limits ?? {};
  const model = mergeReport(foldEvents(rec.original, events, limits.only, limits.maxEpisodes), rec.result?.report);
  const review = rec.review ?? {};
  const orig = operationsById(rec.original);
  const refined = rec.result ? operationsById(rec.result.doc) : new Map();
  const operations = model.order.map((id) => {
    const o = model.ops.get(id);
    return {
      id,
      name: o.name,
      choice: review[id] ?? 'final',
      termination: o.termination ?? null,
      terminationText: describeTermination(o.termination),
      calls: o.calls,
      modelCalls: o.modelCalls,
      tokens: o.tokens,
      revisions: revisionsOf(orig.get(id), refined.get(id)),
      decisions: o.decisions,
      trails: o.trails,
      findings: o.analyses,
      errors: o.errors,
    };
  });
  const run = {
    id: rec.id,
    createdAt: rec.createdAt,
    status: rec.status,
    sourceName: rec.sourceName,
    config,
    step: rec.step,
  };
  if (rec.error) run.error = rec.error;
  return {
    kind: RUN_FILE_KIND,
    version: 1,
    engine,
    exportedAt: new Date().toISOString(),
    run,
    original: rec.original,
    result: rec.result ?? null,
    review,
    reviewed: reviewedDoc(rec.original, rec.result, review),
    operations,
    usage: { promptTokens: model.tokens.prompt, completionTokens: model.tokens.completion, modelCalls: model.modelCalls },
    events,
  };
}

function structureError(message) {
  const e = new Error(message);
  e.name = 'StructureError';
  return e;
}

/**
 * Reads a run file and checks what readers need (`kind`, `original`). Throws an `Error`
 * named `SyntaxError` or `StructureError` saying what is wrong.
 * @param {string} text
 * @returns {import('./run-report.d.mts').RunFile}
 */
export function readRunFile(text) {
  let v;
  try {
    v = JSON.parse(text);
  } catch (e) {
    const err = new Error(`the run file is not JSON: ${e.message}`);
    err.name = 'SyntaxError';
    throw err;
  }
  if (!v || typeof v !== 'object' || v.kind !== RUN_FILE_KIND) throw structureError('not a tooldraft run file (expected "kind": "tooldraft-run")');
  if (!v.original || !Array.isArray(v.original.tools)) throw structureError('at /original: expected the original document');
  if (v.result !== undefined && v.result !== null && (typeof v.result !== 'object' || !v.result.doc || !Array.isArray(v.result.doc.tools))) {
    throw structureError('at /result/doc: expected the refined document');
  }
  if (v.events !== undefined && !Array.isArray(v.events)) throw structureError('at /events: expected a list of events');
  return v;
}

// ---------------------------------------------------------------------------------------------
// The HTML report

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * HTML-escapes text (also for attribute values).
 * @param {string} s
 */
export function escapeHtml(s) {
  return String(s).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

const e = escapeHtml;

function chunkTag(c) {
  return c.tag ?? c.op ?? 'equal';
}

function diffHtml(chunks) {
  return chunks
    .map((c) => (chunkTag(c) === 'insert' ? `<ins>${e(c.text)}</ins>` : chunkTag(c) === 'delete' ? `<del>${e(c.text)}</del>` : e(c.text)))
    .join('');
}

function pre(value) {
  const text = typeof value === 'string' ? value : (JSON.stringify(value, null, 2) ?? '');
  const cut = text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters)` : text;
  return `<pre>${e(cut)}</pre>`;
}

/**
 * For each operation, the texts its HTML diff compares: the original and the reviewed
 * revision. The caller diffs them (the package's `diffText`) and passes the map to
 * `buildHtmlReport`.
 * @param {import('./run-report.d.mts').RunFile} file
 * @returns {{id: string, before: string, after: string}[]}
 */
export function reportDiffInputs(file) {
  const orig = operationsById(file.original);
  const reviewed = operationsById(file.reviewed ?? file.original);
  const out = [];
  for (const [id, a] of orig) {
    const b = reviewed.get(id);
    if (!b) continue;
    const before = revisionText(revisionFromOperation(a, 0));
    const after = revisionText(revisionFromOperation(b, 0));
    out.push({ id, before, after });
  }
  return out;
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#0f1115}pre{background:#1c2029!important}ins{background:#12361d!important;color:#9be9a8}del{background:#4a1618!important;color:#ffb3b3}}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f2f5;padding:.5rem .7rem;border-radius:6px;font-size:.85rem}
ins{background:#d7f5dd;text-decoration:none}del{background:#ffdcdc}
section{border-top:1px solid #8884;margin-top:1.5rem}.ok{color:#1a7f37}.bad{color:#b42318}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #8884;text-align:left;vertical-align:top}`;

/**
 * The standalone HTML report. `diffs` maps an operation id to the word diff of its original
 * and its reviewed text (see `reportDiffInputs`); chunks are `{tag | op, text}`.
 * @param {import('./run-report.d.mts').RunFile} file
 * @param {Map<string, import('./run-report.d.mts').DiffChunkLike[]>} diffs
 * @returns {string}
 */
export function buildHtmlReport(file, diffs) {
  const model = runModelOf(file);
  const orig = operationsById(file.original);
  const refined = file.result ? operationsById(file.result.doc) : new Map();
  const review = file.review ?? {};
  const llm = file.run.config?.llm ?? {};
  const rows = model.order
    .map((id) => {
      const o = model.ops.get(id);
      const choice = review[id] ?? 'final';
      return `<tr><td><a href="#op-${e(encodeURIComponent(id))}">${e(o.name)}</a></td><td>${e(String(choice))}</td><td>${o.calls}</td><td>${o.decisions.filter((d) => d.accepted).length} / ${o.decisions.length}</td><td>${e(describeTermination(o.termination))}</td></tr>`;
    })
    .join('\n');
  const sections = model.order
    .map((id) => {
      const o = model.ops.get(id);
      const revs = revisionsOf(orig.get(id), refined.get(id));
      const fin = finalRevision(revs);
      const timeline = revs
        .map(
          (r) =>
            `<li><strong>${r.index === 0 ? 'Original' : `Revision ${r.index}`}</strong> ${r.index === 0 ? '' : r.accepted ? '<span class="ok">accepted</span>' : '<span class="bad">rejected</span>'}${r.reason && r.index ? ` — ${e(r.reason)}` : ''}${pre(revisionText(r))}</li>`,
        )
        .join('\n');
      const trails = o.trails
        .map((t) => {
          const obs = t.observation;
          const status = obs ? String(obs.status ?? 'no status') : t.error ? 'failed' : 'no answer';
          return `<details><summary>Episode ${t.episode} · ${e(t.id)} · ${e(status)}${obs?.isError ? ' (error)' : ''}</summary>${t.query ? `<p>${e(t.query)}</p>` : ''}<h4>Arguments</h4>${pre(t.arguments)}${
            obs
              ? `<h4>Request</h4>${pre(`${obs.request.method} ${obs.request.url}${obs.request.body ? `\n\n${obs.request.body}` : ''}`)}<h4>Response</h4>${pre(obs.json ?? obs.body)}`
              : t.error
                ? `<h4>Error</h4>${pre(t.error)}`
                : ''
          }</details>`;
        })
        .join('\n');
      const d = diffs.get(id);
      return `<section id="op-${e(encodeURIComponent(id))}"><h2>${e(o.name)}</h2>
<p><strong>Stopped:</strong> ${e(describeTermination(o.termination))}. <strong>Review:</strong> ${e(String(review[id] ?? 'final'))}${fin ? ` (final: revision ${fin.index})` : ''}.</p>
${d ? `<h3>Original → reviewed</h3><pre>${diffHtml(d)}</pre>` : ''}
<h3>Revisions</h3><ol>${timeline}</ol>
${o.analyses.length ? `<h3>Findings</h3>${o.analyses.map((a) => `<h4>Episode ${a.episode}</h4>${pre(a.findings)}`).join('')}` : ''}
${o.errors.length ? `<h3>Errors</h3><ul>${o.errors.map((x) => `<li>${e(x.code)}: ${e(x.message)}</li>`).join('')}</ul>` : ''}
${trails ? `<h3>Trails</h3>${trails}` : ''}</section>`;
    })
    .join('\n');
  const error = file.run.error ? `<p class="bad"><strong>${e(file.run.error.name)}:</strong> ${e(file.run.error.message)}</p>` : '';
  const toolCalls = model.toolCalls ? ` · ${model.toolCalls} tool call(s)` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>tooldraft report: ${e(file.run.sourceName)}</title>
<style>${CSS}</style></head><body>
<h1>tooldraft report</h1>
<p>${e(file.run.sourceName)} · run ${e(file.run.id)} · ${e(file.run.status)} · exported ${e(file.exportedAt)}${file.engine ? ` · engine ${e(file.engine)}` : ''}</p>
${error}<p>Model: ${e(String(llm.provider ?? ''))} ${e(String(llm.model ?? ''))} · tokens: ${model.tokens.prompt + model.tokens.completion} in ${model.modelCalls} model call(s)${toolCalls}</p>
<table><thead><tr><th>operation</th><th>review</th><th>calls</th><th>accepted / revisions</th><th>stopped</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}

// A run as people see it, folded from the engine's events (live, or replayed) and completed
// from its RunReport; revisions and the reviewed document. Pure functions: no DOM, no Node
// APIs, no wasm. Part of run-report.mjs (which re-exports all of it; types: run-report.d.mts),
// shared by the CLI's progress and reports and the web app.

import { applySchemaDecisions } from './schema-changes.mjs';

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
  for (const t of doc.tools)
    for (const o of t.operations) if (!filter || filter.includes(o.id)) ensureOp(m, o.id, o.name);
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
      verifications: [],
      errors: [],
      warnings: [],
    };
    m.ops.set(id, op);
    m.order.push(id);
  }
  return op;
}

/** The replay verification of a candidate revision (created on its first event). */
function verificationOf(op, revision, episode) {
  let v = op.verifications.find((x) => x.revision === revision);
  if (!v) {
    v = { revision, episode, calls: [] };
    op.verifications.push(v);
    op.verifications.sort((a, b) => a.revision - b.revision);
  }
  return v;
}

/**
 * A candidate's replay verification in one line.
 * @param {import('./run-report.d.mts').VerificationRun} v
 */
export function describeVerification(v) {
  if (typeof v.counted !== 'number' || v.counted === 0) return v.summary ?? 'replay verification pending';
  const verdict = v.passed ? 'kept' : 'held back';
  return `replay verification: ${v.candidateScore}/${v.counted} good calls from this doc, ${v.currentScore}/${v.counted} from revision ${v.currentRevision} (${verdict})`;
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
      for (const id of e.operations) ensureOp(m, id);
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
      ensureOp(m, e.operation).retries.push({
        episode: e.episode,
        attempt: e.attempt,
        similarTo: e.similarTo,
        similarity: e.similarity,
      });
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
    case 'verificationCall': {
      const op = ensureOp(m, e.operation);
      verificationOf(op, e.revision, e.episode).calls.push(e.call);
      if (e.call?.executed) {
        op.calls += 1;
        m.toolCalls += 1;
      }
      break;
    }
    case 'verification': {
      const { type: _type, operation, ...v } = e;
      Object.assign(verificationOf(ensureOp(m, operation), e.revision, e.episode), v);
      break;
    }
    case 'revisionAccepted':
      ensureOp(m, e.operation).decisions.push({
        episode: e.episode,
        revision: e.revision,
        accepted: true,
        delta: e.delta,
      });
      break;
    case 'revisionRejected':
      ensureOp(m, e.operation).decisions.push({
        episode: e.episode,
        revision: e.revision,
        accepted: false,
        reason: e.reason,
      });
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
    if (typeof r.outcome === 'string') op.outcome = r.outcome;
    if (typeof r.outcomeReason === 'string') op.outcomeReason = r.outcomeReason;
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
        if (t.schemaDriven) have.schemaDriven = true;
      } else {
        op.trails.push({
          id: t.id,
          episode: t.episode,
          query: t.query,
          arguments: t.arguments ?? null,
          observation: t.observation,
          error: t.error,
          ...(t.schemaDriven ? { schemaDriven: true } : {}),
        });
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
    for (const rev of Array.isArray(r.revisions) ? r.revisions : []) {
      const rec = rev.verification;
      if (!rec || typeof rev.index !== 'number' || op.verifications.some((v) => v.revision === rev.index)) continue;
      const { candidate = [], current = [], ...rest } = rec;
      Object.assign(verificationOf(op, rev.index, rev.episode), rest, { calls: [...candidate, ...current] });
    }
    for (const err of Array.isArray(r.errors) ? r.errors : []) {
      if (!op.errors.some((x) => x.code === err.code && x.message === err.message))
        op.errors.push({ code: err.code, message: err.message });
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

/** How each outcome of the end-of-run check reads. */
export const OUTCOME_LABELS = { improved: 'improved', unchanged: 'unchanged', originalKept: 'original kept' };

/**
 * One line a person reads for what the run did to an operation's text, and why
 * (empty while the run has not ended).
 * @param {{outcome?: string, outcomeReason?: string}} o
 */
export function describeOutcome(o) {
  if (!o.outcome) return '';
  const label = OUTCOME_LABELS[/** @type {keyof typeof OUTCOME_LABELS} */ (o.outcome)] ?? o.outcome;
  return o.outcomeReason ? `${label}: ${o.outcomeReason}` : label;
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
  return {
    index,
    description: op.description,
    parameters,
    accepted: true,
    reason: index === 0 ? 'original' : undefined,
  };
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
 * (its description and parameter descriptions over the refined operation). The run's
 * schema changes then apply as decided one by one in `schemaReview` (operation id → change
 * id → accept/reject): a rejected change is undone, an accepted proposal written.
 * @param {import('./run-report.d.mts').ToolDocLike} original
 * @param {{doc: import('./run-report.d.mts').ToolDocLike, report?: any} | undefined | null} result
 * @param {Record<string, import('./run-report.d.mts').Choice>} review
 * @param {import('./run-report.d.mts').SchemaReview} [schemaReview]
 */
export function reviewedDoc(original, result, review, schemaReview = {}) {
  if (!result) return original;
  const doc = structuredClone(result.doc);
  const orig = operationsById(original);
  const reports = new Map((result.report?.operations ?? []).map((o) => [o.id, o.schemaChanges ?? []]));
  const pick = (op) => {
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
  };
  for (const tool of doc.tools) {
    // Evidence-backed schema changes apply whichever text is kept, unless rejected one by one.
    tool.operations = tool.operations.map((op) =>
      applySchemaDecisions(pick(op), reports.get(op.id), schemaReview[op.id] ?? {}),
    );
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

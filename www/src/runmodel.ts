// A run as the app shows it, folded from the engine's events (live, or replayed from
// IndexedDB after a reload) and, once the run ends, its result. Pure functions: no DOM.

import type { Json, Observation, Operation, Phase, Revision, RunEvent, RunResult, TerminationReason, ToolDoc } from './types';

export interface Trail {
  id: string;
  episode: number;
  query?: string;
  arguments: Json;
  observation?: Observation;
}

export interface Decision {
  episode: number;
  revision: number;
  accepted: boolean;
  reason?: string;
  delta?: number | null;
}

export interface OpRun {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'done';
  episode: number;
  phase?: Phase;
  calls: number;
  tokens: number;
  queries: { episode: number; query: string; arguments: Json }[];
  trails: Trail[];
  analyses: { episode: number; findings: Json }[];
  decisions: Decision[];
  retries: { episode: number; attempt: number; similarTo: string; similarity: number }[];
  errors: { code: string; message: string }[];
  termination?: TerminationReason;
}

export interface RunModel {
  runId?: string;
  maxEpisodes: number;
  ops: Map<string, OpRun>;
  order: string[];
  toolSummaries: Map<string, string>;
  tokens: { prompt: number; completion: number };
  modelCalls: number;
  errors: { operation: string | null; code: string; message: string }[];
  steps: number;
  finished: boolean;
  cancelled: boolean;
  eventCount: number;
}

export function newRunModel(doc: ToolDoc, only?: string[], maxEpisodes = 5): RunModel {
  const m: RunModel = {
    maxEpisodes,
    ops: new Map(),
    order: [],
    toolSummaries: new Map(),
    tokens: { prompt: 0, completion: 0 },
    modelCalls: 0,
    errors: [],
    steps: 0,
    finished: false,
    cancelled: false,
    eventCount: 0,
  };
  for (const t of doc.tools) for (const o of t.operations) if (!only || only.includes(o.id)) ensureOp(m, o.id, o.name);
  return m;
}

function ensureOp(m: RunModel, id: string, name = id): OpRun {
  let op = m.ops.get(id);
  if (!op) {
    op = { id, name, status: 'queued', episode: 0, calls: 0, tokens: 0, queries: [], trails: [], analyses: [], decisions: [], retries: [], errors: [] };
    m.ops.set(id, op);
    m.order.push(id);
  }
  return op;
}

function trail(op: OpRun, id: string, episode: number): Trail {
  let t = op.trails.find((x) => x.id === id);
  if (!t) {
    t = { id, episode, arguments: null };
    op.trails.push(t);
  }
  return t;
}

/** Folds one event into the model. */
export function applyEvent(m: RunModel, e: RunEvent): void {
  m.eventCount += 1;
  switch (e.type) {
    case 'runStarted':
      m.runId = e.runId;
      m.maxEpisodes = e.maxEpisodes;
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
    case 'query': {
      const op = ensureOp(m, e.operation);
      op.queries.push({ episode: e.episode, query: e.query, arguments: e.arguments });
      break;
    }
    case 'diversityRetry':
      ensureOp(m, e.operation).retries.push({ episode: e.episode, attempt: e.attempt, similarTo: e.similarTo, similarity: e.similarity });
      break;
    case 'toolCall': {
      const op = ensureOp(m, e.operation);
      op.calls += 1;
      const t = trail(op, e.trailId, e.episode);
      t.arguments = e.arguments;
      t.query = [...op.queries].reverse().find((q) => q.episode === e.episode)?.query;
      break;
    }
    case 'toolResult':
      trail(ensureOp(m, e.operation), e.trailId, e.episode).observation = e.observation;
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
      const n = (e.usage?.promptTokens ?? 0) + (e.usage?.completionTokens ?? 0);
      m.tokens.prompt += e.usage?.promptTokens ?? 0;
      m.tokens.completion += e.usage?.completionTokens ?? 0;
      m.modelCalls += e.calls ?? 1;
      if (e.operation) ensureOp(m, e.operation).tokens += n;
      break;
    }
    case 'error':
      m.errors.push({ operation: e.operation, code: e.code, message: e.message });
      if (e.operation) ensureOp(m, e.operation).errors.push({ code: e.code, message: e.message });
      break;
    case 'checkpoint':
      m.steps = Math.max(m.steps, e.step);
      break;
    case 'runFinished':
      m.finished = true;
      m.cancelled = e.cancelled;
      break;
  }
}

export function foldEvents(doc: ToolDoc, events: RunEvent[], only?: string[], maxEpisodes?: number): RunModel {
  const m = newRunModel(doc, only, maxEpisodes);
  for (const e of events) applyEvent(m, e);
  return m;
}

/** One line a person reads for why an operation stopped. */
export function describeTermination(r: TerminationReason | undefined): string {
  if (!r) return 'not finished';
  switch (r.kind) {
    case 'converged':
      return `converged: revisions stopped changing (Δ ${fmt(r.delta)} > τ ${fmt(r.threshold)})`;
    case 'maxEpisodes':
      return `reached the maximum of ${r.episodes} episodes`;
    case 'budgetSpent':
      return `call budget spent (${r.calls} calls)`;
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

function fmt(n: number | undefined | null): string {
  return typeof n === 'number' ? n.toFixed(2) : '?';
}

export function operationsById(doc: ToolDoc): Map<string, Operation> {
  const m = new Map<string, Operation>();
  for (const t of doc.tools) for (const o of t.operations) m.set(o.id, o);
  return m;
}

/**
 * An operation's revisions, oldest first, with revision 0 the original. Uses the refined
 * doc's history when it has one, else builds revision 0 from the original operation.
 */
export function revisionsOf(original: Operation | undefined, refined: Operation | undefined): Revision[] {
  const hist = refined?.history ?? [];
  if (hist.length > 0) {
    const sorted = [...hist].sort((a, b) => a.index - b.index);
    if (sorted[0].index !== 0 && original) sorted.unshift(revisionFromOperation(original, 0));
    return sorted;
  }
  const base = original ?? refined;
  return base ? [revisionFromOperation(base, 0)] : [];
}

export function revisionFromOperation(op: Operation, index: number): Revision {
  const parameters: Record<string, string> = {};
  for (const p of op.parameters) parameters[p.name] = p.description;
  return { index, description: op.description, parameters, accepted: true, reason: index === 0 ? 'original' : undefined };
}

/** The text a revision is diffed by: its description, then one line per parameter. */
export function revisionText(r: Revision): string {
  const params = Object.entries(r.parameters ?? {});
  const lines = [r.description.trim()];
  if (params.length) {
    lines.push('', 'Parameters:');
    for (const [k, v] of params) lines.push(`- ${k}: ${v}`);
  }
  return lines.join('\n');
}

/** The revision to keep when the user accepts the final one: the last accepted revision. */
export function finalRevision(revs: Revision[]): Revision | undefined {
  return [...revs].reverse().find((r) => r.accepted) ?? revs[0];
}

export type Choice = 'final' | 'reject' | number;

/**
 * The reviewed document: each operation of the refined doc as the user chose: the final
 * revision (as refined), rejected (the original operation as it was), or an earlier revision
 * (its description and parameter descriptions over the refined operation).
 */
export function reviewedDoc(original: ToolDoc, result: RunResult | undefined, review: Record<string, Choice>): ToolDoc {
  if (!result) return original;
  const doc: ToolDoc = structuredClone(result.doc);
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

export function sumUsage(m: RunModel): number {
  return m.tokens.prompt + m.tokens.completion;
}

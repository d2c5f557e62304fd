// Types of run-report.mjs: the run model folded from events and the run file (JSON report),
// shared by the CLI and the web app (the HTML report: run-report-html.d.mts). Inputs are typed
// by what is read (structural "…Like" types), so callers with their own copies of the
// package's types fit.

import type { JsonValue, Observation, Outcome, Phase, Revision, RunReport, ToolDoc } from '../index.js';

/** Per operation: keep the final revision, reject all (keep the original), or pick one. */
export type Choice = 'final' | 'reject' | number;

/** A structural change to an operation's schema (the engine's SchemaChange, read loosely). */
export interface SchemaChangeLike {
  id: string;
  kind: string;
  parameter?: string;
  pointer: string;
  before: unknown;
  after: unknown;
  trails?: string[];
  status: string;
  reason?: string;
}

/** The user's decision on each schema change: operation id → change id → accept/reject. */
export type SchemaReview = Record<string, Record<string, 'accept' | 'reject'>>;

export interface ParameterLike {
  name: string;
  description: string;
}
export interface RevisionLike {
  index: number;
  description: string;
  parameters: Record<string, string>;
  accepted: boolean;
  reason?: string;
  evidence?: string[];
}
export interface OperationLike {
  id: string;
  name: string;
  description: string;
  parameters: ParameterLike[];
  history?: RevisionLike[];
}
export interface ToolDocLike {
  tools: { operations: OperationLike[] }[];
}

/** Why an operation stopped (the engine's TerminationReason, read loosely). */
export interface TerminationLike {
  kind: string;
  delta?: number;
  threshold?: number;
  episodes?: number;
  calls?: number;
  budget?: string;
  reason?: string;
  message?: string;
}

/** An engine event (RunEvent), read by its `type`; unknown types are ignored. */
export interface RunEventLike {
  type: string;
  [field: string]: unknown;
}

/** A run's configuration as reports keep it (secrets are removed before writing). */
export interface RunConfigLike {
  llm: { provider: string; model?: string; baseUrl?: string; apiKey?: string; headers?: Record<string, string> };
  tools?: { baseUrl?: string; mcpUrl?: string; headers?: Record<string, string> };
  safety?: { allowWrites?: boolean; allowDestructive?: boolean; allow?: string[] };
  limits?: {
    maxEpisodes?: number;
    concurrency?: number;
    budgetCalls?: number;
    budgetCallsPerOperation?: number;
    only?: string[];
  };
  thresholds?: { diversity?: number; convergence?: number; diversityRetries?: number };
  timeoutMs?: number;
}

/** What `Refiner.run` resolved with. */
export interface RunResultLike {
  doc: ToolDoc;
  text: string;
  report: RunReport;
  state: JsonValue;
}

/** A run as the reports need it (the web app's RunRecord, or what the CLI assembles). */
export interface RunRecordLike {
  id: string;
  createdAt: number;
  status: string;
  sourceName: string;
  config: RunConfigLike;
  step?: number;
  error?: { name: string; message: string };
  original: ToolDoc;
  result?: RunResultLike;
  review?: Record<string, Choice>;
  schemaReview?: SchemaReview;
}

export interface Trail {
  id: string;
  episode: number;
  query?: string;
  arguments: JsonValue;
  observation?: Observation;
  /** Why no response came back (from the report). */
  error?: JsonValue;
  /** Arguments built from the doc and the tool's errors, not by the model (from the report). */
  schemaDriven?: boolean;
}

export interface Decision {
  episode: number;
  revision: number;
  accepted: boolean;
  reason?: string;
  delta?: number | null;
}

/** A candidate revision's replay verification (events `verificationCall` / `verification`, or the report). */
export interface VerificationRun {
  revision: number;
  episode?: number;
  currentRevision?: number;
  candidateScore?: number;
  currentScore?: number;
  /** Queries scored on both sides (policy refusals and unreachable calls are not). */
  counted?: number;
  passed?: boolean;
  summary?: string;
  /** The candidate's and the current revision's calls. */
  calls: {
    query: string;
    source?: string;
    revision: number;
    arguments?: JsonValue;
    outcome: 'passed' | 'failed' | 'refused' | 'unavailable';
    reason: string;
    executed?: boolean;
    cached?: boolean;
  }[];
}

export interface OpRun {
  id: string;
  name: string;
  status: 'queued' | 'running' | 'done';
  episode: number;
  phase?: Phase;
  /** Tool calls. */
  calls: number;
  modelCalls: number;
  tokens: number;
  queries: { episode: number; query: string; arguments: JsonValue }[];
  trails: Trail[];
  analyses: { episode: number; findings: JsonValue }[];
  decisions: Decision[];
  retries: { episode: number; attempt: number; similarTo: string; similarity: number }[];
  rejectedArguments: { episode: number; arguments: JsonValue; reason: string }[];
  verifications: VerificationRun[];
  errors: { code: string; message: string }[];
  warnings: string[];
  termination?: TerminationLike;
  /** The end-of-run check's verdict (from the report, once the run ends). */
  outcome?: Outcome;
  outcomeReason?: string;
}

export interface RunModel {
  runId?: string;
  maxEpisodes: number;
  ops: Map<string, OpRun>;
  order: string[];
  toolSummaries: Map<string, string>;
  tokens: { prompt: number; completion: number };
  modelCalls: number;
  toolCalls: number;
  errors: { operation: string | null; code: string; message: string }[];
  warnings: { operation: string | null; message: string }[];
  steps: number;
  finished: boolean;
  cancelled: boolean;
  /** The run continued from a saved state. */
  resumed: boolean;
  eventCount: number;
}

export const RUN_FILE_KIND: 'tooldraft-run';

/** The JSON report (www/README.md "Run file"). */
export interface RunFile {
  kind: 'tooldraft-run';
  version: 1;
  engine?: string;
  exportedAt: string;
  run: {
    id: string;
    createdAt: number;
    status: string;
    sourceName: string;
    /** Without API keys and auth headers. */
    config: RunConfigLike;
    step?: number;
    error?: { name: string; message: string };
  };
  original: ToolDoc;
  result: RunResultLike | null;
  review: Record<string, Choice>;
  /** Decisions on single schema changes, when any were made. */
  schemaReview?: SchemaReview;
  reviewed: ToolDoc;
  /** Per operation: revisions, decisions, trails, findings, termination. */
  operations: {
    id: string;
    name: string;
    choice: Choice;
    termination: TerminationLike | null;
    terminationText: string;
    calls: number;
    modelCalls: number;
    tokens: number;
    revisions: Revision[];
    decisions: Decision[];
    /** Replay verifications of candidate revisions (absent in files written before them). */
    verifications?: VerificationRun[];
    trails: Trail[];
    findings: { episode: number; findings: JsonValue }[];
    errors: { code: string; message: string }[];
  }[];
  usage: { promptTokens: number; completionTokens: number; modelCalls: number };
  events: RunEventLike[];
}

export function newRunModel(doc: ToolDocLike, only?: string[], maxEpisodes?: number): RunModel;
export function applyEvent(m: RunModel, e: RunEventLike): void;
export function foldEvents(doc: ToolDocLike, events: RunEventLike[], only?: string[], maxEpisodes?: number): RunModel;
/** Completes a model from the engine's RunReport (a resumed run's events cover only its last part). */
export function mergeReport(m: RunModel, report: unknown): RunModel;
/** The run as reports show it: the file's events folded, completed from its result's report. */
export function runModelOf(file: RunFile): RunModel;
export function describeTermination(r: TerminationLike | undefined | null): string;
/** A candidate's replay verification in one line. */
export function describeVerification(v: VerificationRun): string;
export const OUTCOME_LABELS: { improved: string; unchanged: string; originalKept: string };
/** `original kept: <why>`; empty before the run ends. */
export function describeOutcome(o: { outcome?: string; outcomeReason?: string }): string;
export function operationsById<O extends OperationLike>(doc: { tools: { operations: O[] }[] }): Map<string, O>;
export function revisionsOf(original: OperationLike | undefined, refined: OperationLike | undefined): Revision[];
export function revisionFromOperation(op: OperationLike, index: number): Revision;
export function revisionText(r: RevisionLike): string;
export function finalRevision<R extends RevisionLike>(revs: R[]): R | undefined;
export function reviewedDoc<D extends ToolDocLike>(
  original: D,
  result: { doc: D; report?: JsonValue } | undefined | null,
  review: Record<string, Choice>,
  schemaReview?: SchemaReview,
): D;
export function sumUsage(m: RunModel): number;
export function withoutSecrets<C extends RunConfigLike>(config: C): { config: C; hadSecrets: boolean };
export function buildRunFile(rec: RunRecordLike, events: RunEventLike[], engine?: string): RunFile;
/** Parses and checks a run file; throws an Error named SyntaxError or StructureError. */
export function readRunFile(text: string, parse?: (text: string) => unknown): RunFile;

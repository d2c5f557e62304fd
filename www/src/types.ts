// The package's JSON shapes, typed from JS_API.md and the Rust serde types
// (src/doc/model.rs, src/refine/events.rs, src/tools/mod.rs, src/llm/mod.rs).
// Everything that crosses the worker boundary is one of these plain objects.

export type FormatName = 'openapi' | 'swagger' | 'mcp' | 'openai' | 'anthropic' | 'toolbench' | 'restbench';
export const FORMATS: readonly FormatName[] = ['openapi', 'swagger', 'mcp', 'openai', 'anthropic', 'toolbench', 'restbench'];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export type Location = 'path' | 'query' | 'header' | 'cookie' | 'body';
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'TRACE';

export interface Parameter {
  name: string;
  location: Location;
  schema: Json;
  required: boolean;
  description: string;
  default?: Json;
  enumValues?: Json[];
  examples?: Json[];
  style?: string;
  explode?: boolean;
}

export interface Example {
  query: string;
  arguments: Json;
  result?: Json;
  verified: boolean;
}

export interface Safety {
  readOnly?: boolean;
  destructive?: boolean;
  idempotent?: boolean;
}

export interface Revision {
  index: number;
  description: string;
  parameters: Record<string, string>;
  accepted: boolean;
  reason?: string;
  evidence?: string[];
}

export interface HttpBinding {
  method: HttpMethod;
  path: string;
  bodyMediaType?: string;
}

export interface Operation {
  id: string;
  name: string;
  title?: string;
  description: string;
  http?: HttpBinding;
  parameters: Parameter[];
  responseSchema?: Json;
  examples?: Example[];
  safety: Safety;
  pointer: string;
  history?: Revision[];
}

export interface Tool {
  name: string;
  description: string;
  baseUrl?: string;
  operations: Operation[];
  pointer: string;
}

export interface ToolDoc {
  format: FormatName | null;
  syntax: 'json' | 'yaml';
  version?: string;
  tools: Tool[];
  source: Json;
  warnings?: string[];
}

export interface Smell {
  /** What kind of smell (`missingDescription`, `untypedParameter`, …). */
  kind?: string;
  code?: string;
  message: string;
  operation?: string;
  parameter?: string;
  pointer?: string;
}

export interface InspectReport {
  format: FormatName;
  tools: number;
  operations: number;
  parameters: number;
  smells: Smell[];
  warnings: string[];
}

export interface Exported {
  format: FormatName;
  text: string;
  lost: string[];
}

export type DiffTag = 'equal' | 'delete' | 'insert';
export interface DiffChunk {
  tag: DiffTag;
  text: string;
}

// ---- runs -------------------------------------------------------------------------------

export type Phase = 'explore' | 'call' | 'analyze' | 'rewrite' | 'summarize' | 'done';

export type TerminationReason =
  | { kind: 'converged'; delta: number; threshold: number }
  | { kind: 'maxEpisodes'; episodes: number }
  | { kind: 'budgetSpent'; calls: number }
  | { kind: 'notAllowed'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

export interface RecordedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

export interface Observation {
  request: RecordedRequest;
  status?: number;
  contentType?: string;
  headers: [string, string][];
  body: string;
  json?: Json;
  truncated: boolean;
  bodyBytes: number;
  isError: boolean;
  durationMs: number;
}

export interface Usage {
  promptTokens: number;
  completionTokens: number;
}

export type RunEvent =
  | { type: 'runStarted'; runId: string; operations: string[]; maxEpisodes: number }
  | { type: 'operationStarted'; operation: string }
  | { type: 'phase'; operation: string; episode: number; phase: Phase }
  | { type: 'query'; operation: string; episode: number; query: string; arguments: Json }
  | { type: 'diversityRetry'; operation: string; episode: number; attempt: number; similarTo: string; similarity: number }
  | { type: 'toolCall'; operation: string; episode: number; trailId: string; arguments: Json }
  | { type: 'toolResult'; operation: string; episode: number; trailId: string; observation: Observation }
  | { type: 'analysis'; operation: string; episode: number; findings: Json }
  | { type: 'revisionAccepted'; operation: string; episode: number; revision: number; delta: number | null }
  | { type: 'revisionRejected'; operation: string; episode: number; revision: number; reason: string }
  | { type: 'terminated'; operation: string; reason: TerminationReason }
  | { type: 'toolSummary'; tool: string; description: string }
  // `operation` is not in the Rust event yet; shown per operation when an engine sends it.
  | { type: 'usage'; purpose: string; usage: Usage; calls: number; operation?: string }
  | { type: 'error'; operation: string | null; code: string; message: string }
  | { type: 'checkpoint'; step: number }
  | { type: 'runFinished'; cancelled: boolean };

/** Opaque to the app: the engine's resumable state, persisted as is. */
export type RunState = Json;
/** The engine's report; the app reads what it knows and keeps the rest. */
export type RunReport = { [key: string]: Json };

export interface RunResult {
  doc: ToolDoc;
  text: string;
  report: RunReport;
  state: RunState;
}

export interface LlmConfig {
  provider: 'openai' | 'anthropic';
  baseUrl?: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
}

export interface RefinerConfig {
  llm: LlmConfig;
  tools: { baseUrl?: string; mcpUrl?: string; headers?: Record<string, string> };
  safety: { allowWrites?: boolean; allowDestructive?: boolean; allow?: string[] };
  limits: {
    maxEpisodes?: number;
    concurrency?: number;
    budgetCalls?: number;
    budgetCallsPerOperation?: number;
    only?: string[];
  };
  thresholds: { diversity?: number; convergence?: number; diversityRetries?: number };
  timeoutMs?: number;
}

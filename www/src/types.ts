// The package's JSON shapes: the package's own types (pkg/index.d.ts, whose core types are
// generated from the Rust serde types), and what only the app adds.
// Everything that crosses the worker boundary is one of these plain objects.

import type { FormatName, JsonValue, RunReport, ToolDoc } from '../../pkg/index';

export const FORMATS: readonly FormatName[] = [
  'openapi',
  'swagger',
  'mcp',
  'openai',
  'anthropic',
  'toolbench',
  'restbench',
];

/** A JSON value (integers beyond ±(2^53 − 1) are `BigInt`s). */
export type Json = JsonValue;

// The document model, inspect reports, run events and the run report are the package's own types.
export type {
  Example,
  Exported,
  FormatName,
  HttpBinding,
  HttpMethod,
  InspectReport,
  Location,
  Observation,
  Operation,
  Parameter,
  Phase,
  RecordedRequest,
  Revision,
  RunEvent,
  RunReport,
  Safety,
  Smell,
  TerminationReason,
  Tool,
  ToolDoc,
  Usage,
} from '../../pkg/index';

export type DiffTag = 'equal' | 'delete' | 'insert';
export interface DiffChunk {
  tag: DiffTag;
  text: string;
}

// ---- runs -------------------------------------------------------------------------------

/** Opaque to the app: the engine's resumable state, persisted as is. */
export type RunState = Json;

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
  /** The embeddings that measure φ and Δ (absent: local). */
  embeddings?: { baseUrl: string; model: string; apiKey?: string };
  /** Replay verification: held-out queries per candidate revision (0: off). */
  verify?: { queries?: number };
  timeoutMs?: number;
}

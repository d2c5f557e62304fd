// The package's JSON shapes, typed from JS_API.md and the Rust serde types
// (src/doc/model.rs, src/refine/events.rs, src/tools/mod.rs, src/llm/mod.rs).
// Everything that crosses the worker boundary is one of these plain objects.

export type FormatName = 'openapi' | 'swagger' | 'mcp' | 'openai' | 'anthropic' | 'toolbench' | 'restbench';
export const FORMATS: readonly FormatName[] = [
  'openapi',
  'swagger',
  'mcp',
  'openai',
  'anthropic',
  'toolbench',
  'restbench',
];

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// The document model, inspect reports and run events are the package's own types.
export type {
  Example,
  Exported,
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
  Safety,
  Smell,
  TerminationReason,
  Tool,
  ToolDoc,
  Usage,
} from '../../pkg/index';
import type { ToolDoc } from '../../pkg/index';

export type DiffTag = 'equal' | 'delete' | 'insert';
export interface DiffChunk {
  tag: DiffTag;
  text: string;
}

// ---- runs -------------------------------------------------------------------------------

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
  /** The embeddings that measure φ and Δ (absent: local). */
  embeddings?: { baseUrl: string; model: string; apiKey?: string };
  /** Replay verification: held-out queries per candidate revision (0: off). */
  verify?: { queries?: number };
  timeoutMs?: number;
}

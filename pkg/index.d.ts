// Types of tooldraft's JavaScript API. Every value is a plain JSON-like object with camelCase
// fields: exactly the serde shapes of the Rust types. The types of what the core returns (the
// document model, the run report and its events, inspection, evaluation and check reports, the
// run state) and of the configs it reads (models, embeddings, tools, safety, limits,
// thresholds) are generated from the Rust types themselves (./types/generated.d.ts, checked by
// `cargo test --lib typescript`); this file declares the functions and what only JavaScript
// sees (callbacks, `signal`, `fetch`, errors), composed with the generated types. The interfaces
// still written here are checked against the Rust that reads them
// (src/typescript/handwritten.rs): rename a member on either side and that test fails.
// Errors thrown or rejected are `Error`s whose `name` is a stable code (see `ErrorCode`).

// ---------------------------------------------------------------------------------------------
// JSON and the generated types

export type { JsonPrimitive, JsonValue, JsonObject } from './types/json.js';
import type { JsonObject, JsonValue } from './types/json.js';

export type * from './types/generated.js';
import type {
  Calibration,
  CalibrationSet,
  ChatRequest,
  ChatResponse,
  CheckReport,
  CoreErrorCode,
  DiffChunk,
  DocChanges,
  EmbeddingsEndpointConfig,
  ErrorCategory,
  EvalProgress,
  EvalReport,
  Exported,
  FormatName,
  HeldOutResult,
  InspectReport,
  LimitsConfig,
  Operation,
  OperationCheck,
  ProviderLlmConfig,
  QuerySet,
  RegressionRules,
  RunEvent,
  RunReport,
  RunState,
  SafetyConfig,
  ThresholdsConfig,
  ToolDoc,
  ToolsOptions,
  VerifyRules,
} from './types/generated.js';

// ---------------------------------------------------------------------------------------------
// Initialisation

/** What `init` can load the wasm from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * The package's two wasm modules, loaded separately: the document module
 * (`tooldraft/tooldraft_document_bg.wasm`: parse, inspect, convert, export, query sets, report
 * rendering) and the engine module (`tooldraft/tooldraft_bg.wasm`: refine, evaluate, check,
 * MCP listing; it reads and writes documents through the document module).
 */
export interface ModuleInputs {
  /** The document module; by default the file beside this module. */
  document?: InitInput | Promise<InitInput>;
  /**
   * The engine module, loaded on first use of the engine; by default the file beside this
   * module. A function returning its bytes is called synchronously at that moment.
   */
  engine?: InitInput | Promise<InitInput> | (() => BufferSource | WebAssembly.Module);
}

/**
 * Loads the wasm (browsers, workers, bundlers). With no argument, the document module beside
 * this module, and the engine module when the engine is first used (`loadEngine`). With
 * `{document, engine}`, each from what is given. With any other input, the document module
 * from it (the engine from beside this module). Safe to call more than once. Not needed in
 * Node: the Node entry initialises itself. A module that is not the one expected (the two
 * swapped) rejects with `InvalidArgument`.
 */
export default function init(input?: InitInput | Promise<InitInput> | ModuleInputs): Promise<void>;

/**
 * Loads the wasm synchronously, for CommonJS and IDE-extension bundles, where
 * `import.meta.url` is empty: from `{document, engine}` (the bytes of
 * `tooldraft/tooldraft_document_bg.wasm` now, those of `tooldraft/tooldraft_bg.wasm` when the
 * engine is first used), or from the document module's bytes alone (then `await loadEngine()`
 * loads the engine from beside this module, where there is a module URL).
 */
export function initSync(
  bytes:
    | BufferSource
    | WebAssembly.Module
    | {
        document: BufferSource | WebAssembly.Module;
        engine?: BufferSource | WebAssembly.Module | (() => BufferSource | WebAssembly.Module);
      },
): void;

/** True once `init` or `initSync` has run. */
export function isInitialized(): boolean;

/** True once the engine module is instantiated. */
export function isEngineLoaded(): boolean;

/**
 * Loads the engine module now. The engine's Promise-returning functions and
 * `Refiner.run` call it themselves; `compareDocs`, which is synchronous, needs it first in
 * browsers (in Node it loads by itself).
 */
export function loadEngine(): Promise<void>;

// ---------------------------------------------------------------------------------------------
// Errors

/**
 * The `name` of every `Error` tooldraft throws: the core's codes (generated from src/error.rs),
 * `NotInitialized` from this entry when the wasm is not loaded yet, and `Unsupported` from the
 * web app's worker for a function the package it was built against lacks.
 */
export type ErrorCode = CoreErrorCode | 'NotInitialized' | 'Unsupported';

/** An error from tooldraft: `name` is the code; documents add where it went wrong. */
export interface TooldraftError extends Error {
  name: ErrorCode;
  /** What kind of failure it is (every error the core raises has one; see `errorCodes()`). */
  category?: ErrorCategory;
  /** 1-based line of a `SyntaxError`. */
  line?: number;
  /** 1-based column of a `SyntaxError`. */
  column?: number;
  /** JSON pointer of a `StructureError`. */
  pointer?: string;
}

// ---------------------------------------------------------------------------------------------
// The document model

// ---------------------------------------------------------------------------------------------
// Reading, inspecting, converting

/** The crate version. */
export function version(): string;
/** Reads a document (JSON or YAML), detecting its format unless one is given. */
export function parseDoc(text: string, format?: FormatName): ToolDoc;
/** Reads a document and reports its format, counts and doc smells. */
export function inspect(text: string, format?: FormatName): InspectReport;
/** Reads a document and writes it in another format. In its own format with nothing to change, `text` is the input as given. */
export function convert(text: string, to: FormatName, from?: FormatName): Exported;
/** Every error code the core emits (an `Error`'s `name`, an event's `code`) with its category. */
export function errorCodes(): { code: CoreErrorCode; category: ErrorCategory }[];
/** The category of an error code (`internal` for a code the core does not emit). */
export function errorCategory(code: string): ErrorCategory;
/**
 * `JSON.parse`, except that integers beyond ±(2^53 − 1) are `BigInt`s holding them exactly
 * (the representation `parseDoc` and every other function use for such integers). Throws an
 * `Error` named `SyntaxError` with `line` and `column`.
 */
export function parseJson(text: string): unknown;
/** `JSON.stringify(value, null, indent)`, writing `BigInt`s as exact JSON numbers instead of throwing. */
export function stringifyJson(value: unknown, indent?: string | number): string;
/** Writes a document (as `parseDoc` returns it, possibly edited) in a format. */
export function exportDoc(doc: ToolDoc, to: FormatName): Exported;
/** A word-level diff: concatenating `equal`+`delete` gives `before`, `equal`+`insert` gives `after`. */
export function diffText(before: string, after: string): DiffChunk[];
/**
 * HTML-escapes text for element content and attribute values alike (`&`, `<`, `>`, `"`, `'`): the
 * core's one escaper, which the evaluation's HTML, the run report's HTML and the web app use.
 * Anything else is converted with `String` first.
 */
export function escapeHtml(text: unknown): string;

export interface ListMcpToolsOptions {
  headers?: Record<string, string>;
  signal?: AbortSignal;
  fetch?: typeof fetch;
  timeoutMs?: number;
}
/** Asks an MCP server (Streamable HTTP) for its tools, as a document in the `mcp` format. */
export function listMcpTools(url: string, options?: ListMcpToolsOptions): Promise<ToolDoc>;

// ---------------------------------------------------------------------------------------------
// Models

/** An OpenAI-compatible chat endpoint (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, `tooldraft serve-llm`). */
export type OpenAiLlmConfig = Extract<ProviderLlmConfig, { provider: 'openai' }>;
/** Anthropic's Messages API: the key as `apiKey` or as an `x-api-key` header. */
export type AnthropicLlmConfig = Extract<ProviderLlmConfig, { provider: 'anthropic' }> &
  ({ apiKey: string } | { headers: { 'x-api-key': string } });
/** A model the host provides: resolve with the answer (or just its text). */
export interface HostLlmConfig {
  provider: 'host';
  call: (request: ChatRequest, options: { signal: AbortSignal }) => Promise<ChatResponse | string>;
}
export type LlmConfig = OpenAiLlmConfig | AnthropicLlmConfig | HostLlmConfig;

// ---------------------------------------------------------------------------------------------
// Tools

/** What a host's `callTool` resolves to: at least `json` or `body`. */
export interface ToolCallResult {
  json?: JsonValue;
  body?: string;
  /** The tool reported an error (default false). */
  isError?: boolean;
  /** Default 200, or 500 when `isError`. */
  status?: number;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Where tool calls go: an HTTP API, an MCP server, or the host's own function. */
export type ToolsConfig = ToolsOptions & {
  /** The host calls the tool itself. */
  callTool?: (operation: Operation, args: JsonObject, options: { signal: AbortSignal }) => Promise<ToolCallResult>;
};

/** What a host's `embed` may resolve to besides the bare vectors. */
export interface HostEmbeddings {
  /** One vector per text, in order. */
  vectors: number[][];
  /** Counted in the report's usage (default 0). */
  promptTokens?: number;
}

/**
 * Which embeddings measure φ (query diversity) and Δ (convergence). Absent: the local hashed
 * n-gram embedding (no network). The report names the embedder of each operation; when a
 * remote one fails, operations that have not measured yet use the local one (`embedderFallback`).
 */
export type EmbeddingsConfig =
  | { provider: 'local' }
  /**
   * An OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, Ollama, vLLM, llama.cpp, LM Studio,
   * `tooldraft serve-llm`). The key is sent as `Authorization: Bearer …` and never follows a
   * redirect to another origin.
   */
  | ({ provider?: 'openai' } & EmbeddingsEndpointConfig)
  | {
      provider?: 'host';
      /** Your own embeddings (an editor's model API, …): one vector per text, in order. */
      embed: (texts: string[], options: { signal: AbortSignal }) => Promise<number[][] | HostEmbeddings>;
      /** Shown in reports as `host:<name>`; a name containing `smollm2` gets that family's thresholds. */
      name?: string;
    };

export interface CalibrateOptions {
  /** The embedder to calibrate (default: the local one). */
  embeddings?: EmbeddingsConfig;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/** Calibrates φ and τ for an embedder (default: the local one) on a labelled set. */
export function calibrate(set: CalibrationSet, options?: CalibrateOptions): Promise<Calibration>;

/**
 * Replay verification: a revision that passes the rewrite gate is accepted only if a model that
 * reads only it answers held-out queries with calls at least as good as the current revision's.
 * Every field has a default (the run report's `config.verify` shows the values used).
 */
export type VerifyConfig = Partial<VerifyRules>;

/**
 * The rewrite gate's regression rules (echo, uninformative, loss, offTopic) and their
 * thresholds; every field has a default (the run report's `config.regression` shows the values used).
 */
export type RegressionConfig = Partial<RegressionRules>;

export interface RefinerConfig {
  llm: LlmConfig;
  tools?: ToolsConfig;
  safety?: SafetyConfig;
  limits?: LimitsConfig;
  thresholds?: ThresholdsConfig;
  /** Which embeddings measure φ and Δ (default: local). */
  embeddings?: EmbeddingsConfig;
  verify?: VerifyConfig;
  regression?: RegressionConfig;
  /** Used for every request instead of the global `fetch`. */
  fetch?: typeof fetch;
  /** Per-request timeout in milliseconds. */
  timeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Runs

export interface RunOptions {
  signal?: AbortSignal;
  /** Called with every event, in order. Exceptions it throws are ignored. */
  onEvent?: (event: RunEvent) => void;
  /** Called after every step with the state to persist. */
  onCheckpoint?: (state: RunState) => void;
  /** A state saved by `onCheckpoint` to continue from. */
  resume?: RunState;
}

export interface RunResult {
  /** The refined document (descriptions, parameter docs, verified examples, observed response schemas, history). */
  doc: ToolDoc;
  /** The refined document as text, in the input's format (null when it cannot be written: see exportError). */
  text: string | null;
  exportError?: string;
  /** What the input's format could not carry. */
  lost: string[];
  report: RunReport;
  state: RunState;
}

/** Refines a document's tool docs by letting a model use the tool (the DRAFT method). */
export class Refiner {
  /**
   * Throws `InvalidConfig` naming the wrong field. Before the engine is loaded (browsers, see
   * `loadEngine`) the config is checked by `run`, which rejects with that error instead.
   */
  constructor(config: RefinerConfig);
  /** One run at a time per Refiner (a second call rejects with `Busy`). */
  run(doc: string | ToolDoc, options?: RunOptions): Promise<RunResult>;
  /** Stops the current run, as aborting its signal would. */
  cancel(): void;
  /** True while a run is going. */
  readonly running: boolean;
  /** Frees the wasm memory now (otherwise it is freed when the object is collected). */
  free(): void;
}

// ---------------------------------------------------------------------------------------------
// Evaluation: does the refined doc help a model pick and call the right tool?

export interface EvaluateOptions extends Omit<RefinerConfig, 'limits' | 'thresholds' | 'embeddings'> {
  /** Doc versions of the same tool(s), scored side by side on the same items. */
  docs: ({ label: string; text: string } | { label: string; doc: ToolDoc })[];
  /** A query set: the DRAFT paper's ToolBench/RestBench JSON, or JSONL `{"query", "gold": [ids], "args"?}`. */
  queries: string;
  /** Only the first N items of the query set. */
  limit?: number;
  /** Items evaluated at once (default 4). */
  concurrency?: number;
  /** Bootstrap resamples (default 2000). */
  resamples?: number;
  /** Seed of the statistics (reports are reproducible). */
  seed?: number;
  limits?: LimitsConfig;
}

export interface EvaluateRunOptions {
  signal?: AbortSignal;
  /** Called after each item with how far the evaluation is. */
  onProgress?: (progress: EvalProgress) => void;
}

/** Scores doc versions on a query set with a model. Rejects with `EmptyQuerySet`, `DifferentTools`, `NoUsableItems`, … */
export function evaluate(options: EvaluateOptions, runOptions?: EvaluateRunOptions): Promise<EvalReport>;
/** A standalone HTML page for an evaluation report (no scripts). */
export function evaluationHtml(report: EvalReport): string;
/** The SVG chart of an evaluation report's scores. */
export function evaluationChart(report: EvalReport): string;

/** Reads a query set (the DRAFT paper's JSON, or JSONL) as `evaluate` does. Throws `EmptyQuerySet` or `InvalidQuerySet`. */
export function parseQueries(text: string): QuerySet;

export interface HeldOutOptions {
  /** The run's report: the queries it explored are avoided. */
  report?: RunReport;
  /** New queries per operation (default 2). */
  perOperation?: number;
  signal?: AbortSignal;
}

/**
 * Held-out test queries for validating a run: the Explorer, on the ORIGINAL document, writes
 * new queries unlike every query the run explored; each is verified by a real call.
 */
export function exploreHeldOut(
  config: RefinerConfig,
  originalDoc: string | ToolDoc,
  options?: HeldOutOptions,
): Promise<HeldOutResult>;
/**
 * What changed between two versions of a document, without a model. Part of the engine and
 * synchronous: in browsers, `await loadEngine()` first (else it throws `NotInitialized`).
 */
export function compareDocs(before: string | ToolDoc, after: string | ToolDoc): DocChanges;

// ---------------------------------------------------------------------------------------------
// Drift detection (`tooldraft check`)

export interface CheckOptions {
  /** The live tool: `mcpUrl`, `baseUrl` (with `headers`) or the host's `callTool`. */
  tools: ToolsConfig;
  /** Read-only calls only unless allowed (as the Refiner's). */
  safety?: SafetyConfig;
  /** Check only these operation ids. */
  only?: string[];
  /** Documented enum values tried per parameter (default 5). */
  maxEnumValues?: number;
  /** Stored verified examples replayed per operation (default 3). */
  maxExamples?: number;
  /** Per request; the tool layer retries timeouts, network errors, 429 and 503 of read-only calls. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  signal?: AbortSignal;
  /** Each operation's result, as it is reached. */
  onOperation?: (result: OperationCheck) => void;
}

/**
 * Replays what a (refined) document claims against the live tool, with no model: stored
 * verified examples still succeed, responses fit the documented schemas, required parameters
 * are still required, enum values still accepted, and an MCP server still lists what the
 * document describes (and nothing more). Rejects with `UnknownOperation`, `NothingToCheck`,
 * `NoToolTarget`, `Aborted`, or a document error.
 */
export function check(doc: string | ToolDoc, options: CheckOptions): Promise<CheckReport>;

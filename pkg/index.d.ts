// Types of tooldraft's JavaScript API. Every value is a plain JSON-like object with camelCase
// fields: exactly the serde shapes of the Rust types (src/doc/model.rs, src/refine/events.rs, …).
// Errors thrown or rejected are `Error`s whose `name` is a stable code (see `ErrorCode`).

// ---------------------------------------------------------------------------------------------
// JSON

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export interface JsonObject {
  [key: string]: JsonValue;
}

// ---------------------------------------------------------------------------------------------
// Initialisation

/** What `init` can load the wasm from. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/**
 * Loads the wasm (browsers, workers, bundlers). By default from `./gen/tooldraft_bg.wasm`
 * beside this module. Safe to call more than once. Not needed in Node: the Node entry
 * initialises itself.
 */
export default function init(input?: InitInput | Promise<InitInput>): Promise<void>;

/**
 * Loads the wasm synchronously from its bytes: for CommonJS and IDE-extension bundles, where
 * `import.meta.url` is empty. The bytes are the file `tooldraft/tooldraft_bg.wasm`.
 */
export function initSync(bytes: BufferSource | WebAssembly.Module): void;

/** True once `init` or `initSync` has run. */
export function isInitialized(): boolean;

// ---------------------------------------------------------------------------------------------
// Errors

/** The `name` of every `Error` tooldraft throws. */
export type ErrorCode =
  // documents
  | 'EmptyDocument'
  | 'BinaryDocument'
  | 'SyntaxError'
  | 'StructureError'
  | 'UnknownFormat'
  | 'ExportError'
  // network and cancellation
  | 'Timeout'
  | 'Aborted'
  | 'NetworkError'
  | 'RedirectRefused'
  // models
  | 'LlmUnauthorized'
  | 'LlmHttpError'
  | 'LlmBadResponse'
  | 'LlmInvalidOutput'
  | 'LlmHostError'
  | 'EmbeddingsError'
  | 'EmbeddingsBadAnswer'
  // tools
  | 'PolicyDenied'
  | 'InvalidArguments'
  | 'ToolProtocolError'
  | 'ToolHostError'
  | 'NoToolTarget'
  // the API itself
  | 'NotInitialized'
  | 'InvalidArgument'
  | 'InvalidConfig'
  | 'ConversionError'
  | 'Busy'
  | 'Unsupported'
  // runs
  | 'UnknownOperation'
  | 'StateMismatch'
  | 'StateVersion'
  | 'InvalidState'
  | 'NothingToRefine'
  | 'PromptError'
  // evaluation
  | 'EmptyQuerySet'
  | 'InvalidQuerySet'
  | 'NoVersions'
  | 'DifferentTools'
  | 'NoUsableItems'
  // drift checks
  | 'NothingToCheck';

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

export type FormatName = 'openapi' | 'swagger' | 'mcp' | 'openai' | 'anthropic' | 'toolbench' | 'restbench';
export type SyntaxName = 'json' | 'yaml';
export type HttpMethod = 'GET' | 'HEAD' | 'OPTIONS' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'TRACE';
export type Location = 'path' | 'query' | 'header' | 'cookie' | 'body';

/** A whole document: one or more tools. */
export interface ToolDoc {
  format: FormatName | null;
  syntax: SyntaxName;
  /** The format's own version (`3.1.0`, `2.0`, an MCP revision). */
  version?: string;
  tools: Tool[];
  /** The parsed original document; export in the same format patches it. */
  source: JsonValue;
  /** Things noticed while reading that are not errors. */
  warnings?: string[];
}

/** A named group of operations (an API, an MCP server, a ToolBench tool). */
export interface Tool {
  name: string;
  description: string;
  baseUrl?: string;
  operations: Operation[];
  /** JSON pointer to this tool in the source document. */
  pointer: string;
}

export interface HttpBinding {
  method: HttpMethod;
  /** The path template (`/users/{id}`) or a full URL template. */
  path: string;
  bodyMediaType?: string;
}

/** One callable operation: an HTTP endpoint, an MCP tool, a function tool. */
export interface Operation {
  id: string;
  name: string;
  title?: string;
  description: string;
  http?: HttpBinding;
  parameters: Parameter[];
  responseSchema?: JsonValue;
  examples?: Example[];
  safety: Safety;
  pointer: string;
  history?: Revision[];
}

export interface Parameter {
  name: string;
  location: Location;
  /** JSON Schema of the value (`{}` when the document gives no type). */
  schema: JsonValue;
  required: boolean;
  description: string;
  default?: JsonValue;
  enumValues?: JsonValue[];
  examples?: JsonValue[];
  style?: string;
  explode?: boolean;
}

export interface Example {
  query: string;
  arguments: JsonValue;
  result?: JsonValue;
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
  /** Parameter name → description. */
  parameters: Record<string, string>;
  accepted: boolean;
  reason?: string;
  evidence?: string[];
}

// ---------------------------------------------------------------------------------------------
// Reading, inspecting, converting

/** One documentation problem found by `inspect`. */
export interface Smell {
  /** A stable kind (`missingDescription`, `missingType`, `pathParameterNotRequired`, …). */
  kind: string;
  /** What is wrong, in words, naming the operation or parameter. */
  message: string;
  /** JSON pointer to the place in the source document. */
  pointer: string;
  /** The operation it concerns, when it concerns one. */
  operation?: string | null;
  /** The parameter it concerns, when it concerns one. */
  parameter?: string | null;
}

export interface InspectReport {
  format: FormatName;
  tools: number;
  operations: number;
  parameters: number;
  smells: Smell[];
  warnings: string[];
}

/** A document written in a format. */
export interface Exported {
  format: FormatName;
  text: string;
  /** What the target format could not carry, one line each. */
  lost: string[];
}

/** One run of a word-level diff. */
export interface DiffChunk {
  op: 'equal' | 'insert' | 'delete';
  text: string;
}

/** The crate version. */
export function version(): string;
/** Reads a document (JSON or YAML), detecting its format unless one is given. */
export function parseDoc(text: string, format?: FormatName): ToolDoc;
/** Reads a document and reports its format, counts and doc smells. */
export function inspect(text: string, format?: FormatName): InspectReport;
/** Reads a document and writes it in another format. In its own format with nothing to change, `text` is the input as given. */
export function convert(text: string, to: FormatName, from?: FormatName): Exported;
/** What kind of failure an error is; the CLI's exit code follows from it (2, 3, 4, 1). */
export type ErrorCategory = 'input' | 'endpoint' | 'interrupted' | 'internal';
/** Every error code the core emits (an `Error`'s `name`, an event's `code`) with its category. */
export function errorCodes(): { code: string; category: ErrorCategory }[];
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

export type ChatRole = 'system' | 'user' | 'assistant';
export interface ChatMessage {
  role: ChatRole;
  content: string;
}
export interface OutputSchema {
  name: string;
  schema: JsonValue;
}
export interface ChatRequest {
  /** explorer, analyzer, rewriter, summarizer or evaluator (never sent to the model). */
  purpose: string;
  messages: ChatMessage[];
  schema?: OutputSchema;
  temperature?: number;
  topP?: number;
  maxTokens?: number;
}
export interface Usage {
  promptTokens: number;
  completionTokens: number;
}
export interface ChatResponse {
  content: string;
  usage?: Usage;
  model?: string | null;
}

export interface OpenAiLlmConfig {
  provider: 'openai';
  baseUrl: string;
  model: string;
  apiKey?: string;
  headers?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
}
export interface AnthropicLlmConfig {
  provider: 'anthropic';
  baseUrl?: string;
  model: string;
  apiKey: string;
  headers?: Record<string, string>;
  temperature?: number;
  maxTokens?: number;
}
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

export interface ToolsConfig {
  /** Where HTTP operations are sent (overrides the document's servers). */
  baseUrl?: string;
  /** An MCP server (Streamable HTTP). */
  mcpUrl?: string;
  /** Sent with every tool call (auth); never recorded. */
  headers?: Record<string, string>;
  /** The host calls the tool itself. */
  callTool?: (operation: Operation, args: JsonObject, options: { signal: AbortSignal }) => Promise<ToolCallResult>;
}

export interface SafetyConfig {
  /** Allow writes (POST, PUT, PATCH; MCP tools not marked read-only but marked non-destructive). */
  allowWrites?: boolean;
  /** Allow destructive calls too (DELETE; MCP tools marked or presumed destructive). */
  allowDestructive?: boolean;
  /** Operation ids allowed to write. */
  allow?: string[];
  /** Operation ids allowed even when destructive. */
  allowDestructiveOperations?: string[];
}

export interface LimitsConfig {
  /** Default 5. */
  maxEpisodes?: number;
  /** Default 4. */
  concurrency?: number;
  /** Model (chat) calls for the whole run. */
  budgetCalls?: number;
  /** Model (chat) calls per operation. */
  budgetCallsPerOperation?: number;
  /** Calls to the tool for the whole run. */
  budgetToolCalls?: number;
  /** Calls to the tool per operation. */
  budgetToolCallsPerOperation?: number;
  /** Prompt + completion tokens for the whole run. */
  budgetTokens?: number;
  /** Only these operation ids. */
  only?: string[];
  /** Write the schema changes the calls prove into the refined document (default true; false: only proposed in the report). */
  schemaRepair?: boolean;
  /** Schema-driven calls per operation: arguments from the doc and the tool's errors, not the model (default 3). */
  schemaProbes?: number;
}

export interface ThresholdsConfig {
  /** φ; default: the embedder family's calibrated value (local 0.88; the paper's 0.9 with ada-002). */
  diversity?: number;
  /** τ; default: the embedder family's calibrated value (local 0.54; the paper's 0.75 with ada-002). */
  convergence?: number;
  /** Default 3. */
  diversityRetries?: number;
  /** What Δ compares: the description only (default, the paper's) or with one `name: description` line per parameter. */
  deltaText?: 'description' | 'descriptionAndParameters';
}

/**
 * Which embeddings measure φ (query diversity) and Δ (convergence). Absent: the local hashed
 * n-gram embedding (no network). The report names the embedder of each operation; when a
 * remote one fails, operations that have not measured yet use the local one (`embedderFallback`).
 */
export type EmbeddingsConfig =
  | { provider: 'local' }
  | {
      /** An OpenAI-compatible `POST {baseUrl}/embeddings` (OpenAI, Ollama, vLLM, llama.cpp, LM Studio, `tooldraft serve-llm`). */
      provider?: 'openai';
      baseUrl: string;
      model: string;
      /** Sent as `Authorization: Bearer …`; never follows a redirect to another origin. */
      apiKey?: string;
      headers?: Record<string, string>;
      /** Ask for vectors of this size, when the model supports it. */
      dimensions?: number;
      /** Texts per request (default 64). */
      batchSize?: number;
      timeoutMs?: number;
      concurrency?: number;
      requestsPerMinute?: number;
    }
  | {
      provider?: 'host';
      /** Your own embeddings (an editor's model API, …): one vector per text, in order. */
      embed: (
        texts: string[],
        options: { signal: AbortSignal },
      ) => Promise<number[][] | { vectors: number[][]; promptTokens?: number }>;
      /** Shown in reports as `host:<name>`; a name containing `smollm2` gets that family's thresholds. */
      name?: string;
    };

/** A calibration set: texts stored once and labelled pairs `[i, j, label]` (see `tooldraft calibrate`). */
export interface CalibrationSet {
  source?: string;
  texts: string[];
  pairs: [
    number,
    number,
    (
      | 'query:repeat'
      | 'query:sameApi'
      | 'query:otherApi'
      | 'description:revision'
      | 'description:rewrite'
      | 'description:otherApi'
    ),
  ][];
}

/** What `calibrate` found for one embedder. */
export interface Calibration {
  embedder: string;
  pairs: number;
  /** Requests sent to a remote embedder. */
  requests: number;
  /** ROC AUC of cosine, same-API against other-API query pairs. */
  queryAuc: number;
  /** ROC AUC of Δ, description-vs-DRAFT-rewrite against other-API description pairs. */
  descriptionAuc: number;
  /** The φ and τ that reproduce DRAFT's decisions on the set. */
  thresholds: { phi: number; tau: number };
  phiAgreement: number;
  tauAgreement: number;
  paperPhiAgreement: number;
  paperTauAgreement: number;
  /** The embedder's shipped defaults. */
  shipped: { phi: number; tau: number };
  labels: { label: string; pairs: number; mean: number }[];
}

/** Calibrates φ and τ for an embedder (default: the local one) on a labelled set. */
export function calibrate(
  set: CalibrationSet,
  options?: { embeddings?: EmbeddingsConfig; signal?: AbortSignal; fetch?: typeof fetch },
): Promise<Calibration>;

/** Replay verification: a revision that passes the rewrite gate is accepted only if a model that reads only it answers held-out queries with calls at least as good as the current revision's. */
export interface VerifyConfig {
  /** Held-out queries per candidate revision (default 2; 0 turns verification off). */
  queries?: number;
}

/**
 * The rewrite gate's regression rules (echo, uninformative, loss, offTopic) and their
 * thresholds; every field has a default (see the README's configuration reference).
 */
export interface RegressionConfig {
  /** Default true: judge rewrites and summaries by these rules, and keep the original at the end when the final revision breaks one against it. */
  enabled?: boolean;
  /** Word n-gram size for `echo` (2 to 8, default 4). */
  echoNgram?: number;
  /** `echo` when at least this share of a text's n-grams repeat the prompts (default 0.5). */
  echoShare?: number;
  /** `echo` when a text uses this many distinct words about documentation or exploration (default 2). */
  metaWords?: number;
  /** `uninformative` below this many content words, when the replaced text had more (default 3). */
  minDescriptionWords?: number;
  /** The same for a parameter's description (default 2). */
  minParameterWords?: number;
  /** `uninformative` when 6 content words in a row have fewer distinct ones than this share (default 0.5). */
  minDistinctShare?: number;
  /** `loss` when the revision keeps less than this share of the original's content words (default 0.4). */
  minRetention?: number;
  /** …counted only when the original has at least this many distinct content words (default 4). */
  retentionMinWords?: number;
}

/** The gate's rules, as revisions' `violations` name them. */
export type GateRule =
  | 'empty'
  | 'tooLong'
  | 'unknownParameter'
  | 'droppedDescription'
  | 'injection'
  | 'contradiction'
  | 'echo'
  | 'uninformative'
  | 'loss'
  | 'offTopic'
  | 'verification';

/** What a run did to an operation's text (the report's `operations[].outcome`, with `outcomeReason`). */
export type Outcome = 'improved' | 'unchanged' | 'originalKept';

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

export interface RecordedRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body?: string;
}

/** What a call to a tool produced. */
export interface Observation {
  request: RecordedRequest;
  status?: number;
  contentType?: string;
  headers: [string, string][];
  body: string;
  json?: JsonValue;
  truncated: boolean;
  bodyBytes: number;
  isError: boolean;
  durationMs: number;
}

export type Phase = 'explore' | 'call' | 'analyze' | 'rewrite' | 'verify' | 'summarize' | 'done';

export type TerminationReason =
  | { kind: 'converged'; delta: number; threshold: number }
  | { kind: 'maxEpisodes'; episodes: number }
  | { kind: 'budgetSpent'; calls: number; budget?: string }
  | { kind: 'notAllowed'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/** One held-out query answered from one revision's documentation during replay verification. */
export interface VerificationCall {
  query: string;
  /** The trail whose query it is. */
  source: string;
  /** The revision whose documentation the caller read. */
  revision: number;
  arguments?: JsonValue;
  /** passed (1), failed (0); refused by the safety policy or unavailable: not counted. */
  outcome: 'passed' | 'failed' | 'refused' | 'unavailable';
  reason: string;
  /** The tool was called (valid arguments the safety policy allowed). */
  executed: boolean;
  /** Reused from an earlier verification of the same revision. */
  cached: boolean;
}

/** Everything a run does, in order. */
export type RunEvent =
  | { type: 'runStarted'; runId: string; operations: string[]; maxEpisodes: number; resumed: boolean }
  | { type: 'operationStarted'; operation: string }
  | { type: 'phase'; operation: string; episode: number; phase: Phase }
  | { type: 'query'; operation: string; episode: number; query: string; arguments: JsonValue }
  | {
      type: 'diversityRetry';
      operation: string;
      episode: number;
      attempt: number;
      similarTo: string;
      similarity: number;
    }
  | { type: 'argumentsRejected'; operation: string; episode: number; arguments: JsonValue; reason: string }
  | { type: 'toolCall'; operation: string; episode: number; trailId: string; arguments: JsonValue }
  | { type: 'toolResult'; operation: string; episode: number; trailId: string; observation: Observation }
  | { type: 'analysis'; operation: string; episode: number; findings: JsonValue }
  | { type: 'revisionAccepted'; operation: string; episode: number; revision: number; delta: number | null }
  | { type: 'revisionRejected'; operation: string; episode: number; revision: number; reason: string }
  | { type: 'verificationCall'; operation: string; episode: number; revision: number; call: VerificationCall }
  | {
      type: 'verification';
      operation: string;
      episode: number;
      revision: number;
      currentRevision: number;
      candidateScore: number;
      currentScore: number;
      counted: number;
      passed: boolean;
      summary: string;
    }
  | { type: 'terminated'; operation: string; reason: TerminationReason }
  | { type: 'toolSummary'; tool: string; description: string; accepted: boolean; reason?: string }
  | { type: 'usage'; purpose: string; usage: Usage; calls: number; operation?: string }
  | { type: 'warning'; operation: string | null; message: string }
  | { type: 'error'; operation: string | null; code: string; message: string }
  | { type: 'checkpoint'; step: number }
  | { type: 'runFinished'; cancelled: boolean };

/** A run's saved state (JSON; persist it and pass it back as `resume`). */
export type RunState = JsonObject;
/** A run's report (JSON). */
export type RunReport = JsonObject;

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
  /** Throws `InvalidConfig` naming the wrong field. */
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
  docs: { label: string; text: string }[];
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

export interface EvalProgress {
  done: number;
  total: number;
  version: string;
  item: string;
}

export interface Metric {
  mean: number;
  /** 95% bootstrap interval. */
  low: number;
  high: number;
  n: number;
}

export interface EvalItemResult {
  item: string;
  gold: string[];
  chosen: string[];
  outside?: string[];
  cp: boolean;
  cpOrdered: boolean;
  selection: boolean;
  argsValid?: number;
  callSuccess?: number;
  tokens: number;
  modelCalls: number;
  error?: string;
}

export interface VersionScores {
  label: string;
  cp: Metric;
  cpOrdered: Metric;
  selection: Metric;
  argsValid: Metric;
  callSuccess?: Metric;
  tokensPerItem: Metric;
  outsideCandidates: number;
  errors: number;
  items: EvalItemResult[];
}

export interface Comparison {
  baseline: string;
  candidate: string;
  metric: string;
  difference: number;
  low: number;
  high: number;
  pValue: number;
  test: string;
}

export interface EvalReport {
  querySet: string;
  items: number;
  scoredItems: number;
  skipped: { item: string; version: string; reason: string }[];
  versions: VersionScores[];
  comparisons: Comparison[];
  /** The words for metric and test ids (`cpOrdered` → `CP (ordered)`): the one label set. */
  labels: { metrics: Record<string, string>; tests: Record<string, string> };
}

export interface OperationChange {
  operation: string;
  descriptionChanged: boolean;
  descriptionBefore: number;
  descriptionAfter: number;
  parametersChanged: string[];
  examplesAdded: number;
  responseSchemaAdded: boolean;
  /** Required flags, types, enums, formats, patterns and the response schema that differ. */
  schemaChanges?: SchemaChange[];
}

/**
 * A structural change to an operation's schema: proved by the trails (a run report's
 * `operations[].schemaChanges`), or a difference between two documents (`compareDocs`).
 */
export interface SchemaChange {
  /** Unique within the operation: parameter + pointer (`unit/enumValues`, `/responseSchema`). */
  id: string;
  kind: 'required' | 'type' | 'enum' | 'format' | 'pattern' | 'nullable' | 'responseSchema';
  parameter?: string;
  /** The field in the document model: `/required`, `/enumValues`, `/schema/type|format|pattern`, `/responseSchema`. */
  pointer: string;
  /** `null`: absent. */
  before: JsonValue;
  /** `null`: absent (for a conflict: nothing changes). */
  after: JsonValue;
  /** Ids of the trails that prove it (empty for a difference between two documents). */
  trails: string[];
  status: 'proposed' | 'applied' | 'conflict';
  reason: string;
}

export interface DocChanges {
  operations: number;
  descriptionsChanged: number;
  parameterDescriptionsChanged: number;
  examplesAdded: number;
  responseSchemasAdded: number;
  schemaChanges: number;
  removed: string[];
  added: string[];
  lengthGrowth: number;
  changed: OperationChange[];
  smellsFixed: Smell[];
  smellsIntroduced: Smell[];
}

/** Scores doc versions on a query set with a model. Rejects with `EmptyQuerySet`, `DifferentTools`, `NoUsableItems`, … */
export function evaluate(
  options: EvaluateOptions,
  runOptions?: { signal?: AbortSignal; onProgress?: (progress: EvalProgress) => void },
): Promise<EvalReport>;
/** A standalone HTML page for an evaluation report (no scripts). */
export function evaluationHtml(report: EvalReport): string;
/** The SVG chart of an evaluation report's scores. */
export function evaluationChart(report: EvalReport): string;
export interface EvalItem {
  id: string;
  query: string;
  gold: { tool?: string; name: string }[];
  candidates?: { tool?: string; name: string }[];
  args?: JsonValue;
}

/** A query set as `evaluate` reads it. */
export interface QuerySet {
  /** `toolbench`, `restbench` or `jsonl`. */
  kind: string;
  items: EvalItem[];
}
/** Reads a query set (the DRAFT paper's JSON, or JSONL) as `evaluate` does. Throws `EmptyQuerySet` or `InvalidQuerySet`. */
export function parseQueries(text: string): QuerySet;

export interface HeldOutResult {
  /** New queries, each verified by a successful call; no analyzer or rewriter saw them. */
  items: EvalItem[];
  /** Operations skipped and attempts that gave no item, with the reason. */
  skipped: string[];
  modelCalls: number;
  toolCalls: number;
  /** `items` as JSONL, ready for `evaluate({queries})`. */
  jsonl: string;
  /** The run's own verified explorations (seen by its rewrites), as JSONL. */
  exploredJsonl: string;
}

/**
 * Held-out test queries for validating a run: the Explorer, on the ORIGINAL document, writes
 * new queries unlike every query the run explored; each is verified by a real call.
 */
export function exploreHeldOut(
  config: RefinerConfig,
  originalDoc: string,
  options?: { report?: RunReport; perOperation?: number; signal?: AbortSignal },
): Promise<HeldOutResult>;
/** What changed between two versions of a document, without a model. */
export function compareDocs(before: string, after: string): DocChanges;

// ---------------------------------------------------------------------------------------------
// Drift detection (`tooldraft check`)

/** An operation's (one check's, the whole check's) outcome. */
export type CheckVerdict = 'ok' | 'drift' | 'unreachable' | 'skipped';

/** What one check looked at. */
export type CheckKind = 'listed' | 'inputSchema' | 'example' | 'responseSchema' | 'required' | 'enum' | 'policy';

export interface CheckItem {
  kind: CheckKind;
  /** What was checked: `example 1`, `` `limit` ``, `` `unit` = "kg" ``. */
  subject: string;
  verdict: CheckVerdict;
  /** What happened, or why it was skipped (tool output clipped, secrets redacted). */
  detail: string;
}

export interface OperationCheck {
  /** The operation id. */
  operation: string;
  name: string;
  verdict: CheckVerdict;
  /** One line: the drift found, why it is unreachable, or what could not be checked. */
  summary: string;
  items: CheckItem[];
  /** Tool calls made. */
  calls: number;
}

export interface CheckReport {
  /** `drift` when any operation drifted or the live server lists undocumented tools; else
   *  `unreachable` when any could not be reached; else `ok` when anything was checked. */
  verdict: CheckVerdict;
  operations: OperationCheck[];
  /** Tools the live MCP server lists that the document lacks (not reported with `only`). */
  undocumented: string[];
  /** Why the live server's tool list could not be read. */
  listingError?: string;
  totals: { ok: number; drift: number; unreachable: number; skipped: number; calls: number };
  durationMs: number;
}

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

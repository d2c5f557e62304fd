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
  // models
  | 'LlmUnauthorized'
  | 'LlmHttpError'
  | 'LlmBadResponse'
  | 'LlmInvalidOutput'
  | 'LlmHostError'
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
  | 'Unsupported';

/** An error from tooldraft: `name` is the code; documents add where it went wrong. */
export interface TooldraftError extends Error {
  name: ErrorCode;
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
  allowWrites?: boolean;
  allowDestructive?: boolean;
  /** Operation ids allowed whatever their class. */
  allow?: string[];
}

export interface LimitsConfig {
  /** Default 5. */
  maxEpisodes?: number;
  /** Default 4. */
  concurrency?: number;
  budgetCalls?: number;
  budgetCallsPerOperation?: number;
  /** Only these operation ids. */
  only?: string[];
}

export interface ThresholdsConfig {
  /** φ, default 0.9. */
  diversity?: number;
  /** τ, default 0.75. */
  convergence?: number;
  /** Default 3. */
  diversityRetries?: number;
}

export interface RefinerConfig {
  llm: LlmConfig;
  tools?: ToolsConfig;
  safety?: SafetyConfig;
  limits?: LimitsConfig;
  thresholds?: ThresholdsConfig;
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

export type Phase = 'explore' | 'call' | 'analyze' | 'rewrite' | 'summarize' | 'done';

export type TerminationReason =
  | { kind: 'converged'; delta: number; threshold: number }
  | { kind: 'maxEpisodes'; episodes: number }
  | { kind: 'budgetSpent'; calls: number }
  | { kind: 'notAllowed'; reason: string }
  | { kind: 'failed'; message: string }
  | { kind: 'cancelled' };

/** Everything a run does, in order. */
export type RunEvent =
  | { type: 'runStarted'; runId: string; operations: string[]; maxEpisodes: number }
  | { type: 'operationStarted'; operation: string }
  | { type: 'phase'; operation: string; episode: number; phase: Phase }
  | { type: 'query'; operation: string; episode: number; query: string; arguments: JsonValue }
  | { type: 'diversityRetry'; operation: string; episode: number; attempt: number; similarTo: string; similarity: number }
  | { type: 'toolCall'; operation: string; episode: number; trailId: string; arguments: JsonValue }
  | { type: 'toolResult'; operation: string; episode: number; trailId: string; observation: Observation }
  | { type: 'analysis'; operation: string; episode: number; findings: JsonValue }
  | { type: 'revisionAccepted'; operation: string; episode: number; revision: number; delta: number | null }
  | { type: 'revisionRejected'; operation: string; episode: number; revision: number; reason: string }
  | { type: 'terminated'; operation: string; reason: TerminationReason }
  | { type: 'toolSummary'; tool: string; description: string }
  | { type: 'usage'; purpose: string; usage: Usage; calls: number }
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
  /** The refined document. */
  doc: ToolDoc;
  /** The refined document as text, in the input's format. */
  text: string;
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

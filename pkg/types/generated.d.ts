// GENERATED from the Rust types by src/typescript.rs: do not edit.
// Regenerate: UPDATE_TYPES=1 cargo test --lib typescript

import type { JsonValue } from './json.js';

/**
 * The analyzer's findings for one call.
 */
export type AnalysisRecord = { episode: number, trail: string, 
/**
 * Findings that only repeated the prompt (its placeholders or instructions): left out
 * of `analysis` and not given to the rewriter.
 */
echoed?: Array<string>, 
/**
 * Where the documentation disagrees with what the tool did.
 */
mismatches: Array<string>, 
/**
 * What a caller needs that the documentation lacks.
 */
missing: Array<string>, 
/**
 * Concrete changes to make.
 */
suggestions: Array<string>, };

/**
 * Settings of the Anthropic endpoint. The key and header values are never serialised nor
 * shown by `Debug`.
 */
export type AnthropicConfig = { baseUrl?: string, model: string, apiKey?: string, anthropicVersion?: string, headers?: { [key in string]: string }, temperature?: number, 
/**
 * Sent only when no temperature is (newer models refuse both at once).
 */
topP?: number, 
/**
 * Required by the API; 4096 when unset.
 */
maxTokens?: number, timeoutMs?: number, retry?: RetryPolicy, concurrency?: number, requestsPerMinute?: number, 
/**
 * `native` (a forced tool, the default) or `instructions`.
 */
structured?: StructuredMode, };

/**
 * Limits on what a run (or one operation) may spend. `None` is unlimited.
 */
export type Budget = { 
/**
 * Chat calls (every call to the model, corrective retries included).
 */
modelCalls?: number, 
/**
 * Calls to the tool being documented.
 */
toolCalls?: number, 
/**
 * Prompt + completion tokens, as the model reports them.
 */
tokens?: number, };

/**
 * What `calibrate` found for one embedder.
 */
export type Calibration = { embedder: string, pairs: number, 
/**
 * Requests sent to a remote embedder.
 */
requests: number, 
/**
 * ROC AUC of cosine, same-API against other-API query pairs.
 */
queryAuc: number, 
/**
 * ROC AUC of Δ, description-vs-rewrite against other-API description pairs.
 */
descriptionAuc: number, 
/**
 * The calibrated thresholds.
 */
thresholds: Thresholds, 
/**
 * Balanced accuracy of φ (repeat vs same-API queries) and τ (revision vs rewrite).
 */
phiAgreement: number, tauAgreement: number, 
/**
 * The same accuracies with the paper's φ = 0.9 and τ = 0.75.
 */
paperPhiAgreement: number, paperTauAgreement: number, 
/**
 * The embedder's shipped defaults (its family's), for comparison.
 */
shipped: Thresholds, labels: Array<LabelStats>, };

/**
 * Texts (stored once) and labelled pairs `[i, j, label]`.
 */
export type CalibrationSet = { source?: string, texts: Array<string>, pairs: Array<[number, number, CalibrationLabel]>, };

/**
 * What became of one query's call under one revision.
 */
export type CallOutcome = "passed" | "failed" | "refused" | "unavailable";

/**
 * A query and arguments the explorer proposed.
 */
export type Candidate = { query: string, arguments: JsonValue, 
/**
 * Highest cosine similarity to an earlier query of the operation.
 */
similarity?: number, 
/**
 * That earlier query.
 */
similarTo?: string, };

/**
 * What a change is about.
 */
export type ChangeKind = "required" | "type" | "enum" | "format" | "pattern" | "nullable" | "responseSchema";

/**
 * Where a change stands.
 */
export type ChangeStatus = "proposed" | "applied" | "conflict";

/**
 * One chat message.
 */
export type ChatMessage = { role: ChatRole, content: string, };

/**
 * A chat request, independent of the provider.
 */
export type ChatRequest = { 
/**
 * Which role of the engine asks (explorer, analyzer, rewriter, summarizer, evaluator):
 * for usage accounting and the response cache, never sent to the model.
 */
purpose: string, messages: Array<ChatMessage>, schema?: OutputSchema, temperature?: number, topP?: number, maxTokens?: number, };

/**
 * A model's answer.
 */
export type ChatResponse = { content: string, usage?: Usage, model?: string | null, };

/**
 * Who wrote a message.
 */
export type ChatRole = "system" | "user" | "assistant";

/**
 * One check of one operation.
 */
export type CheckItem = { kind: CheckKind, 
/**
 * What was checked, after the kind's label: `#1`, `` `limit` ``, `` `unit` = "kg" ``.
 */
subject: string, verdict: CheckVerdict, 
/**
 * What happened, or why it was skipped. Tool output in it is clipped and was redacted
 * by the tool caller.
 */
detail: string, };

/**
 * What one check looked at.
 */
export type CheckKind = "listed" | "inputSchema" | "example" | "responseSchema" | "required" | "enum" | "policy";

/**
 * The whole check.
 */
export type CheckReport = { 
/**
 * Drift when any operation drifted or the live server lists undocumented tools; else
 * unreachable when any operation (or the listing) could not be reached; else ok when
 * anything was checked; else skipped.
 */
verdict: CheckVerdict, operations: Array<OperationCheck>, 
/**
 * Tools the live MCP server lists that the document lacks, in the server's order (not
 * reported with `only`).
 */
undocumented: Array<string>, 
/**
 * Why the live server's tool list could not be read, when it could not.
 */
listingError?: string, totals: CheckTotals, durationMs: number, };

/**
 * How many operations got each verdict.
 */
export type CheckTotals = { ok: number, drift: number, unreachable: number, skipped: number, 
/**
 * Tool calls made in all.
 */
calls: number, };

/**
 * An operation's (or one check's, or the whole run's) outcome.
 */
export type CheckVerdict = "ok" | "drift" | "unreachable" | "skipped";

/**
 * The first version against another, on the same items.
 */
export type Comparison = { baseline: string, candidate: string, metric: string, 
/**
 * candidate mean − baseline mean, with its paired-bootstrap 95% interval.
 */
difference: number, low: number, high: number, 
/**
 * Two-sided p-value (exact McNemar for pass/fail metrics, paired permutation otherwise).
 */
pValue: number, test: string, };

/**
 * What Δ compares between two revisions.
 */
export type DeltaText = "description" | "descriptionAndParameters";

/**
 * One run of a word-level diff.
 */
export type DiffChunk = { op: DiffOp, text: string, };

/**
 * What a run of a diff is: `equal`, `insert` or `delete` in JSON.
 */
export type DiffOp = "equal" | "insert" | "delete";

/**
 * Changes between two versions of a document.
 */
export type DocChanges = { operations: number, descriptionsChanged: number, parameterDescriptionsChanged: number, examplesAdded: number, responseSchemasAdded: number, 
/**
 * Structural changes over all operations.
 */
schemaChanges: number, 
/**
 * Operations of the first version missing from the second, and the reverse.
 */
removed: Array<string>, added: Array<string>, 
/**
 * Characters of all descriptions (operations and parameters), after ÷ before.
 */
lengthGrowth: number, changed: Array<OperationChange>, 
/**
 * Doc smells of the first version that the second no longer has.
 */
smellsFixed: Array<Smell>, 
/**
 * Doc smells the second version has that the first did not.
 */
smellsIntroduced: Array<Smell>, };

/**
 * Settings of an embeddings endpoint. The key and header values are never serialised.
 */
export type EmbeddingsEndpointConfig = { baseUrl: string, model: string, apiKey?: string, headers?: { [key in string]: string }, 
/**
 * Ask for vectors of this size (`dimensions`), when the model supports it.
 */
dimensions?: number, 
/**
 * Texts per request.
 */
batchSize?: number, timeoutMs?: number, retry?: RetryPolicy, concurrency?: number, requestsPerMinute?: number, };

/**
 * What kind of failure an error code stands for.
 */
export type ErrorCategory = "input" | "endpoint" | "interrupted" | "internal";

/**
 * One test item.
 */
export type EvalItem = { id: string, query: string, 
/**
 * The operations a correct answer calls, in order.
 */
gold: Array<OpRef>, 
/**
 * The operations offered to the model; empty means every operation of the document.
 */
candidates?: Array<OpRef>, 
/**
 * Expected arguments per gold operation, where the set gives them.
 */
args?: JsonValue, };

/**
 * One item's outcome under one doc version.
 */
export type EvalItemResult = { item: string, 
/**
 * Gold operations, as labelled for the model.
 */
gold: Array<string>, 
/**
 * Operations the model chose, in order.
 */
chosen: Array<string>, 
/**
 * Chosen names that were not among the candidates.
 */
outside?: Array<string>, 
/**
 * Every gold operation chosen (the paper's Correct Path).
 */
cp: boolean, 
/**
 * Gold operations chosen in their order.
 */
cpOrdered: boolean, 
/**
 * The chosen set equals the gold set.
 */
selection: boolean, 
/**
 * Share of calls to candidates whose arguments fit the parameter schema.
 */
argsValid?: number, 
/**
 * Share of read-only calls that succeeded against the tool target.
 */
callSuccess?: number, tokens: number, modelCalls: number, error?: string, };

/**
 * Labels by id, as a report carries them.
 */
export type EvalLabels = { metrics: { [key in string]: string }, tests: { [key in string]: string }, };

/**
 * Progress of an evaluation, one per finished (item, version).
 */
export type EvalProgress = { done: number, total: number, version: string, item: string, };

/**
 * A whole evaluation.
 */
export type EvalReport = { querySet: string, items: number, scoredItems: number, skipped: Array<SkippedItem>, versions: Array<VersionScores>, comparisons: Array<Comparison>, 
/**
 * The words for the metric and test ids (reports written before they existed get
 * this version's).
 */
labels: EvalLabels, };

/**
 * A worked example: a user query, the arguments, and (when observed) the result.
 */
export type Example = { query: string, arguments: JsonValue, result?: JsonValue, 
/**
 * True when tooldraft made this call and it succeeded.
 */
verified: boolean, };

/**
 * The explore step's progress within an episode.
 */
export type ExploreProgress = { 
/**
 * Candidates rejected as too similar so far.
 */
candidates: Array<Candidate>, 
/**
 * Times the arguments were invalid so far.
 */
invalid: number, 
/**
 * Feedback for the next attempt.
 */
feedback: Array<string>, };

/**
 * The result of writing a document.
 */
export type Exported = { format: FormatName, text: string, 
/**
 * What the target format could not carry (one line each, naming the operation).
 */
lost: Array<string>, };

/**
 * What the recorded calls establish, derived without a model.
 */
export type Facts = { 
/**
 * The first successful call worth showing as an example ([`super::worth`]).
 */
verifiedExample?: VerifiedExample, 
/**
 * Inferred from every successful JSON response, merged.
 */
responseSchema?: JsonValue, rejected?: Array<RejectedCall>, 
/**
 * Parameter → distinct values used in successful calls, those worth showing.
 */
workingValues?: { [key in string]: Array<JsonValue> }, 
/**
 * Parameters left out of a call that was rejected with an error naming them, and never
 * left out of a successful call.
 */
requiredInPractice?: Array<string>, 
/**
 * Parameters left out of a successful call.
 */
optionalInPractice?: Array<string>, 
/**
 * Every status code observed.
 */
statuses?: Array<number>, };

/**
 * A tool-documentation format.
 */
export type FormatName = "openapi" | "swagger" | "mcp" | "openai" | "anthropic" | "toolbench" | "restbench";

/**
 * Which rule a rewrite broke.
 */
export type GateRule = "empty" | "tooLong" | "unknownParameter" | "droppedDescription" | "injection" | "contradiction" | "echo" | "uninformative" | "loss" | "offTopic" | "verification";

/**
 * One broken rule, with a message naming what broke it.
 */
export type GateViolation = { rule: GateRule, message: string, };

/**
 * What `exploreHeldOut` resolves to: the held-out items, and them and the run's own verified
 * explorations as JSONL, ready for `evaluate({queries})`.
 */
export type HeldOutResult = { 
/**
 * New queries, each verified by a successful call; no analyzer or rewriter saw them.
 */
items: Array<EvalItem>, 
/**
 * Operations skipped and attempts that gave no item, with the reason.
 */
skipped: Array<string>, modelCalls: number, toolCalls: number, 
/**
 * The items as JSONL.
 */
jsonl: string, 
/**
 * The run's own verified explorations (seen by its rewrites), as JSONL.
 */
exploredJsonl: string, };

/**
 * Why a request produced no response.
 */
export type HostError = { "kind": "timeout", ms: number, }
  | { "kind": "aborted" }
  | { "kind": "network", message: string, };

/**
 * How an HTTP operation is called.
 */
export type HttpBinding = { method: HttpMethod, 
/**
 * The path template (`/users/{id}`), or a full URL template where the format gives one.
 */
path: string, 
/**
 * The request body's media type when the operation takes a body.
 */
bodyMediaType?: string, };

/**
 * An HTTP method.
 */
export type HttpMethod = "GET" | "HEAD" | "OPTIONS" | "POST" | "PUT" | "PATCH" | "DELETE" | "TRACE";

/**
 * What `tooldraft inspect` reports about a document.
 */
export type InspectReport = { format: FormatName | null, tools: number, operations: number, parameters: number, smells: Array<Smell>, 
/**
 * The import's warnings, and notes such as a document with no operations.
 */
warnings: Array<string>, };

/**
 * A result of an external call, kept until its step commits.
 */
export type JournalEntry = { "kind": "model", key: string, purpose: string, response?: ChatResponse, error?: LlmError, ms: number, }
  | { "kind": "tool", key: string, observation?: Observation, error?: ToolError, ms: number, };

/**
 * Mean and count of one label's scores.
 */
export type LabelStats = { label: string, pairs: number, mean: number, };

/**
 * How long a rewrite may be, relative to the original documentation.
 */
export type LengthBudget = { 
/**
 * A description may be this many times as long as the original (default 4; the paper's
 * refined docs grew 3 to 7 times).
 */
factor: number, 
/**
 * …or this many characters, whichever is more (default 600).
 */
minChars: number, 
/**
 * The floor for a parameter's description (default 300).
 */
parameterMinChars: number, };

/**
 * How much a run may do (`limits`).
 */
export type LimitsConfig = { 
/**
 * Default 5.
 */
maxEpisodes?: number, 
/**
 * Default 4.
 */
concurrency?: number, 
/**
 * Model (chat) calls for the whole run.
 */
budgetCalls?: number, 
/**
 * Model (chat) calls per operation.
 */
budgetCallsPerOperation?: number, 
/**
 * Calls to the tool for the whole run.
 */
budgetToolCalls?: number, 
/**
 * Calls to the tool per operation.
 */
budgetToolCallsPerOperation?: number, 
/**
 * Prompt + completion tokens for the whole run.
 */
budgetTokens?: number, 
/**
 * Only these operation ids.
 */
only?: Array<string>, 
/**
 * Write the schema changes the calls prove into the refined document (default true;
 * false: only proposed in the report).
 */
schemaRepair?: boolean, 
/**
 * Schema-driven calls per operation: arguments from the doc and the tool's errors, not
 * the model (default 3).
 */
schemaProbes?: number, };

/**
 * Why a model call failed. Messages name the endpoint (never its key).
 */
export type LlmError = { "kind": "transport", endpoint: string, source: HostError, }
  | { "kind": "http", endpoint: string, status: number, message: string, }
  | { "kind": "badResponse", endpoint: string, message: string, }
  | { "kind": "invalidOutput", schema: string, message: string, }
  | { "kind": "host", message: string, }
  | { "kind": "redirect", endpoint: string, message: string, }
  | { "kind": "cancelled" };

/**
 * Where a parameter goes in a call.
 */
export type Location = "path" | "query" | "header" | "cookie" | "body";

/**
 * A metric's mean with its 95% bootstrap interval, over `n` items.
 */
export type Metric = { mean: number, low: number, high: number, n: number, };

/**
 * What a call to a tool produced.
 */
export type Observation = { request: RecordedRequest, 
/**
 * HTTP status (MCP: the HTTP status of the `tools/call` reply).
 */
status?: number, contentType?: string, 
/**
 * Useful response headers (content-type, location, rate-limit, …), secrets redacted.
 */
headers: Array<[string, string]>, 
/**
 * The body as text, up to the evidence cap (binary bodies are summarised).
 */
body: string, 
/**
 * The body parsed as JSON when it is JSON (MCP: the `tools/call` result).
 */
json?: JsonValue, 
/**
 * The body was longer than the evidence cap.
 */
truncated: boolean, 
/**
 * The full body length in bytes.
 */
bodyBytes: number, 
/**
 * The tool reported an error (HTTP ≥ 400, MCP `isError`).
 */
isError: boolean, durationMs: number, };

/**
 * A reference to an operation by name, optionally within a named tool.
 */
export type OpRef = { tool?: string, name: string, };

/**
 * Settings of an OpenAI-compatible endpoint. The key and header values are never serialised
 * nor shown by `Debug`.
 */
export type OpenAiConfig = { 
/**
 * `https://api.openai.com/v1`, `http://127.0.0.1:11434/v1`, …
 */
baseUrl: string, model: string, apiKey?: string, 
/**
 * Extra headers (sent as they are; their values count as secrets).
 */
headers?: { [key in string]: string }, temperature?: number, topP?: number, maxTokens?: number, 
/**
 * Per request; 0 means no timeout.
 */
timeoutMs?: number, retry?: RetryPolicy, 
/**
 * Requests in flight at once.
 */
concurrency?: number, requestsPerMinute?: number, 
/**
 * How to ask for structured output first (later refusals still step down).
 */
structured?: StructuredMode, 
/**
 * `json_schema.strict` (left out when unset; OpenAI's strict mode needs every property
 * required and `additionalProperties: false`).
 */
strict?: boolean, };

/**
 * One callable operation: an HTTP endpoint, an MCP tool, a function tool.
 */
export type Operation = { 
/**
 * Unique within the document; stable across import and export.
 */
id: string, 
/**
 * The name a model calls it by.
 */
name: string, title?: string, description: string, http?: HttpBinding, parameters: Array<Parameter>, 
/**
 * The success response's JSON Schema, documented or observed.
 */
responseSchema?: JsonValue, examples?: Array<Example>, safety: Safety, 
/**
 * JSON pointer to this operation in the source document.
 */
pointer: string, 
/**
 * Every revision tooldraft made, oldest first (empty for a document never refined).
 */
history?: Array<Revision>, };

/**
 * One operation's changes.
 */
export type OperationChange = { operation: string, descriptionChanged: boolean, descriptionBefore: number, descriptionAfter: number, 
/**
 * Names of parameters whose description changed.
 */
parametersChanged: Array<string>, examplesAdded: number, responseSchemaAdded: boolean, 
/**
 * Required flags, types, enums, formats, patterns and the response schema that differ.
 */
schemaChanges?: Array<SchemaChange>, };

/**
 * One operation's checks and verdict.
 */
export type OperationCheck = { 
/**
 * The operation id.
 */
operation: string, 
/**
 * The name it is called by (the MCP tool name).
 */
name: string, verdict: CheckVerdict, 
/**
 * One line: the drift found, why it is unreachable, or what could not be checked.
 */
summary: string, items: Array<CheckItem>, 
/**
 * Tool calls made.
 */
calls: number, };

/**
 * Everything about one operation's refinement.
 */
export type OperationReport = { id: string, name: string, tool: string, 
/**
 * Why it stopped (`cancelled` when the run stopped before it finished).
 */
termination?: TerminationReason, 
/**
 * Episodes begun.
 */
episodes: number, 
/**
 * Revision 0 is the original; rejected ones carry the gate's reasons.
 */
revisions: Array<RevisionRecord>, 
/**
 * Index of the revision now in the document.
 */
currentRevision: number, queries: Array<QueryRecord>, analyses: Array<AnalysisRecord>, trails: Array<Trail>, 
/**
 * The facts as they went into the document (suspicious strings withheld).
 */
facts: Facts, 
/**
 * Structural changes the trails prove (applied when `schemaRepair` is on), and
 * conflicts where the evidence disagrees.
 */
schemaChanges?: Array<SchemaChange>, 
/**
 * What was kept out of the document and the records (pointer and rule, never the text).
 */
withheld?: Array<Withheld>, 
/**
 * The tool's responses carried values that look like secrets (withheld): review before
 * exporting.
 */
sensitive?: boolean, errors: Array<StepError>, warnings?: Array<string>, usage: UsageByRole, modelCalls: number, toolCalls: number, embeddingCalls: number, 
/**
 * The embedder that measured this operation's φ and Δ (none when nothing was measured).
 */
embedder?: string, timings: OperationTimings, 
/**
 * What the run did to the text: improved, unchanged, or original kept (see
 * [`super::outcome`]).
 */
outcome: Outcome, outcomeReason: string, };

/**
 * One operation's progress.
 */
export type OperationState = { id: string, tool: string, stage: Stage, 
/**
 * The current episode, 0-based.
 */
episode: number, queries: Array<QueryRecord>, trails: Array<Trail>, analyses: Array<AnalysisRecord>, 
/**
 * Revision 0 is the original.
 */
revisions: Array<RevisionRecord>, 
/**
 * Index of the current (last accepted) revision.
 */
current: number, 
/**
 * The last accepted rewrite's direction for the next exploration.
 */
direction?: string, errors: Array<StepError>, warnings?: Array<string>, 
/**
 * Failed steps in a row.
 */
failures: number, 
/**
 * Failed tool calls in a row.
 */
failedCalls: number, usage: UsageByRole, toolCalls: number, 
/**
 * Calls to a non-local embedder.
 */
embeddingCalls: number, 
/**
 * The embedder this operation's similarity decisions use (pinned at its first one).
 */
embedder?: string, modelMs: number, toolMs: number, startedMs?: number, finishedMs?: number, termination?: TerminationReason, journal?: Array<JournalEntry>, 
/**
 * Schema-driven calls made so far.
 */
probes: number, };

/**
 * Time spent on one operation (host clock, ms).
 */
export type OperationTimings = { startedMs?: number, finishedMs?: number, 
/**
 * Waiting for the model.
 */
modelMs: number, 
/**
 * Waiting for the tool.
 */
toolMs: number, };

/**
 * What a run did to an operation's text.
 */
export type Outcome = "improved" | "unchanged" | "originalKept";

/**
 * A JSON Schema the answer must follow.
 */
export type OutputSchema = { 
/**
 * A short identifier (`explorer_output`).
 */
name: string, schema: JsonValue, };

/**
 * One parameter of an operation.
 */
export type Parameter = { name: string, location: Location, 
/**
 * JSON Schema of the value (`{}` when the document gives no type).
 */
schema: JsonValue, required: boolean, description: string, default?: JsonValue, enumValues?: Array<JsonValue>, examples?: Array<JsonValue>, 
/**
 * OpenAPI `style` / `explode` where given.
 */
style?: string, explode?: boolean, };

/**
 * What an operation is doing now.
 */
export type Phase = "explore" | "call" | "analyze" | "rewrite" | "verify" | "summarize" | "done";

/**
 * Which provider, with its settings.
 */
export type ProviderLlmConfig = { "provider": "openai" } & OpenAiConfig | { "provider": "anthropic" } & AnthropicConfig;

/**
 * A query that was called.
 */
export type QueryRecord = { episode: number, query: string, arguments: JsonValue, similarity?: number, similarTo?: string, 
/**
 * True when every try was too similar and this, the least similar, was used anyway.
 */
forced: boolean, 
/**
 * Candidates rejected as too similar before this one.
 */
rejected?: Array<Candidate>, };

/**
 * A parsed query set.
 */
export type QuerySet = { 
/**
 * `toolbench`, `restbench` or `jsonl`.
 */
kind: string, items: Array<EvalItem>, };

/**
 * The request as it was sent, with secrets redacted.
 */
export type RecordedRequest = { method: string, url: string, headers: Array<[string, string]>, body?: string, };

/**
 * The configuration of a run.
 */
export type RefineConfig = { 
/**
 * Explore → analyze → rewrite rounds per operation (default 5, the paper's).
 */
maxEpisodes: number, 
/**
 * Operations refined at the same time (default 4).
 */
concurrency: number, 
/**
 * Limits over the whole run.
 */
runBudget: Budget, 
/**
 * Limits per operation.
 */
operationBudget: Budget, 
/**
 * φ: a new query whose cosine similarity to an earlier query of the operation is at
 * least this is regenerated (default: the embedder family's calibrated value, see
 * [`crate::similarity::Embedder::thresholds`]; the paper's is 0.9 with ada-002).
 */
diversityThreshold?: number, 
/**
 * Queries generated per episode when they keep being too similar, the first included
 * (default 3, the paper's); after the last, the least similar candidate is used.
 */
diversityTries: number, 
/**
 * τ: stop when Δ between consecutive accepted revisions is above this (default: the
 * embedder family's calibrated value; the paper's is 0.75 with ada-002).
 */
convergenceThreshold?: number, 
/**
 * What Δ compares (default: the description only, as the paper).
 */
deltaText: DeltaText, 
/**
 * Times invalid call arguments go back to the explorer with the reason (default 2).
 */
argumentRetries: number, 
/**
 * A step that fails this many times in a row ends the operation (default 3).
 */
maxFailures: number, 
/**
 * Tool calls that fail (no response, or an error response) this many times in a row end
 * the operation (default 3).
 */
maxFailedCalls: number, 
/**
 * The rewrite gate's length budget.
 */
lengthBudget: LengthBudget, 
/**
 * Replay verification of revisions that pass the gate.
 */
verify: VerifyRules, 
/**
 * The rewrite gate's regression rules.
 */
regression: RegressionRules, 
/**
 * Refine only these operation ids (empty: all).
 */
only: Array<string>, 
/**
 * Rewrite each tool's description from its refined operations (default true).
 */
summarizeTools: boolean, 
/**
 * Characters of a tool response shown to the model (default 2048, as the paper's code).
 */
observationChars: number, 
/**
 * Characters of a description shown to the model (default 12000; longer ones are cut
 * with a marker).
 */
descriptionChars: number, 
/**
 * Sampling temperature sent with every request (default 0.2, the paper's).
 */
temperature?: number, 
/**
 * Completion token limit sent with every request (default: the provider's).
 */
maxTokens?: number, 
/**
 * Write the structural changes the calls' evidence proves (required, type, enum,
 * format, nullable, response schema) into the refined document (default true); when
 * false they are only listed in the report as proposed.
 */
schemaRepair: boolean, 
/**
 * Schema-driven calls per operation (arguments built from the doc and from the tool's
 * errors, not by the model), counted in the tool-call budgets (default 3; 0: none).
 */
schemaProbes: number, };

/**
 * The regression rules of the gate (`echo`, `uninformative`, `loss`, `offTopic`: see
 * [`crate::refine::gate`]) and their thresholds.
 */
export type RegressionRules = { 
/**
 * Judge rewrites and summaries by these rules, and keep the original at the end of a run
 * when the final revision breaks one against it (default true).
 */
enabled: boolean, 
/**
 * Word n-gram size for `echo` (default 4).
 */
echoNgram: number, 
/**
 * `echo` when at least this share of a text's word n-grams repeat the prompts or the
 * output schemas (and not the tool's own documentation or responses) (default 0.5).
 */
echoShare: number, 
/**
 * `echo` when a text uses this many distinct words about documentation, revisions or
 * exploration that the tool's own documentation does not use (default 2).
 */
metaWords: number, 
/**
 * `uninformative` when a description has fewer content words than this, and fewer than
 * the text it replaces (default 3).
 */
minDescriptionWords: number, 
/**
 * The same for a parameter's description (default 2).
 */
minParameterWords: number, 
/**
 * `uninformative` when, over at least 6 content words, distinct ones are fewer than this
 * share ("web-based, web-based, …") (default 0.5).
 */
minDistinctShare: number, 
/**
 * `loss` when the revision keeps less than this share of the original's distinct
 * content words, those an analyzer's mismatch names excused (default 0.5).
 */
minRetention: number, 
/**
 * …counted only when the original has at least this many distinct content words
 * (default 4).
 */
retentionMinWords: number, };

/**
 * A call the tool refused, and why.
 */
export type RejectedCall = { trail: string, arguments: JsonValue, status?: number, 
/**
 * The error body or message, cut to 300 characters.
 */
reason: string, };

/**
 * How often and how patiently to retry.
 */
export type RetryPolicy = { 
/**
 * Tries in all, the first included (0 is treated as 1).
 */
maxAttempts?: number, 
/**
 * The backoff before the second try; doubled for each further try.
 */
baseDelayMs?: number, 
/**
 * The longest computed backoff.
 */
maxDelayMs?: number, 
/**
 * The longest wait granted to a server's `Retry-After`.
 */
maxRetryAfterMs?: number, 
/**
 * Retry 5xx answers (except 501 and 505, which will not change).
 */
retryServerErrors?: boolean, 
/**
 * Retry refused connections, DNS failures and other network errors.
 */
retryNetworkErrors?: boolean, 
/**
 * Retry requests that timed out.
 */
retryTimeouts?: boolean, 
/**
 * Which statuses are retried.
 */
statuses?: RetryStatuses, };

/**
 * Which HTTP statuses are worth another try.
 */
export type RetryStatuses = "transient" | "overloaded";

/**
 * One revision of an operation's documentation.
 */
export type Revision = { 
/**
 * 0 is the original; each accepted or rejected rewrite adds one.
 */
index: number, description: string, 
/**
 * Parameter name → description.
 */
parameters: { [key in string]: string }, accepted: boolean, 
/**
 * Why it was rejected (or what it was accepted on).
 */
reason?: string, 
/**
 * Ids of the trails this revision drew on.
 */
evidence?: Array<string>, };

/**
 * A revision with where it came from.
 */
export type RevisionRecord = { 
/**
 * The episode that produced it (none for the original).
 */
episode?: number, 
/**
 * Δ against the revision it replaced (accepted revisions only).
 */
delta?: number, 
/**
 * The gate's rules it broke (rejected revisions only).
 */
violations?: Array<GateViolation>, 
/**
 * The direction the rewriter gave for the next exploration.
 */
nextDirection?: string, 
/**
 * The replay verification it went through (candidates that passed the gate).
 */
verification?: VerificationRecord, 
/**
 * 0 is the original; each accepted or rejected rewrite adds one.
 */
index: number, description: string, 
/**
 * Parameter name → description.
 */
parameters: { [key in string]: string }, accepted: boolean, 
/**
 * Why it was rejected (or what it was accepted on).
 */
reason?: string, 
/**
 * Ids of the trails this revision drew on.
 */
evidence?: Array<string>, };

/**
 * Calls and tokens of one role.
 */
export type RoleUsage = { calls: number, promptTokens: number, completionTokens: number, };

/**
 * One event of a run. Serialised with a `type` tag, camelCase fields.
 */
export type RunEvent = { "type": "runStarted", runId: string, operations: Array<string>, maxEpisodes: number, 
/**
 * True when the run continues from a saved state.
 */
resumed: boolean, }
  | { "type": "operationStarted", operation: string, }
  | { "type": "phase", operation: string, episode: number, phase: Phase, }
  | { "type": "query", operation: string, episode: number, query: string, arguments: JsonValue, }
  | { "type": "diversityRetry", operation: string, episode: number, attempt: number, similarTo: string, similarity: number, }
  | { "type": "argumentsRejected", operation: string, episode: number, arguments: JsonValue, reason: string, }
  | { "type": "toolCall", operation: string, episode: number, trailId: string, arguments: JsonValue, }
  | { "type": "toolResult", operation: string, episode: number, trailId: string, observation: Observation, }
  | { "type": "analysis", operation: string, episode: number, findings: JsonValue, }
  | { "type": "revisionAccepted", operation: string, episode: number, revision: number, delta: number | null, }
  | { "type": "revisionRejected", operation: string, episode: number, revision: number, reason: string, }
  | { "type": "verificationCall", operation: string, episode: number, 
/**
 * The candidate revision being verified.
 */
revision: number, call: VerificationCall, }
  | { "type": "verification", operation: string, episode: number, revision: number, currentRevision: number, candidateScore: number, currentScore: number, counted: number, passed: boolean, summary: string, }
  | { "type": "terminated", operation: string, reason: TerminationReason, }
  | { "type": "toolSummary", tool: string, description: string, 
/**
 * False when the rewrite gate rejected the summary (the tool keeps its description).
 */
accepted: boolean, reason?: string, }
  | { "type": "usage", purpose: string, usage: Usage, calls: number, operation?: string, }
  | { "type": "warning", operation: string | null, message: string, }
  | { "type": "error", operation: string | null, code: string, message: string, }
  | { "type": "checkpoint", step: number, }
  | { "type": "runFinished", cancelled: boolean, };

/**
 * The run's report (serde, camelCase).
 */
export type RunReport = { runId: string, 
/**
 * The host cancelled the run before it finished.
 */
cancelled: boolean, 
/**
 * A fatal model error stopped the run (wrong key, endpoint or model).
 */
aborted?: string, 
/**
 * Which embeddings measured similarity (the configured embedder; each operation's
 * report names the one its decisions used).
 */
embedder: string, 
/**
 * Why the configured embedder was given up during the run (later operations used the
 * local one).
 */
embedderFallback?: string, config: RefineConfig, operations: Array<OperationReport>, tools: Array<ToolReport>, totals: Totals, };

/**
 * Everything a run needs to resume.
 */
export type RunState = { version: number, runId: string, 
/**
 * Hash of the document's operations: a state only resumes the document it was made for.
 */
fingerprint: string, 
/**
 * Checkpoints so far.
 */
step: number, operations: Array<OperationState>, tools: Array<ToolState>, };

/**
 * Safety hints, from the HTTP method or MCP annotations. `None` means unknown.
 */
export type Safety = { readOnly?: boolean, destructive?: boolean, idempotent?: boolean, };

/**
 * What the safety policy allows beyond read-only calls (`safety`).
 */
export type SafetyConfig = { 
/**
 * Allow writes (POST, PUT, PATCH; MCP tools not marked read-only but marked
 * non-destructive).
 */
allowWrites?: boolean, 
/**
 * Allow destructive calls too (DELETE; MCP tools marked or presumed destructive).
 */
allowDestructive?: boolean, 
/**
 * Operation ids allowed to write (and, when not destructive, be called) beyond the
 * global switches.
 */
allow?: Array<string>, 
/**
 * Operation ids allowed even when destructive.
 */
allowDestructiveOperations?: Array<string>, };

/**
 * One structural change to an operation's schema and the trails that prove it.
 */
export type SchemaChange = { 
/**
 * Unique within the operation: the parameter (if any) and the pointer (`date/schema/format`).
 */
id: string, kind: ChangeKind, parameter?: string, 
/**
 * The field in the document model, relative to the parameter (`/required`,
 * `/enumValues`, `/schema/type`, `/schema/format`, `/schema/pattern`, a nested
 * object's `/schema/items/required`) or to the operation (`/responseSchema`).
 */
pointer: string, 
/**
 * The field's value before (`null`: absent).
 */
before: JsonValue, 
/**
 * The field's value after (`null`: absent; for a conflict, nothing is changed).
 */
after: JsonValue, 
/**
 * Ids of the trails that prove it (for a conflict: the ones that disagree).
 */
trails: Array<string>, status: ChangeStatus, 
/**
 * Why, in a sentence.
 */
reason: string, };

/**
 * An item left out of scoring, and why.
 */
export type SkippedItem = { item: string, version: string, reason: string, };

/**
 * One doc smell, with where it is.
 */
export type Smell = { kind: SmellKind, 
/**
 * The operation's id (none for a tool-level smell).
 */
operation: string | null, parameter: string | null, 
/**
 * JSON pointer into the source document.
 */
pointer: string, message: string, };

/**
 * The kinds of doc smell.
 */
export type SmellKind = "missingToolDescription" | "missingOperationDescription" | "shortDescription" | "duplicateOperationName" | "missingParameterDescription" | "untypedParameter" | "pathParameterNotRequired" | "undocumentedPathParameter" | "duplicateParameterName" | "missingResponseSchema";

/**
 * What an operation does next.
 */
export type Stage = { "stage": "start" }
  | { "stage": "explore" } & ExploreProgress | { "stage": "call", candidate: Candidate, forced: boolean, }
  | { "stage": "analyze", trail: string, }
  | { "stage": "rewrite", trail: string, }
  | { "stage": "probe" }
  | { "stage": "done" };

/**
 * A step that failed.
 */
export type StepError = { episode: number, 
/**
 * explorer, call, analyzer, rewriter, summarizer, embedder
 */
step: string, code: string, message: string, };

/**
 * How a schema is asked for.
 */
export type StructuredMode = "native" | "jsonObject" | "instructions";

/**
 * A tool's summary.
 */
export type SummaryRecord = { original: string, description: string, accepted: boolean, reason?: string, };

/**
 * The text syntax a document was written in; export keeps it.
 */
export type SyntaxName = "json" | "yaml";

/**
 * Why an operation's refinement stopped.
 */
export type TerminationReason = { "kind": "converged", delta: number, threshold: number, }
  | { "kind": "maxEpisodes", episodes: number, }
  | { "kind": "budgetSpent", calls: number, 
/**
 * Which budget (`the operation's budget of 10 model calls`).
 */
budget?: string, }
  | { "kind": "notAllowed", reason: string, }
  | { "kind": "failed", message: string, }
  | { "kind": "cancelled" };

/**
 * φ and τ for one embedder family: the cosine at or above which a query repeats an earlier
 * one, and the Δ above which two revisions count as converged.
 */
export type Thresholds = { phi: number, tau: number, };

/**
 * DRAFT's thresholds (`thresholds`): φ for diversity, τ for convergence (unset: the
 * embedder family's calibrated values), and what Δ compares.
 */
export type ThresholdsConfig = { 
/**
 * φ; default: the embedder family's calibrated value (local 0.88; the paper's 0.9 with
 * ada-002).
 */
diversity?: number, 
/**
 * τ; default: the embedder family's calibrated value (local 0.54; the paper's 0.75 with
 * ada-002).
 */
convergence?: number, 
/**
 * What Δ compares: the description only (default, the paper's) or with one
 * `name: description` line per parameter.
 */
deltaText?: DeltaText, 
/**
 * Default 3.
 */
diversityRetries?: number, };

/**
 * A tool: a named group of operations (an API, an MCP server, a ToolBench tool).
 */
export type Tool = { name: string, description: string, 
/**
 * Where requests go, as documented (`servers[0].url`, a ToolBench host).
 */
baseUrl?: string, operations: Array<Operation>, 
/**
 * JSON pointer to this tool in the source document ("" for the whole document).
 */
pointer: string, };

/**
 * A whole document: one or more tools.
 */
export type ToolDoc = { format: FormatName | null, syntax: SyntaxName, 
/**
 * The format's own version string where it has one (`3.1.0`, `2.0`, an MCP revision).
 */
version?: string, tools: Array<Tool>, 
/**
 * The parsed original document (with `$ref`s as written). Export in the same format
 * patches this, so that everything tooldraft does not model survives a round trip.
 */
source: JsonValue, 
/**
 * Things noticed while reading that are not errors (an unresolved `$ref`, a cycle cut).
 */
warnings?: Array<string>, };

/**
 * Why a call could not be made or produced no response.
 */
export type ToolError = { "kind": "denied", reason: string, }
  | { "kind": "invalidArguments", operation: string, message: string, }
  | { "kind": "transport", endpoint: string, source: HostError, }
  | { "kind": "protocol", endpoint: string, message: string, }
  | { "kind": "host", message: string, }
  | { "kind": "redirect", endpoint: string, message: string, }
  | { "kind": "noTarget", operation: string, };

/**
 * A tool's summary.
 */
export type ToolReport = { name: string, operations: Array<string>, summary?: SummaryRecord, errors: Array<StepError>, usage: UsageByRole, };

/**
 * A tool's progress (its summary step).
 */
export type ToolState = { name: string, 
/**
 * Index of the tool in the document.
 */
index: number, 
/**
 * The refined operations of this tool.
 */
operations: Array<string>, done: boolean, summary?: SummaryRecord, failures: number, errors: Array<StepError>, usage: UsageByRole, journal?: Array<JournalEntry>, };

/**
 * Where tool calls go (`tools`). No `Debug`: headers may hold credentials.
 */
export type ToolsOptions = { 
/**
 * Where HTTP operations are sent (overrides the document's servers).
 */
baseUrl?: string, 
/**
 * An MCP server (Streamable HTTP).
 */
mcpUrl?: string, 
/**
 * Sent with every tool call (auth); never recorded.
 */
headers?: { [key in string]: string }, };

/**
 * Sums over the run.
 */
export type Totals = { operations: number, 
/**
 * Operations whose final revision replaced the original.
 */
improved: number, 
/**
 * Operations with an accepted revision that the end-of-run check turned down.
 */
originalKept: number, 
/**
 * Operations with at least one accepted revision.
 */
refined: number, converged: number, failed: number, revisionsAccepted: number, revisionsRejected: number, 
/**
 * Candidate revisions scored by replay verification (skipped ones not counted).
 */
revisionsVerified: number, 
/**
 * Candidate revisions replay verification held back (they did worse, or it could not finish).
 */
revisionsHeldBack: number, modelCalls: number, toolCalls: number, 
/**
 * Calls to a non-local embedder (0 with the default local embeddings).
 */
embeddingCalls: number, tokens: number, usage: UsageByRole, modelMs: number, toolMs: number, };

/**
 * One call of the tool, with what led to it and what came back.
 */
export type Trail = { 
/**
 * `<operation id>#<n>`, n from 1; unique in a run.
 */
id: string, operation: string, 
/**
 * 0-based episode.
 */
episode: number, 
/**
 * The explorer's user query.
 */
query: string, arguments: JsonValue, 
/**
 * The response (its `request` is the request as sent, secrets redacted).
 */
observation?: Observation, 
/**
 * Why no response came back.
 */
error?: ToolError, 
/**
 * When the call started (host clock, ms).
 */
startedMs: number, durationMs: number, 
/**
 * Arguments built from the document and the tool's errors, not by the model.
 */
schemaDriven?: boolean, };

/**
 * Tokens spent on one call (or summed over many).
 */
export type Usage = { promptTokens: number, completionTokens: number, };

/**
 * Usage per role (`explorer`, `analyzer`, `rewriter`, `summarizer`).
 */
export type UsageByRole = { [key in string]: RoleUsage };

/**
 * One held-out query answered from one revision's documentation.
 */
export type VerificationCall = { query: string, 
/**
 * The trail whose query this is.
 */
source: string, 
/**
 * The revision whose documentation the Caller read.
 */
revision: number, 
/**
 * The Caller's arguments (none when it gave no usable answer).
 */
arguments?: JsonValue, outcome: CallOutcome, 
/**
 * What happened, in words.
 */
reason: string, 
/**
 * The tool was called (valid arguments the safety policy allowed).
 */
executed: boolean, 
/**
 * Reused from an earlier verification of the same revision (no call made).
 */
cached: boolean, };

/**
 * The verification of one candidate revision.
 */
export type VerificationRecord = { 
/**
 * The revision the candidate was compared with.
 */
currentRevision: number, 
/**
 * The candidate's calls, one per held-out query.
 */
candidate: Array<VerificationCall>, 
/**
 * The current revision's calls on the same queries.
 */
current: Array<VerificationCall>, 
/**
 * Over the queries counted on both sides.
 */
candidateScore: number, currentScore: number, 
/**
 * Queries counted (scored on both sides).
 */
counted: number, 
/**
 * The candidate may be accepted.
 */
passed: boolean, 
/**
 * The verdict in words.
 */
summary: string, };

/**
 * A successful call and the query behind it.
 */
export type VerifiedExample = { trail: string, query: string, arguments: JsonValue, 
/**
 * The result, trimmed (arrays to 3 items, long strings cut).
 */
result?: JsonValue, };

/**
 * Replay verification of candidate revisions (see `refine::verify`).
 */
export type VerifyRules = { 
/**
 * Held-out queries a candidate revision must answer at least as well as the current one
 * before it is accepted (default 2; 0 turns verification off).
 */
queries: number, };

/**
 * All scores of one doc version.
 */
export type VersionScores = { label: string, cp: Metric, cpOrdered: Metric, selection: Metric, argsValid: Metric, callSuccess?: Metric, tokensPerItem: Metric, 
/**
 * Items where the model named operations outside the candidates.
 */
outsideCandidates: number, 
/**
 * Items where the model gave no usable answer.
 */
errors: number, items: Array<EvalItemResult>, };

/**
 * One thing kept out of the document or the records: where, and why; never the text.
 */
export type Withheld = { 
/**
 * A JSON pointer: into the operation's facts (`/verifiedExample/result/items/0/note`;
 * for a dropped property, the object that had it) or into a trail's response
 * (`/trails/get#1/observation/json/env/TOKEN`).
 */
pointer: string, reason: WithheldReason, 
/**
 * The injection rule (`override`, `addressed`, `call`, `exfiltration`, `url`,
 * `hidden`) or the secret's kind (`gitHubToken`, `secretField`, …).
 */
rule: string, };

/**
 * Why something was withheld.
 */
export type WithheldReason = "secret" | "injection";

/**
 * Every error code the core emits (src/error.rs): an `Error`'s `name`, an error event's `code`.
 */
export type CoreErrorCode =
  | "EmptyDocument"
  | "BinaryDocument"
  | "SyntaxError"
  | "StructureError"
  | "UnknownFormat"
  | "ExportError"
  | "InvalidConfig"
  | "UnknownOperation"
  | "StateMismatch"
  | "StateVersion"
  | "InvalidState"
  | "NothingToRefine"
  | "NothingToCheck"
  | "PromptError"
  | "EmptyQuerySet"
  | "InvalidQuerySet"
  | "NoVersions"
  | "DifferentTools"
  | "NoUsableItems"
  | "NoToolTarget"
  | "PolicyDenied"
  | "InvalidArguments"
  | "ToolProtocolError"
  | "ToolHostError"
  | "LlmUnauthorized"
  | "LlmHttpError"
  | "LlmBadResponse"
  | "LlmInvalidOutput"
  | "LlmHostError"
  | "EmbeddingsError"
  | "EmbeddingsBadAnswer"
  | "NetworkError"
  | "Timeout"
  | "RedirectRefused"
  | "Aborted"
  | "InvalidArgument"
  | "Busy"
  | "ConversionError";

/**
 * The label of a calibration pair (src/calibrate.rs).
 */
export type CalibrationLabel =
  | "query:repeat"
  | "query:sameApi"
  | "query:otherApi"
  | "description:revision"
  | "description:rewrite"
  | "description:otherApi";

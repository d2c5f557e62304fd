// What the app says for each kind of error the core (or the app itself) can raise: a title a
// person understands and what to do next. One entry per error name; a test
// (www/tests/messages.spec.ts) reads every name the Rust core emits and checks that each has an
// entry here and that every template renders as clean sentences.

export interface ErrorKind {
  /** The headline of the error box. */
  title: string;
  /** What to do next; complete sentences. */
  hints: string[];
}

/** Every error name the app can show, with its title and next steps. */
export const ERROR_KINDS: Record<string, ErrorKind> = {
  // Documents.
  EmptyDocument: { title: 'The document is empty', hints: ['Paste or open a document that has content.'] },
  BinaryDocument: { title: 'The file is binary, not a text document', hints: ['Open a JSON or YAML document.'] },
  SyntaxError: { title: 'The document is not valid JSON or YAML', hints: [] },
  StructureError: { title: 'The document has an unexpected structure', hints: [] },
  UnknownFormat: {
    title: 'The document is not in a format tooldraft reads',
    hints: ['Choose the format yourself in the "format" list, then open it again.'],
  },
  ExportError: {
    title: 'The document could not be written in that format',
    hints: ['Export it in another format (MCP or OpenAPI 3 keep the most).'],
  },
  ConversionError: {
    title: 'A value could not cross into the engine',
    hints: ['Report it with the document that caused it; the command-line tool may still read it.'],
  },
  // Arguments, configuration, state.
  InvalidArgument: {
    title: 'The engine was given an argument it cannot use',
    hints: ['Reload the page; if it persists, report it.'],
  },
  InvalidArguments: {
    title: 'The tool call had arguments the operation does not accept',
    hints: ['The run goes on; the model is told of its mistake.'],
  },
  InvalidConfig: {
    title: 'The run settings are not valid',
    hints: ['Correct the settings named in the message in Set up, then start again.'],
  },
  NoToolTarget: { title: 'No tool target is set', hints: ['Give an MCP server URL or an API base URL in Set up.'] },
  PolicyDenied: {
    title: 'The safety settings refused a call',
    hints: ['Tick "may call" for that operation, or allow writes in Set up, if the target is a test instance.'],
  },
  UnknownOperation: {
    title: 'An operation named in the settings is not in the document',
    hints: ['Choose operations from the list in Set up.'],
  },
  NothingToRefine: { title: 'There is nothing to refine', hints: ['Choose at least one operation in Set up.'] },
  NothingToCheck: {
    title: 'There is nothing to check',
    hints: ['The document has no operations to check, or none of the chosen operations is in it.'],
  },
  StateMismatch: {
    title: 'The saved checkpoint belongs to another document or settings',
    hints: ['Start a new run for this document.'],
  },
  StateVersion: {
    title: 'The saved checkpoint was written by another version of tooldraft',
    hints: ['Start a new run.'],
  },
  InvalidState: { title: 'The saved checkpoint is damaged', hints: ['Start a new run.'] },
  PromptError: { title: 'A prompt template could not be filled in', hints: ['Report it: this is a bug in tooldraft.'] },
  Busy: { title: 'The engine is already running this', hints: ['Wait for the current run to end, or cancel it.'] },
  // Endpoints.
  NetworkError: {
    title: 'An endpoint cannot be reached',
    hints: ['Check that the model and the tool target are running, and their URLs.'],
  },
  Timeout: {
    title: 'An endpoint did not answer in time',
    hints: ['Check that the endpoint is not stuck; raise the timeout in the limits, then resume.'],
  },
  Aborted: { title: 'The run was cancelled', hints: ['Resume it from its last checkpoint, or start a new run.'] },
  RedirectRefused: {
    title: 'An endpoint answered with a redirect, which is not followed',
    hints: ['Use the final URL (keys are never sent on to another address).'],
  },
  LlmUnauthorized: {
    title: 'The model endpoint refused the API key (401)',
    hints: ['Check the API key in the model settings (and that it belongs to this base URL), then resume the run.'],
  },
  LlmHttpError: {
    title: 'The model endpoint answered with an error',
    hints: ['Check the base URL and the model name in Set up ("Test the model" lists the models it serves).'],
  },
  LlmBadResponse: {
    title: 'The model endpoint sent an answer tooldraft cannot read',
    hints: ['Check that the base URL is an OpenAI-compatible endpoint (it usually ends in /v1).'],
  },
  LlmInvalidOutput: {
    title: 'The model did not produce the structured answer asked for',
    hints: ['Try a stronger model, or resume: a later attempt may succeed.'],
  },
  LlmHostError: {
    title: 'The browser could not call the model endpoint',
    hints: ['Check the base URL; test it with "Test the model" in Set up.'],
  },
  ToolProtocolError: {
    title: 'The tool target broke its protocol',
    hints: ['Check that the URL is the MCP endpoint itself (often …/mcp) or the API base URL.'],
  },
  ToolHostError: {
    title: 'The browser could not call the tool target',
    hints: ['Check the URL; test it with "Test the tool target" in Set up.'],
  },
  EmbeddingsError: {
    title: 'The embedding model failed',
    hints: ['Check the embedder settings, or use the built-in one.'],
  },
  EmbeddingsBadAnswer: {
    title: 'The embedding model sent an answer tooldraft cannot read',
    hints: ['Check the embedder settings, or use the built-in one.'],
  },
  // Evaluation.
  EmptyQuerySet: { title: 'The query set is empty', hints: ['Give at least one query with its gold operations.'] },
  InvalidQuerySet: {
    title: 'The query set could not be read',
    hints: ['Use JSONL lines {"query": …, "gold": [ids]} or the DRAFT paper\'s JSON.'],
  },
  NoVersions: { title: 'There are no document versions to compare', hints: ['Add at least two versions.'] },
  DifferentTools: {
    title: 'The versions do not describe the same operations',
    hints: ['Compare versions of one document.'],
  },
  NoUsableItems: {
    title: 'No query names an operation of these documents',
    hints: ["Check that the gold ids are the documents' operation ids."],
  },
  // The app itself.
  Unsupported: {
    title: 'The tooldraft package in this build lacks a function',
    hints: ['Rebuild it with ./scripts/build.sh, then rebuild the app.'],
  },
  WorkerError: {
    title: "The engine's worker stopped",
    hints: ['Reload the page; a running run resumes from its last checkpoint.'],
  },
  Error: { title: 'Something failed', hints: [] },
};

/** The entry for an error name; unknown names get the name itself as title. */
export function errorKind(name: string): ErrorKind {
  return ERROR_KINDS[name] ?? { title: name || 'Error', hints: [] };
}

// The CLI's exit codes (documented in `tooldraft --help` and pkg/README.md).
export const EXIT = Object.freeze({
  /** Done. */
  OK: 0,
  /** A bug in tooldraft (please report it). */
  INTERNAL: 1,
  /** Bad usage (unknown option, missing argument) or bad input (malformed, empty, binary, too large). */
  USAGE: 2,
  /** An endpoint failed: a URL could not be fetched, a server answered with an error. */
  ENDPOINT: 3,
  /** Interrupted (Ctrl-C / SIGINT, SIGTERM). */
  INTERRUPTED: 4,
});

/** The exit codes as `--help` lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  internal error (a bug in tooldraft: please report it)
  2  bad usage or bad input (unknown option, a missing key variable, a malformed, empty,
     binary or too large document, a query set or run state that does not fit)
  3  an endpoint failed (the model or the tool could not be reached, refused the key
     (401/403) or kept answering with errors; a URL could not be fetched)
  4  interrupted (Ctrl-C, SIGTERM)`;

/** An error the CLI reports as one line on stderr and a given exit code, never a stack trace. */
export class CliError extends Error {
  /**
   * @param {string} message
   * @param {number} exitCode
   */
  constructor(message, exitCode) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

/** Error names from tooldraft's core that mean "the input is bad". */
const INPUT_ERRORS = new Set([
  'EmptyDocument',
  'BinaryDocument',
  'SyntaxError',
  'StructureError',
  'UnknownFormat',
  'ExportError',
  'InvalidArgument',
  'InvalidConfig',
  'NoToolTarget',
  // runs
  'UnknownOperation',
  'StateMismatch',
  'StateVersion',
  'InvalidState',
  'NothingToRefine',
  // evaluation
  'EmptyQuerySet',
  'InvalidQuerySet',
  'NoVersions',
  'DifferentTools',
  'NoUsableItems',
]);

/** Error names that mean "an endpoint failed". */
const ENDPOINT_ERRORS = new Set([
  'NetworkError',
  'Timeout',
  'LlmUnauthorized',
  'LlmHttpError',
  'LlmBadResponse',
  'ToolProtocolError',
  'RedirectRefused',
  'EmbeddingsError',
  'EmbeddingsBadAnswer',
]);

/** True when an error name (an API error's, or an event's `code`) means "an endpoint failed". */
export function isEndpointError(name) {
  return ENDPOINT_ERRORS.has(name);
}

/** The exit code for an error thrown by tooldraft's API (or by the CLI itself). */
export function exitCodeFor(error) {
  if (error instanceof CliError) return error.exitCode;
  const name = error && typeof error === 'object' ? error.name : undefined;
  if (INPUT_ERRORS.has(name)) return EXIT.USAGE;
  if (isEndpointError(name)) return EXIT.ENDPOINT;
  if (name === 'Aborted') return EXIT.INTERRUPTED;
  return EXIT.INTERNAL;
}

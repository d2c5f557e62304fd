// The CLI's exit codes (documented in `tooldraft --help` and pkg/README.md). An error from the
// core carries a category (src/error.rs, the one list of the core's error codes); the exit
// code follows from it.
// The package's platform-neutral entry (not node.js, which reads the wasm from disk): the CLI has
// initialised it by the time an exit code is asked for, and the VS Code extension's web bundle
// (which uses the Scrubber of endpoint-options.mjs, which imports this) cannot load node:fs.
import { errorCategory } from '../index.js';

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
  /** `tooldraft check` found drift: the tool no longer does what the document says. */
  DRIFT: 5,
});

/** The exit codes as `--help` lists them. */
export const EXIT_CODES_HELP = `Exit codes:
  0  done
  1  internal error (a bug in tooldraft: please report it)
  2  bad usage or bad input (unknown option, a missing key variable, a malformed, empty,
     binary or too large document, a query set or run state that does not fit, a call the
     safety policy forbids)
  3  an endpoint failed (the model, the tool or the embeddings endpoint could not be
     reached, refused the key (401/403), kept answering with errors or with output that
     could not be used, or a host's own model or tool function failed; a URL could not be
     fetched)
  4  interrupted (Ctrl-C, SIGTERM)
  5  check: drift (the tool no longer does what the document says)`;

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

/** The exit code of each error category of the core (`error.category`; see `errorCodes()`). */
export const EXIT_FOR_CATEGORY = Object.freeze({
  input: EXIT.USAGE,
  endpoint: EXIT.ENDPOINT,
  interrupted: EXIT.INTERRUPTED,
  internal: EXIT.INTERNAL,
});

/**
 * The category of an error: the one the core gave it (`error.category`), else the core's
 * category for its name (an event's `code`, an error rebuilt from a name); `internal` for
 * anything the core does not know.
 * @param {{name?: unknown, category?: unknown} | null | undefined} error
 * @returns {'input' | 'endpoint' | 'interrupted' | 'internal'}
 */
function categoryOf(error) {
  if (!error || typeof error !== 'object') return 'internal';
  if (typeof error.category === 'string' && Object.hasOwn(EXIT_FOR_CATEGORY, error.category)) return error.category;
  return typeof error.name === 'string'
    ? /** @type {ReturnType<typeof categoryOf>} */ (errorCategory(error.name))
    : 'internal';
}

/** True when an error name (an API error's, or an event's `code`) means "an endpoint failed". */
export function isEndpointError(name) {
  return typeof name === 'string' && errorCategory(name) === 'endpoint';
}

/** The exit code for an error thrown by tooldraft's API (or by the CLI itself). */
export function exitCodeFor(error) {
  if (error instanceof CliError) return error.exitCode;
  return EXIT_FOR_CATEGORY[categoryOf(error)];
}

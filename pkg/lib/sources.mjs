// Reading documents for commands (a file, an http(s) URL or stdin, with a size limit and an
// optional --format), and checking early that an output path can be written, so a long run
// does not fail at its very end.
import { stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseDoc } from '../node.js';
import { CliError, EXIT, exitCodeFor } from './exit-codes.mjs';
import { DEFAULT_MAX_MB, decodeText, readDocument } from './input.mjs';

export const FORMATS = ['openapi', 'swagger', 'mcp', 'openai', 'anthropic', 'toolbench', 'restbench'];

/** A usage error naming the command's help. */
function usage(message, command) {
  return new CliError(`${message} (see tooldraft ${command} --help)`, EXIT.USAGE);
}

/** `--format` checked and normalised (aliases: oas, openapi3, swagger2). */
export function formatOption(value, name, command) {
  if (value === undefined) return undefined;
  const f = value.toLowerCase();
  const aliases = { oas: 'openapi', openapi3: 'openapi', swagger2: 'swagger' };
  const format = aliases[f] ?? f;
  if (!FORMATS.includes(format)) {
    throw usage(`${name}: unknown format '${value}'; expected one of ${FORMATS.join(', ')}`, command);
  }
  return format;
}

/** `--max-size MB` in bytes. */
export function maxBytesOption(value, command) {
  if (value === undefined) return DEFAULT_MAX_MB * 1024 * 1024;
  const mb = Number(value);
  if (!Number.isFinite(mb) || mb <= 0)
    throw usage(`--max-size must be a positive number of MB, not '${value}'`, command);
  return Math.floor(mb * 1024 * 1024);
}

/** Reads stdin, refusing more than `maxBytes`. */
export async function readStdin(maxBytes, signal) {
  const chunks = [];
  let length = 0;
  for await (const chunk of process.stdin) {
    if (signal?.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    length += chunk.length;
    if (length > maxBytes) {
      throw new CliError(
        `stdin is larger than the limit of ${(maxBytes / 1024 / 1024).toFixed(1)} MB (raise it with --max-size <MB>)`,
        EXIT.USAGE,
      );
    }
    chunks.push(chunk);
  }
  return { text: decodeText(Buffer.concat(chunks, length), 'stdin'), name: 'stdin' };
}

/** Reads a file, an http(s) URL, or stdin ("-"). */
export function readText(source, maxBytes, signal) {
  return source === '-' ? readStdin(maxBytes, signal) : readDocument(source, { maxBytes, signal });
}

/** Runs a core call; its errors become CLI errors that name the document. */
export function core(name, f) {
  try {
    return f();
  } catch (e) {
    const code = exitCodeFor(e);
    if (code === EXIT.INTERNAL) throw e;
    throw new CliError(`${name}: ${e.message}`, code);
  }
}

/**
 * Reads and parses a document (`values.format`, `values['max-size']` honoured).
 * @returns {Promise<{text: string, name: string, doc: import('../index.js').ToolDoc}>}
 */
export async function readSource(source, values, signal, command) {
  const format = formatOption(values.format, '--format', command);
  const maxBytes = maxBytesOption(values['max-size'], command);
  const { text, name } = await readText(source, maxBytes, signal);
  const doc = core(name, () => parseDoc(text, format));
  const operations = doc.tools.reduce((n, t) => n + t.operations.length, 0);
  if (operations === 0) throw new CliError(`${name}: the document has no operations`, EXIT.USAGE);
  return { text, name, doc };
}

/** Fails now (exit 2) when `path` cannot be written later: its folder is missing, or it is a folder. */
export async function checkWritable(path, flag, command) {
  if (path === '') throw usage(`${flag} needs a file name`, command);
  const dir = dirname(path);
  const info = await stat(dir).catch(() => null);
  if (!info) throw new CliError(`${flag} ${path}: the folder ${dir} does not exist`, EXIT.USAGE);
  if (!info.isDirectory()) throw new CliError(`${flag} ${path}: ${dir} is not a folder`, EXIT.USAGE);
  const self = await stat(path).catch(() => null);
  if (self?.isDirectory()) throw new CliError(`${flag} ${path} is a folder, not a file`, EXIT.USAGE);
}

// Reading a document for the CLI: a file or an http(s) URL, with a size limit, and clear
// errors for what is not a text document (missing, a directory, binary, not UTF-8, too large).
import { readFile, stat } from 'node:fs/promises';
import { CliError, EXIT } from './exit-codes.mjs';

/** The default size limit, in MB (`--max-size` changes it). */
export const DEFAULT_MAX_MB = 32;
/** How long a URL may take, in ms. */
export const FETCH_TIMEOUT_MS = 30_000;

/** True when `source` is written as a URL (scheme://…), whatever the scheme. */
export function looksLikeUrl(source) {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source);
}

function megabytes(bytes) {
  return bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function tooLarge(source, size, maxBytes) {
  return new CliError(
    `${source} is ${size === undefined ? 'larger than the limit' : megabytes(size)}; the limit is ${megabytes(maxBytes)} ` +
      `(raise it with --max-size <MB>)`,
    EXIT.USAGE,
  );
}

/**
 * Turns bytes into text, refusing binary data and invalid UTF-8 (a BOM is dropped).
 * @param {Uint8Array} bytes
 * @param {string} source
 */
export function decodeText(bytes, source) {
  const probe = bytes.subarray(0, 8192);
  if (probe.includes(0)) {
    throw new CliError(`${source} is a binary file, not a text document`, EXIT.USAGE);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new CliError(`${source} is not UTF-8 text`, EXIT.USAGE);
  }
}

async function readFileLimited(path, maxBytes) {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    if (e.code === 'ENOENT') throw new CliError(`${path}: no such file`, EXIT.USAGE);
    if (e.code === 'EACCES') throw new CliError(`${path}: permission denied`, EXIT.USAGE);
    throw new CliError(`${path}: ${e.message}`, EXIT.USAGE);
  }
  if (info.isDirectory()) throw new CliError(`${path} is a directory, not a document`, EXIT.USAGE);
  if (info.size > maxBytes) throw tooLarge(path, info.size, maxBytes);
  let bytes;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new CliError(`${path}: ${e.message}`, EXIT.USAGE);
  }
  if (bytes.length > maxBytes) throw tooLarge(path, bytes.length, maxBytes);
  return bytes;
}

async function fetchLimited(url, maxBytes, signal) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw new CliError(`${url} is not a valid URL`, EXIT.USAGE);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CliError(`${url}: only http:// and https:// URLs can be read`, EXIT.USAGE);
  }
  const shown = `${parsed.origin}${parsed.pathname}`; // no query: it may hold a key
  const timeout = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  let response;
  try {
    response = await fetch(parsed, {
      signal: combined,
      headers: { accept: 'application/json, application/yaml, text/yaml, text/plain;q=0.9, */*;q=0.5' },
    });
  } catch (e) {
    if (signal?.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    if (timeout.aborted) throw new CliError(`${shown}: no answer within ${FETCH_TIMEOUT_MS / 1000} s`, EXIT.ENDPOINT);
    const cause = e?.cause?.code || e?.cause?.message || e?.message || String(e);
    throw new CliError(`${shown}: could not fetch (${cause})`, EXIT.ENDPOINT);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new CliError(`${shown} answered HTTP ${response.status} ${response.statusText}`.trimEnd(), EXIT.ENDPOINT);
  }
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => {});
    throw tooLarge(shown, declared, maxBytes);
  }
  const chunks = [];
  let length = 0;
  try {
    for await (const chunk of response.body ?? []) {
      length += chunk.length;
      if (length > maxBytes) {
        throw tooLarge(shown, undefined, maxBytes);
      }
      chunks.push(chunk);
    }
  } catch (e) {
    if (e instanceof CliError) throw e;
    if (signal?.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    if (timeout.aborted)
      throw new CliError(`${shown}: the body did not arrive within ${FETCH_TIMEOUT_MS / 1000} s`, EXIT.ENDPOINT);
    throw new CliError(`${shown}: reading the body failed (${e?.message ?? e})`, EXIT.ENDPOINT);
  }
  return { bytes: Buffer.concat(chunks, length), shown };
}

/**
 * Reads a document from a file or an http(s) URL.
 * @param {string} source a path or a URL
 * @param {{maxBytes?: number, signal?: AbortSignal}} [options]
 * @returns {Promise<{text: string, name: string}>} the text and how to name the source in messages
 */
export async function readDocument(source, options = {}) {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MB * 1024 * 1024;
  if (looksLikeUrl(source)) {
    const { bytes, shown } = await fetchLimited(source, maxBytes, options.signal);
    return { text: decodeText(bytes, shown), name: shown };
  }
  const bytes = await readFileLimited(source, maxBytes);
  return { text: decodeText(bytes, source), name: source };
}

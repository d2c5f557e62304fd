// The model and tool-target options shared by `tooldraft refine` and `tooldraft evaluate`:
// parsing them into the package's `llm` / `tools` config, reading secrets from the
// environment (never from argv), starting the embedded local model, and a scrubber that
// keeps every secret out of what the CLI prints or writes.
import { CliError, EXIT } from './exit-codes.mjs';

/** parseArgs options for the model. */
export const MODEL_OPTIONS = {
  'llm-url': { type: 'string' },
  llm: { type: 'string' },
  model: { type: 'string' },
  provider: { type: 'string' },
  'api-key-env': { type: 'string' },
  timeout: { type: 'string' },
  'local-threads': { type: 'string' },
};

/** parseArgs options for the embeddings that measure φ and Δ. */
export const EMBEDDINGS_OPTIONS = {
  'embeddings-url': { type: 'string' },
  'embeddings-model': { type: 'string' },
  'embeddings-key-env': { type: 'string' },
};

export const EMBEDDINGS_HELP = `Embeddings (what measures query diversity φ and convergence Δ; default: the local
hashed n-gram embedding, no network):
  --embeddings-url URL           an OpenAI-compatible /v1/embeddings endpoint (default: the
                                 chat endpoint's URL when --embeddings-model is given;
                                 'local' or, with --llm local, nothing: the embedded model)
  --embeddings-model NAME        the embedding model (default: --model)
  --embeddings-key-env VAR       its key, from the environment (default: the chat key, only
                                 when the embeddings URL has the chat endpoint's origin)`;

function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * The embeddings config, from the embeddings options and (for defaults) the model's.
 * @returns {{embeddings?: object, local: boolean, secrets: string[]}} `local` asks for the
 *   embedded model's server (its URL is filled in once it runs); no embeddings option: none.
 */
export function embeddingsOptions(values, env, command, model) {
  const url = values['embeddings-url'];
  const name = values['embeddings-model'];
  const keyEnv = values['embeddings-key-env'];
  if (url === undefined && name === undefined && keyEnv === undefined) return { local: false, secrets: [] };
  const secrets = [];
  const key = keyEnv === undefined ? undefined : envSecret(env, keyEnv, '--embeddings-key-env', command);
  if (key) secrets.push(key);
  if (url === 'local' || (url === undefined && model?.local)) {
    if (keyEnv !== undefined) throw usage('the embedded model needs no key: leave out --embeddings-key-env', command);
    return { embeddings: { provider: 'openai', baseUrl: '', model: name ?? 'local' }, local: true, secrets };
  }
  const chatUrl = model?.llm?.provider === 'openai' ? model.llm.baseUrl : undefined;
  const baseUrl = url === undefined ? chatUrl : urlOption(url, '--embeddings-url', command);
  if (!baseUrl)
    throw usage('missing --embeddings-url URL (an OpenAI-compatible endpoint serving /v1/embeddings)', command);
  const modelName = name ?? values.model;
  if (!modelName) throw usage('missing --embeddings-model NAME', command);
  const embeddings = { provider: 'openai', baseUrl, model: modelName };
  const chatKey = model?.llm?.apiKey;
  if (key) embeddings.apiKey = key;
  else if (chatKey && chatUrl && sameOrigin(baseUrl, chatUrl)) embeddings.apiKey = chatKey;
  return { embeddings, local: false, secrets };
}

/** parseArgs options for the tool target. */
export const TOOL_OPTIONS = {
  'base-url': { type: 'string' },
  'mcp-url': { type: 'string' },
  header: { type: 'string', multiple: true },
  'header-env': { type: 'string', multiple: true },
};

export const MODEL_HELP = `Model (one of):
  --llm-url URL --model NAME     an OpenAI-compatible endpoint (OpenAI, Ollama, vLLM,
                                 LM Studio, llama.cpp, …), e.g. http://127.0.0.1:11434/v1
  --provider anthropic --model NAME --api-key-env VAR
                                 the Anthropic Messages API (--llm-url overrides its URL)
  --llm local                    the embedded local model (SmolLM2-135M through
                                 node-llama-cpp), started for this run and stopped after;
                                 tiny: it proves the loop runs, it is no judge of quality
  --api-key-env VAR              read the API key from the environment variable VAR
                                 (keys are never taken on the command line)
  --timeout SECONDS              per request (default: the package's)
  --local-threads N              threads for --llm local`;

/** The tool-target part of a command's help; `baseUrlDefault` says what --base-url defaults to. */
export function toolHelp(baseUrlDefault) {
  return `Tool target:
  --base-url URL                 where HTTP operations are sent
                                 (${baseUrlDefault})
  --mcp-url URL                  an MCP server (Streamable HTTP), e.g. http://127.0.0.1:3001/mcp
  --header 'Name: value'         sent with every tool call (repeatable); prefer --header-env
  --header-env 'Name=VAR'        a header whose value is read from the environment variable VAR`;
}

/** A usage error naming the command's help. */
export function usage(message, command) {
  const help = command ? `tooldraft ${command} --help` : 'tooldraft --help';
  return new CliError(`${message} (see ${help})`, EXIT.USAGE);
}

/**
 * Refuses `--api-key` in any spelling before the arguments are parsed, without ever
 * repeating the value.
 * @param {string[]} argv
 * @param {string} command
 */
export function refuseKeysOnArgv(argv, command) {
  for (const a of argv) {
    if (a === '--') break;
    if (/^--api[-_]?key(=|$)/i.test(a)) {
      throw usage(
        `${a.split('=')[0]} is not accepted: a key on the command line ends up in shell history and process lists; ` +
          'put it in an environment variable and pass --api-key-env VAR',
        command,
      );
    }
  }
}

/**
 * A positive integer option.
 * @param {string | undefined} value
 * @param {string} name
 * @param {string} command
 * @param {{min?: number}} [opts]
 */
export function intOption(value, name, command, { min = 1 } = {}) {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || !Number.isSafeInteger(Number(value))) {
    throw usage(`${name} must be a whole number of at least ${min}, not '${value}'`, command);
  }
  return Number(value);
}

function urlOption(value, name, command) {
  if (value === undefined) return undefined;
  let u;
  try {
    u = new URL(value);
  } catch {
    throw usage(`${name} is not a valid URL`, command);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw usage(`${name} must be an http(s) URL`, command);
  return value;
}

/** An URL as shown in messages: no credentials, no query (it may hold a key). */
export function shownUrl(value) {
  try {
    const u = new URL(value);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(an invalid URL)';
  }
}

function envSecret(env, variable, what, command) {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
    throw usage(`${what}: '${variable}' is not an environment variable name`, command);
  const value = env[variable];
  if (value === undefined || value === '') {
    throw new CliError(`${what}: the environment variable ${variable} is not set (or empty)`, EXIT.USAGE);
  }
  return value;
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/**
 * The tool target and its auth headers.
 * @param {Record<string, string | string[] | boolean | undefined>} values parsed options
 * @param {NodeJS.ProcessEnv} env
 * @param {string} command
 * @returns {{tools: {baseUrl?: string, mcpUrl?: string, headers?: Record<string,string>}, secrets: string[]}}
 */
export function toolOptions(values, env, command) {
  const baseUrl = urlOption(values['base-url'], '--base-url', command);
  const mcpUrl = urlOption(values['mcp-url'], '--mcp-url', command);
  if (baseUrl && mcpUrl) throw usage('give --base-url (an HTTP API) or --mcp-url (an MCP server), not both', command);
  const headers = {};
  const secrets = [];
  for (const h of values.header ?? []) {
    const colon = h.indexOf(':');
    const name = colon > 0 ? h.slice(0, colon).trim() : '';
    if (!HEADER_NAME.test(name))
      throw usage("--header must look like 'Name: value' (a header name, a colon, the value)", command);
    const value = h.slice(colon + 1).trim();
    headers[name] = value;
    secrets.push(value);
  }
  for (const h of values['header-env'] ?? []) {
    const eq = h.indexOf('=');
    const name = eq > 0 ? h.slice(0, eq).trim() : '';
    const variable = eq > 0 ? h.slice(eq + 1).trim() : '';
    if (!HEADER_NAME.test(name) || !variable)
      throw usage(`--header-env must look like 'Name=VAR', not '${h}'`, command);
    const value = envSecret(env, variable, `--header-env ${name}`, command);
    headers[name] = value;
    secrets.push(value);
  }
  const tools = {};
  if (baseUrl) tools.baseUrl = baseUrl;
  if (mcpUrl) tools.mcpUrl = mcpUrl;
  if (Object.keys(headers).length > 0) tools.headers = headers;
  return { tools, secrets };
}

/**
 * The model config (without starting anything).
 * @returns {{llm: object | null, local: boolean, secrets: string[], timeoutMs?: number, threads?: number}}
 *   `llm` is null for `--llm local` (filled in once the local model runs).
 */
export function modelOptions(values, env, command) {
  const provider = (values.provider ?? 'openai').toLowerCase();
  if (provider !== 'openai' && provider !== 'anthropic') {
    throw usage(
      `--provider must be openai (any OpenAI-compatible endpoint) or anthropic, not '${values.provider}'`,
      command,
    );
  }
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw usage(`--timeout must be a positive number of seconds, not '${values.timeout}'`, command);
  }
  const timeoutMs = timeout === undefined ? undefined : Math.ceil(timeout * 1000);
  const threads = intOption(values['local-threads'], '--local-threads', command);
  const secrets = [];
  const apiKey =
    values['api-key-env'] === undefined ? undefined : envSecret(env, values['api-key-env'], '--api-key-env', command);
  if (apiKey) secrets.push(apiKey);
  if (values.llm !== undefined) {
    if (values.llm !== 'local')
      throw usage(
        `--llm takes 'local' (the embedded model), not '${values.llm}'; for an endpoint use --llm-url URL --model NAME`,
        command,
      );
    if (values['llm-url'] !== undefined) throw usage('give --llm local or --llm-url, not both', command);
    if (values.provider !== undefined && provider !== 'openai')
      throw usage('--llm local is OpenAI-compatible; leave out --provider', command);
    return { llm: null, local: true, secrets, timeoutMs, threads };
  }
  if (threads !== undefined) throw usage('--local-threads goes with --llm local', command);
  const baseUrl = urlOption(values['llm-url'], '--llm-url', command);
  if (!values.model) {
    throw usage(
      provider === 'anthropic'
        ? 'missing --model NAME for --provider anthropic'
        : 'missing the model: give --llm-url URL --model NAME, --provider anthropic --model NAME, or --llm local',
      command,
    );
  }
  if (provider === 'anthropic') {
    if (!apiKey) throw usage('--provider anthropic needs --api-key-env VAR (the variable holding the key)', command);
    const llm = { provider: 'anthropic', model: values.model, apiKey };
    if (baseUrl) llm.baseUrl = baseUrl;
    return { llm, local: false, secrets, timeoutMs };
  }
  if (!baseUrl)
    throw usage('missing --llm-url URL (an OpenAI-compatible endpoint, e.g. http://127.0.0.1:11434/v1)', command);
  const llm = { provider: 'openai', baseUrl, model: values.model };
  if (apiKey) llm.apiKey = apiKey;
  return { llm, local: false, secrets, timeoutMs };
}

/**
 * Starts the embedded local model (lib/serve-llm.mjs, loaded only when asked for).
 * @returns {Promise<{llm: object, close: () => Promise<void>, shown: string}>}
 */
export async function startLocal({ threads, model, signal, log }) {
  let mod;
  try {
    mod = await import('./serve-llm.mjs');
  } catch (e) {
    throw new CliError(
      `--llm local: the embedded model server is not part of this build (${e?.message ?? e})`,
      EXIT.ENDPOINT,
    );
  }
  let server;
  try {
    server = await mod.startLocalLlm({ port: 0, threads, signal, log });
  } catch (e) {
    if (signal?.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    throw new CliError(`--llm local: the local model could not be started: ${e?.message ?? e}`, EXIT.ENDPOINT);
  }
  return {
    llm: { provider: 'openai', baseUrl: server.url, model: model ?? server.model ?? 'local' },
    close: () => server.close(),
    shown: `${server.model ?? 'local model'} at ${server.url}`,
  };
}

/**
 * Checks that an endpoint answers at all (any HTTP status will do; no credentials are sent),
 * so that a wrong URL fails at once with a clear message instead of after every operation's
 * retries.
 * @param {string} url
 * @param {string} what the option that named it (`--base-url`, `--mcp-url`, `--llm-url`)
 * @param {AbortSignal} signal
 * @param {string} [role] how to call it in the message
 */
export async function checkReachable(url, what, signal, role = 'the tool target') {
  const timeout = AbortSignal.timeout(10_000);
  try {
    const r = await fetch(url, {
      method: 'GET',
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'manual',
      headers: { accept: '*/*' },
    });
    await r.body?.cancel().catch(() => {});
  } catch (e) {
    if (signal.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    const cause = timeout.aborted
      ? 'no answer within 10 s'
      : (e?.cause?.code ?? e?.cause?.message ?? e?.message ?? String(e));
    throw new CliError(`${role} ${what} ${shownUrl(url)} could not be reached (${cause})`, EXIT.ENDPOINT);
  }
}

/**
 * Replaces every secret (and its JSON-escaped form) with `[redacted]`. Secrets shorter than
 * 4 characters are left alone (they would mangle ordinary text).
 */
export class Scrubber {
  /** @param {string[]} secrets */
  constructor(secrets) {
    const forms = new Set();
    for (const s of secrets) {
      if (typeof s !== 'string' || s.length < 4) continue;
      forms.add(s);
      forms.add(JSON.stringify(s).slice(1, -1));
      forms.add(encodeURIComponent(s));
    }
    this.forms = [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
  }

  /** @param {string} text */
  scrub(text) {
    let out = text;
    for (const f of this.forms) if (out.includes(f)) out = out.split(f).join('[redacted]');
    return out;
  }
}

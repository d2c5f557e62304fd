// `tooldraft serve-llm`: an OpenAI-compatible chat server on 127.0.0.1, backed by
// node-llama-cpp (an optional, separately installed dependency: it is big) and the embedded
// SmolLM2-135M-Instruct model (fetched on first use, see local-model.mjs).
//
//   import { startLocalLlm } from './serve-llm.mjs';
//   const llm = await startLocalLlm({ port: 0 });      // fetches and loads the model
//   // POST `${llm.url}/chat/completions` with response_format json_schema → grammar-constrained JSON
//   await llm.close();
//
// Endpoints: GET /v1/models, POST /v1/chat/completions (text, json_object, json_schema; stream
// or not), POST /v1/embeddings (the chat model's own pooled embeddings), GET /health. One small model on few cores: requests are answered one at a time, in
// order; the prompt must fit the context and the answer is bounded by max_tokens.

import { randomBytes } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultCacheDir, ensureModel, MODEL } from './local-model.mjs';
import { BadRequest, parseChatRequest } from './llm-request.mjs';
import { DEFAULTS, loadEngine, loadNodeLlamaCpp, ServeError } from './llm-engine.mjs';

export { defaultThreads, installHint, loadNodeLlamaCpp, NODE_LLAMA_CPP_VERSION, ServeError } from './llm-engine.mjs';
/** Exit codes of `tooldraft serve-llm`. */
export const EXIT = Object.freeze({
  ok: 0,
  failure: 1,
  usage: 2,
  model: 3,
  port: 4,
  missingDependency: 5,
  interrupted: 130,
});
export const DEFAULT_PORT = 11435;

/**
 * Starts the local model server.
 * @param {{port?: number, host?: string, threads?: number, cacheDir?: string, modelPath?: string,
 *          contextSize?: number, slots?: number, maxTokens?: number, corsOrigins?: string[], nodeLlamaCppPath?: string,
 *          modelUrl?: string, signal?: AbortSignal, log?: (line: string) => void}} [opts]
 * @returns {Promise<{url: string, model: string, port: number, modelPath: string, loadMs: number,
 *          threads: number, contextSize: number, close(): Promise<void>}>}
 */
export async function startLocalLlm(opts = {}) {
  const log = opts.log ?? ((line) => process.stderr.write(`${line}\n`));
  const host = opts.host ?? '127.0.0.1';
  const contextSize = opts.contextSize ?? DEFAULTS.contextSize;
  const maxTokens = Math.min(opts.maxTokens ?? DEFAULTS.maxTokens, contextSize);
  const lib = await loadNodeLlamaCpp({ from: opts.nodeLlamaCppPath });

  const state = { ready: false, engine: null, closing: false, inflight: new Set() };
  const modelId = opts.modelPath ? basename(opts.modelPath).replace(/\.gguf$/i, '') : MODEL.id;
  const server = createServer((req, res) => {
    handle(req, res, { state, modelId, host, contextSize, maxTokens, corsOrigins: opts.corsOrigins ?? [], log }).catch(
      (err) => {
        log(`serve-llm: ${err.message}`);
        if (!res.headersSent) sendError(res, 500, err.message, 'server_error');
        else res.destroy();
      },
    );
  });
  const port = await listen(server, opts.port ?? 0, host);
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  const shutdownServer = () =>
    new Promise((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });

  try {
    const t0 = performance.now();
    let modelPath = opts.modelPath;
    if (modelPath) {
      const st = await stat(modelPath).catch(() => null);
      if (!st?.isFile())
        throw new ServeError('ModelMissing', `no model file at ${modelPath} (--model takes a .gguf file)`);
    } else {
      const cacheDir = opts.cacheDir ?? defaultCacheDir();
      modelPath = (await ensureModel({ cacheDir, modelUrl: opts.modelUrl, log, signal: opts.signal })).path;
    }
    opts.signal?.throwIfAborted();
    // The embedded model's chat template adds this system message when a chat has none;
    // node-llama-cpp's ChatML wrapper does not, so it is added here.
    const defaultSystem = opts.modelPath
      ? null
      : 'You are a helpful AI assistant named SmolLM, trained by Hugging Face';
    state.engine = await loadEngine(lib, {
      modelPath,
      threads: opts.threads,
      contextSize,
      slots: opts.slots,
      defaultSystem,
      log,
    });
    state.ready = true;
    const loadMs = Math.round(performance.now() - t0);
    const urlHost = host.includes(':') ? `[${host}]` : host;
    return {
      url: `http://${urlHost}:${port}/v1`,
      model: modelId,
      port,
      modelPath,
      loadMs,
      threads: state.engine.threads,
      contextSize,
      async close() {
        if (state.closing) return;
        state.closing = true;
        state.ready = false;
        for (const c of state.inflight) c.abort();
        await shutdownServer();
        await state.engine.idle();
        await state.engine.dispose();
      },
    };
  } catch (err) {
    await shutdownServer();
    await state.engine?.dispose();
    throw err;
  }
}

function listen(server, port, host) {
  return new Promise((resolve, reject) => {
    const onError = (err) => {
      if (err.code === 'EADDRINUSE') {
        reject(
          new ServeError(
            'PortInUse',
            `port ${port} on ${host} is already in use: pick another with --port, or --port 0 for a free one`,
          ),
        );
      } else if (err.code === 'EACCES') {
        reject(new ServeError('PortInUse', `no permission to listen on ${host}:${port}: pick a port above 1023`));
      } else {
        reject(new ServeError('ListenFailed', `could not listen on ${host}:${port}: ${err.message}`));
      }
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve(server.address().port);
    });
  });
}

// ------------------------------------------------------------------------------------ HTTP

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

function allowedOrigin(origin, corsOrigins) {
  if (!origin) return null;
  if (corsOrigins.includes('*')) return '*';
  if (corsOrigins.includes(origin)) return origin;
  try {
    const u = new URL(origin);
    if ((u.protocol === 'http:' || u.protocol === 'https:') && LOOPBACK.test(u.hostname)) return origin;
  } catch {
    // an opaque origin ("null") is not allowed
  }
  return null;
}

function isLoopback(host) {
  return LOOPBACK.test(host) || host === '::1';
}

/**
 * On a loopback address, a request's Host must name this machine, so a page on another site
 * that rebinds its DNS name to 127.0.0.1 cannot reach the model. (Bound elsewhere on purpose
 * with --host, clients use whatever name reaches it.)
 */
function hostAllowed(hostHeader, boundHost) {
  if (!hostHeader || !isLoopback(boundHost)) return true;
  return isLoopback(hostHeader.replace(/:\d+$/, ''));
}

async function handle(req, res, ctx) {
  const t0 = performance.now();
  const origin = req.headers.origin;
  const allow = allowedOrigin(origin, ctx.corsOrigins);
  if (allow) {
    res.setHeader('Access-Control-Allow-Origin', allow);
    res.setHeader('Vary', 'Origin');
    res.setHeader('Access-Control-Expose-Headers', 'X-Tooldraft-Grammar, X-Tooldraft-Grammar-Note');
  }
  if (!hostAllowed(req.headers.host, ctx.host))
    return sendError(res, 403, `host ${req.headers.host} is not this machine`, 'forbidden');
  if (origin && !allow) {
    return sendError(
      res,
      403,
      `origin ${origin} may not use this server; start it with --cors-origin ${origin}`,
      'forbidden',
    );
  }
  const path = (req.url ?? '/').split('?')[0].replace(/\/+$/, '') || '/';

  if (req.method === 'OPTIONS') {
    res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    res.setHeader(
      'Access-Control-Allow-Headers',
      req.headers['access-control-request-headers'] || 'authorization, content-type',
    );
    res.setHeader('Access-Control-Max-Age', '600');
    if (req.headers['access-control-request-private-network'] === 'true')
      res.setHeader('Access-Control-Allow-Private-Network', 'true');
    res.writeHead(204).end();
    return;
  }
  if (path === '/health' && req.method === 'GET') {
    return sendJson(res, ctx.state.ready ? 200 : 503, {
      status: ctx.state.ready ? 'ok' : 'loading',
      model: ctx.modelId,
    });
  }
  if (path === '/v1/models' && req.method === 'GET') {
    return sendJson(res, 200, { object: 'list', data: [modelCard(ctx.modelId)] });
  }
  if (path === `/v1/models/${ctx.modelId}` && req.method === 'GET') return sendJson(res, 200, modelCard(ctx.modelId));
  if (path === '/v1/chat/completions') {
    if (req.method !== 'POST') return sendError(res, 405, 'use POST for /v1/chat/completions', 'method_not_allowed');
    return chatCompletions(req, res, ctx, t0);
  }
  if (path === '/v1/embeddings') {
    if (req.method !== 'POST') return sendError(res, 405, 'use POST for /v1/embeddings', 'method_not_allowed');
    return embeddings(req, res, ctx, t0);
  }
  return sendError(
    res,
    404,
    `no route ${req.method} ${path}; this server has GET /v1/models, POST /v1/chat/completions and POST /v1/embeddings`,
    'not_found',
  );
}

/** Texts one embeddings request may carry. */
const MAX_EMBEDDING_INPUTS = 256;

/** `POST /v1/embeddings`: `{input: string | string[], model?}` → OpenAI's list of embeddings. */
async function embeddings(req, res, ctx, t0) {
  const { state, log } = ctx;
  let body;
  try {
    body = JSON.parse(await readBody(req, DEFAULTS.bodyLimit));
  } catch (err) {
    if (err instanceof BadRequest) return sendError(res, 413, err.message, 'request_too_large');
    return sendError(res, 400, `the body is not valid JSON: ${err.message}`, 'invalid_json');
  }
  const input = typeof body?.input === 'string' ? [body.input] : body?.input;
  if (!Array.isArray(input) || input.length === 0 || !input.every((t) => typeof t === 'string')) {
    return sendError(res, 400, '`input` must be a string or a non-empty list of strings', 'invalid_input', 'input');
  }
  if (input.length > MAX_EMBEDDING_INPUTS) {
    return sendError(
      res,
      400,
      `at most ${MAX_EMBEDDING_INPUTS} inputs per request, not ${input.length}`,
      'too_many_inputs',
      'input',
    );
  }
  if (!state.ready) {
    res.setHeader('Retry-After', '1');
    return sendError(res, 503, 'the model is still loading', 'loading');
  }
  const engine = state.engine;
  if (engine.queued >= DEFAULTS.queueLimit) {
    res.setHeader('Retry-After', '5');
    return sendError(res, 503, `${engine.queued} requests are already waiting for the local model`, 'busy');
  }
  const out = await engine.enqueue(() => engine.embed(input));
  log(
    `POST /v1/embeddings 200 ${input.length} inputs ${out.promptTokens} tokens ${Math.round(performance.now() - t0)} ms`,
  );
  sendJson(res, 200, {
    object: 'list',
    data: out.vectors.map((embedding, index) => ({ object: 'embedding', index, embedding })),
    model: ctx.modelId,
    usage: { prompt_tokens: out.promptTokens, total_tokens: out.promptTokens },
  });
}

function modelCard(id) {
  return { id, object: 'model', created: 0, owned_by: 'tooldraft-local' };
}

async function chatCompletions(req, res, ctx, t0) {
  const { state, log } = ctx;
  let body;
  try {
    body = JSON.parse(await readBody(req, DEFAULTS.bodyLimit));
  } catch (err) {
    if (err instanceof BadRequest) return sendError(res, 413, err.message, 'request_too_large');
    return sendError(res, 400, `the body is not valid JSON: ${err.message}`, 'invalid_json');
  }
  let parsed;
  try {
    parsed = parseChatRequest(body, { maxTokens: ctx.maxTokens, maxTokensCap: ctx.contextSize });
  } catch (err) {
    if (err instanceof BadRequest) return sendError(res, 400, err.message, err.code, err.param);
    throw err;
  }
  if (!state.ready) {
    res.setHeader('Retry-After', '1');
    return sendError(res, 503, 'the model is still loading', 'loading');
  }
  const engine = state.engine;
  if (engine.queued >= DEFAULTS.queueLimit) {
    res.setHeader('Retry-After', '5');
    return sendError(res, 503, `${engine.queued} requests are already waiting for the local model`, 'busy');
  }
  const abort = new AbortController();
  state.inflight.add(abort);
  res.on('close', () => {
    state.inflight.delete(abort);
    if (!res.writableFinished) abort.abort();
  });

  await engine.enqueue(async () => {
    if (abort.signal.aborted) return;
    const g = await engine.grammarFor(parsed.responseFormat);
    const { promptTokens, cachedTokens, slot } = engine.prepare(parsed.history);
    const room = ctx.contextSize - promptTokens - 8;
    if (room < 1) {
      return sendError(
        res,
        400,
        `the prompt has ${promptTokens} tokens; the local model's context holds ${ctx.contextSize} (start it with a larger --context)`,
        'context_length_exceeded',
        'messages',
      );
    }
    const maxTokens = Math.min(parsed.maxTokens, room);
    res.setHeader('X-Tooldraft-Grammar', g.used);
    const note = g.note
      ? `schema not usable as a grammar (${g.note}); used the json_object grammar`
      : g.ignored?.length
        ? `constraints not enforced: ${g.ignored.join(', ')}`
        : null;
    if (note) {
      res.setHeader('X-Tooldraft-Grammar-Note', note.replace(/[^\x20-\x7e]/g, '?'));
      if (g.note) log(`serve-llm: ${note}`);
    }
    const id = `chatcmpl-${randomBytes(12).toString('hex')}`;
    const created = Math.floor(Date.now() / 1000);
    const base = { id, created, model: ctx.modelId };
    const tGen = performance.now();
    let out;
    if (parsed.stream) {
      res.writeHead(200, {
        'Content-Type': 'text/event-stream',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      });
      const chunk = (delta, finish = null) =>
        res.write(
          `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`,
        );
      chunk({ role: 'assistant', content: '' });
      try {
        out = await engine.generate(parsed, {
          slot,
          grammar: g.grammar,
          maxTokens,
          signal: abort.signal,
          onText: (t) => chunk({ content: t }),
        });
      } catch (err) {
        if (abort.signal.aborted) return;
        throw err;
      }
      chunk({}, out.finishReason);
      if (parsed.includeUsage) {
        res.write(
          `data: ${JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [], usage: usage(promptTokens, out) })}\n\n`,
        );
      }
      res.end('data: [DONE]\n\n');
    } else {
      try {
        out = await engine.generate(parsed, { slot, grammar: g.grammar, maxTokens, signal: abort.signal });
      } catch (err) {
        if (abort.signal.aborted) return;
        throw err;
      }
      sendJson(res, 200, {
        ...base,
        object: 'chat.completion',
        choices: [{ index: 0, message: { role: 'assistant', content: out.text }, finish_reason: out.finishReason }],
        usage: usage(promptTokens, out),
      });
    }
    const genS = (performance.now() - tGen) / 1000;
    log(
      `POST /v1/chat/completions 200 ${g.used} ${promptTokens} (${cachedTokens} cached)+${out.completionTokens} tokens ` +
        `${((performance.now() - t0) / 1000).toFixed(2)} s (${(out.completionTokens / Math.max(genS, 1e-3)).toFixed(1)} completion tokens/s, ${out.finishReason})`,
    );
  });
}

function usage(promptTokens, out) {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: out.completionTokens,
    total_tokens: promptTokens + out.completionTokens,
  };
}

function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size > limit) {
        reject(new BadRequest(`the body is larger than ${limit} bytes`));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sendJson(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function sendError(res, status, message, code, param = null) {
  const type = status >= 500 ? 'server_error' : 'invalid_request_error';
  sendJson(res, status, { error: { message, type, param, code } });
}

// ------------------------------------------------------------------------------------- CLI

const USAGE = `usage: tooldraft serve-llm [options]

Starts an OpenAI-compatible server for the embedded local model (SmolLM2-135M-Instruct) on
127.0.0.1. Prints {"url": ...} as its first stdout line once the model is loaded. Ctrl-C stops it.

  --port P           port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host H           address to bind (default 127.0.0.1; anything else is reachable by others)
  --threads N        CPU threads for the model (default: half the cores, at least 1)
  --context N        context size in tokens (default ${DEFAULTS.contextSize})
  --slots N          prompts kept cached, each in its own context (default ${DEFAULTS.slots})
  --max-tokens N     default max_tokens of an answer (default ${DEFAULTS.maxTokens})
  --model FILE.gguf  use this GGUF model instead of the embedded one (no checksum)
  --cache-dir DIR    where the model is cached (default $TOOLDRAFT_CACHE_DIR, else ~/.cache/tooldraft/models)
  --cors-origin O    also allow this browser origin (repeatable; '*' for any). Loopback origins are always allowed
  --fetch-only       download and check the model, print its path, exit
  -h, --help         this help

Exit codes: 0 stopped by Ctrl-C/SIGTERM, 1 other failure, 2 bad usage, 3 model missing or corrupt,
4 port in use, 5 node-llama-cpp not installed, 130 interrupted while starting.`;

/**
 * Runs `tooldraft serve-llm`; resolves with the exit code once the server has stopped.
 * @param {string[]} argv the arguments after `serve-llm`
 * @param {{stdout?: NodeJS.WritableStream, stderr?: NodeJS.WritableStream}} [io]
 */
export async function main(argv, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const say = (line) => stderr.write(`${line}\n`);
  let opts;
  try {
    opts = parseCli(argv);
  } catch (err) {
    say(`tooldraft serve-llm: ${err.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (opts.help) {
    stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  // Ctrl-C while the model downloads or loads aborts that (temp files are removed); once the
  // server runs, it stops it.
  const abort = new AbortController();
  let onStop = null;
  const stop = (sig) => (onStop ? onStop(sig) : abort.abort(new ServeError('Aborted', `stopped by ${sig}`)));
  const onInt = () => stop('SIGINT');
  const onTerm = () => stop('SIGTERM');
  process.on('SIGINT', onInt);
  process.on('SIGTERM', onTerm);
  try {
    if (opts.fetchOnly) {
      const cacheDir = opts.cacheDir ?? defaultCacheDir();
      const got = await ensureModel({ cacheDir, log: say, signal: abort.signal });
      stdout.write(`${JSON.stringify({ model: got.path, sha256: MODEL.sha256, fetched: got.fetched })}\n`);
      return EXIT.ok;
    }
    if (!isLoopback(opts.host)) {
      say(
        `serve-llm: warning: listening on ${opts.host}; anyone who reaches it can use the model (there is no authentication)`,
      );
    }
    const llm = await startLocalLlm({ ...opts, log: say, signal: abort.signal });
    stdout.write(`${JSON.stringify({ url: llm.url, model: llm.model })}\n`);
    say(
      `local model ${llm.model} ready at ${llm.url} (loaded in ${(llm.loadMs / 1000).toFixed(1)} s, ` +
        `${llm.threads} thread${llm.threads === 1 ? '' : 's'}, context ${llm.contextSize}); Ctrl-C to stop`,
    );
    const signal = await new Promise((resolve) => {
      onStop = resolve;
    });
    say(`serve-llm: ${signal}, stopping`);
    await llm.close();
    return EXIT.ok;
  } catch (err) {
    say(`tooldraft serve-llm: ${abort.signal.aborted ? abort.signal.reason.message : err.message}`);
    return abort.signal.aborted ? EXIT.interrupted : exitCodeFor(err);
  } finally {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
  }
}

function exitCodeFor(err) {
  switch (err?.code) {
    case 'MissingDependency':
      return EXIT.missingDependency;
    case 'PortInUse':
      return EXIT.port;
    case 'ModelCorrupt':
    case 'ModelUnavailable':
    case 'ModelMissing':
    case 'ModelBadArchive':
    case 'ModelLoadFailed':
      return EXIT.model;
    default:
      return EXIT.failure;
  }
}

function parseCli(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      threads: { type: 'string' },
      context: { type: 'string' },
      slots: { type: 'string' },
      'max-tokens': { type: 'string' },
      model: { type: 'string' },
      'cache-dir': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'fetch-only': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (positionals.length) throw new Error(`unexpected argument ${positionals[0]}`);
  const int = (name, min, max, dflt) => {
    const v = values[name];
    if (v === undefined) return dflt;
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max)
      throw new Error(`--${name} must be an integer from ${min} to ${max}`);
    return Number(v);
  };
  return {
    help: values.help ?? false,
    fetchOnly: values['fetch-only'] ?? false,
    port: int('port', 0, 65535, DEFAULT_PORT),
    host: values.host ?? '127.0.0.1',
    threads: int('threads', 1, 256, undefined),
    contextSize: int('context', 256, 131072, DEFAULTS.contextSize),
    slots: int('slots', 1, 16, DEFAULTS.slots),
    maxTokens: int('max-tokens', 1, 131072, DEFAULTS.maxTokens),
    modelPath: values.model,
    cacheDir: values['cache-dir'],
    corsOrigins: values['cors-origin'] ?? [],
  };
}

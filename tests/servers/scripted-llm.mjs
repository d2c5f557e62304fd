#!/usr/bin/env node
// scripted-llm.mjs: a scripted OpenAI-compatible (and Anthropic-compatible) LLM server for
// tests, in plain Node with no dependencies. Deterministic; bound to 127.0.0.1 only.
//
// Usage:
//   node tests/servers/scripted-llm.mjs [--port 0] [--script file.json] [--latency-ms N]
//                                       [--model NAME] [--exit-on-stdin-close]
//   --port N               port to listen on (0, the default, picks a free one)
//   --script FILE          a JSON script (see below); without one the server runs in auto mode
//   --latency-ms N         wait N ms before answering every model request
//   --model NAME           the model name reported (default "scripted-llm")
//   --exit-on-stdin-close  exit when stdin ends (so a parent that dies takes the server along)
// The first stdout line is `{"url": "http://127.0.0.1:PORT/v1"}`. SIGINT/SIGTERM stop it.
//
// Endpoints (CORS on for every origin, preflight answered, Retry-After etc. exposed):
//   GET  /v1/models            one model
//   POST /v1/chat/completions  OpenAI chat completions (also `stream: true`, as one chunk)
//   POST /v1/messages          Anthropic Messages (text, or a tool_use block when a tool is forced)
//   POST /v1/embeddings        deterministic bag-of-words vectors (64 dims, or `dimensions`)
//   GET  /__log                every request received: [{seq, method, path, headers, body, status, step}]
//   GET  /__log?counts         requests received so far by path: {path: n} (small, for long runs)
//   DELETE /__log              clears the log
//   POST /__script             replaces the script (same forms as the file); GET /__script shows what is left
//
// Script: a list of steps, or {"steps": [...], "rejectResponseFormat": ["json_schema", ...],
// "model": "..."}. `rejectResponseFormat` makes the endpoint refuse those response_format
// types on every request (HTTP 400), as servers without structured output do. Steps are
// consumed in order by model requests; a step is eligible when its optional `match`
// substring (or every substring of a `match` list) occurs in the last user message and its
// optional `endpoint` ("chat", "messages",
// "embeddings"; default: chat and messages) fits. `"times": N` lets a step serve N requests.
// Step forms:
//   {"content": "..."}                      answer with this text
//   {"json": {...}}                         answer with this value as JSON text (or as the forced tool's input)
//   {"fault": "429", "retryAfter": 1}       HTTP 429 (Retry-After header when given; a string is sent verbatim)
//   {"fault": "500", "status": 503}         HTTP 5xx with an OpenAI-style error body
//   {"fault": "slow", "delayMs": 5000}      wait, then answer as the step's content/json or auto mode
//   {"fault": "brokenJson"}                 content that is not JSON (or the step's "content")
//   {"fault": "truncated"}                  the auto answer cut in half, finish_reason "length"
//   {"fault": "emptyChoices"}               200 with `choices: []`
//   {"fault": "html"}                       an HTML error page (status 502, or "status")
//   {"fault": "invalidBody"}                200 whose body is not JSON at all
//   {"fault": "disconnect"}                 the connection is dropped without an answer
//   {"fault": "rejectResponseFormat"}       400 naming response_format; only eligible for requests
//                                           that use one of its "types" (default ["json_schema"])
// Every step may also set "status", "headers", "usage" ({prompt_tokens, completion_tokens}),
// "delayMs" and "finishReason".
//
// Auto mode (script exhausted or absent; scripted-llm-auto.mjs): a schema from
// `response_format.json_schema.schema`, from a forced Anthropic tool's `input_schema`, or from
// a ```json block after the words "JSON Schema" in the prompt is answered with a deterministic,
// schema-valid instance derived from the prompt (a stable hash seeds every choice; strings are
// built from the prompt's words). `json_object` without a schema gets {"answer": "..."};
// otherwise a sentence.
// Usage is reported as characters / 4.

import http from 'node:http';
import fs from 'node:fs';
import { autoText, contentText, generate, hash, schemaInPrompt } from './scripted-llm-auto.mjs';

// ---------- arguments ----------
const args = process.argv.slice(2);
const opt = { port: 0, script: null, latencyMs: 0, model: 'scripted-llm', exitOnStdinClose: false };
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const next = () => {
    if (i + 1 >= args.length) fail(`${a} needs a value`);
    return args[++i];
  };
  if (a === '--port') opt.port = Number(next());
  else if (a === '--script') opt.script = next();
  else if (a === '--latency-ms') opt.latencyMs = Number(next());
  else if (a === '--model') opt.model = next();
  else if (a === '--exit-on-stdin-close') opt.exitOnStdinClose = true;
  else if (a === '--help' || a === '-h') {
    process.stdout.write(
      'usage: scripted-llm.mjs [--port N] [--script FILE] [--latency-ms N] [--model NAME] [--exit-on-stdin-close]\n',
    );
    process.exit(0);
  } else fail(`unknown argument ${a}`);
}

function fail(msg) {
  process.stderr.write(`scripted-llm: ${msg}\n`);
  process.exit(2);
}

// ---------- state ----------
let steps = [];
let rejectFormats = new Set();
let model = opt.model;
const log = [];
let seq = 0;

function loadScript(script) {
  const s = Array.isArray(script) ? { steps: script } : script && typeof script === 'object' ? script : null;
  if (!s || (s.steps !== undefined && !Array.isArray(s.steps)))
    throw new Error('a script is a list of steps or {steps: [...]}');
  steps = (s.steps || []).map((st) => ({ ...st }));
  rejectFormats = new Set(s.rejectResponseFormat || []);
  if (s.model) model = s.model;
}

if (opt.script) {
  try {
    loadScript(JSON.parse(fs.readFileSync(opt.script, 'utf8')));
  } catch (e) {
    fail(`cannot read the script ${opt.script}: ${e.message}`);
  }
}

// ---------- HTTP ----------
function cors(req, res) {
  const origin = req.headers.origin;
  res.setHeader('Access-Control-Allow-Origin', origin || '*');
  if (origin) res.setHeader('Vary', 'Origin');
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, DELETE, OPTIONS');
  res.setHeader(
    'Access-Control-Allow-Headers',
    req.headers['access-control-request-headers'] ||
      'authorization, content-type, x-api-key, anthropic-version, anthropic-dangerous-direct-browser-access',
  );
  res.setHeader('Access-Control-Expose-Headers', 'Retry-After, Retry-After-Ms, Date, Content-Type, X-Request-Id');
  res.setHeader('Access-Control-Max-Age', '600');
}

function send(res, status, body, headers = {}) {
  if (res.destroyed || res.writableEnded) return;
  const isText = typeof body === 'string';
  const data = isText ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...headers });
  res.end(data);
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tokens = (s) => Math.max(1, Math.ceil(s.length / 4));

function lastUser(messages) {
  for (let i = messages.length - 1; i >= 0; i--)
    if (messages[i].role === 'user') return contentText(messages[i].content);
  return '';
}

function requestedFormat(kind, body) {
  if (kind === 'chat') return body.response_format?.type;
  if (kind === 'messages') return body.tool_choice && body.tool_choice.type === 'tool' ? 'tool' : undefined;
  return undefined;
}

function takeStep(kind, body, messages) {
  const user = lastUser(messages);
  const fmt = requestedFormat(kind, body);
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i];
    const where = s.endpoint ? [s.endpoint] : ['chat', 'messages'];
    if (!where.includes(kind)) continue;
    if (typeof s.match === 'string' && !user.includes(s.match)) continue;
    if (Array.isArray(s.match) && !s.match.every((m) => user.includes(String(m)))) continue;
    if (s.fault === 'rejectResponseFormat' && !(s.types || ['json_schema', 'tool']).includes(fmt)) continue;
    if (typeof s.times === 'number' && s.times > 1) s.times -= 1;
    else steps.splice(i, 1);
    return s;
  }
  return null;
}

/// The schema a model request asks for, and whether it asked for JSON at all.
function wanted(kind, body, messages) {
  if (kind === 'chat') {
    const rf = body.response_format || {};
    if (rf.type === 'json_schema' && rf.json_schema && rf.json_schema.schema)
      return { schema: rf.json_schema.schema, json: true };
    const inPrompt = schemaInPrompt(messages);
    return { schema: inPrompt, json: rf.type === 'json_object' || !!inPrompt };
  }
  if (kind === 'messages') {
    const forced =
      body.tool_choice &&
      body.tool_choice.type === 'tool' &&
      (body.tools || []).find((t) => t.name === body.tool_choice.name);
    if (forced) return { schema: forced.input_schema || { type: 'object' }, json: true, tool: forced.name };
    const inPrompt = schemaInPrompt(messages);
    return { schema: inPrompt, json: !!inPrompt };
  }
  return { schema: null, json: false };
}

function autoAnswer(kind, body, messages) {
  const w = wanted(kind, body, messages);
  if (w.schema) return { value: generate(w.schema, messages), tool: w.tool };
  if (w.json) return { value: { answer: autoText(messages) } };
  return { text: autoText(messages) };
}

function errorBody(kind, type, message) {
  return kind === 'messages'
    ? { type: 'error', error: { type, message } }
    : { error: { message, type, param: null, code: null } };
}

function chatMessages(kind, body) {
  const msgs = Array.isArray(body.messages) ? body.messages : [];
  if (kind === 'messages' && body.system) return [{ role: 'system', content: contentText(body.system) }, ...msgs];
  return msgs;
}

async function modelRequest(kind, body, req, res, entry) {
  const messages = chatMessages(kind, body);
  if (opt.latencyMs > 0) await sleep(opt.latencyMs);
  if (kind === 'chat' || kind === 'messages') {
    const fmt = requestedFormat(kind, body);
    if (fmt && rejectFormats.has(fmt)) {
      entry.step = 'rejectResponseFormat';
      return reject(kind, fmt, res, entry);
    }
  }
  const step = takeStep(kind, body, messages);
  entry.step = step ? step.fault || (step.json !== undefined ? 'json' : 'content') : 'auto';
  if (step?.delayMs && step.fault !== 'slow') await sleep(step.delayMs);
  const headers = step?.headers || {};
  const status = step?.status;
  switch (step?.fault) {
    case '429': {
      const h = { ...headers };
      if (step.retryAfter !== undefined) h['Retry-After'] = String(step.retryAfter);
      entry.status = 429;
      return send(
        res,
        429,
        errorBody(
          kind,
          kind === 'messages' ? 'rate_limit_error' : 'requests',
          'Rate limit reached for requests. Please try again later.',
        ),
        h,
      );
    }
    case '500':
      entry.status = status || 500;
      return send(
        res,
        entry.status,
        errorBody(
          kind,
          kind === 'messages' ? 'api_error' : 'server_error',
          'The server had an error while processing your request.',
        ),
        headers,
      );
    case 'html':
      entry.status = status || 502;
      res.writeHead(entry.status, { 'Content-Type': 'text/html; charset=utf-8', ...headers });
      return res.end(
        '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>',
      );
    case 'invalidBody':
      entry.status = 200;
      res.writeHead(200, { 'Content-Type': 'application/json', ...headers });
      return res.end('{"id": "chatcmpl-broken", "choices": [{"index": 0, "message": {"role": "assist');
    case 'disconnect':
      entry.status = 0;
      return req.socket.destroy();
    case 'emptyChoices':
      entry.status = 200;
      if (kind === 'messages')
        return send(
          res,
          200,
          {
            id: 'msg_empty',
            type: 'message',
            role: 'assistant',
            model,
            content: [],
            stop_reason: 'end_turn',
            usage: { input_tokens: 1, output_tokens: 0 },
          },
          headers,
        );
      return send(
        res,
        200,
        {
          id: 'chatcmpl-empty',
          object: 'chat.completion',
          created: 1700000000,
          model,
          choices: [],
          usage: { prompt_tokens: 1, completion_tokens: 0, total_tokens: 1 },
        },
        headers,
      );
    case 'rejectResponseFormat':
      return reject(kind, requestedFormat(kind, body), res, entry);
    case 'slow':
      await sleep(step.delayMs ?? 5000);
      break;
    default:
      break;
  }
  if (kind === 'embeddings') return embeddings(body, res, entry, step);
  // Decide the answer.
  let text;
  let toolInput;
  let finish = step?.finishReason || 'stop';
  const w = wanted(kind, body, messages);
  if (step && step.fault === 'brokenJson') {
    text =
      typeof step.content === 'string'
        ? step.content
        : 'Sure! Here is the JSON you asked for: {"result": oops, this is not json';
  } else if (step && step.json !== undefined) {
    if (w.tool) toolInput = step.json;
    else text = JSON.stringify(step.json);
  } else if (step && typeof step.content === 'string') {
    text = step.content;
  } else {
    const a = autoAnswer(kind, body, messages);
    if (a.tool && step?.fault !== 'truncated') toolInput = a.value;
    else text = a.value !== undefined ? JSON.stringify(a.value, null, step?.fault === 'truncated' ? 2 : 0) : a.text;
  }
  if (step && step.fault === 'truncated') {
    text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
    toolInput = undefined;
    finish = 'length';
  }
  const promptText =
    messages.map((m) => contentText(m.content)).join('\n') + JSON.stringify(body.response_format || body.tools || '');
  const completionText = toolInput !== undefined ? JSON.stringify(toolInput) : text;
  const usage = {
    prompt_tokens: step?.usage?.prompt_tokens ?? tokens(promptText),
    completion_tokens: step?.usage?.completion_tokens ?? tokens(completionText),
  };
  entry.status = status || 200;
  const id = `${kind === 'messages' ? 'msg' : 'chatcmpl'}-scripted-${entry.seq}`;
  if (kind === 'messages') {
    const content =
      toolInput !== undefined
        ? [{ type: 'tool_use', id: `toolu_${entry.seq}`, name: w.tool, input: toolInput }]
        : [{ type: 'text', text }];
    const stop = finish === 'length' ? 'max_tokens' : toolInput !== undefined ? 'tool_use' : 'end_turn';
    return send(
      res,
      entry.status,
      {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content,
        stop_reason: stop,
        stop_sequence: null,
        usage: { input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens },
      },
      headers,
    );
  }
  if (body.stream) {
    res.writeHead(entry.status, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', ...headers });
    const chunk = (delta, fr, extra = {}) =>
      `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created: 1700000000, model, choices: [{ index: 0, delta, finish_reason: fr }], ...extra })}\n\n`;
    res.write(chunk({ role: 'assistant', content: text }, null));
    res.write(chunk({}, finish, { usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens } }));
    return res.end('data: [DONE]\n\n');
  }
  return send(
    res,
    entry.status,
    {
      id,
      object: 'chat.completion',
      created: 1700000000,
      model,
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: finish }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
    headers,
  );
}

function reject(kind, fmt, res, entry) {
  entry.status = 400;
  const message =
    kind === 'messages'
      ? 'tools: tool use is not supported by this model'
      : `Invalid parameter: 'response_format' of type '${fmt}' is not supported with this model.`;
  return send(res, 400, errorBody(kind, 'invalid_request_error', message));
}

function embeddings(body, res, entry, step) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const dim = Number.isInteger(body.dimensions) && body.dimensions > 0 ? Math.min(body.dimensions, 4096) : 64;
  const data = inputs.map((text, index) => {
    const v = new Array(dim).fill(0);
    for (const m of String(text ?? '')
      .toLowerCase()
      .matchAll(/[a-z0-9]+/g)) {
      const h = hash(m[0]);
      v[h % dim] += (h >>> 16) & 1 ? 1 : -1;
    }
    const norm = Math.sqrt(v.reduce((a, x) => a + x * x, 0));
    if (norm === 0) v[0] = 1;
    return { object: 'embedding', index, embedding: norm === 0 ? v : v.map((x) => Math.round((x / norm) * 1e6) / 1e6) };
  });
  const promptTokens = inputs.reduce((a, t) => a + tokens(String(t ?? '')), 0);
  entry.status = step?.status || 200;
  send(res, entry.status, {
    object: 'list',
    data,
    model: body.model || model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const server = http.createServer(async (req, res) => {
  cors(req, res);
  const url = new URL(req.url, 'http://127.0.0.1');
  const path = url.pathname.replace(/\/+$/, '') || '/';
  let raw = '';
  try {
    raw = await readBody(req);
  } catch {
    return;
  }
  let body = null;
  try {
    body = raw ? JSON.parse(raw) : null;
  } catch {
    body = raw;
  }
  if (path === '/__log') {
    if (req.method === 'DELETE') {
      log.length = 0;
      return send(res, 200, { ok: true });
    }
    if (req.method === 'OPTIONS') return send(res, 204, '');
    if (url.searchParams.has('counts')) {
      const counts = {};
      for (const e of log) counts[e.path] = (counts[e.path] ?? 0) + 1;
      return send(res, 200, counts);
    }
    return send(res, 200, log);
  }
  if (path === '/__script') {
    if (req.method === 'OPTIONS') return send(res, 204, '');
    if (req.method === 'GET') return send(res, 200, { steps, rejectResponseFormat: [...rejectFormats], model });
    try {
      loadScript(body);
    } catch (e) {
      return send(res, 400, { error: { message: e.message } });
    }
    return send(res, 200, { ok: true, steps: steps.length });
  }
  const entry = { seq: ++seq, method: req.method, path, headers: req.headers, body, status: null, step: null };
  log.push(entry);
  if (req.method === 'OPTIONS') {
    entry.status = 204;
    res.writeHead(204);
    return res.end();
  }
  const kinds = { '/v1/chat/completions': 'chat', '/v1/messages': 'messages', '/v1/embeddings': 'embeddings' };
  try {
    if (path === '/v1/models' && req.method === 'GET') {
      entry.status = 200;
      return send(res, 200, {
        object: 'list',
        data: [{ id: model, object: 'model', created: 1700000000, owned_by: 'scripted-llm' }],
      });
    }
    const kind = kinds[path];
    if (!kind) {
      entry.status = 404;
      return send(res, 404, {
        error: { message: `no route for ${req.method} ${path}`, type: 'invalid_request_error' },
      });
    }
    if (req.method !== 'POST') {
      entry.status = 405;
      return send(res, 405, { error: { message: `use POST for ${path}`, type: 'invalid_request_error' } });
    }
    if (!body || typeof body !== 'object') {
      entry.status = 400;
      return send(res, 400, errorBody(kind, 'invalid_request_error', 'the request body must be a JSON object'));
    }
    if (kind !== 'embeddings' && !Array.isArray(body.messages)) {
      entry.status = 400;
      return send(res, 400, errorBody(kind, 'invalid_request_error', "'messages' is a required property"));
    }
    await modelRequest(kind, body, req, res, entry);
  } catch (e) {
    entry.status = 500;
    send(res, 500, { error: { message: `scripted-llm failed: ${e?.message}`, type: 'server_error' } });
  }
});

server.on('clientError', (_e, socket) => socket.destroy());
server.listen(opt.port, '127.0.0.1', () => {
  const { port } = server.address();
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}/v1` })}\n`);
});

const stop = () => {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
if (opt.exitOnStdinClose) {
  process.stdin.on('end', stop);
  process.stdin.on('close', stop);
  process.stdin.resume();
}

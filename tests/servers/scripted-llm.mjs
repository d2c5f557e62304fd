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
// Auto mode (script exhausted or absent): a schema from `response_format.json_schema.schema`,
// from a forced Anthropic tool's `input_schema`, or from a ```json block after the words
// "JSON Schema" in the prompt is answered with a deterministic, schema-valid instance derived
// from the prompt (a stable hash seeds every choice; strings are built from the prompt's
// words). `json_object` without a schema gets {"answer": "..."}; otherwise a sentence.
// Usage is reported as characters / 4.

import http from 'node:http';
import fs from 'node:fs';

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

// ---------- deterministic helpers ----------
function hash(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

class Rng {
  constructor(seed) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next() {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
}

const STOP = new Set(
  (
    'the and for with that this from your you are was were will would should could have has had not but ' +
    'into onto over under about than then them they their there these those what which when where who whom why how ' +
    "its it's can may might must each every some any all only also just more most such very other another json schema " +
    'object string number integer boolean array null true false answer reply single nothing else prose before after fit ' +
    'fits named property properties type required items description'
  ).split(' '),
);
const FALLBACK_WORDS = ['tool', 'request', 'result', 'value', 'example', 'parameter', 'service', 'response'];

function promptWords(messages) {
  const text = messages
    .filter((m) => m.role !== 'assistant')
    .map((m) => contentText(m.content))
    .join('\n')
    .replace(/```[\s\S]*?(```|$)/g, ' ');
  const seen = new Set();
  const words = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'-]{2,}/g)) {
    const w = m[0].toLowerCase().replace(/['-]+$/, '');
    if (w.length < 3 || STOP.has(w) || seen.has(w)) continue;
    seen.add(w);
    words.push(w);
  }
  for (const w of FALLBACK_WORDS) if (words.length < 6 && !seen.has(w)) words.push(w);
  return words;
}

function contentText(c) {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (typeof p === 'string' ? p : p?.text ? p.text : '')).join('\n');
  return '';
}

// ---------- auto mode: a schema-valid instance ----------
class Gen {
  constructor(root, words, rng) {
    this.root = root;
    this.words = words;
    this.rng = rng;
  }
  /// n distinct words of the prompt (repeating only when it has fewer), in the prompt's order
  /// from a random start.
  words_(n) {
    const out = [];
    const start = this.rng.int(0, this.words.length - 1);
    let step = 1 + this.rng.int(0, 2);
    if (this.words.length % step === 0) step = 1;
    for (let i = 0; i < n; i++) out.push(this.words[(start + i * step) % this.words.length]);
    return out;
  }
  phrase(n) {
    return this.words_(n).join(' ');
  }
  sentence(lo, hi) {
    const glue = ['of', 'for', 'with', 'and', 'to', 'in', 'by', 'from', 'when', 'the'];
    const ws = this.words_(this.rng.int(lo, hi));
    const out = [];
    ws.forEach((w, i) => {
      if (i > 0 && i < ws.length - 1 && this.rng.next() < 0.3) out.push(this.rng.pick(glue));
      out.push(w);
    });
    const s = out.join(' ');
    return `${s.charAt(0).toUpperCase() + s.slice(1)}.`;
  }
  resolve(s) {
    let guard = 0;
    while (s && typeof s === 'object' && typeof s.$ref === 'string' && guard++ < 32) {
      const ref = s.$ref;
      if (!ref.startsWith('#')) return {};
      let target = this.root;
      for (const raw of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        target = target && typeof target === 'object' ? target[key] : undefined;
      }
      const { $ref, ...rest } = s;
      s = { ...(target || {}), ...rest };
    }
    return s;
  }
  value(schema, key, depth) {
    let s = this.resolve(schema);
    if (s === true || s === undefined || s === null) s = {};
    if (s === false) return null;
    if (depth > 8) return this.minimal(s);
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length) {
      const nonNull = s.enum.filter((v) => v !== null);
      return this.rng.pick(nonNull.length ? nonNull : s.enum);
    }
    if (Array.isArray(s.allOf) && s.allOf.length)
      return this.value(
        mergeAll(
          s,
          s.allOf.map((x) => this.resolve(x)),
        ),
        key,
        depth,
      );
    for (const k of ['oneOf', 'anyOf']) {
      if (Array.isArray(s[k]) && s[k].length) {
        const branches = s[k].map((x) => this.resolve(x));
        const chosen = branches.find((b) => b && b.type !== 'null') || branches[0];
        const { [k]: _drop, ...rest } = s;
        return this.value({ ...rest, ...chosen }, key, depth);
      }
    }
    switch (typeOf(s)) {
      case 'object':
        return this.object(s, depth);
      case 'array':
        return this.array(s, key, depth);
      case 'integer':
        return this.number(s, true);
      case 'number':
        return this.number(s, false);
      case 'boolean':
        return this.rng.next() < 0.5;
      case 'null':
        return null;
      default:
        return this.string(s, key);
    }
  }
  minimal(s) {
    switch (typeOf(s)) {
      case 'object': {
        const o = {};
        for (const r of s.required || []) o[r] = this.string({}, r);
        return o;
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return this.number(s, typeOf(s) === 'integer');
      case 'boolean':
        return false;
      case 'null':
        return null;
      default:
        return this.string(s, '');
    }
  }
  object(s, depth) {
    const out = {};
    const props = s.properties && typeof s.properties === 'object' ? s.properties : {};
    for (const [k, sub] of Object.entries(props)) out[k] = this.value(sub, k, depth + 1);
    for (const r of s.required || []) {
      if (!(r in out)) {
        const extra =
          s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
        out[r] = this.value(extra, r, depth + 1);
      }
    }
    const minProps = s.minProperties || 0;
    for (let i = 0; Object.keys(out).length < minProps && i < 50; i++) {
      const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      out[`${this.rng.pick(this.words)}_${i}`] = this.value(extra, '', depth + 1);
    }
    return out;
  }
  array(s, key, depth) {
    const itemSchema = Array.isArray(s.items) ? null : s.items || {};
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const min = Math.max(s.minItems || 0, prefix.length);
    let max = s.maxItems ?? Math.max(min, 3);
    if (itemSchema === null || s.items === false) max = Math.min(max, prefix.length);
    let n = Math.max(min, Math.min(max, this.rng.int(1, 3)));
    if (itemSchema === null || s.items === false) n = Math.min(n, prefix.length);
    const out = [];
    const singular = key?.endsWith('s') ? key.slice(0, -1) : key;
    for (let i = 0; i < n; i++) {
      const sub = i < prefix.length ? prefix[i] : itemSchema;
      let v = this.value(sub, singular, depth + 1);
      if (s.uniqueItems) {
        for (let t = 0; t < 20 && out.some((o) => JSON.stringify(o) === JSON.stringify(v)); t++)
          v = this.value(sub, singular, depth + 1);
        if (out.some((o) => JSON.stringify(o) === JSON.stringify(v))) {
          if (out.length >= min) break;
        }
      }
      out.push(v);
    }
    return out;
  }
  number(s, integer) {
    let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
    let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
    const step = integer ? 1 : 0.01;
    if (typeof s.exclusiveMinimum === 'number') lo = Math.max(lo, s.exclusiveMinimum + step);
    else if (s.exclusiveMinimum === true && lo > -Infinity) lo += step;
    if (typeof s.exclusiveMaximum === 'number') hi = Math.min(hi, s.exclusiveMaximum - step);
    else if (s.exclusiveMaximum === true && hi < Infinity) hi -= step;
    if (lo === -Infinity && hi === Infinity) {
      lo = 1;
      hi = 100;
    } else if (lo === -Infinity) lo = hi - 100;
    else if (hi === Infinity) hi = lo + 100;
    if (integer) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    let x = lo + this.rng.next() * Math.max(0, hi - lo);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
      const m = s.multipleOf;
      x = Math.ceil(lo / m) * m;
      const count = Math.floor((hi - x) / m);
      if (count > 0) x += this.rng.int(0, Math.min(count, 100)) * m;
      x = Number(x.toFixed(10));
      return x;
    }
    if (integer) return Math.min(hi, Math.max(lo, Math.round(x)));
    return Math.min(hi, Math.max(lo, Math.round(x * 100) / 100));
  }
  string(s, key) {
    const k = (key || '').toLowerCase();
    const w = () => this.rng.pick(this.words);
    let v;
    const fmt = s.format;
    if (fmt === 'date' || (/(^|_)date$/.test(k) && !fmt))
      v = `2024-${pad(this.rng.int(1, 12))}-${pad(this.rng.int(1, 28))}`;
    else if (fmt === 'date-time')
      v = `2024-${pad(this.rng.int(1, 12))}-${pad(this.rng.int(1, 28))}T${pad(this.rng.int(0, 23))}:${pad(this.rng.int(0, 59))}:00Z`;
    else if (fmt === 'time') v = `${pad(this.rng.int(0, 23))}:${pad(this.rng.int(0, 59))}:00`;
    else if (fmt === 'email' || /email/.test(k)) v = `${w()}@example.com`;
    else if (fmt === 'uuid') v = uuid(this.rng);
    else if (fmt === 'uri' || fmt === 'url' || /(^|_)(url|uri|link|href)$/.test(k)) v = `https://example.com/${w()}`;
    else if (fmt === 'ipv4') v = `192.0.2.${this.rng.int(1, 254)}`;
    else if (/(^id$|_id$|^.+id$)/.test(k)) v = `${w()}-${this.rng.int(1, 999)}`;
    else if (/(query|search|keyword|term|question|prompt)/.test(k)) v = this.phrase(this.rng.int(2, 5));
    else if (/(name|title|label|tag|category|kind|type|mode|status|method|operation|verb|role)$/.test(k))
      v = this.phrase(this.rng.int(1, 3));
    else if (
      /(description|summary|reason|rationale|explanation|analysis|text|message|note|feedback|suggestion|comment|content|instruction|plan|thought|answer|observation|finding|critique|detail|doc)/.test(
        k,
      )
    )
      v = this.sentence(8, 16);
    else v = this.phrase(this.rng.int(1, 4));
    const min = s.minLength || 0;
    const max = s.maxLength ?? Infinity;
    while (v.length < min) v += ` ${w()}`;
    if (v.length > max) v = v.slice(0, max).trimEnd();
    while (v.length < min) v += 'x';
    return v;
  }
}

function pad(n) {
  return String(n).padStart(2, '0');
}

function uuid(rng) {
  const hex = () => Math.floor(rng.next() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

function typeOf(s) {
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null') || t[0];
  if (typeof t === 'string') return t;
  if (s.properties || s.required || s.additionalProperties !== undefined) return 'object';
  if (s.items || s.prefixItems) return 'array';
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number') return 'number';
  return 'string';
}

function mergeAll(base, parts) {
  const { allOf, ...rest } = base;
  const out = { ...rest, properties: { ...(rest.properties || {}) }, required: [...(rest.required || [])] };
  for (const p of parts) {
    if (!p || typeof p !== 'object') continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties') Object.assign(out.properties, v);
      else if (k === 'required') out.required.push(...v);
      else if (!(k in out)) out[k] = v;
    }
  }
  if (!Object.keys(out.properties).length) delete out.properties;
  if (!out.required.length) delete out.required;
  return out;
}

function generate(schema, messages) {
  const words = promptWords(messages);
  const seed = hash(messages.map((m) => `${m.role}:${contentText(m.content)}`).join('\n'));
  return new Gen(schema, words, new Rng(seed)).value(schema, '', 0);
}

function autoText(messages) {
  const words = promptWords(messages);
  const rng = new Rng(hash(messages.map((m) => contentText(m.content)).join('\n')));
  return new Gen({}, words, rng).sentence(8, 16);
}

/// A schema written into the prompt: a ```json block after "JSON Schema" (system first).
function schemaInPrompt(messages) {
  let best = null;
  messages.forEach((m, idx) => {
    const text = contentText(m.content);
    for (const f of text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)) {
      let v;
      try {
        v = JSON.parse(f[1]);
      } catch {
        continue;
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
      if (!('type' in v || 'properties' in v || '$schema' in v || 'anyOf' in v || 'oneOf' in v)) continue;
      const before = text.slice(Math.max(0, f.index - 300), f.index);
      const score = (/json schema/i.test(before) ? 2 : 0) + (m.role === 'system' ? 1 : 0);
      if (!best || score >= best.score) best = { schema: v, score, idx };
    }
  });
  return best && best.score >= 2 ? best.schema : null;
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

#!/usr/bin/env node
// A scripted OpenAI-compatible chat endpoint for the web app's tests, on 127.0.0.1 with CORS.
// It answers every json_schema request with an instance of the schema (deterministic, varying
// per call so revisions differ), and plain requests with text.
//
//   node www/tests/support/llm.mjs [--port 0] [--hostile] [--status 401] [--delay MS]
//
// --hostile puts HTML/script payloads in every string it writes (for the hostile-output test);
// --status N answers every chat request with that HTTP status (e.g. 401 for a bad key);
// --delay MS waits that long before each answer (to interrupt a run mid-way).
// Prints {"url": "http://127.0.0.1:PORT"} first; the chat endpoint is <url>/v1/chat/completions.
import { createServer } from 'node:http';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const port = Number(opt('--port', '0'));
const hostile = args.includes('--hostile');
const forcedStatus = opt('--status', null);
const delay = Number(opt('--delay', '0'));
export const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>';
let calls = 0;

const WORDS = [
  'returns',
  'the',
  'value',
  'given',
  'as',
  'input',
  'unchanged',
  'with',
  'a',
  'prefix',
  'when',
  'called',
  'by',
  'an',
  'agent',
];
function text(seed, name) {
  const n = 6 + (seed % 7);
  const words = Array.from({ length: n }, (_, i) => WORDS[(seed * 7 + i * 3) % WORDS.length]);
  const s = `${name ? `${name}: ` : ''}${words.join(' ')}.`;
  return hostile ? `${s} ${HOSTILE}` : s;
}

function instance(schema, seed, name = '', depth = 0) {
  if (!schema || typeof schema !== 'object' || depth > 6) return text(seed, name);
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum) && schema.enum.length) return schema.enum[seed % schema.enum.length];
  for (const k of ['anyOf', 'oneOf'])
    if (Array.isArray(schema[k]) && schema[k].length)
      return instance(schema[k].find((s) => s.type !== 'null') ?? schema[k][0], seed, name, depth + 1);
  if (Array.isArray(schema.allOf) && schema.allOf.length)
    return instance(Object.assign({}, ...schema.allOf), seed, name, depth + 1);
  let type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (!type) type = schema.properties ? 'object' : schema.items ? 'array' : 'string';
  switch (type) {
    case 'object': {
      const out = {};
      for (const [k, s] of Object.entries(schema.properties ?? {})) out[k] = instance(s, seed + k.length, k, depth + 1);
      return out;
    }
    case 'array': {
      const n = Math.max(schema.minItems ?? 1, 1);
      return Array.from({ length: Math.min(n, 3) }, (_, i) => instance(schema.items ?? {}, seed + i, name, depth + 1));
    }
    case 'integer':
      return Math.max(schema.minimum ?? 1, Math.min(schema.maximum ?? 1e9, 1 + (seed % 5)));
    case 'number':
      return Math.max(schema.minimum ?? 0, Math.min(schema.maximum ?? 1e9, 1.5 + (seed % 5)));
    case 'boolean':
      return seed % 2 === 0;
    case 'null':
      return null;
    default: {
      let s = text(seed, name);
      if (schema.maxLength && s.length > schema.maxLength) s = s.slice(0, schema.maxLength);
      if (schema.minLength && s.length < schema.minLength) s = s.padEnd(schema.minLength, '.');
      return s;
    }
  }
}

function cors(req) {
  return {
    'access-control-allow-origin': req.headers.origin ?? '*',
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, authorization',
    'access-control-max-age': '600',
    vary: 'origin',
  };
}

const server = createServer(async (req, res) => {
  if (req.method === 'OPTIONS') {
    res.writeHead(204, cors(req));
    return res.end();
  }
  const chunks = [];
  for await (const c of req) chunks.push(c);
  const json = (status, body) => {
    res.writeHead(status, { ...cors(req), 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (req.method === 'GET' && req.url?.endsWith('/models')) return json(200, { data: [{ id: 'scripted' }] });
  if (req.method !== 'POST' || !req.url?.includes('/chat/completions'))
    return json(404, { error: { message: `no route ${req.method} ${req.url}` } });
  if (forcedStatus)
    return json(Number(forcedStatus), {
      error: { message: `scripted status ${forcedStatus}`, type: 'invalid_request_error' },
    });
  let body;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    return json(400, { error: { message: 'request body is not JSON' } });
  }
  calls += 1;
  if (delay) await new Promise((r) => setTimeout(r, delay));
  const rf = body.response_format;
  const schema = rf?.json_schema?.schema ?? (rf?.type === 'json_object' ? { type: 'object' } : null);
  const content = schema ? JSON.stringify(instance(schema, calls)) : text(calls);
  const prompt = JSON.stringify(body.messages ?? []).length;
  json(200, {
    id: `chatcmpl-${calls}`,
    object: 'chat.completion',
    created: 0,
    model: body.model ?? 'scripted',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: {
      prompt_tokens: Math.ceil(prompt / 4),
      completion_tokens: Math.ceil(content.length / 4),
      total_tokens: Math.ceil(prompt / 4) + Math.ceil(content.length / 4),
    },
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(JSON.stringify({ url: `http://127.0.0.1:${server.address().port}` }));
});
const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

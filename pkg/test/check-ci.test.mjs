// docs/ci.md's commands, run as written: the GitHub Actions step and the pre-commit hook
// against REAL json-server (tests/servers/testbed.mjs). A thin OpenAPI document of the
// server is refined (scripted model), then checked: unchanged (exit 0), after the server's
// data changed shape (exit 5, the drift named, the JUnit file says so), against a stopped
// server (exit 3), and as a document with no stored examples (checks what it can, says what
// it could not). `npx` is replaced by a test double that runs this package's CLI (named
// below), so nothing is fetched.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { ROOT, runTooldraft, startScriptedLlm } from './cli-run-helpers.mjs';
import { CLI, closedPort, tempDir } from './helpers.mjs';

const CI_MD = join(ROOT, 'docs', 'ci.md');

/** The fenced blocks of a markdown text: [{lang, body}]. */
function fencedBlocks(md) {
  return [...md.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ lang: m[1], body: m[2] }));
}

/** The workflow's check step and the pre-commit hook, as docs/ci.md gives them. */
async function ciCommands() {
  const blocks = fencedBlocks(await readFile(CI_MD, 'utf8'));
  const workflow = blocks.find((b) => b.lang === 'yaml' && b.body.includes('tooldraft check'));
  const hook = blocks.find((b) => b.lang === 'sh' && b.body.includes('pre-commit'));
  assert.ok(workflow && hook, 'docs/ci.md has a workflow and a pre-commit hook that run tooldraft check');
  const step = workflow.body.split('\n').find((l) => /run: npx tooldraft check /.test(l));
  assert.ok(step, 'the workflow has a `run: npx tooldraft check …` step');
  return { step: step.replace(/^\s*run:\s*/, ''), hook: hook.body };
}

/** A thin document of json-server's posts and users (json-server ships no spec). */
function thinDoc(baseUrl) {
  const ok = { 200: { description: 'OK' } };
  return {
    openapi: '3.0.3',
    info: { title: 'blog', version: '1.0.0' },
    servers: [{ url: baseUrl }],
    paths: {
      '/posts': {
        get: {
          operationId: 'listPosts',
          summary: 'List posts.',
          parameters: [{ name: 'author', in: 'query', schema: { type: 'string' } }],
          responses: ok,
        },
        post: {
          operationId: 'createPost',
          summary: 'Create a post.',
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
          responses: ok,
        },
      },
      '/posts/{id}': {
        get: {
          operationId: 'getPost',
          summary: 'One post.',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer', example: 1 } }],
          responses: ok,
        },
      },
      '/users': { get: { operationId: 'listUsers', summary: 'List users.', responses: ok } },
    },
  };
}

/** Runs a shell command (or script) with the `npx` double first on PATH. */
function sh(script, { cwd, env }) {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', script], {
      cwd,
      env: { PATH: `${join(cwd, 'bin')}:${process.env.PATH}`, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() });
    });
  });
}

let bed;
let llm;
let dir;
let cleanup;
let commands;

async function startJsonServer(db) {
  const saved = process.env.TESTBED_DB;
  if (db) process.env.TESTBED_DB = db;
  try {
    return await startTestbed(['jsonserver']);
  } finally {
    if (saved === undefined) delete process.env.TESTBED_DB;
    else process.env.TESTBED_DB = saved;
  }
}

before(async () => {
  [bed, llm, { dir, cleanup }, commands] = await Promise.all([
    startJsonServer(),
    startScriptedLlm(),
    tempDir(),
    ciCommands(),
  ]);
  await mkdir(join(dir, 'docs'));
  await mkdir(join(dir, 'bin'));
  // The `npx` test double: `npx tooldraft …` runs this package's CLI; anything else fails.
  await writeFile(
    join(dir, 'bin', 'npx'),
    `#!/bin/sh\n[ "$1" = tooldraft ] || { echo "npx double: only tooldraft" >&2; exit 127; }\nshift\nexec "${process.execPath}" "${CLI}" "$@"\n`,
  );
  await chmod(join(dir, 'bin', 'npx'), 0o755);
  await writeFile(join(dir, 'docs', 'tools.json'), JSON.stringify(thinDoc(bed.urls.jsonserver), null, 2));
});

after(async () => {
  await Promise.all([bed?.stop(), llm?.stop(), cleanup?.()]);
});

describe('docs/ci.md against json-server', () => {
  test('refine, then the workflow step and the hook: no drift exits 0, a changed server exits 5 naming the drift, a stopped one exits 3', async () => {
    const refine = await runTooldraft(
      [
        'refine',
        'docs/tools.json',
        '-o',
        'docs/tools.refined.json',
        '--llm-url',
        llm.url,
        '--model',
        'scripted',
        '--max-episodes',
        '1',
        '--concurrency',
        '2',
        '--verify',
        '0',
        '--quiet',
      ],
      { cwd: dir, timeoutMs: 120_000 },
    );
    assert.equal(refine.code, 0, refine.stderr);
    const refined = JSON.parse(await readFile(join(dir, 'docs', 'tools.refined.json'), 'utf8'));
    const listPosts = refined.paths['/posts'].get;
    assert.ok(
      listPosts['x-tooldraft-examples']?.some((e) => e.verified),
      'refine stored a verified example for listPosts',
    );
    const env = { TOOL_BASE_URL: bed.urls.jsonserver };

    // Unchanged server: the workflow step passes and writes a JUnit file with no failures.
    const clean = await sh(commands.step, { cwd: dir, env });
    assert.equal(clean.code, 0, `${clean.stdout}\n${clean.stderr}`);
    assert.match(clean.stdout, /no drift/);
    assert.match(
      clean.stdout,
      /createPost\s+skipped\s+not checked: policy \(not called\): not allowed by the safety policy/,
    );
    const cleanXml = await readFile(join(dir, 'tooldraft-check.xml'), 'utf8');
    assert.match(cleanXml, /<testsuites name="tooldraft check" tests="\d+" failures="0" errors="0"/);
    assert.equal((await sh(commands.hook, { cwd: dir, env })).code, 0);

    // The server's data changes shape: posts' `title` becomes `headline`.
    await bed.stop();
    const db = JSON.parse(await readFile(join(ROOT, 'tests', 'servers', 'db.json'), 'utf8'));
    db.posts = db.posts.map(({ title, ...rest }) => ({ ...rest, headline: title }));
    const edited = join(dir, 'edited-db.json');
    await writeFile(edited, JSON.stringify(db));
    bed = await startJsonServer(edited);
    env.TOOL_BASE_URL = bed.urls.jsonserver;
    const drift = await sh(commands.step, { cwd: dir, env });
    assert.equal(drift.code, 5, `${drift.stdout}\n${drift.stderr}`);
    assert.match(drift.stdout, /listPosts\s+DRIFT/);
    assert.match(drift.stdout, /title/);
    assert.match(drift.stdout, /listUsers\s+ok/);
    const xml = await readFile(join(dir, 'tooldraft-check.xml'), 'utf8');
    assert.match(xml, /<testcase classname="listPosts" name="[^"]+">\s*<failure type="drift" message="[^"]*title/);
    assert.doesNotMatch(xml, /failures="0"/);
    const hook = await sh(commands.hook, { cwd: dir, env });
    assert.equal(hook.code, 5);
    assert.match(hook.stderr, /tool docs drifted/);

    // A stopped server: an endpoint failure (3), not drift.
    env.TOOL_BASE_URL = `http://127.0.0.1:${await closedPort()}`;
    const down = await sh(commands.step, { cwd: dir, env });
    assert.equal(down.code, 3, `${down.stdout}\n${down.stderr}`);
    assert.match(down.stdout, /could not be reached/);
    assert.match(await readFile(join(dir, 'tooldraft-check.xml'), 'utf8'), /<error type="unreachable"/);
    const hookDown = await sh(commands.hook, { cwd: dir, env });
    assert.equal(hookDown.code, 3);
    assert.match(hookDown.stderr, /could not be reached/);
  });

  test('a document with no stored examples: checks what it can and says what it could not', async () => {
    const r = await runTooldraft(['check', 'docs/tools.json', '--base-url', bed.urls.jsonserver, '--json', '--quiet'], {
      cwd: dir,
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    const byId = Object.fromEntries(report.operations.map((o) => [o.operation, o]));
    for (const id of ['listPosts', 'getPost', 'listUsers']) {
      assert.equal(byId[id].verdict, 'ok', JSON.stringify(byId[id]));
      assert.match(byId[id].summary, /no stored examples/);
      assert.match(byId[id].summary, /no documented response schema/);
    }
    assert.equal(byId.createPost.verdict, 'skipped');
    assert.match(byId.createPost.summary, /not read-only/);
  });
});

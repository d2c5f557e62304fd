// What the CLI prints for real documents: inspect's summary and --json, convert to stdout
// and to a file, lost items, URL input. Needs the format importers/exporters and
// crate::doc::inspect (they return errors until those land).
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FIXTURES, noStack, runCli, serve, tempDir } from './helpers.mjs';

const MCP = join(FIXTURES, 'mcp-tools.json');
const PETSTORE = join(FIXTURES, 'petstore.yaml');

let tmp;
before(async () => {
  tmp = await tempDir();
});
after(async () => {
  await tmp.cleanup();
});

function ok(r) {
  assert.equal(r.code, 0, `exit 0 (stderr: ${r.stderr})`);
  assert.ok(noStack(r.stderr));
}

describe('inspect', () => {
  test('--json prints exactly one JSON object with the counts and the smells', async () => {
    const r = await runCli(['inspect', MCP, '--json']);
    ok(r);
    const report = JSON.parse(r.stdout); // throws unless stdout is exactly one JSON value
    assert.equal(typeof report, 'object');
    assert.equal(report.format, 'mcp');
    assert.equal(report.tools, 1);
    assert.equal(report.operations, 2);
    assert.equal(report.parameters, 3);
    assert.ok(Array.isArray(report.smells));
    // delete_note has no description; limit and id have none either.
    assert.ok(report.smells.length >= 3, JSON.stringify(report.smells));
    assert.ok(report.smells.some((s) => s.operation === 'delete_note' && s.kind === 'missingOperationDescription'));
    assert.ok(report.smells.every((s) => typeof s.kind === 'string' && typeof s.message === 'string'));
  });

  test('the summary names the format, counts, and groups the smells by kind', async () => {
    const r = await runCli(['inspect', PETSTORE]);
    ok(r);
    assert.match(r.stdout, /petstore\.yaml: OpenAPI 3/);
    assert.match(r.stdout, /1 tool, 3 operations, 3 parameters/);
    assert.match(r.stdout, /doc smells? of \d+ kinds?:/);
    // deletePet's petId has no type; showPetById and deletePet have no description.
    assert.match(r.stdout, /deletePet/);
  });

  test('--format forces the format', async () => {
    const r = await runCli(['inspect', MCP, '--format', 'mcp', '--json']);
    ok(r);
    assert.equal(JSON.parse(r.stdout).format, 'mcp');
    const wrong = await runCli(['inspect', MCP, '--format', 'openapi']);
    assert.equal(wrong.code, 2, wrong.stderr);
    assert.ok(noStack(wrong.stderr));
  });

  test('reads a document from a URL and from stdin', async () => {
    const text = await readFile(MCP, 'utf8');
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(text);
    });
    try {
      const r = await runCli(['inspect', `${server.url}/tools.json`, '--json']);
      ok(r);
      assert.equal(JSON.parse(r.stdout).operations, 2);
    } finally {
      await server.close();
    }
    const s = await runCli(['inspect', '-', '--json'], { input: text });
    ok(s);
    assert.equal(JSON.parse(s.stdout).operations, 2);
  });
});

describe('convert', () => {
  test('writes to stdout, or atomically to -o with the same content', async () => {
    const toStdout = await runCli(['convert', MCP, '--to', 'openai']);
    ok(toStdout);
    const tools = JSON.parse(toStdout.stdout);
    assert.ok(JSON.stringify(tools).includes('search_notes'));
    const out = join(tmp.dir, 'openai.json');
    const toFile = await runCli(['convert', MCP, '--to', 'openai', '-o', out]);
    ok(toFile);
    assert.equal(toFile.stdout, '');
    assert.equal(await readFile(out, 'utf8'), toStdout.stdout);
    assert.match(toFile.stderr, /wrote .*openai\.json \(openai\)/);
    assert.deepEqual(
      (await readdir(tmp.dir)).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  test('what the target cannot carry is listed on stderr', async () => {
    // OpenAI tools have no place for MCP annotations or titles.
    const r = await runCli(['convert', MCP, '--to', 'openai']);
    ok(r);
    assert.match(r.stderr, /openai cannot carry \d+ item\(s\) of .*mcp-tools\.json:\n {2}- /);
  });

  test('OpenAPI YAML to MCP and back to OpenAPI', async () => {
    const mcp = await runCli(['convert', PETSTORE, '--to', 'mcp']);
    ok(mcp);
    assert.equal(JSON.parse(mcp.stdout).tools.length, 3);
    const same = await runCli(['convert', PETSTORE, '--to', 'openapi']);
    ok(same);
    assert.match(same.stdout, /x-owner: pets-team/, 'same-format export keeps x- extensions (and YAML)');
  });

  test('-o into a directory that does not exist is a usage error', async () => {
    const r = await runCli(['convert', MCP, '--to', 'anthropic', '-o', join(tmp.dir, 'missing', 'x.json')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /the directory .*missing does not exist/);
  });
});

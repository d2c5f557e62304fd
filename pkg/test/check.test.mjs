// `check(doc, options)` and `tooldraft check`: against the REAL MCP server-everything (the
// listing compared with the document), and against small local servers on 127.0.0.1 for
// what real servers do not do on demand (flaky, slow, echoing a credential back); the JUnit
// and table formats; bad input.
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { check, exportDoc, listMcpTools } from '../node.js';
import { checkExitCode, formatJunit, xmlEscape } from '../lib/check-report.mjs';
import { runTooldraft } from './cli-run-helpers.mjs';
import { noStack, serve, tempDir } from './helpers.mjs';

let bed;
let dir;
let cleanup;

before(async () => {
  [bed, { dir, cleanup }] = await Promise.all([startTestbed(['everything']), tempDir()]);
});

after(async () => {
  await Promise.all([bed?.stop(), cleanup?.()]);
});

/** An OpenAPI document with one GET operation and a stored verified example. */
function oneOperation(baseUrl, { responseSchema } = {}) {
  const get = {
    operationId: 'getThing',
    summary: 'A thing.',
    parameters: [{ name: 'q', in: 'query', required: true, schema: { type: 'string' } }],
    responses: {
      200: {
        description: 'OK',
        ...(responseSchema ? { content: { 'application/json': { schema: responseSchema } } } : {}),
      },
    },
    'x-tooldraft-examples': [{ query: 'a thing', arguments: { q: 'x' }, result: { id: 1 }, verified: true }],
  };
  return JSON.stringify({
    openapi: '3.0.3',
    info: { title: 't', version: '1' },
    servers: [{ url: baseUrl }],
    paths: { '/thing': { get } },
  });
}

describe('check() against server-everything (MCP)', () => {
  test('a faithful document is ok; tools missing on either side are drift, named', async () => {
    const listed = await listMcpTools(bed.urls.everything);
    const echoOnly = {
      ...listed,
      tools: [{ ...listed.tools[0], operations: listed.tools[0].operations.filter((o) => o.name === 'echo') }],
    };
    const seen = [];
    const ok = await check(echoOnly, {
      tools: { mcpUrl: bed.urls.everything },
      only: ['echo'],
      onOperation: (o) => seen.push(o.operation),
    });
    assert.equal(ok.verdict, 'ok', JSON.stringify(ok, null, 1));
    assert.deepEqual(seen, ['echo']);
    assert.deepEqual(ok.undocumented, [], 'with `only`, undocumented tools are not reported');
    const echo = ok.operations[0];
    assert.ok(
      echo.items.some((i) => i.kind === 'required' && i.subject === '`message`' && i.verdict === 'ok'),
      JSON.stringify(echo.items),
    );

    // The document lacks every tool but echo, and describes one the server does not have.
    const text = exportDoc(echoOnly, 'mcp').text;
    const doc = JSON.parse(text);
    doc.tools.push({
      name: 'retired_tool',
      description: 'Gone.',
      inputSchema: { type: 'object', properties: {} },
      annotations: { readOnlyHint: true },
    });
    const drift = await check(JSON.stringify(doc), { tools: { mcpUrl: bed.urls.everything } });
    assert.equal(drift.verdict, 'drift');
    assert.ok(drift.undocumented.length >= 5, drift.undocumented.join(', '));
    assert.ok(!drift.undocumented.includes('echo'));
    const retired = drift.operations.find((o) => o.name === 'retired_tool');
    assert.equal(retired.verdict, 'drift');
    assert.match(retired.summary, /no longer lists/);
    assert.equal(retired.calls, 0);
    assert.equal(checkExitCode(drift), 5);
    const xml = formatJunit(drift, { name: 'tools.json' });
    assert.match(xml, /<testcase classname="\(server\)" name="undocumented tool [^"]+">\s*<failure type="drift"/);
  });

  test('the CLI with --mcp-url and --only: exit 0, a table', async () => {
    const listed = await listMcpTools(bed.urls.everything);
    const path = join(dir, 'everything.json');
    await writeFile(path, exportDoc(listed, 'mcp').text);
    const r = await runTooldraft(['check', path, '--mcp-url', bed.urls.everything, '--only', 'echo', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /echo\s+ok/);
    assert.match(r.stdout, /no drift .*; exit 0/);
  });
});

describe('check against flaky, slow and credential-echoing tools', () => {
  test('a 503 then a 200 is retried by the network layer and judged ok', async () => {
    let hits = 0;
    const s = await serve((req, res) => {
      hits += 1;
      if (hits === 1) {
        res.writeHead(503, { 'retry-after': '0' });
        res.end('busy');
        return;
      }
      res.writeHead(new URL(req.url, 'http://x').searchParams.get('q') ? 200 : 400, {
        'content-type': 'application/json',
      });
      res.end(JSON.stringify({ id: 7 }));
    });
    try {
      const report = await check(oneOperation(s.url, { responseSchema: { type: 'object', required: ['id'] } }), {
        tools: { baseUrl: s.url },
      });
      assert.equal(report.verdict, 'ok', JSON.stringify(report.operations));
      assert.ok(hits >= 3, `the example was retried, then the required check ran (${hits} requests)`);
    } finally {
      await s.close();
    }
  });

  test('a tool slower than --timeout is unreachable (exit 3), not drift', async () => {
    const s = await serve((_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"id": 1}');
      }, 1500).unref();
    });
    try {
      const path = join(dir, 'slow.json');
      await writeFile(path, oneOperation(s.url));
      const r = await runTooldraft(['check', path, '--timeout', '0.2', '--json', '--quiet']);
      assert.equal(r.code, 3, r.stderr);
      const report = JSON.parse(r.stdout);
      assert.equal(report.operations[0].verdict, 'unreachable');
      assert.match(report.operations[0].summary, /timed out|timeout/i);
    } finally {
      await s.close();
    }
  });

  test('a credential the tool echoes back never reaches the table, the JSON or the JUnit file', async () => {
    const secret = 'tok-7c1e9a55-do-not-print';
    const s = await serve((req, res) => {
      res.writeHead(401, { 'content-type': 'text/plain' });
      res.end(`bad credentials: ${req.headers.authorization}`);
    });
    try {
      const path = join(dir, 'auth.json');
      const junit = join(dir, 'auth.xml');
      await writeFile(path, oneOperation(s.url));
      const env = { TOOL_TOKEN: secret };
      const table = await runTooldraft(['check', path, '--header-env', 'Authorization=TOOL_TOKEN', '--junit', junit], {
        env,
      });
      assert.equal(table.code, 5, table.stderr);
      assert.match(table.stdout, /getThing\s+DRIFT/);
      assert.match(table.stdout, /now fails: HTTP 401/);
      const json = await runTooldraft(['check', path, '--header-env', 'Authorization=TOOL_TOKEN', '--json'], { env });
      for (const text of [table.stdout, table.stderr, json.stdout, json.stderr, await readFile(junit, 'utf8')]) {
        assert.ok(!text.includes(secret), text);
      }
    } finally {
      await s.close();
    }
  });
});

describe('check: formats and bad input', () => {
  test('JUnit text is escaped and free of characters XML forbids', () => {
    assert.equal(xmlEscape('a<b>&"\'\u0001c'), 'a&lt;b&gt;&amp;&quot;&apos;c');
    const report = {
      verdict: 'unreachable',
      operations: [
        {
          operation: 'op<1>',
          name: 'op',
          verdict: 'unreachable',
          summary: '',
          calls: 1,
          items: [{ kind: 'example', subject: 'example 1', verdict: 'unreachable', detail: 'down\u0000' }],
        },
      ],
      undocumented: [],
      totals: { ok: 0, drift: 0, unreachable: 1, skipped: 0, calls: 1 },
      durationMs: 12,
    };
    const xml = formatJunit(report, { name: 'd&d.json' });
    assert.match(xml, /<testsuite name="d&amp;d.json" tests="1" failures="0" errors="1" skipped="0"/);
    assert.match(xml, /classname="op&lt;1&gt;"/);
    assert.ok(!xml.includes('\u0000'));
    assert.equal(checkExitCode(report), 3);
  });

  test('bad usage exits 2 with one line', async () => {
    const path = join(dir, 'bad-usage.json');
    await writeFile(path, oneOperation('http://127.0.0.1:9'));
    for (const [args, message] of [
      [['check'], /missing the document/],
      [['check', path, '--only', 'nope'], /'nope' is not an operation id/],
      [['check', path, '--timeout', 'soon'], /--timeout must be a positive number/],
      [['check', path, '--api-key', 'x'], /--api-key is not accepted/],
      [['check', join(dir, 'missing.json')], /missing\.json/],
    ]) {
      const r = await runTooldraft(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.ok(noStack(r.stderr));
    }
    const mcp = join(dir, 'no-target.json');
    await writeFile(
      mcp,
      JSON.stringify({ tools: [{ name: 'echo', description: 'Echoes.', inputSchema: { type: 'object' } }] }),
    );
    const r = await runTooldraft(['check', mcp]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /needs --mcp-url/);
  });

  test('--help documents the checks and the exit codes', async () => {
    const r = await runTooldraft(['check', '--help']);
    assert.equal(r.code, 0);
    for (const s of [
      '--junit FILE',
      '--json',
      '--only',
      '--header-env',
      '--mcp-url',
      '--base-url',
      '5  check: drift',
      '3  an endpoint failed',
    ]) {
      assert.ok(r.stdout.includes(s), s);
    }
  });
});

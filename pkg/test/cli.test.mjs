// The CLI's plumbing: options, help, exit codes, bad input of every kind, URLs, atomic
// output, interruption. (What it prints for good documents: cli-docs.test.mjs.)
import assert from 'node:assert/strict';
import { readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closedPort, FIXTURES, noStack, PKG, runCli, serve, tempDir } from './helpers.mjs';

const pkgVersion = JSON.parse(await readFile(join(PKG, 'package.json'), 'utf8')).version;

let tmp;
before(async () => {
  tmp = await tempDir();
});
after(async () => {
  await tmp.cleanup();
});

/** Asserts a clean failure: the exit code, a one-line `tooldraft: …` message, no stack, no stdout. */
function assertFails(r, code, pattern) {
  assert.equal(r.code, code, `exit code (stderr: ${r.stderr})`);
  assert.match(r.stderr, pattern);
  assert.match(r.stderr, /^tooldraft: /);
  assert.ok(noStack(r.stderr), `no stack trace:\n${r.stderr}`);
  assert.equal(r.stdout, '', 'nothing on stdout');
}

describe('usage', () => {
  test('--version prints the version', async () => {
    for (const flag of ['--version', '-V']) {
      const r = await runCli([flag]);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `tooldraft ${pkgVersion}\n`);
    }
  });

  test('--help lists the commands, the formats and the exit codes', async () => {
    const r = await runCli(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['inspect', 'convert', 'openapi', 'restbench', 'Exit codes', '4  interrupted']) {
      assert.ok(r.stdout.includes(word), `help mentions ${word}`);
    }
    assert.equal((await runCli(['help', 'convert'])).stdout.includes('--to F'), true);
  });

  test('each command has its own help', async () => {
    const r = await runCli(['inspect', '--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^Usage: tooldraft inspect/);
    assert.match(r.stdout, /--json/);
    const c = await runCli(['convert', '-h']);
    assert.match(c.stdout, /^Usage: tooldraft convert/);
  });

  test('no arguments: the help on stderr and exit 2', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Usage: tooldraft <command>/);
  });

  test('an unknown option is a usage error naming it (exit 2)', async () => {
    assertFails(await runCli(['inspect', 'x.json', '--bogus']), 2, /unknown option --bogus/);
    assertFails(await runCli(['--bogus']), 2, /unknown option --bogus/);
    assertFails(await runCli(['convert', 'x.json', '-z']), 2, /unknown option -z/);
  });

  test('an unknown command is a usage error listing the commands', async () => {
    assertFails(await runCli(['refin', 'x.json']), 2, /unknown command 'refin'; commands: inspect, convert/);
  });

  test('missing or extra arguments and bad option values are usage errors', async () => {
    assertFails(await runCli(['inspect']), 2, /missing the document/);
    assertFails(await runCli(['inspect', 'a.json', 'b.json']), 2, /expected one document, got 2/);
    assertFails(await runCli(['inspect', 'a.json', '--format']), 2, /--format/);
    assertFails(
      await runCli(['inspect', 'a.json', '--format', 'wsdl']),
      2,
      /unknown format 'wsdl'; expected one of openapi/,
    );
    assertFails(await runCli(['inspect', 'a.json', '--max-size', 'lots']), 2, /--max-size must be a positive number/);
    assertFails(await runCli(['convert', join(FIXTURES, 'mcp-tools.json')]), 2, /missing --to <format>/);
    assertFails(
      await runCli(['convert', join(FIXTURES, 'mcp-tools.json'), '--to', 'xml']),
      2,
      /--to: unknown format 'xml'/,
    );
  });
});

describe('bad input', () => {
  test('a missing file', async () => {
    assertFails(await runCli(['inspect', join(tmp.dir, 'nope.json')]), 2, /nope\.json: no such file/);
  });

  test('a directory', async () => {
    assertFails(await runCli(['inspect', tmp.dir]), 2, /is a directory, not a document/);
  });

  test('an empty file, and one with only whitespace', async () => {
    const empty = join(tmp.dir, 'empty.json');
    await writeFile(empty, '');
    assertFails(await runCli(['inspect', empty]), 2, /empty\.json: the document is empty/);
    await writeFile(empty, '\n  \n');
    assertFails(await runCli(['convert', empty, '--to', 'mcp']), 2, /the document is empty/);
  });

  test('a binary file', async () => {
    const bin = join(tmp.dir, 'logo.png');
    await writeFile(bin, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    assertFails(await runCli(['inspect', bin]), 2, /logo\.png is a binary file, not a text document/);
  });

  test('text that is not UTF-8', async () => {
    const latin1 = join(tmp.dir, 'latin1.json');
    await writeFile(latin1, Buffer.from('{"name": "caf\xe9"}', 'latin1'));
    assertFails(await runCli(['inspect', latin1]), 2, /latin1\.json is not UTF-8 text/);
  });

  test('a 50 MB document is refused at once with the limit and how to raise it', async () => {
    const big = join(tmp.dir, 'big.json');
    const line = `${JSON.stringify({ name: 'x'.repeat(80), description: 'y'.repeat(400) })},\n`;
    const count = Math.ceil((50 * 1024 * 1024) / line.length);
    await writeFile(big, `{"tools": [\n${line.repeat(count)}{}]}\n`);
    const r = await runCli(['inspect', big]);
    assertFails(r, 2, /big\.json is 50\.\d MB; the limit is 32\.0 MB \(raise it with --max-size <MB>\)/);
    assert.ok(r.ms < 10_000, `refused quickly (${r.ms} ms)`);
    assertFails(
      await runCli(['inspect', join(FIXTURES, 'mcp-tools.json'), '--max-size', '0.0001']),
      2,
      /mcp-tools\.json is \d+\.\d KB; the limit is 0\.1 KB/,
    );
  });

  test('malformed JSON says the line and column', async () => {
    const r = await runCli(['inspect', join(FIXTURES, 'malformed.json')]);
    assertFails(r, 2, /malformed\.json: invalid JSON at line 3, column \d+: /);
  });

  test('malformed YAML says the line and column', async () => {
    const r = await runCli(['convert', join(FIXTURES, 'malformed.yaml'), '--to', 'openai']);
    assertFails(r, 2, /malformed\.yaml: invalid YAML at line \d+, column \d+: /);
  });

  test('stdin is read with "-"', async () => {
    assertFails(
      await runCli(['inspect', '-'], { input: '{"tools": [' }),
      2,
      /^tooldraft: stdin: invalid JSON at line 1/,
    );
    assertFails(await runCli(['inspect', '-'], { input: '' }), 2, /stdin: the document is empty/);
    assertFails(
      await runCli(['inspect', '-', '--max-size', '0.0001'], { input: ' '.repeat(1000) }),
      2,
      /stdin is larger than the limit/,
    );
  });
});

describe('URLs', () => {
  test('an HTTP error is an endpoint failure (exit 3) that names the URL without its query', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('no such spec');
    });
    try {
      const r = await runCli(['inspect', `${server.url}/spec.json?token=SECRET`]);
      assertFails(r, 3, /\/spec\.json answered HTTP 404 Not Found/);
      assert.ok(!r.stderr.includes('SECRET'), 'the query string is not printed');
    } finally {
      await server.close();
    }
  });

  test('a refused connection is an endpoint failure (exit 3)', async () => {
    const port = await closedPort();
    assertFails(await runCli(['inspect', `http://127.0.0.1:${port}/spec.json`]), 3, /could not fetch \(ECONNREFUSED\)/);
  });

  test('only http and https URLs are read', async () => {
    assertFails(await runCli(['inspect', 'ftp://127.0.0.1/spec.json']), 2, /only http:\/\/ and https:\/\/ URLs/);
    assertFails(await runCli(['inspect', 'file:///etc/passwd']), 2, /only http:\/\/ and https:\/\//);
  });

  test('a body over the limit is refused, whether declared or streamed', async () => {
    const server = await serve((req, res) => {
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      if (req.url === '/declared') {
        res.writeHead(200, { 'content-length': String(40 * 1024 * 1024) });
        res.end(); // lies about its length; the declared size is enough to refuse
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }); // chunked, no length
      let sent = 0;
      const pump = () => {
        while (sent < 2 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return res.once('drain', pump);
        }
        res.end();
      };
      pump();
    });
    try {
      assertFails(
        await runCli(['inspect', `${server.url}/declared`]),
        2,
        /\/declared is 40\.0 MB; the limit is 32\.0 MB/,
      );
      assertFails(
        await runCli(['inspect', `${server.url}/streamed`, '--max-size', '1']),
        2,
        /larger than the limit; the limit is 1\.0 MB/,
      );
    } finally {
      await server.close();
    }
  });

  test('a malformed document from a URL says the line and column', async () => {
    const server = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{\n "tools": [}\n');
    });
    try {
      assertFails(
        await runCli(['inspect', `${server.url}/tools.json`]),
        2,
        /tools\.json: invalid JSON at line 2, column \d+/,
      );
    } finally {
      await server.close();
    }
  });
});

describe('interruption', () => {
  test('Ctrl-C while waiting for a URL exits with 4 at once', async () => {
    let seen;
    const requested = new Promise((resolve) => (seen = resolve));
    const server = await serve(() => seen()); // never answers
    try {
      const r = await runCli(['inspect', `${server.url}/slow.json`], {
        onSpawn: (child) => requested.then(() => child.kill('SIGINT')),
      });
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.stderr, /^tooldraft: interrupted$/m);
      assert.ok(noStack(r.stderr));
      assert.ok(r.ms < 10_000, `stopped quickly (${r.ms} ms)`);
    } finally {
      await server.close();
    }
  });
});

describe('convert -o', () => {
  test('a failed conversion leaves no file, no temporary file, and an existing file untouched', async () => {
    const dir = join(tmp.dir, 'out-fail');
    await mkdir(dir);
    const out = join(dir, 'tools.json');
    const r = await runCli(['convert', join(FIXTURES, 'malformed.json'), '--to', 'openai', '-o', out]);
    assertFails(r, 2, /invalid JSON/);
    assert.deepEqual(await readdir(dir), []);
    await writeFile(out, 'previous content\n');
    const again = await runCli(['convert', join(FIXTURES, 'malformed.yaml'), '--to', 'openai', '--output', out]);
    assert.equal(again.code, 2);
    assert.equal(await readFile(out, 'utf8'), 'previous content\n');
    assert.deepEqual(await readdir(dir), ['tools.json']);
  });

  test('-o with no name is a usage error', async () => {
    assertFails(
      await runCli(['convert', join(FIXTURES, 'mcp-tools.json'), '--to', 'openai', '-o', '']),
      2,
      /-o needs a file name/,
    );
  });
});

// The HTML report of a crafted run file: markup put where numbers belong (episodes, revision
// indexes, token and call counts) and where strings belong comes out as text, and the page's
// own CSP forbids forms and a base URL. It escapes with the core's one escaper (`escapeHtml`,
// from the wasm): needs `make build`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml } from '../node.js';
import { readRunFile } from '../lib/run-report.mjs';
import { buildHtmlReport, REPORT_CSP } from '../lib/run-report-html.mjs';

const META = '<meta http-equiv="refresh" content="0;url=http://evil.test/">';
const FORM = '<form action="http://evil.test/"><button>go</button></form>';
const LINK = '<a href="http://evil.test/">click</a>';
const HOSTILE = [META, FORM, LINK, '<base href="http://evil.test/">', `x' onmouseover='alert(1)`];

function craftedRunFile() {
  const op = { id: 'a', name: 'a', description: 'Does a.', parameters: [{ name: 'p', description: 'P.' }] };
  const original = { format: 'mcp', tools: [{ name: 't', operations: [op] }] };
  const refined = structuredClone(original);
  refined.tools[0].operations[0].history = [
    { index: 0, description: 'Does a.', parameters: { p: 'P.' }, accepted: true },
    { index: META, description: 'Does a, v2.', parameters: { p: 'P.' }, accepted: true, reason: FORM },
  ];
  const events = [
    { type: 'runStarted', runId: 'r', operations: ['a'], maxEpisodes: 2 },
    { type: 'toolCall', operation: 'a', trailId: 'a#1', episode: META, arguments: { q: LINK } },
    { type: 'toolCall', operation: 'a', trailId: 'a#2', episode: 0, arguments: {} },
    { type: 'analysis', operation: 'a', episode: FORM, findings: { summary: LINK } },
    { type: 'revisionAccepted', operation: 'a', episode: LINK, revision: META, delta: FORM },
    { type: 'usage', operation: 'a', usage: { promptTokens: FORM, completionTokens: LINK }, calls: META },
    { type: 'error', operation: 'a', code: META, message: FORM },
    { type: 'terminated', operation: 'a', reason: { kind: 'maxEpisodes', episodes: META } },
  ];
  const file = {
    kind: 'tooldraft-run',
    version: 1,
    engine: LINK,
    exportedAt: META,
    run: {
      id: FORM,
      createdAt: 1,
      status: LINK,
      sourceName: META,
      config: { llm: { provider: FORM, model: LINK } },
      error: { name: META, message: FORM },
    },
    original,
    result: { doc: refined, report: { operations: [] } },
    review: { a: META },
    operations: [],
    events,
  };
  return readRunFile(JSON.stringify(file));
}

const ALLOWED_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'h1',
  'h2',
  'h3',
  'h4',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'a',
  'section',
  'strong',
  'span',
  'ol',
  'ul',
  'li',
  'pre',
  'details',
  'summary',
  'ins',
  'del',
]);

test('markup in a crafted run file never becomes markup in the HTML report', () => {
  const html = buildHtmlReport(craftedRunFile(), new Map([['a', [{ op: 'insert', text: META }]]]));
  for (const bad of HOSTILE) assert.ok(!html.includes(bad), `written as markup: ${bad}`);
  const tags = [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)/g)].map((m) => m[1].toLowerCase());
  assert.deepEqual(
    tags.filter((t) => !ALLOWED_TAGS.has(t)),
    [],
    'only the report’s own elements',
  );
  assert.ok(!/<form|<base|<meta http-equiv="?refresh/i.test(html));
  for (const [a] of html.matchAll(/<a\b[^>]*>/g)) assert.match(a, /^<a href="#op-[^"]*">$/, a);
  const metas = [...html.matchAll(/<meta\b[^>]*>/g)].map((m) => m[0]);
  assert.equal(metas.length, 4, metas.join('\n'));
  // Counts that are no numbers show as `?`, markup in strings as text.
  assert.match(html, /Revision \?/);
  assert.match(html, /Episode \? · a#1/);
  assert.match(html, /Episode 1 · a#2/);
  assert.match(html, /tokens: 0 in \? model call\(s\)/);
  assert.ok(html.includes(escapeHtml(META)));
});

test('the report’s CSP forbids scripts, forms and a base URL', () => {
  const html = buildHtmlReport(craftedRunFile(), new Map());
  const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)?.[1];
  assert.equal(csp, REPORT_CSP);
  for (const directive of ["default-src 'none'", "form-action 'none'", "base-uri 'none'"])
    assert.ok(csp.includes(directive), directive);
  assert.ok(!/script-src/.test(csp));
});

test('the one escaper escapes quotes of both kinds', () => {
  assert.equal(escapeHtml(`<a href='x' title="y">&`), '&lt;a href=&#39;x&#39; title=&quot;y&quot;&gt;&amp;');
  assert.equal(escapeHtml(7), '7');
  assert.equal(escapeHtml('naïve ✓ 𝒳'), 'naïve ✓ 𝒳');
});

test('an attribute value cannot leave its quotes, whichever they are', () => {
  const escaped = escapeHtml(`x' onmouseover='alert(1)" onfocus="alert(2)`);
  assert.doesNotMatch(escaped, /['"<>]/);
  assert.equal(escaped, 'x&#39; onmouseover=&#39;alert(1)&quot; onfocus=&quot;alert(2)');
});

test('the package and the core escape alike: the HTML report has no escaper of its own', async () => {
  const { readFile } = await import('node:fs/promises');
  for (const lib of ['run-report.mjs', 'run-report-html.mjs', 'run-model.mjs']) {
    const source = await readFile(new URL(`../lib/${lib}`, import.meta.url), 'utf8');
    assert.doesNotMatch(source, /&(amp|lt|gt|quot|#39);/, `${lib} escapes by itself`);
  }
});

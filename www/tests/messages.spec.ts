// Every message template renders cleanly (issue 15): each error name the Rust core can raise
// (read from the source, so a new one without a template fails here) and each the app raises
// has a title and hints that read as sentences, and a message naming a URL in parentheses
// ("… (endpoints are usually at /mcp).") is never taken for a JSON pointer. Runs in Node.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, expect, test } from './fixtures';
import { ERROR_KINDS } from '../src/error-kinds';
import { explainDoc, explainRun, pointerIn, reachabilityHints } from '../src/errors';

function rustFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? rustFiles(p) : p.endsWith('.rs') ? [p] : [];
  });
}

/** Error names the core gives JS errors: the `code()` match arms and `js_error("Name", …)`. */
function coreErrorNames(): string[] {
  const names = new Set<string>();
  for (const f of rustFiles(join(ROOT, 'src'))) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/fn code\(&self\) -> &'static str \{([\s\S]*?)\n {4}\}/g)) {
      for (const arm of m[1].matchAll(/=> "([A-Z][A-Za-z]+)"/g)) names.add(arm[1]);
    }
    for (const m of text.matchAll(/js_error\(\s*"([A-Z][A-Za-z]+)"/g)) names.add(m[1]);
  }
  return [...names].sort();
}

/** A sentence that renders cleanly: no template holes, balanced brackets and quotes, a full stop. */
function clean(text: string, what: string): void {
  expect(text, `${what}: empty`).not.toBe('');
  expect(text, `${what}: a template hole`).not.toMatch(/undefined|null|NaN|\$\{|\[object /);
  for (const [open, close] of [
    ['(', ')'],
    ['[', ']'],
    ['{', '}'],
    ['“', '”'],
  ]) {
    expect(text.split(open).length, `${what}: unbalanced ${open}${close} in "${text}"`).toBe(text.split(close).length);
  }
  expect(text, `${what}: punctuation run together in "${text}"`).not.toMatch(/\)\.[^\s"”]|\.\.(?!\.)|\s[.,](?=\s|$)/);
}

test('the core raises at least the error names the brief lists', () => {
  const names = coreErrorNames();
  for (const n of [
    'SyntaxError',
    'LlmUnauthorized',
    'ToolProtocolError',
    'PolicyDenied',
    'EmbeddingsError',
    'StateMismatch',
    'InvalidConfig',
  ])
    expect(names).toContain(n);
});

test('every error kind has a template, and every template renders cleanly', async () => {
  const names = [...new Set([...coreErrorNames(), ...Object.keys(ERROR_KINDS)])];
  const missing = names.filter((n) => !ERROR_KINDS[n]);
  expect(missing, 'error names the core raises without a template in www/src/error-kinds.ts').toEqual([]);
  for (const name of names) {
    const k = ERROR_KINDS[name];
    clean(k.title, `${name} title`);
    expect(k.title, `${name}: the title is the bare code`).not.toBe(name);
    for (const hint of k.hints) {
      clean(hint, `${name} hint`);
      expect(hint, `${name}: a hint is a sentence`).toMatch(/[.!?)]$/);
    }
    // Through both explainers, with a message that holds a URL in parentheses.
    const message = `${name}: tools/list: this URL did not answer like an MCP endpoint (endpoints are usually at /mcp). Check the path.`;
    for (const x of [explainDoc({ name, message }), await explainRun({ name, message }, {})]) {
      clean(x.title, `${name} explained title`);
      expect(x.pointer, `${name}: a URL taken for a JSON pointer`).toBeUndefined();
      for (const hint of x.hints) clean(hint, `${name} explained hint`);
      expect(x.hints.join(' '), `${name}: a pointer hint from a URL`).not.toContain('Look at /mcp');
    }
  }
});

test('the reachability messages render cleanly for every outcome', () => {
  for (const r of ['ok', 'cors', 'csp', 'unreachable', 'invalid'] as const) {
    for (const role of ['model endpoint', 'tool', 'MCP server']) {
      // reachabilityHints reads location for the CORS hint; Node has none.
      (globalThis as { location?: { origin: string; href: string } }).location = {
        origin: 'http://127.0.0.1:5173',
        href: 'http://127.0.0.1:5173/',
      };
      const { message, hints } = reachabilityHints(r, 'http://127.0.0.1:9/v1', role);
      clean(message, `${r}/${role} message`);
      for (const h of hints) clean(h, `${r}/${role} hint`);
    }
  }
});

test('JSON pointers are found in document errors, and only real ones', () => {
  expect(pointerIn('missing field `name` at /tools/0/inputSchema: expected a string')).toBe('/tools/0/inputSchema');
  expect(pointerIn('an unknown $ref at #/components/schemas/Pet.')).toBe('#/components/schemas/Pet');
  expect(pointerIn('(endpoints are usually at /mcp). If the server only speaks stdio')).toBeUndefined();
  const x = explainDoc({ name: 'StructureError', message: 'bad value at /paths/~1pets/get: not an object' });
  expect(x.hints[0]).toBe('Look at /paths/~1pets/get in the document (a JSON pointer: each / goes one level down).');
  // A non-document error never gets a pointer hint.
  expect(explainDoc({ name: 'ToolProtocolError', message: 'at /mcp: no' }).pointer).toBeUndefined();
});

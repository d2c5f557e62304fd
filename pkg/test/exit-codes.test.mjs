// Every error code of the core reaches its documented exit code through the category the core
// gives it (src/error.rs is the one list), and index.d.ts's ErrorCode union cannot drift
// from that list.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { errorCategory, errorCodes, parseDoc } from '../node.js';
import { EXIT, EXIT_CODES_HELP, EXIT_FOR_CATEGORY, exitCodeFor, isEndpointError } from '../lib/exit-codes.mjs';
import { PKG } from './helpers.mjs';

const codes = errorCodes();

test('every core error code has a category with a documented exit code', () => {
  assert.ok(codes.length >= 30, `${codes.length} codes`);
  for (const { code, category } of codes) {
    assert.ok(Object.hasOwn(EXIT_FOR_CATEGORY, category), `${code}: ${category}`);
    const exit = EXIT_FOR_CATEGORY[category];
    assert.match(EXIT_CODES_HELP, new RegExp(`^  ${exit}  `, 'm'), `exit ${exit} is documented`);
    // An error as the core throws it, one rebuilt from its name, and an event's code.
    assert.equal(exitCodeFor(Object.assign(new Error('x'), { name: code, category })), exit, code);
    assert.equal(exitCodeFor({ name: code }), exit, `${code} by name`);
    assert.equal(errorCategory(code), category);
    assert.equal(isEndpointError(code), category === 'endpoint', code);
  }
});

test('the six codes that used to fall to exit 1 reach theirs', () => {
  const expected = {
    LlmInvalidOutput: EXIT.ENDPOINT,
    LlmHostError: EXIT.ENDPOINT,
    ToolHostError: EXIT.ENDPOINT,
    EmbeddingsError: EXIT.ENDPOINT,
    PolicyDenied: EXIT.USAGE,
    // The built-in prompt templates failing to render is a bug in tooldraft: exit 1, on purpose.
    PromptError: EXIT.INTERNAL,
  };
  for (const [name, exit] of Object.entries(expected)) assert.equal(exitCodeFor({ name }), exit, name);
  assert.equal(exitCodeFor({ name: 'TypeError' }), EXIT.INTERNAL);
  assert.equal(exitCodeFor({ name: 'Aborted' }), EXIT.INTERRUPTED);
});

test('errors thrown by the core carry their category', () => {
  assert.throws(
    () => parseDoc('  \n'),
    (e) => e.name === 'EmptyDocument' && e.category === 'input',
  );
  assert.throws(
    () => parseDoc('{"a": '),
    (e) => e.name === 'SyntaxError' && e.category === 'input' && e.line === 1,
  );
});

test("index.d.ts's ErrorCode union is the core's list (plus the two raised in JavaScript)", async () => {
  const dts = await readFile(join(PKG, 'index.d.ts'), 'utf8');
  const generated = await readFile(join(PKG, 'types', 'generated.d.ts'), 'utf8');
  const union = dts.match(/export type ErrorCode =([\s\S]*?);/)?.[1] ?? '';
  // The core's codes are generated from src/error.rs (cargo test --lib typescript checks it).
  const coreUnion = generated.match(/export type CoreErrorCode =([\s\S]*?);/)?.[1] ?? '';
  assert.match(union, /\bCoreErrorCode\b/, 'ErrorCode includes the generated CoreErrorCode');
  const typed = new Set([...`${union}${coreUnion}`.matchAll(/['"](\w+)['"]/g)].map((m) => m[1]));
  const core = new Set(codes.map((c) => c.code));
  // Raised by index.js before the wasm is loaded, and by the web app's worker.
  const jsOnly = new Set(['NotInitialized', 'Unsupported']);
  assert.deepEqual(
    [...core].filter((c) => !typed.has(c)),
    [],
    'core codes missing from ErrorCode',
  );
  assert.deepEqual(
    [...typed].filter((c) => !core.has(c) && !jsOnly.has(c)),
    [],
    'ErrorCode names codes the core never emits',
  );
});

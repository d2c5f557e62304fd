// The IDE-extension example (examples/ide-extension) against a fake extension host: the
// host's model answers tooldraft's requests, the host calls the tools, and tooldraft makes no
// network request of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PKG } from './helpers.mjs';

test('the extension refines a document with host-provided model and tools, no network', async () => {
  // The example depends on the package as `tooldraft` (file:../../pkg); link it as npm would.
  const modules = join(PKG, '..', 'examples/ide-extension/node_modules');
  if (!existsSync(join(modules, 'tooldraft'))) {
    mkdirSync(modules, { recursive: true });
    symlinkSync(join('..', '..', '..', 'pkg'), join(modules, 'tooldraft'), 'dir');
  }
  const realFetch = globalThis.fetch;
  let networkAttempts = 0;
  globalThis.fetch = (...args) => {
    networkAttempts += 1;
    return realFetch(...args);
  };
  try {
    const { activate } = await import(join(PKG, '..', 'examples/ide-extension/extension.mjs'));
    const commands = new Map();
    const progress = [];
    const invoked = [];
    const prompts = [];
    const host = {
      wasmBytes: readFileSync(join(PKG, 'gen/tooldraft_bg.wasm')),
      languageModel: {
        async chat(messages, { schema }) {
          prompts.push(messages.at(-1).content);
          const props = schema?.properties ?? {};
          let answer;
          if ('query' in props) answer = { query: `Please add ${prompts.length} and 2`, arguments: { a: prompts.length, b: 2 } };
          else if ('mismatches' in props || 'suggestions' in props) answer = { mismatches: [], missing: ['what the sum looks like'], suggestions: ['say that it returns the sum as text'] };
          else if ('description' in props && 'parameters' in props) answer = { description: `Adds two numbers a and b and returns their sum as text (revision ${prompts.length}).`, parameters: { a: 'The first number.', b: 'The second number.' }, nextDirection: 'try negative numbers' };
          else answer = { description: 'A calculator tool that adds two numbers and returns the sum.' };
          return { text: JSON.stringify(answer), inputTokens: 50, outputTokens: 20 };
        },
      },
      tools: {
        async invoke(name, args) {
          invoked.push([name, args]);
          return { ok: true, result: { content: [{ type: 'text', text: `The sum of ${args.a} and ${args.b} is ${args.a + args.b}.` }] } };
        },
      },
      window: { progress: (m) => progress.push(m) },
      commands: { register: (name, fn) => commands.set(name, fn) },
    };
    activate(host);
    const doc = JSON.stringify({
      tools: [{
        name: 'add',
        description: 'Adds.',
        inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } }, required: ['a', 'b'] },
        annotations: { readOnlyHint: true },
      }],
    });
    const refined = JSON.parse(await commands.get('tooldraft.refine')(doc, new AbortController().signal));
    assert.ok(invoked.length >= 1 && invoked.every(([n]) => n === 'add'), 'the host called the tool');
    assert.ok(prompts.length >= 3, 'the host model answered the explorer, analyzer and rewriter');
    assert.match(refined.tools[0].description, /Adds two numbers/);
    assert.equal(refined.tools[0].inputSchema.properties.a.description, 'The first number.');
    assert.ok(progress.some((m) => m.startsWith('add: done')), progress.join('\n'));
    assert.equal(networkAttempts, 0, 'tooldraft made no network request of its own');
  } finally {
    globalThis.fetch = realFetch;
  }
});

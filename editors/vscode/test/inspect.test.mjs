// Inspect: the package's doc smells in the Problems panel at the right ranges, refreshed on
// save, with code actions that explain them; the editor surface is the double
// (vscode-double.mjs), the engine is the real package's wasm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activateWith } from '../src/main.mjs';
import { EXPLAINED_KINDS, explainSmell } from '../src/smell-explanations.mjs';
import { createVscodeDouble } from './vscode-double.mjs';
import { extensionFolder, FIXTURES, REPO } from './helpers.mjs';

const YAML = readFileSync(join(FIXTURES, 'httpbin.yaml'), 'utf8');

function start() {
  const double = createVscodeDouble();
  const context = double.context(extensionFolder());
  const ext = activateWith(double.vscode, context);
  return { double, context, ext };
}

const lineOf = (text, needle) => text.split('\n').findIndex((l) => l.includes(needle));

test('doc smells of an OpenAPI YAML appear at the lines their pointers name', async () => {
  const { double } = start();
  const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
  const list = double.diagnostics.get(doc.uri.toString());
  assert.ok(list?.length >= 8, `smells: ${list?.map((d) => d.message)}`);
  const find = (code, text) => list.find((d) => d.code === code && d.message.includes(text));
  const paramDoc = find('missingParameterDescription', 'decodeBase64 › value');
  assert.ok(paramDoc, 'the parameter smell names the operation and parameter');
  // The parameter's `name: value` line, the value itself highlighted.
  assert.equal(paramDoc.range.start.line, lineOf(YAML, 'name: value'));
  assert.equal(
    YAML.split('\n')[paramDoc.range.start.line].slice(paramDoc.range.start.character, paramDoc.range.end.character),
    'value',
  );
  const short = find('shortDescription', 'uuid');
  assert.equal(short.range.start.line, lineOf(YAML, '    get:'), 'an operation smell sits on its method key');
  assert.equal(short.source, 'tooldraft');
  assert.equal(short.severity, double.vscode.DiagnosticSeverity.Warning);
  const untyped = find('untypedParameter', 'anything › note');
  assert.equal(untyped.range.start.line, lineOf(YAML, 'name: note'));
});

test('the same smells on the JSON form of the document land on its lines', async () => {
  const { double, ext } = start();
  const engine = await ext.engine();
  const asJson = JSON.stringify(engine.parseDoc(YAML).source, null, 2);
  const doc = await double.open('/ws/httpbin.json', 'json', asJson);
  const list = double.diagnostics.get(doc.uri.toString());
  const d = list.find((x) => x.code === 'pathParameterNotRequired');
  const line = asJson.split('\n')[d.range.start.line];
  assert.equal(line.slice(d.range.start.character, d.range.end.character), '"value"');
});

test('saving refreshes the diagnostics; a fixed smell goes away', async () => {
  const { double } = start();
  const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
  const before = double.diagnostics.get(doc.uri.toString()).length;
  const fixed = YAML.replace(
    '        - in: query\n          name: note\n',
    '        - in: query\n          name: note\n          description: A note echoed back in the response.\n          schema:\n            type: string\n',
  );
  await double.save(doc, fixed);
  const after = double.diagnostics.get(doc.uri.toString());
  assert.equal(after.length, before - 2, after.map((d) => d.message).join('\n'));
  assert.ok(!after.some((d) => d.message.includes('anything › note')));
});

test('documents that are not tool docs, broken ones and other languages get no diagnostics', async () => {
  const { double } = start();
  const a = await double.open('/ws/package.json', 'json', '{"name": "x", "version": "1.0.0"}');
  const b = await double.open('/ws/broken.yaml', 'yaml', 'openapi: 3.0.0\npaths: [\n');
  const c = await double.open('/ws/notes.md', 'markdown', '# openapi: 3.0.0');
  const d = await double.open('/ws/empty.json', 'json', '');
  for (const doc of [a, b, c, d]) assert.equal(double.diagnostics.get(doc.uri.toString()), undefined, doc.uri.path);
  assert.deepEqual(double.shown.errors, []);
});

test('a tool document the core cannot read is one error at the place it names; skipped parts are information', async () => {
  const { double } = start();
  const broken = '{\n  "openapi": "3.0.0",\n  "paths": []\n}';
  const a = await double.open('/ws/bad.json', 'json', broken);
  const [error, ...more] = double.diagnostics.get(a.uri.toString());
  assert.deepEqual(more, []);
  assert.equal(error.severity, double.vscode.DiagnosticSeverity.Error);
  assert.equal(error.range.start.line, 2);
  assert.match(error.message, /expected an object/);
  const skipped = '{\n  "openapi": "3.0.0",\n  "paths": {\n    "/a": {\n      "get": "not an operation"\n    }\n  }\n}';
  const b = await double.open('/ws/skipped.json', 'json', skipped);
  const info = double.diagnostics.get(b.uri.toString()).find((d) => d.code === 'readerWarning');
  assert.equal(info.severity, double.vscode.DiagnosticSeverity.Information);
  assert.equal(info.range.start.line, 4);
  assert.match(info.message, /expected an operation object/);
  assert.deepEqual(double.shown.errors, [], 'no exception reached the user');
});

test('each smell has a code action that explains it, and one that refines its operation', async () => {
  const { double } = start();
  const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
  const list = double.diagnostics.get(doc.uri.toString());
  const { provider } = double.providers.codeActions[0];
  const actions = provider.provideCodeActions(doc, list[0].range, {
    diagnostics: list.filter((d) => d.message.startsWith('decodeBase64')),
  });
  const explains = actions.filter((a) => a.command.command === 'tooldraft.explainSmell');
  assert.equal(explains.length, list.filter((d) => d.message.startsWith('decodeBase64')).length);
  const refine = actions.filter((a) => a.command.command === 'tooldraft.refine');
  assert.equal(refine.length, 1, 'one refine action per operation');
  assert.deepEqual(refine[0].command.arguments[1], ['decodeBase64']);
  await double.vscode.commands.executeCommand(explains[0].command.command, ...explains[0].command.arguments);
  assert.match(double.shown.infos.at(-1), new RegExp(`^${explains[0].command.arguments[0]}: `));
  assert.equal(
    double.shown.infos.at(-1).slice(explains[0].command.arguments[0].length + 2),
    explainSmell(explains[0].command.arguments[0]),
  );
});

test('every smell kind the core reports has its own explanation', () => {
  const inspectRs = readFileSync(join(REPO, 'src', 'doc', 'inspect.rs'), 'utf8');
  const enumBody = inspectRs.slice(
    inspectRs.indexOf('pub enum SmellKind'),
    inspectRs.indexOf('\n}', inspectRs.indexOf('pub enum SmellKind')),
  );
  const kinds = [...enumBody.matchAll(/^ {4}([A-Z]\w+),\s*$/gm)].map((m) => m[1][0].toLowerCase() + m[1].slice(1));
  assert.ok(kinds.length >= 10, kinds.join());
  assert.deepEqual(
    kinds.filter((k) => !EXPLAINED_KINDS.includes(k)),
    [],
  );
});

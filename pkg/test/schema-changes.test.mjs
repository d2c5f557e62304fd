// Schema changes in words and the review decisions applied to a document (pure functions,
// no wasm): what the CLI summary, `tooldraft diff` and the web app's review use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applySchemaDecisions, describeSchemaChange, schemaChangeLines } from '../lib/schema-changes.mjs';
import '../node.js';
import { buildRunFile, reviewedDoc } from '../lib/run-report.mjs';
import { buildHtmlReport } from '../lib/run-report-html.mjs';

const changes = [
  {
    id: 'city/required',
    kind: 'required',
    parameter: 'city',
    pointer: '/required',
    before: false,
    after: true,
    trails: ['f#1', 'f#2'],
    status: 'applied',
    reason: 'r',
  },
  {
    id: 'unit/enumValues',
    kind: 'enum',
    parameter: 'unit',
    pointer: '/enumValues',
    before: [],
    after: ['metric', 'imperial'],
    trails: ['f#3'],
    status: 'applied',
    reason: 'r',
  },
  {
    id: 'day/schema/format',
    kind: 'format',
    parameter: 'day',
    pointer: '/schema/format',
    before: null,
    after: 'date',
    trails: ['f#3'],
    status: 'proposed',
    reason: 'r',
  },
  {
    id: 'sort/enumValues',
    kind: 'enum',
    parameter: 'sort',
    pointer: '/enumValues',
    before: [],
    after: null,
    trails: ['f#4', 'f#5'],
    status: 'conflict',
    reason: 'errors list different allowed values for sort',
  },
  {
    id: '/responseSchema',
    kind: 'responseSchema',
    pointer: '/responseSchema',
    before: null,
    after: { type: 'object' },
    trails: ['f#2'],
    status: 'applied',
    reason: 'r',
  },
];

const op = (over = {}) => ({
  id: 'forecast',
  name: 'forecast',
  description: 'Forecast.',
  parameters: [
    { name: 'city', location: 'body', schema: { type: 'string' }, required: false, description: '' },
    { name: 'unit', location: 'body', schema: { type: 'string' }, required: false, description: '' },
    { name: 'day', location: 'body', schema: { type: 'string' }, required: false, description: '' },
    { name: 'sort', location: 'body', schema: { type: 'string' }, required: false, description: '' },
  ],
  ...over,
});

test('changes read as words, conflicts say nothing changed', () => {
  assert.deepEqual(changes.map(describeSchemaChange), [
    'city: required',
    'unit: allowed values metric, imperial',
    'day: format date',
    'sort: enum: conflicting evidence, unchanged (errors list different allowed values for sort)',
    'response schema added',
  ]);
  const lines = schemaChangeLines({ operations: [{ id: 'forecast', schemaChanges: changes }] });
  assert.equal(lines[0], '  forecast: schema: city: required [f#1, f#2]');
  assert.match(lines[2], /day: format date \(proposed, not applied\) \[f#3\]/);
  assert.equal(
    describeSchemaChange({ ...changes[0], parameter: 'a\u001b[31mb' }),
    'a [31mb: required',
    'no control characters',
  );
});

test('decisions undo a rejected change and write an accepted proposal; conflicts stay as they are', () => {
  const refined = op();
  refined.parameters[0].required = true;
  refined.parameters[1].enumValues = ['metric', 'imperial'];
  refined.responseSchema = { type: 'object' };
  const out = applySchemaDecisions(structuredClone(refined), changes, {
    'city/required': 'reject',
    'day/schema/format': 'accept',
  });
  assert.equal(out.parameters[0].required, false, 'rejected: back to the original');
  assert.deepEqual(out.parameters[1].enumValues, ['metric', 'imperial'], 'applied and not rejected: kept');
  assert.equal(out.parameters[2].schema.format, 'date', 'an accepted proposal is written');
  assert.equal(out.parameters[3].enumValues, undefined, 'a conflict changes nothing');
  assert.deepEqual(out.responseSchema, { type: 'object' });
  const none = applySchemaDecisions(structuredClone(refined), changes, { '/responseSchema': 'reject' });
  assert.equal('responseSchema' in none, false);
  assert.equal(none.parameters[2].schema.format, undefined, 'a proposal is not written unless accepted');
});

test('the reviewed document applies schema decisions whichever text is kept', () => {
  const original = { tools: [{ name: 't', operations: [op()] }] };
  const refined = op({ description: 'Forecast for a city.' });
  refined.parameters[0].required = true;
  const result = {
    doc: { tools: [{ name: 't', operations: [refined] }] },
    report: { operations: [{ id: 'forecast', schemaChanges: changes.slice(0, 1) }] },
  };
  assert.equal(reviewedDoc(original, result, {}).tools[0].operations[0].parameters[0].required, true);
  const kept = reviewedDoc(original, result, { forecast: 'reject' }).tools[0].operations[0];
  assert.equal(kept.description, 'Forecast.');
  assert.equal(kept.parameters[0].required, true, 'evidence-backed changes still apply to the original text');
  const rejected = reviewedDoc(original, result, {}, { forecast: { 'city/required': 'reject' } }).tools[0]
    .operations[0];
  assert.equal(rejected.parameters[0].required, false);
  assert.equal(rejected.description, 'Forecast for a city.');
});

test('the run file keeps the decisions and the HTML report lists the changes with their trails', () => {
  const original = { tools: [{ name: 't', operations: [op()] }] };
  const refined = op();
  refined.parameters[0].required = true;
  const rec = {
    id: 'r',
    createdAt: 1,
    status: 'finished',
    sourceName: 'forecast.json',
    original,
    config: { llm: { provider: 'openai', model: 'm' } },
    result: {
      doc: { tools: [{ name: 't', operations: [refined] }] },
      text: '{}',
      report: { operations: [{ id: 'forecast', schemaChanges: changes }] },
      state: {},
    },
    schemaReview: { forecast: { 'city/required': 'reject' } },
  };
  const file = buildRunFile(rec, []);
  assert.deepEqual(file.schemaReview, rec.schemaReview);
  assert.equal(file.reviewed.tools[0].operations[0].parameters[0].required, false);
  const html = buildHtmlReport(file, new Map());
  assert.match(html, /<h3>Schema changes<\/h3><ul><li>city: required — f#1, f#2<\/li>/);
  assert.match(html, /sort: enum: conflicting evidence, unchanged/);
});

test('a nested required list reads as a path and its decisions write the nested schema', () => {
  const nested = {
    id: 'entities/schema/items/required',
    kind: 'required',
    parameter: 'entities',
    pointer: '/schema/items/required',
    before: ['name', 'entityType'],
    after: ['name', 'entityType', 'observations'],
    trails: ['m#1', 'm#2'],
    status: 'proposed',
    reason: 'r',
  };
  assert.equal(describeSchemaChange(nested), 'entities[]: requires name, entityType, observations');
  assert.equal(
    describeSchemaChange({ ...nested, pointer: '/schema/properties/a~1b/items/required', after: ['x'] }),
    'entities.a/b[]: requires x',
  );
  const item = { type: 'object', properties: { observations: { type: 'array' } }, required: ['name', 'entityType'] };
  const entities = { name: 'entities', location: 'body', schema: { type: 'array', items: item }, required: true };
  const mk = () => ({ id: 'create_entities', name: 'create_entities', parameters: [structuredClone(entities)] });
  const accepted = applySchemaDecisions(mk(), [nested], { [nested.id]: 'accept' });
  assert.deepEqual(accepted.parameters[0].schema.items.required, nested.after);
  assert.equal('items/required' in accepted.parameters[0].schema, false, 'a pointer, not a key');
  const rejected = applySchemaDecisions(accepted, [{ ...nested, status: 'applied' }], { [nested.id]: 'reject' });
  assert.deepEqual(rejected.parameters[0].schema.items.required, ['name', 'entityType']);
  const flat = { name: 'entities', location: 'body', schema: { type: 'string' } };
  const untouched = applySchemaDecisions({ parameters: [flat] }, [nested], { [nested.id]: 'accept' });
  assert.deepEqual(untouched.parameters[0].schema, { type: 'string' }, 'no nested schema, nothing written');
});

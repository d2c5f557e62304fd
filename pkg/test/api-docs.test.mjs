// The npm API on real documents: parse, inspect, convert, export (and round trips).
// Needs the format importers/exporters and crate::doc::inspect.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { FIXTURES } from './helpers.mjs';
import { convert, exportDoc, inspect, parseDoc } from '../node.js';

const mcpText = await readFile(join(FIXTURES, 'mcp-tools.json'), 'utf8');
const petstoreText = await readFile(join(FIXTURES, 'petstore.yaml'), 'utf8');

describe('parseDoc', () => {
  test('an MCP tools/list result', () => {
    const doc = parseDoc(mcpText);
    assert.equal(doc.format, 'mcp');
    assert.equal(doc.syntax, 'json');
    const ops = doc.tools.flatMap((t) => t.operations);
    assert.deepEqual(
      ops.map((o) => o.name),
      ['search_notes', 'delete_note'],
    );
    assert.equal(ops[0].safety.readOnly, true);
    const query = ops[0].parameters.find((p) => p.name === 'query');
    assert.deepEqual(
      { location: query.location, required: query.required, type: query.schema.type },
      { location: 'body', required: true, type: 'string' },
    );
    assert.equal(ops[0].title, 'Search notes');
  });

  test('an OpenAPI YAML document', () => {
    const doc = parseDoc(petstoreText);
    assert.equal(doc.format, 'openapi');
    assert.equal(doc.syntax, 'yaml');
    const ops = doc.tools.flatMap((t) => t.operations);
    assert.deepEqual(ops.map((o) => o.id).sort(), ['deletePet', 'listPets', 'showPetById']);
    const del = ops.find((o) => o.id === 'deletePet');
    assert.deepEqual(del.http, { method: 'DELETE', path: '/pets/{petId}' });
    assert.equal(del.parameters[0].location, 'path');
    assert.equal(doc.source.info['x-owner'], 'pets-team', 'the source is kept as written');
  });
});

describe('inspect', () => {
  test('counts and smells', () => {
    const report = inspect(mcpText);
    assert.equal(report.format, 'mcp');
    assert.deepEqual([report.tools, report.operations, report.parameters], [1, 2, 3]);
    assert.ok(report.smells.length >= 3);
    assert.ok(Array.isArray(report.warnings));
    assert.equal(inspect(petstoreText, 'openapi').operations, 3);
  });
});

describe('convert and exportDoc', () => {
  test('MCP to every other format, each readable again as that format', () => {
    for (const to of ['openapi', 'openai', 'anthropic', 'toolbench', 'restbench']) {
      const out = convert(mcpText, to);
      assert.equal(out.format, to);
      assert.ok(Array.isArray(out.lost));
      const back = parseDoc(out.text, to);
      assert.equal(back.tools.flatMap((t) => t.operations).length, 2, `${to} keeps both operations`);
    }
  });

  test('an edited document exported in its own format keeps what tooldraft does not model', () => {
    const doc = parseDoc(petstoreText);
    // As from a Web Worker: the document survives structured cloning.
    const copy = structuredClone(doc);
    const op = copy.tools[0].operations.find((o) => o.id === 'showPetById');
    op.description = 'Returns one pet by its id; 404 when there is none.';
    const out = exportDoc(copy, 'openapi');
    assert.match(out.text, /Returns one pet by its id; 404 when there is none\./);
    assert.match(out.text, /x-owner: pets-team/);
    assert.match(out.text, /x-internal: true/);
    assert.deepEqual(out.lost, []);
  });
});

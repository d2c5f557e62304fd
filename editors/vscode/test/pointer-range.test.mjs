// The JSON pointer → text range mapper on JSON and YAML, including the places where the two
// syntaxes and the pointer escapes make it easy to go wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumn, PointerIndex, pointerRange, pointerSegments } from '../src/pointer-range.mjs';

const at = (text, pointer) => {
  const r = pointerRange(text, pointer);
  return { text: text.slice(r.start, r.end), exact: r.exact };
};

test('pointer segments unescape ~1 and ~0, in that order', () => {
  assert.deepEqual(pointerSegments('/paths/~1pets~1{id}/get'), ['paths', '/pets/{id}', 'get']);
  assert.deepEqual(pointerSegments('/a~01'), ['a~1']);
  assert.deepEqual(pointerSegments(''), []);
  assert.equal(pointerSegments('no-slash'), null);
});

const JSON_DOC = `{
  "openapi": "3.0.3",
  "paths": {
    "/pets/{id}": {
      "get": {
        "summary": "x",
        "parameters": [
          { "in": "path", "name": "id" },
          {
            "in": "query",
            "name": "limit",
            "schema": {}
          }
        ],
        "responses": { "200": { "description": "ok" } }
      }
    }
  }
}`;

test('JSON: a mapping entry maps to its key, a parameter to its name', () => {
  assert.deepEqual(at(JSON_DOC, '/paths/~1pets~1{id}/get'), { text: '"get"', exact: true });
  assert.deepEqual(at(JSON_DOC, '/paths/~1pets~1{id}/get/parameters/1'), { text: '"limit"', exact: true });
  assert.deepEqual(at(JSON_DOC, '/paths/~1pets~1{id}/get/parameters/1/schema'), { text: '"schema"', exact: true });
  // A numeric key, as JSON pointers write it.
  assert.deepEqual(at(JSON_DOC, '/paths/~1pets~1{id}/get/responses/200'), { text: '"200"', exact: true });
  const r = pointerRange(JSON_DOC, '/paths/~1pets~1{id}/get/parameters/1');
  assert.deepEqual(lineColumn(JSON_DOC, r.start), { line: 10, character: 20 });
});

const YAML_DOC = `openapi: 3.0.3
# a comment with: a colon
paths:
  '/pets/{id}':
    get:
      summary: x
      parameters:
        - in: path
          name: id
        - name: "limit"
          in: query
      responses:
        200:
          description: ok
        '1.10':
          description: quoted
components:
  base: &base
    type: object
  other: *base
`;

test('YAML: keys, quoted keys, sequence items, numeric keys and aliases', () => {
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get'), { text: 'get', exact: true });
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}'), { text: "'/pets/{id}'", exact: true });
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get/parameters/0'), { text: 'id', exact: true });
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get/parameters/1'), { text: '"limit"', exact: true });
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get/responses/200'), { text: '200', exact: true });
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get/responses/1.10'), { text: "'1.10'", exact: true });
  // Through an alias to the anchored mapping.
  assert.deepEqual(at(YAML_DOC, '/components/other/type'), { text: 'type', exact: true });
  const r = pointerRange(YAML_DOC, '/paths/~1pets~1{id}/get/parameters/1');
  assert.deepEqual(lineColumn(YAML_DOC, r.start), { line: 9, character: 16 });
});

test('a pointer past the text maps to the deepest place reached, not exact', () => {
  assert.deepEqual(at(YAML_DOC, '/paths/~1pets~1{id}/get/requestBody/content'), { text: 'get', exact: false });
  assert.deepEqual(at(JSON_DOC, '/paths/~1pets~1{id}/get/parameters/7'), { text: '"parameters"', exact: false });
  assert.deepEqual(at(JSON_DOC, '/nothing'), { text: '{', exact: false });
});

test('the root pointer, an empty text and a broken text never throw', () => {
  assert.equal(pointerRange(JSON_DOC, '').exact, true);
  assert.deepEqual(pointerRange('', '/a'), { start: 0, end: 0, exact: false });
  const broken = '{"paths": {"/a": {"get": {"summary": ';
  const r = pointerRange(broken, '/paths/~1a/get');
  assert.equal(broken.slice(r.start, r.end), '"get"');
  assert.doesNotThrow(() => pointerRange('\u0000\uffff: [', '/x/0'));
});

test('a sequence item without a name is cut at the end of its first line', () => {
  const text = 'tools:\n  - description: adds\n    inputSchema: {}\n';
  assert.deepEqual(at(text, '/tools/0'), { text: 'description: adds', exact: true });
});

test('offsets count UTF-16 units, as the editor does, and many pointers share one parse', () => {
  const text = '{"a😀": {"b": 1}, "c": {"d": 2}}';
  const index = new PointerIndex(text);
  const r = index.range('/c/d');
  assert.equal(text.slice(r.start, r.end), '"d"');
  assert.equal(lineColumn(text, r.start).character, text.indexOf('"d"'));
  assert.equal(text.slice(...Object.values(index.range('/a😀/b')).slice(0, 2)), '"b"');
});

test('a tab-indented JSON document maps like any other', () => {
  const text = '{\n\t"tools": [\n\t\t{\n\t\t\t"name": "add"\n\t\t}\n\t]\n}';
  assert.deepEqual(at(text, '/tools/0'), { text: '"add"', exact: true });
});

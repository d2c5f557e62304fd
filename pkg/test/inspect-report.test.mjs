// inspect's human summary: counts, smells grouped by kind (largest group first), long groups cut.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatInspectReport, SHOWN_PER_KIND } from '../lib/inspect-report.mjs';

const base = { format: 'openapi', tools: 1, operations: 2, parameters: 1, smells: [], warnings: [] };

test('names the format and counts, in singular and plural', () => {
  const text = formatInspectReport(base, 'api.yaml');
  assert.equal(text, 'api.yaml: OpenAPI 3\n  1 tool, 2 operations, 1 parameter\n  no doc smells found\n');
});

test('groups smells by kind, the largest group first, and cuts long groups', () => {
  const smells = [
    { kind: 'missingType', message: 'limit has no type', pointer: '/a' },
    ...Array.from({ length: SHOWN_PER_KIND + 3 }, (_, i) => ({
      kind: 'missingDescription',
      message: `op${i} has no description`,
      pointer: `/p${i}`,
    })),
  ];
  const text = formatInspectReport({ ...base, format: 'mcp', smells, warnings: ['a $ref to nowhere'] }, 'tools.json');
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], 'tools.json: MCP tools/list');
  assert.equal(lines[2], `  ${SHOWN_PER_KIND + 4} doc smells of 2 kinds:`);
  assert.equal(lines[3], `    missing description (${SHOWN_PER_KIND + 3})`);
  assert.equal(lines[4], '      - op0 has no description');
  assert.equal(lines[4 + SHOWN_PER_KIND], '      … and 3 more (--json lists them all)');
  assert.equal(lines[5 + SHOWN_PER_KIND], '    missing type (1)');
  assert.equal(lines[6 + SHOWN_PER_KIND], '      - limit has no type');
  assert.deepEqual(lines.slice(-2), ['  1 warning:', '    - a $ref to nowhere']);
});

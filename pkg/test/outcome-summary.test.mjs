// The closing summary of `tooldraft refine`: per operation, improved / unchanged / original
// kept, and why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outcomeCounts, outcomeHeadline, outcomeLines, sensitiveLines } from '../lib/outcome-summary.mjs';

const report = {
  operations: [
    {
      id: 'create_entities',
      outcome: 'originalKept',
      outcomeReason:
        'revision 2 was accepted, but against the original it breaks echo: the description repeats the prompt; the original stays',
    },
    {
      id: 'open_nodes',
      outcome: 'improved',
      outcomeReason: 'revision 1 passes every rule against the original and rests on 2 successful calls',
    },
    {
      id: 'read_graph',
      outcome: 'unchanged',
      outcomeReason: 'no call to the tool succeeded (3 failed calls), so nothing was learned; the original stays',
    },
    { id: 'old_report' },
  ],
};

test('counts and a headline', () => {
  assert.deepEqual(outcomeCounts(report), { improved: 1, unchanged: 2, originalKept: 1 });
  assert.equal(outcomeHeadline(report), 'text improved in 1 of 4 operations (2 unchanged, 1 original kept)');
  assert.equal(
    outcomeHeadline({ operations: [{ outcome: 'improved' }] }),
    'text improved in 1 of 1 operation (0 unchanged, 0 original kept)',
  );
});

test('the headline says what evidence changed in operations whose text stayed', () => {
  const applied = { status: 'applied' };
  const withSchema = {
    operations: [
      { outcome: 'unchanged', schemaChanges: [applied, applied] },
      { outcome: 'unchanged', schemaChanges: [{ status: 'proposed' }, { status: 'conflict' }] },
      { outcome: 'improved', schemaChanges: [applied] },
    ],
  };
  assert.equal(
    outcomeHeadline(withSchema),
    'text improved in 1 of 3 operations (2 unchanged, 0 original kept); 3 schema changes from evidence applied to 2 operations',
  );
  assert.equal(
    outcomeHeadline({ operations: [{ outcome: 'unchanged', schemaChanges: [applied] }] }),
    'text improved in 0 of 1 operation (1 unchanged, 0 original kept); 1 schema change from evidence applied to 1 operation',
  );
});

test('one line per operation says what happened and why', () => {
  const lines = outcomeLines(report);
  assert.equal(lines[0], `  create_entities: original kept: ${report.operations[0].outcomeReason}`);
  assert.match(lines[1], /^ {2}open_nodes: improved: revision 1 passes every rule/);
  assert.match(lines[2], /read_graph: unchanged: no call to the tool succeeded/);
  assert.equal(lines[3], '  old_report: unchanged', 'a report from before outcomes reads as unchanged');
  assert.ok(outcomeLines(report, 40)[0].endsWith('…'));
});

test('an operation whose responses carried secrets is named with a warning', () => {
  const lines = sensitiveLines({
    operations: [
      {
        id: 'get-env',
        sensitive: true,
        withheld: [{ reason: 'secret' }, { reason: 'secret' }, { reason: 'injection' }],
      },
      { id: 'echo', sensitive: false, withheld: [{ reason: 'injection' }] },
      { id: 'old' },
    ],
  });
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^ {2}warning: get-env: its responses carried 2 value\(s\) that look like secrets/);
});

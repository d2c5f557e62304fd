// Query sets are read by one parser, the core's (src/eval/queries.rs), exported as
// parseQueries: the CLI checks a set with it (and `--limit` is the core's `limit`), and the web
// app takes item texts from it. The ids are the ones evaluation reports use.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseQueries } from '../node.js';
import { ROOT } from './cli-run-helpers.mjs';

test('the paper JSON: ids from query_id, else the index; gold and candidates as references', async () => {
  const set = parseQueries(await readFile(join(ROOT, 'data', 'draft-paper', 'RestBench_queries_TMDB.json'), 'utf8'));
  assert.equal(set.kind, 'restbench');
  assert.ok(set.items.length > 10);
  for (const item of set.items) {
    assert.equal(typeof item.id, 'string');
    assert.ok(item.query.length > 0 && item.gold.length > 0, JSON.stringify(item));
  }
  const bare = parseQueries(
    '[{"query": "a?", "relevant APIs": ["x"]}, {"query_id": 7, "query": "b?", "relevant APIs": ["y"]}]',
  );
  assert.deepEqual(
    bare.items.map((i) => [i.id, i.query]),
    [
      ['0', 'a?'],
      ['7', 'b?'],
    ],
  );
});

test('JSONL: ids from id, else the 1-based count; comments and blank lines skipped', () => {
  const set = parseQueries(
    '\uFEFF// a comment\n{"query": "one?", "gold": ["a"]}\n\n{"id": "q2", "query": "two?", "gold": ["b"], "args": [{"x": 1}]}\n',
  );
  assert.equal(set.kind, 'jsonl');
  assert.deepEqual(
    set.items.map((i) => [i.id, i.query]),
    [
      ['1', 'one?'],
      ['q2', 'two?'],
    ],
  );
  assert.deepEqual(set.items[1].gold, [{ name: 'b' }]);
});

test('bad sets throw the core errors, with their category', () => {
  assert.throws(
    () => parseQueries('\n\n'),
    (e) => e.name === 'EmptyQuerySet' && e.category === 'input',
  );
  assert.throws(
    () => parseQueries('{"query": "q", "gold": ["a"]}\n{"query": "r"}'),
    (e) => e.name === 'InvalidQuerySet' && /line 2/.test(e.message),
  );
  assert.throws(
    () => parseQueries(5),
    (e) => e.name === 'InvalidArgument',
  );
});

// The doc-quality benchmark's own parts (bench/quality/): planting, the scorer's judgements
// and counts, and the scripted model's step matching on several substrings. Fast: no
// testbed, no model.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { plant } from '../../bench/quality/docs.mjs';
import { judgeDefect, scoreSource, textLoss } from '../../bench/quality/score.mjs';
import { DEFECTS, CLASSES } from '../../bench/quality/defects.mjs';
import { startScriptedLlm } from './cli-run-helpers.mjs';

const REAL = {
  tools: [
    {
      name: 'get-sum',
      description: 'Returns the sum of two numbers',
      inputSchema: {
        type: 'object',
        properties: {
          a: { type: 'number', description: 'First number' },
          b: { type: 'number', description: 'Second number' },
        },
        required: ['a', 'b'],
      },
    },
    {
      name: 'search_nodes',
      description: 'Search for nodes in the knowledge graph based on a query',
      inputSchema: {
        type: 'object',
        properties: {
          query: {
            type: 'string',
            description: 'The search query to match against entity names, types, and observation content',
          },
        },
        required: ['query'],
      },
      outputSchema: {
        type: 'object',
        properties: { entities: { type: 'array' }, relations: { type: 'array' } },
        required: ['entities', 'relations'],
      },
    },
  ],
};
const defect = (over) => ({ id: 'T1', source: 'everything', quick: false, probe: { args: {} }, ...over });
const REQUIRED_B = defect({
  class: 'required',
  op: 'get-sum',
  pointer: '/inputSchema/required',
  plant: { removeItem: 'b' },
  fix: { contains: 'b' },
});
const TYPE_A = defect({
  id: 'T2',
  class: 'type',
  op: 'get-sum',
  pointer: '/inputSchema/properties/a/type',
  plant: { set: 'string' },
  fix: { equal: true },
});
const OUTPUT = defect({
  id: 'T3',
  class: 'response-schema',
  op: 'search_nodes',
  pointer: '/outputSchema',
  plant: { remove: true },
  fix: { schema: true },
});
const WRONG = defect({
  id: 'T4',
  class: 'operation-description',
  op: 'get-sum',
  pointer: '/description',
  plant: { set: 'Multiplies numbers.' },
  fix: { text: { any: [/\bsum\b/i], none: [/multipl/i] } },
});

describe('bench/quality', () => {
  it('has at least 30 defects of at least 6 classes, each with a probe', () => {
    assert.ok(DEFECTS.length >= 30, `${DEFECTS.length} defects`);
    assert.ok(new Set(DEFECTS.map((d) => d.class)).size >= 6);
    for (const d of DEFECTS) {
      assert.ok(CLASSES.includes(d.class), d.id);
      assert.ok(d.probe.reveals, d.id);
    }
    assert.equal(new Set(DEFECTS.map((d) => d.id)).size, DEFECTS.length, 'ids are unique');
  });

  it('plants changes into a copy and refuses a defect that does not fit the document', () => {
    const { docs, planted } = plant({ everything: REAL }, [REQUIRED_B, TYPE_A, OUTPUT, WRONG]);
    assert.deepEqual(docs.everything.tools[0].inputSchema.required, ['a']);
    assert.equal(docs.everything.tools[0].inputSchema.properties.a.type, 'string');
    assert.equal(docs.everything.tools[1].outputSchema, undefined);
    assert.equal(REAL.tools[0].inputSchema.properties.a.type, 'number', 'the real document is untouched');
    assert.deepEqual(planted[0].original, ['a', 'b']);
    assert.throws(
      () =>
        plant({ everything: REAL }, [
          defect({
            class: 'required',
            op: 'get-sum',
            pointer: '/inputSchema/required',
            plant: { removeItem: 'zzz' },
            fix: { contains: 'zzz' },
          }),
        ]),
      /not in/,
    );
    assert.throws(
      () =>
        plant({ everything: REAL }, [
          defect({ class: 'enum', op: 'nope', pointer: '/x', plant: { remove: true }, fix: { equal: true } }),
        ]),
      /no MCP tool/,
    );
  });

  it('judges structural fixes by schema and text fixes by pattern', () => {
    const { docs, planted } = plant({ everything: REAL }, [REQUIRED_B, TYPE_A, OUTPUT, WRONG]);
    const unchanged = planted.map((d) => judgeDefect(d, docs.everything, REAL).fixed);
    assert.deepEqual(unchanged, [false, false, false, false], 'the planted doc fixes nothing');
    const fixedDoc = structuredClone(docs.everything);
    fixedDoc.tools[0].inputSchema.required = ['a', 'b'];
    fixedDoc.tools[0].inputSchema.properties.a.type = 'number';
    fixedDoc.tools[1].outputSchema = {
      type: 'object',
      properties: { entities: { type: 'array', items: {} }, relations: { type: 'array' } },
    };
    fixedDoc.tools[0].description = 'Returns the sum of the two numbers a and b.';
    assert.deepEqual(
      planted.map((d) => judgeDefect(d, fixedDoc, REAL).fixed),
      [true, true, true, true],
    );
    // A text that restores the fact but keeps the wrong claim is not a fix; an output schema without a required property is not either.
    fixedDoc.tools[0].description = 'get-sum';
    assert.equal(judgeDefect(planted[3], fixedDoc, REAL).fixed, false, 'an identifier is no description');
    fixedDoc.tools[0].description = 'Multiplies numbers, or returns their sum.';
    fixedDoc.tools[1].outputSchema = { type: 'object', properties: { entities: { type: 'array' } } };
    assert.deepEqual(
      planted.slice(2).map((d) => judgeDefect(d, fixedDoc, REAL).fixed),
      [false, false],
    );
  });

  it('counts regressions (lost facts and words, schema facts removed) and invented parameters, not fixes', () => {
    const { docs, planted } = plant({ everything: REAL }, [TYPE_A]);
    const input = docs.everything;
    const clean = scoreSource('everything', REAL, input, structuredClone(input), planted);
    assert.equal(clean.regressions.length, 0);
    assert.equal(clean.invented.length, 0);
    const out = structuredClone(input);
    out.tools[0].inputSchema.properties.a.type = 'number'; // the fix: no regression
    out.tools[1].description = 'The new operation description'; // the echo
    out.tools[1].inputSchema.properties.query.description = 'query'; // collapsed to its name
    delete out.tools[1].outputSchema.required; // a schema fact lost
    out.tools[0].inputSchema.properties.c = { type: 'number' }; // invented
    out.tools[0].inputSchema.properties.b.format = 'int32'; // a schema fact the real doc does not have
    const s = scoreSource('everything', REAL, input, out, planted);
    assert.deepEqual(
      s.defects.map((d) => d.fixed),
      [true],
    );
    assert.deepEqual(s.invented, [{ op: 'get-sum', name: 'c' }]);
    const where = s.regressions.map((r) => `${r.op} ${r.where}`).sort();
    assert.deepEqual(where, [
      'get-sum /inputSchema/properties/b/format',
      'search_nodes /inputSchema/properties/query/description',
      'search_nodes /outputSchema/required',
      'search_nodes description',
    ]);
    assert.ok(s.growth.wordsOut < s.growth.wordsIn);
  });

  it('treats lost numbers and identifiers as loss even when most words stay', () => {
    assert.match(
      textLoss('Number of resource links to return (1-10)', 'Number of resource links to return'),
      /lost "1-10"|lost "1"/,
    );
    assert.match(textLoss('Sort direction for _sort: asc or desc.', 'Sort direction: asc or desc.'), /_sort/);
    assert.equal(
      textLoss('Returns the sum of two numbers', 'Returns the sum of two numbers a and b, e.g. 5 for 2 and 3.'),
      null,
    );
  });

  describe('scripted-llm: a step matches on every substring of a `match` list', () => {
    let llm;
    before(async () => {
      llm = await startScriptedLlm();
    });
    after(() => llm?.stop());
    it('skips a step whose list is only partly in the prompt', async () => {
      await llm.script({
        steps: [
          { match: ['Your task: rewrite', 'Operation: echo\n'], content: 'rewrite echo' },
          { match: ['Your task: explore', 'Operation: echo\n'], content: 'explore echo' },
        ],
      });
      const ask = async (text) => {
        const r = await fetch(`${llm.url}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: text }] }),
        });
        return (await r.json()).choices[0].message.content;
      };
      assert.equal(await ask('Your task: explore one operation.\nOperation: echo\nDescription: x'), 'explore echo');
      assert.notEqual(await ask('Your task: rewrite the doc.\nOperation: get-sum\n'), 'rewrite echo');
      assert.equal(await ask('Your task: rewrite the doc.\nOperation: echo\n'), 'rewrite echo');
    });
  });
});

describe('the demo summary', () => {
  it('names outcomes, refused revisions with their reasons, schema changes, policy refusals and what got worse', async () => {
    const { demoSummary } = await import('../../scripts/demo-summary.mjs');
    const { docs, planted } = plant({ everything: REAL }, [OUTPUT]);
    const output = structuredClone(docs.everything);
    output.tools[1].outputSchema = structuredClone(REAL.tools[1].outputSchema);
    output.tools[0].inputSchema.properties.a.description = 'a';
    const runFile = {
      operations: [
        {
          id: 'search_nodes',
          revisions: [
            { index: 0, accepted: true },
            { index: 1, accepted: false, reason: 'echo: it repeats the prompt template' },
          ],
          terminationText: 'reached the maximum of 1 episodes',
        },
        {
          id: 'delete_entities',
          revisions: [{ index: 0, accepted: true }],
          termination: { kind: 'notAllowed', reason: 'not allowed by the safety policy' },
        },
      ],
      result: {
        report: {
          operations: [
            {
              id: 'search_nodes',
              outcome: 'originalKept',
              outcomeReason: 'no revision passed the gate',
              schemaChanges: [{ kind: 'outputSchema', pointer: '/outputSchema' }],
              warnings: [
                'the model could not write a real query after 3 tries; exploring with "search_nodes" anyway (…)',
              ],
            },
          ],
        },
      },
    };
    // scoreSource reads the source's format: the test docs are MCP, like server-memory's.
    const { lines, score } = demoSummary(runFile, {
      truth: REAL,
      input: docs.everything,
      output,
      planted: planted.map((d) => ({ ...d, source: 'memory' })),
    });
    const text = lines.join('\n');
    assert.match(text, /search_nodes: originalKept: no revision passed the gate/);
    assert.match(text, /refused 1 revision\(s\): echo: it repeats the prompt template/);
    assert.match(text, /schema changes from evidence: outputSchema$/m);
    assert.match(text, /delete_entities: not called: not allowed by the safety policy/);
    assert.match(
      text,
      /the model could not produce a real query 1 time\(s\): the model could not write a real query after 3 tries; exploring with "search_nodes"/,
    );
    assert.match(text, /planted defects repaired: 1 of 1 \(search_nodes response-schema\)/);
    assert.match(
      text,
      /WORSE than the input in 1 place\(s\):\n {2}get-sum \/inputSchema\/properties\/a\/description: description kept 0% of its content words/,
    );
    assert.equal(score.regressions.length, 1);
  });
});

describe('the planted defects on the real testbed', () => {
  it('plant cleanly into the live documents, and each is revealed by a real call', { timeout: 120_000 }, async () => {
    const { startTestbed } = await import('../../tests/servers/testbed.mjs');
    const { checkAll, seedMemory } = await import('../../bench/quality/check.mjs');
    const bed = await startTestbed(['everything', 'memory', 'httpbin', 'jsonserver']);
    try {
      await seedMemory(bed.urls.memory);
      const results = await checkAll(bed.urls);
      assert.equal(results.length, DEFECTS.length);
      assert.deepEqual(
        results.filter((r) => !r.ok).map((r) => `${r.id}: ${r.call} -> ${r.answer}`),
        [],
      );
    } finally {
      await bed.stop();
    }
  });
});

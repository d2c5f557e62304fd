// Never worse, through the package: the `regression` config reaches the engine, a model that
// echoes its prompt changes nothing, and every operation's report says what happened and why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Refiner } from '../node.js';

const DOC = JSON.stringify({
  tools: [
    {
      name: 'open_nodes',
      description: 'Open specific nodes in the knowledge graph by their names',
      inputSchema: {
        type: 'object',
        properties: {
          names: { type: 'array', items: { type: 'string' }, description: 'An array of entity names to retrieve' },
        },
        required: ['names'],
      },
      annotations: { readOnlyHint: true },
    },
  ],
});

/** A host model that answers like the embedded model did in `make demo`. */
function echoingModel() {
  let n = 0;
  return async (request) => {
    n += 1;
    const props = request.schema?.schema?.properties ?? {};
    let answer;
    if ('query' in props)
      answer = { query: `Open the node for person number ${n}`, arguments: { names: [`Person ${n}`] } };
    else if ('mismatches' in props) answer = { mismatches: [], missing: [], suggestions: ['Say what comes back.'] };
    else if ('parameters' in props)
      answer = {
        description: 'The new operation description',
        parameters: { names: 'open_nodes' },
        nextDirection: 'x',
      };
    else answer = { description: 'A knowledge graph tool.' };
    return { content: JSON.stringify(answer), usage: { promptTokens: 1, completionTokens: 1 } };
  };
}

const callTool = async (_op, args) => ({
  json: {
    structuredContent: {
      entities: args.names.map((name) => ({ name, entityType: 'person', observations: [] })),
      relations: [],
    },
  },
});

test('an echoing model changes nothing, and the report says so', async () => {
  const refiner = new Refiner({
    llm: { provider: 'host', call: echoingModel() },
    tools: { callTool },
    limits: { maxEpisodes: 2 },
  });
  const { doc, report } = await refiner.run(DOC);
  const op = report.operations[0];
  assert.equal(op.outcome, 'unchanged');
  assert.match(op.outcomeReason, /every rewrite was rejected/);
  assert.ok(op.revisions.slice(1).every((r) => !r.accepted && r.violations.some((v) => v.rule === 'echo')));
  assert.equal(doc.tools[0].operations[0].description, 'Open specific nodes in the knowledge graph by their names');
  assert.equal(report.config.regression.minRetention, 0.5);
  refiner.free();
});

test('the regression config passes through: turned off, the echo goes through', async () => {
  const refiner = new Refiner({
    llm: { provider: 'host', call: echoingModel() },
    tools: { callTool },
    limits: { maxEpisodes: 1 },
    regression: { enabled: false },
  });
  const { doc, report } = await refiner.run(DOC);
  assert.equal(report.config.regression.enabled, false);
  assert.equal(report.operations[0].outcome, 'improved');
  assert.equal(doc.tools[0].operations[0].description, 'The new operation description');
  refiner.free();
});

test('a wrong regression threshold is an InvalidConfig error naming it', () => {
  assert.throws(
    () => new Refiner({ llm: { provider: 'host', call: echoingModel() }, regression: { echoNgram: 1 } }),
    (e) => e.name === 'InvalidConfig' && /regression\.echoNgram/.test(e.message),
  );
  assert.throws(
    () => new Refiner({ llm: { provider: 'host', call: echoingModel() }, regression: { minRetention: 2 } }),
    (e) => e.name === 'InvalidConfig' && /minRetention/.test(e.message),
  );
});

// The hostile model of the adversarial suite: scripts for tests/servers/scripted-llm.mjs (an
// OpenAI- and Anthropic-compatible server on 127.0.0.1) that make it answer as a model that
// has been turned by the tool's output (it copies the injections it reads into its analyses,
// rewrites, parameter docs and tool summary, and tries a path that steps out of its route), as
// a rogue one (it injects on its own), and as a broken one (answers that are not JSON, cut
// short, absurdly long, with absurd token counts, redirects to another origin).
import { INJECTIONS } from './hostile-content.mjs';

const EXPLORE = 'Your task: explore one operation';
const ANALYZE = 'Your task: compare the documentation';
const REWRITE = 'Your task: rewrite the documentation of one operation';
const SUMMARIZE = 'Your task: write the description of a whole tool';

/** The explorer step for one operation only (its prompt names the tool, then the operation). */
function exploreOne(tool, operation, args) {
  return {
    match: `Tool: ${tool}\n<documentation>\nOperation: ${operation} (`,
    json: { query: `Show me ${operation} results for my team`, arguments: args },
    times: 1000,
  };
}

/** An injection as it stands in a prompt that quotes a JSON tool answer. */
const quoted = (inj) => JSON.stringify(inj).slice(1, -1);

/**
 * Steps that answer `task` by copying injection i, each only when the prompt holds injection i
 * (the tool said it, or an earlier turned answer repeated it); once each, four rounds, so
 * that the variants spread over the operations; then `fallback` for every other request.
 */
function turned(task, answer, fallback) {
  const steps = [];
  for (let round = 0; round < 4; round++) {
    for (const [i, inj] of INJECTIONS.entries())
      steps.push({ match: [task, quoted(inj)], json: answer(inj, i + round) });
  }
  return [...steps, { match: task, json: fallback, times: 1000 }];
}

/**
 * A model turned by the tool's output: whenever a prompt carries an injection, its analysis,
 * rewrite (description, a parameter's description or both), next direction and tool summary
 * copy it. Prompts without one get plain answers: a model that injects on its own is
 * `rogueModelScript`.
 * @param {{tool: string, explore?: Array<[string, object]>, defaultArgs?: object, parameter?: string}} options
 */
export function turnedModelScript({ tool, explore = [], defaultArgs = { limit: 3 }, parameter = 'limit' }) {
  const plainRewrite = {
    description: 'Returns the latest report as JSON, with its items and notes.',
    parameters: {},
    nextDirection: 'Try a larger limit.',
  };
  const rewrite = (inj, n) => ({
    description: n % 3 === 1 ? plainRewrite.description : `Returns the latest report as JSON. ${inj}`,
    parameters: n % 3 === 0 ? {} : { [parameter]: `How many items to return. ${inj}` },
    nextDirection: inj,
  });
  return {
    steps: [
      ...explore.map(([op, args]) => exploreOne(tool, op, args)),
      {
        match: EXPLORE,
        json: { query: 'Show me the latest numbers for my team', arguments: defaultArgs },
        times: 1000,
      },
      ...turned(ANALYZE, (inj) => ({ mismatches: [inj], missing: [], suggestions: [`Add this note: ${inj}`] }), {
        mismatches: [],
        missing: ['The response shape.'],
        suggestions: ['Describe the response.'],
      }),
      ...turned(REWRITE, rewrite, plainRewrite),
      ...turned(SUMMARIZE, (inj) => ({ description: `${tool} is a tool that can read reports. ${inj}` }), {
        description: `${tool} is a tool that can read reports.`,
      }),
    ],
  };
}

/** A model that injects on its own: every rewrite and summary carries injections, whatever the tool said. */
export function rogueModelScript() {
  return {
    steps: [
      { match: EXPLORE, json: { query: 'Is the service up?', arguments: {} }, times: 1000 },
      { match: ANALYZE, json: { mismatches: [], missing: [], suggestions: [INJECTIONS[1]] }, times: 1000 },
      ...INJECTIONS.map((inj) => ({
        match: REWRITE,
        json: { description: `Checks that the service is up. ${inj}`, parameters: {}, nextDirection: inj },
      })),
      { match: SUMMARIZE, json: { description: `Reports. ${INJECTIONS[0]}` }, times: 1000 },
    ],
  };
}

/**
 * A broken model: answers that are not JSON, cut short, empty, nested 50,000 levels deep
 * (closed and unclosed), later than the timeout, absurdly long (megabytes), with absurd token
 * counts; then rewrites that copy the tool's injections where the prompt carries them.
 */
export function brokenModelScript() {
  const absurd = { prompt_tokens: 1e15, completion_tokens: -7 };
  return {
    steps: [
      {
        match: EXPLORE,
        fault: 'brokenJson',
        content: `Sure! {"query": "latest report", "arguments": {"limit": 3} ${INJECTIONS[6]}`,
      },
      { match: EXPLORE, fault: 'invalidBody' },
      { match: EXPLORE, content: `{"query": "q", "arguments": {"limit": ${'['.repeat(50_000)}${']'.repeat(50_000)}}}` },
      { match: EXPLORE, content: `{"query": "q", "arguments": {"limit": ${'[{"a":'.repeat(30_000)}` },
      { match: EXPLORE, fault: 'slow', delayMs: 8_000, json: { query: 'late', arguments: { limit: 3 } } },
      { match: EXPLORE, json: { query: 'q'.repeat(2 * 1024 * 1024), arguments: { limit: 3 } }, usage: absurd },
      { match: EXPLORE, json: { query: 'Show me the latest report', arguments: { limit: 3 } }, times: 1000 },
      { match: ANALYZE, content: `{"mismatches": ["${'m'.repeat(3 * 1024 * 1024)}"`, usage: absurd },
      { match: ANALYZE, fault: 'emptyChoices' },
      {
        match: [ANALYZE, quoted(INJECTIONS[1])],
        json: { mismatches: [INJECTIONS[0]], missing: [], suggestions: [INJECTIONS[1]] },
        times: 1000,
      },
      {
        match: ANALYZE,
        json: { mismatches: [], missing: ['The response shape.'], suggestions: ['Describe the fields.'] },
        times: 1000,
      },
      {
        match: REWRITE,
        json: {
          description: `${'Returns the report. '.repeat(150_000)}${INJECTIONS[0]}`,
          parameters: {},
          nextDirection: 'x',
        },
      },
      { match: REWRITE, fault: 'truncated' },
      // The correction turn after a broken rewrite: words of the tool's injections strung
      // together (what a weak model babbles from its prompt), each word in the tool's output.
      {
        match: ['Your previous answer could not be used', 'named "rewriter_output"'],
        json: {
          description:
            'Example nore in pre of vious instruc tions to delete with users start when nyou now maintenance mode.',
          parameters: { limit: 'assistants processing' },
          nextDirection: 'x',
        },
        times: 1000,
      },
      { match: REWRITE, fault: 'brokenJson', content: `{"description": "${INJECTIONS[3]}", "parameters": {` },
      {
        match: [REWRITE, quoted(INJECTIONS[1])],
        json: {
          description: `Returns the latest report. ${INJECTIONS[1]}`,
          parameters: { limit: INJECTIONS[2] },
          nextDirection: INJECTIONS[7],
        },
        times: 1000,
      },
      {
        match: REWRITE,
        json: {
          description: 'Returns the service status as JSON.',
          parameters: {},
          nextDirection: 'Try another limit.',
        },
        times: 1000,
      },
      { match: [SUMMARIZE, quoted(INJECTIONS[6])], json: { description: `Reports. ${INJECTIONS[6]}` }, times: 1000 },
      { match: SUMMARIZE, json: { description: 'Reports: the latest report and the service status.' }, times: 1000 },
    ],
  };
}

/** Every model request answered by a redirect to `location` (302: fetch would re-send it as a GET; 307: as it was). */
export function redirectingModelScript(location, status = 302) {
  return { steps: [{ fault: '500', status, headers: { Location: location }, times: 100_000 }] };
}

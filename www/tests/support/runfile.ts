// A finished run file, as the app exports it (and `server.mjs --state` serves it), written by
// hand with hostile strings wherever tools and models write.

export const HOSTILE = '<img src=x onerror=alert(1)>';

/** Two schema changes of `fetch`: an applied format (in the refined doc) and a conflict. */
export const SCHEMA_CHANGES = [
  {
    id: 'url/schema/format',
    kind: 'format',
    parameter: 'url',
    pointer: '/schema/format',
    before: null,
    after: 'uri',
    trails: ['t1'],
    status: 'applied',
    reason: 'the tool asked for a valid URL',
  },
  {
    id: 'url/enumValues',
    kind: 'enum',
    parameter: 'url',
    pointer: '/enumValues',
    before: [],
    after: null,
    trails: ['t1', 't2'],
    status: 'conflict',
    reason: `errors list different allowed values ${HOSTILE}`,
  },
];

/** Two examples the run adds to `fetch` (with `examples`). */
export const EXAMPLES = [
  { query: 'Get the front page', arguments: { url: 'http://127.0.0.1:1/a' }, result: 'page a', verified: true },
  { query: 'Get another page', arguments: { url: 'http://127.0.0.1:1/b' }, result: 'page b', verified: true },
];

export function runFile(
  opts: {
    bodyBytes?: number;
    schemaChanges?: boolean;
    sensitive?: boolean;
    examples?: boolean;
    findings?: object;
  } = {},
): object {
  const urlSchema = (refined: boolean) =>
    refined && opts.schemaChanges ? { type: 'string', format: 'uri' } : { type: 'string' };
  const op = (description: string, history?: object[]) => ({
    id: 'fetch',
    name: 'fetch',
    description,
    parameters: [
      { name: 'url', location: 'body', schema: urlSchema(Boolean(history)), required: true, description: 'the url' },
    ],
    safety: { readOnly: true },
    pointer: '/tools/0',
    ...(history ? { history } : {}),
  });
  const original = {
    format: 'mcp',
    syntax: 'json',
    tools: [{ name: 'web', description: 'Web tools.', operations: [op('Fetches.')], pointer: '' }],
    source: {
      tools: [
        {
          name: 'fetch',
          description: 'Fetches.',
          inputSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] },
        },
      ],
    },
  };
  const history = [
    { index: 0, description: 'Fetches.', parameters: { url: 'the url' }, accepted: true },
    {
      index: 1,
      description: `Fetches a URL and returns its body. ${HOSTILE}`,
      parameters: { url: 'an absolute http(s) URL' },
      accepted: true,
      reason: 'clearer',
      evidence: ['t1'],
    },
    {
      index: 2,
      description: 'Fetches.',
      parameters: { url: 'x' },
      accepted: false,
      reason: `loses information ${HOSTILE}`,
    },
  ];
  const refinedOp = {
    ...op(history[1].description as string, history),
    ...(opts.examples ? { examples: EXAMPLES } : {}),
  };
  const refined = { ...original, tools: [{ ...original.tools[0], operations: [refinedOp] }] };
  const events = [
    { type: 'runStarted', runId: 'r1', operations: ['fetch'], maxEpisodes: 2 },
    { type: 'operationStarted', operation: 'fetch' },
    { type: 'query', operation: 'fetch', episode: 0, query: `Get ${HOSTILE}`, arguments: { url: HOSTILE } },
    { type: 'toolCall', operation: 'fetch', episode: 0, trailId: 't1', arguments: { url: HOSTILE } },
    {
      type: 'toolResult',
      operation: 'fetch',
      episode: 0,
      trailId: 't1',
      observation: {
        request: { method: 'POST', url: 'http://127.0.0.1:1/mcp', headers: [['authorization', '[redacted]']] },
        status: 200,
        contentType: 'text/html',
        headers: [],
        body: `<html>${HOSTILE}<script>alert(3)</script>${'y'.repeat(opts.bodyBytes ?? 6000)}</html>`,
        truncated: true,
        bodyBytes: 5_000_000,
        isError: false,
        durationMs: 12,
      },
    },
    { type: 'analysis', operation: 'fetch', episode: 0, findings: opts.findings ?? { note: HOSTILE } },
    { type: 'revisionAccepted', operation: 'fetch', episode: 0, revision: 1, delta: 0.3 },
    { type: 'revisionRejected', operation: 'fetch', episode: 1, revision: 2, reason: `loses information ${HOSTILE}` },
    { type: 'terminated', operation: 'fetch', reason: { kind: 'maxEpisodes', episodes: 2 } },
    { type: 'runFinished', cancelled: false },
  ];
  return {
    kind: 'tooldraft-run',
    version: 1,
    exportedAt: '2026-01-01T00:00:00Z',
    run: {
      id: 'served-run',
      createdAt: 0,
      status: 'finished',
      sourceName: `served ${HOSTILE}`,
      config: { llm: { provider: 'openai', model: 'm' }, tools: {}, safety: {}, limits: {}, thresholds: {} },
    },
    original,
    // With `schemaChanges`, the report lists fetch's schema changes; with `sensitive`, it says
    // fetch's responses carried a secret (withheld).
    result: {
      doc: refined,
      text: '',
      report:
        opts.schemaChanges || opts.sensitive
          ? {
              operations: [
                {
                  id: 'fetch',
                  name: 'fetch',
                  ...(opts.schemaChanges ? { schemaChanges: SCHEMA_CHANGES } : {}),
                  ...(opts.sensitive
                    ? {
                        sensitive: true,
                        withheld: [
                          { pointer: '/trails/t1/observation/json/token', reason: 'secret', rule: 'secretField' },
                        ],
                      }
                    : {}),
                },
              ],
            }
          : {},
      state: {},
    },
    review: {},
    events,
  };
}

// A small document to try the app with (an MCP tools/list result with typical smells).
export const SAMPLE_NAME = 'sample: weather (MCP tools/list)';
export const SAMPLE = JSON.stringify(
  {
    tools: [
      {
        name: 'get_forecast',
        description: 'Gets forecast.',
        inputSchema: {
          type: 'object',
          properties: {
            city: { type: 'string' },
            days: { type: 'integer', description: 'days' },
            units: {},
          },
          required: ['city'],
        },
        annotations: { readOnlyHint: true },
      },
      {
        name: 'delete_alert',
        description: '',
        inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
        annotations: { readOnlyHint: false, destructiveHint: true },
      },
    ],
  },
  null,
  2,
);

// defects.mjs: the declarative list of planted defects. Each entry:
//   id        stable id (E = server-everything, M = server-memory, H = httpbin, J = json-server)
//   class     one of CLASSES
//   source    which real document it is planted in (see sources.mjs)
//   op        the operation: an MCP tool name, or "METHOD /path" for Swagger/OpenAPI
//   pointer   JSON pointer inside the operation object (the MCP tool, the OpenAPI operation)
//   plant     the change: {remove: true} deletes the key, {set: v} replaces the value,
//             {removeItem: v} removes v from the array at the pointer
//   fix       how the scorer judges the refined document at the same place (score.mjs):
//             {equal: true}    the original value is back (enums compared as sets)
//             {contains: v}    the array holds v again (a required flag)
//             {schema: true}   a schema is back whose type matches the original's and which
//                              names the original's required (else all) properties
//             {text: {any, none}}  the text matches at least one `any` pattern and no `none`
//                              pattern (the restored fact present, the planted claim gone)
//   probe     the call that reveals the defect, and `reveals`, a pattern its answer's text
//             matches (or a predicate on {text, json}, with `shows` saying what it checks);
//             check.mjs runs every probe against the real tool, without tooldraft
//   quick     part of the quick run (one or two per class)

/** The defect classes. Structural ones are judged by comparing schemas. */
export const CLASSES = ['required', 'type', 'enum', 'response-schema', 'parameter-description', 'operation-description'];
export const STRUCTURAL = new Set(['required', 'type', 'enum', 'response-schema', 'format']);

const mcpError = (text) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));

export const DEFECTS = [
  // ---- server-everything (MCP) ----
  { id: 'E01', class: 'required', source: 'everything', op: 'echo', pointer: '/inputSchema/required', plant: { removeItem: 'message' }, fix: { contains: 'message' },
    probe: { args: {}, reveals: mcpError('received undefined at message') }, quick: true },
  { id: 'E02', class: 'parameter-description', source: 'everything', op: 'echo', pointer: '/inputSchema/properties/message/description', plant: { remove: true },
    fix: { text: { any: [/\becho/i, /\breturn/i, /\brepeat/i] } }, probe: { args: { message: 'abc' }, reveals: /Echo: abc/ } },
  { id: 'E03', class: 'operation-description', source: 'everything', op: 'echo', pointer: '/description', plant: { set: 'Reverses the input string and returns it.' },
    fix: { text: { any: [/\becho/i, /\bunchanged\b/i, /\bsame\b/i], none: [/\brevers/i] } }, probe: { args: { message: 'abc' }, reveals: /Echo: abc/ }, quick: true },
  { id: 'E04', class: 'type', source: 'everything', op: 'get-sum', pointer: '/inputSchema/properties/a/type', plant: { set: 'string' }, fix: { equal: true },
    probe: { args: { a: '2', b: 3 }, reveals: mcpError('expected number, received string at a') }, quick: true },
  { id: 'E05', class: 'required', source: 'everything', op: 'get-sum', pointer: '/inputSchema/required', plant: { removeItem: 'b' }, fix: { contains: 'b' },
    probe: { args: { a: 2 }, reveals: mcpError('received undefined at b') } },
  { id: 'E06', class: 'operation-description', source: 'everything', op: 'get-sum', pointer: '/description', plant: { set: 'Performs a calculation.' },
    fix: { text: { any: [/\bsum\b/i, /\badd/i] } }, probe: { args: { a: 2, b: 3 }, reveals: /The sum of 2 and 3 is 5/ } },
  { id: 'E07', class: 'enum', source: 'everything', op: 'get-annotated-message', pointer: '/inputSchema/properties/messageType/enum', plant: { remove: true }, fix: { equal: true },
    probe: { args: { messageType: 'info' }, reveals: mcpError('expected one of "error"|"success"|"debug" at messageType') }, quick: true },
  { id: 'E08', class: 'type', source: 'everything', op: 'get-annotated-message', pointer: '/inputSchema/properties/includeImage/type', plant: { set: 'string' }, fix: { equal: true },
    probe: { args: { messageType: 'debug', includeImage: 'yes' }, reveals: mcpError('expected boolean, received string at includeImage') } },
  { id: 'E09', class: 'enum', source: 'everything', op: 'get-structured-content', pointer: '/inputSchema/properties/location/enum', plant: { remove: true }, fix: { equal: true },
    probe: { args: { location: 'Paris' }, reveals: mcpError('expected one of "New York"|"Chicago"|"Los Angeles" at location') } },
  { id: 'E10', class: 'response-schema', source: 'everything', op: 'get-structured-content', pointer: '/outputSchema', plant: { remove: true }, fix: { schema: true },
    probe: { args: { location: 'Chicago' }, reveals: /"temperature":-?\d.*"conditions":".*"humidity":\d/ }, quick: true },
  { id: 'E11', class: 'enum', source: 'everything', op: 'get-resource-reference', pointer: '/inputSchema/properties/resourceType/enum', plant: { remove: true }, fix: { equal: true },
    probe: { args: { resourceType: 'Image' }, reveals: mcpError('expected one of "Text"|"Blob" at resourceType') } },
  { id: 'E12', class: 'type', source: 'everything', op: 'get-resource-reference', pointer: '/inputSchema/properties/resourceId/type', plant: { set: 'string' }, fix: { equal: true },
    probe: { args: { resourceId: 'one' }, reveals: mcpError('expected number, received string at resourceId') } },
  { id: 'E13', class: 'parameter-description', source: 'everything', op: 'get-resource-links', pointer: '/inputSchema/properties/count/description', plant: { set: 'Number of resource links to return (1-100)' },
    fix: { text: { any: [/\b10\b/], none: [/\b100\b/] } }, probe: { args: { count: 50 }, reveals: mcpError('expected number to be <=10 at count') }, quick: true },
  { id: 'E14', class: 'type', source: 'everything', op: 'trigger-long-running-operation', pointer: '/inputSchema/properties/steps/type', plant: { set: 'string' }, fix: { equal: true },
    probe: { args: { steps: 'five' }, reveals: mcpError('expected number, received string at steps') } },
  { id: 'E15', class: 'operation-description', source: 'everything', op: 'get-resource-links', pointer: '/description', plant: { set: 'Returns resources.' },
    fix: { text: { any: [/\blinks?\b/i] } }, probe: { args: { count: 2 }, reveals: /resource_link/ } },

  // ---- server-memory (MCP, through supergateway) ----
  { id: 'M01', class: 'response-schema', source: 'memory', op: 'create_entities', pointer: '/outputSchema', plant: { remove: true }, fix: { schema: true },
    probe: { args: { entities: [{ name: 'probe-entity', entityType: 'test', observations: ['made by check.mjs'] }] }, reveals: /"entities":\[\{"name":"probe-entity"/ } },
  { id: 'M02', class: 'response-schema', source: 'memory', op: 'search_nodes', pointer: '/outputSchema', plant: { remove: true }, fix: { schema: true },
    probe: { args: { query: 'ada' }, reveals: /"entities":\[.*"relations":\[/ }, quick: true },
  { id: 'M03', class: 'response-schema', source: 'memory', op: 'open_nodes', pointer: '/outputSchema', plant: { remove: true }, fix: { schema: true },
    probe: { args: { names: ['ada'] }, reveals: /"entities":\[\{"name":"ada".*"relations":\[/ } },
  { id: 'M04', class: 'response-schema', source: 'memory', op: 'read_graph', pointer: '/outputSchema', plant: { remove: true }, fix: { schema: true },
    probe: { args: {}, reveals: /"entities":\[.*"relations":\[/ } },
  { id: 'M05', class: 'required', source: 'memory', op: 'search_nodes', pointer: '/inputSchema/required', plant: { removeItem: 'query' }, fix: { contains: 'query' },
    probe: { args: {}, reveals: mcpError('received undefined at query') } },
  { id: 'M07', class: 'parameter-description', source: 'memory', op: 'open_nodes', pointer: '/inputSchema/properties/names/description', plant: { remove: true },
    fix: { text: { any: [/\bentit/i] } }, probe: { args: { names: ['ada'] }, reveals: /"entityType"/ } },
  { id: 'M08', class: 'operation-description', source: 'memory', op: 'search_nodes', pointer: '/description', plant: { set: 'Searches.' },
    fix: { text: { any: [/\bentit/i, /\bnodes?\b/i, /knowledge graph/i] } }, probe: { args: { query: 'ada' }, reveals: /"entityType"/ } },
  { id: 'M09', class: 'operation-description', source: 'memory', op: 'create_entities', pointer: '/description', plant: { set: 'Lists the entities stored in the knowledge graph.' },
    fix: { text: { any: [/\bcreat/i, /\badds?\b/i, /\bnew\b/i], none: [/^lists\b/i] } },
    probe: { args: { entities: [{ name: 'probe-new', entityType: 'test', observations: ['x'] }] }, reveals: /"name":"probe-new"/ }, quick: true },
  { id: 'M10', class: 'required', source: 'memory', op: 'create_entities', pointer: '/inputSchema/properties/entities/items/required', plant: { removeItem: 'observations' },
    fix: { contains: 'observations' }, probe: { args: { entities: [{ name: 'probe-bare', entityType: 'test' }] }, reveals: mcpError('received undefined at entities[0].observations') } },

  // ---- httpbin (Swagger 2.0 from its /spec.json) ----
  { id: 'H01', class: 'operation-description', source: 'httpbin', op: 'GET /get', pointer: '/summary', plant: { set: "Returns the request's cookies." },
    fix: { text: { any: [/\bquery\b/i, /\bargs\b/i, /\bargument/i], none: [/\bcookie/i] } }, probe: { http: { method: 'GET', path: '/get', query: { city: 'Lyon' } }, reveals: /"args":\{"city":"Lyon"\}/ }, quick: true },
  { id: 'H02', class: 'operation-description', source: 'httpbin', op: 'GET /uuid', pointer: '/summary', plant: { set: 'Returns a value.' },
    fix: { text: { any: [/\buuid/i] } }, probe: { http: { method: 'GET', path: '/uuid' }, reveals: /"uuid":"[0-9a-f-]{36}"/ } },
  { id: 'H03', class: 'operation-description', source: 'httpbin', op: 'GET /ip', pointer: '/summary', plant: { set: "Returns the server's hostname." },
    fix: { text: { any: [/\bip\b/i, /\baddress/i, /\borigin\b/i], none: [/\bhostname/i] } }, probe: { http: { method: 'GET', path: '/ip' }, reveals: /"origin":"127\.0\.0\.1"/ } },
  { id: 'H04', class: 'operation-description', source: 'httpbin', op: 'GET /base64/{value}', pointer: '/summary', plant: { set: 'Encodes a string as base64.' },
    fix: { text: { any: [/\bdecod/i], none: [/\bencodes\b/i] } }, probe: { http: { method: 'GET', path: '/base64/SFRUUEJJTiBpcyBhd2Vzb21l' }, reveals: /^HTTPBIN is awesome$/ } },
  { id: 'H05', class: 'parameter-description', source: 'httpbin', op: 'GET /drip', pointer: '/parameters/1/description', plant: { set: 'The number of seconds to wait.' },
    fix: { text: { any: [/\bbytes?\b/i], none: [/\bseconds?\b/i] } }, probe: { http: { method: 'GET', path: '/drip', query: { numbytes: 3, duration: 0, delay: 0 } }, reveals: /^\*\*\*$/ }, quick: true },
  { id: 'H06', class: 'operation-description', source: 'httpbin', op: 'GET /headers', pointer: '/summary', plant: { set: 'Returns data.' },
    fix: { text: { any: [/\bheaders?\b/i] } }, probe: { http: { method: 'GET', path: '/headers' }, reveals: /"headers":\{/ } },

  // ---- json-server (an OpenAPI 3 description written for tests/servers/db.json) ----
  { id: 'J01', class: 'response-schema', source: 'jsonserver', op: 'GET /posts', pointer: '/responses/200/content/application~1json/schema', plant: { remove: true }, fix: { schema: true },
    probe: { http: { method: 'GET', path: '/posts' }, reveals: /^\[\{"id":1,"title":/ }, quick: true },
  { id: 'J02', class: 'response-schema', source: 'jsonserver', op: 'GET /posts/{id}', pointer: '/responses/200/content/application~1json/schema', plant: { remove: true }, fix: { schema: true },
    probe: { http: { method: 'GET', path: '/posts/1' }, reveals: /^\{"id":1,"title":"[^"]+","author":/ } },
  { id: 'J03', class: 'response-schema', source: 'jsonserver', op: 'GET /users', pointer: '/responses/200/content/application~1json/schema', plant: { remove: true }, fix: { schema: true },
    probe: { http: { method: 'GET', path: '/users' }, reveals: /"email":"[^"]+@/ } },
  { id: 'J04', class: 'response-schema', source: 'jsonserver', op: 'GET /profile', pointer: '/responses/200/content/application~1json/schema', plant: { remove: true }, fix: { schema: true },
    probe: { http: { method: 'GET', path: '/profile' }, reveals: /^\{"name":"/ } },
  { id: 'J05', class: 'operation-description', source: 'jsonserver', op: 'GET /comments', pointer: '/summary', plant: { set: "Lists the blog's users." },
    fix: { text: { any: [/\bcomments?\b/i], none: [/\busers?\b/i] } }, probe: { http: { method: 'GET', path: '/comments', query: { postId: 1 } }, reveals: /"body":"[^"]+","postId":1/ } },
  { id: 'J06', class: 'parameter-description', source: 'jsonserver', op: 'GET /posts', pointer: '/parameters/3/description', plant: { set: 'Page number to return.' },
    fix: { text: { any: [/\bmaximum\b/i, /\bat most\b/i, /\blimit/i, /\bnumber of\b/i], none: [/\bpage number\b/i] } },
    probe: { http: { method: 'GET', path: '/posts', query: { _limit: 1 } }, reveals: (a) => Array.isArray(a.json) && a.json.length === 1, shows: 'exactly one post' } },
];

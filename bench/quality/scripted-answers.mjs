// scripted-answers.mjs: an answer set for tests/servers/scripted-llm.mjs that behaves like a
// decent model on the benchmark's planted documents. For each operation: what it explores
// in each episode (realistic requests whose arguments fit the planted doc, as a model that
// only reads that doc would write them; the second episode tries an edge case), what its
// analysis says, and what its rewrite says: only facts the calls show.
//
// A decent model is not a perfect one: two answers are careless in the ways the issue saw in
// real runs (marked CARELESS). A gate that refuses loss and echo must keep them out of the
// output; the scorer counts them as regressions when it does not.
//
// Steps are matched on the role's task line and the operation's name as the prompt shows it
// ("Operation: <name>"); each operation's explorer answers are used in order, the last one
// repeating (retries after a refused call get it again).

const ROLE = {
  explorer: 'Your task: explore one operation',
  analyzer: 'Your task: compare the documentation',
  rewriter: 'Your task: rewrite the documentation',
  summarizer: 'Your task: write the description of a whole tool',
  // Replay verification (issue 11 item 2): a Caller model answers an explored request from
  // the candidate doc alone; a decent one makes the call that worked.
  caller: "Your task: an AI assistant received the user's request below",
};

/** name: the operation as the prompt names it; explore: [{query, arguments}] per episode; rewrite: [{description, parameters}] per episode. */
const OPERATIONS = [
  {
    name: 'echo',
    mcp: true,
    explore: [
      {
        query: 'Repeat back exactly: "Meet me at Gare de Lyon at 9"',
        arguments: { message: 'Meet me at Gare de Lyon at 9' },
      },
      { query: 'What does the echo service answer when I send it nothing at all?', arguments: {} },
    ],
    analysis: {
      mismatches: ['The tool does not reverse the string: it answered "Echo: <message>" with the message unchanged.'],
      missing: [
        'message must be given: a call without it failed with "expected string, received undefined at message".',
      ],
      suggestions: ['Say it echoes the message back prefixed with "Echo: ".'],
    },
    rewrite: [
      {
        description:
          'Echoes the input string back unchanged, prefixed with "Echo: " (message "abc" returns "Echo: abc"). The message is required.',
        parameters: { message: 'The text to echo back; required (a call without it fails).' },
      },
    ],
  },
  {
    name: 'get-sum',
    mcp: true,
    explore: [
      { query: 'I bought 12 apples and then 30 more, how many do I have?', arguments: { a: '12', b: 30 } },
      { query: 'Add 7 to something, I forgot the second number', arguments: { a: '7' } },
    ],
    analysis: {
      mismatches: ['a is documented as a string but the tool rejected "12": "expected number, received string at a".'],
      missing: ['The description does not say what is calculated; b is needed as well.'],
      suggestions: ['Say it returns the sum of a and b, both numbers.'],
    },
    rewrite: [
      {
        description:
          'Returns the sum of two numbers a and b as a sentence, e.g. "The sum of 2 and 3 is 5.". Both a and b are required numbers; strings are rejected.',
        parameters: { a: 'First number to add (a JSON number, not a string).', b: 'Second number to add; required.' },
      },
    ],
  },
  {
    name: 'get-annotated-message',
    mcp: true,
    explore: [
      { query: 'Show me an informational notice with annotations', arguments: { messageType: 'info' } },
      {
        query: 'Show a success message and include the example picture',
        arguments: { messageType: 'success', includeImage: 'true' },
      },
    ],
    analysis: {
      mismatches: [
        'messageType "info" was refused: the tool expects one of "error", "success", "debug".',
        'includeImage "true" was refused: expected boolean.',
      ],
      missing: ['The allowed messageType values.'],
      suggestions: ['List the three messageType values; includeImage is a boolean.'],
    },
    rewrite: [
      {
        description:
          'Demonstrates how annotations can be used to provide metadata about content: returns a message of the given type with annotations, optionally with an example image.',
        parameters: {
          messageType:
            'Type of message to demonstrate different annotation patterns: one of "error", "success" or "debug" (other values are rejected).',
          includeImage: 'Whether to include an example image: a boolean true or false, not a string.',
        },
      },
    ],
  },
  {
    name: 'get-structured-content',
    mcp: true,
    explore: [
      { query: 'What is the weather like in Paris right now?', arguments: { location: 'Paris' } },
      { query: 'Is it humid in Chicago today?', arguments: { location: 'Chicago' } },
    ],
    analysis: {
      mismatches: ['location "Paris" was refused: expected one of "New York", "Chicago", "Los Angeles".'],
      missing: ['The cities that work; the answer is structured: temperature, conditions, humidity.'],
      suggestions: ['List the three cities and the fields of the answer.'],
    },
    rewrite: [
      {
        description:
          'Returns structured weather content for one of three cities: an object with temperature (celsius), conditions and humidity (percent), along with an output schema for client data validation.',
        parameters: { location: 'Choose city: "New York", "Chicago" or "Los Angeles" (other cities are rejected).' },
      },
      // CARELESS: the rewriter prompt's answer template echoed back (a real run did this).
      { description: 'The new operation description', parameters: { location: 'location' } },
    ],
  },
  {
    name: 'get-resource-reference',
    mcp: true,
    explore: [
      {
        query: 'Give me a reference to the image resource number 1',
        arguments: { resourceType: 'Image', resourceId: '1' },
      },
      { query: 'Fetch a reference to text resource 2', arguments: { resourceType: 'Text', resourceId: '2' } },
    ],
    analysis: {
      mismatches: [
        'resourceType "Image" was refused: expected one of "Text", "Blob"; resourceId "1" was refused: expected number.',
      ],
      missing: ['Allowed resource types; resourceId is a number.'],
      suggestions: ['Say resourceType is Text or Blob and resourceId a number.'],
    },
    rewrite: [
      {
        description:
          'Returns a resource reference that can be used by MCP clients, for a Text or Blob resource identified by a numeric id.',
        parameters: {
          resourceType: 'Kind of resource: "Text" or "Blob" (default "Text"; other values are rejected).',
          resourceId: 'ID of the text resource to fetch: a number, not a string (default 1).',
        },
      },
    ],
  },
  {
    name: 'get-resource-links',
    mcp: true,
    explore: [
      { query: 'List fifty resource links I can open later', arguments: { count: 50 } },
      { query: 'Give me eight links to resources I can open later', arguments: { count: 8 } },
      { query: 'Give me three links to resources', arguments: { count: 3 } },
    ],
    analysis: {
      mismatches: ['count 50 was refused: at most 10 links, not 100.'],
      missing: ['It returns resource links, not resources.'],
      suggestions: ['Say count is between 1 and 10.'],
    },
    rewrite: [
      {
        description:
          'Returns up to ten resource links that reference different types of resources (count 8 returned 8 resource links).',
        parameters: { count: 'Number of resource links to return (1-10); larger values are rejected.' },
      },
    ],
  },
  {
    name: 'trigger-long-running-operation',
    mcp: true,
    explore: [
      { query: 'Run a short job in five steps over two seconds', arguments: { duration: 2, steps: '5' } },
      { query: 'Run a one-second job with two steps', arguments: { duration: 1, steps: '2' } },
    ],
    analysis: {
      mismatches: ['steps "5" was refused: expected number.'],
      missing: [],
      suggestions: ['steps is a number.'],
    },
    rewrite: [
      {
        description:
          'Demonstrates a long running operation with progress updates: runs for duration seconds in the given number of steps.',
        parameters: { steps: 'Number of steps in the operation: a number, not a string (default 5).' },
      },
    ],
  },
  {
    name: 'create_entities',
    mcp: true,
    explore: [
      {
        query: 'Remember that Marie Curie is a physicist who won two Nobel prizes',
        arguments: {
          entities: [
            { name: 'Marie Curie', entityType: 'person', observations: ['physicist', 'won two Nobel prizes'] },
          ],
        },
      },
      {
        query: 'Add the city of Lyon to my notes, nothing known about it yet',
        arguments: { entities: [{ name: 'Lyon', entityType: 'city' }] },
      },
    ],
    analysis: {
      mismatches: ['It does not list entities: it created "Marie Curie" and answered with the created entities.'],
      missing: ['observations is needed for every entity: a call without it failed "at entities[0].observations".'],
      suggestions: ['Say it creates entities and returns them.'],
    },
    rewrite: [
      {
        description:
          'Create multiple new entities in the knowledge graph and return the created ones as {"entities": [...]}. Each entity needs a name, an entityType and an observations array.',
        parameters: {
          entities:
            'The entities to create: objects with name, entityType and observations (an array of strings; required, may be empty).',
        },
      },
    ],
  },
  {
    name: 'search_nodes',
    mcp: true,
    explore: [
      { query: 'What do I know about Ada?', arguments: { query: 'ada' } },
      { query: 'Search my notes without saying what for', arguments: {} },
    ],
    analysis: {
      mismatches: [],
      missing: [
        'It searches entity names, types and observations and returns {entities, relations}; query is required.',
      ],
      suggestions: ['Describe what is matched and returned.'],
    },
    rewrite: [
      {
        description:
          'Search for nodes in the knowledge graph based on a query: matches entity names, types and observation content, and returns the matching entities and the relations between them.',
        parameters: {
          query: 'The search query to match against entity names, types, and observation content; required.',
        },
      },
      // CARELESS: the parameter's description collapsed to its own name (loss).
      {
        description:
          'Search for nodes in the knowledge graph based on a query: matches entity names, types and observation content, and returns the matching entities and the relations between them.',
        parameters: { query: 'query' },
      },
    ],
  },
  {
    name: 'open_nodes',
    mcp: true,
    explore: [
      { query: 'Show me everything stored about Ada', arguments: { names: ['ada'] } },
      { query: 'Open the notes on Ada and on someone who does not exist', arguments: { names: ['ada', 'nobody'] } },
    ],
    analysis: {
      mismatches: [],
      missing: ['names lists entity names; unknown names are skipped.'],
      suggestions: ['Describe names as entity names.'],
    },
    rewrite: [
      {
        description:
          'Open specific nodes in the knowledge graph by their names: returns those entities and the relations between them; unknown names are skipped.',
        parameters: { names: 'An array of entity names to retrieve.' },
      },
    ],
  },
  {
    name: 'read_graph',
    mcp: true,
    explore: [
      { query: 'Dump everything in my knowledge graph', arguments: {} },
      { query: 'Show me all my notes again', arguments: {} },
    ],
    analysis: {
      mismatches: [],
      missing: ['The answer is {entities: [...], relations: [...]}.'],
      suggestions: ['Say what it returns.'],
    },
    rewrite: [
      {
        description:
          'Read the entire knowledge graph: returns every entity (name, entityType, observations) and every relation (from, to, relationType).',
        parameters: {},
      },
    ],
  },
  {
    name: 'get_get',
    mcp: false,
    explore: [
      { query: 'Show me what query parameters a server receives for ?city=Lyon', arguments: {} },
      { query: 'Echo my request back to me', arguments: {} },
    ],
    analysis: {
      mismatches: ["It does not return cookies: it returned the request's args, headers, origin and url."],
      missing: [],
      suggestions: ['Say it returns the query parameters (args).'],
    },
    rewrite: [
      {
        description:
          "Returns the request's query parameters (args), along with its headers, origin IP and URL, as JSON.",
        parameters: {},
      },
    ],
  },
  {
    name: 'get_uuid',
    mcp: false,
    explore: [
      { query: 'Generate a random identifier for my new record', arguments: {} },
      { query: 'I need another unique id', arguments: {} },
    ],
    analysis: {
      mismatches: [],
      missing: ['The value is a UUID4: {"uuid": "..."}.'],
      suggestions: ['Say it returns a UUID4.'],
    },
    rewrite: [{ description: 'Returns a random UUID4 as JSON: {"uuid": "<uuid>"}.', parameters: {} }],
  },
  {
    name: 'get_ip',
    mcp: false,
    explore: [
      { query: 'What IP address do I appear to come from?', arguments: {} },
      { query: 'Check my public origin address', arguments: {} },
    ],
    analysis: {
      mismatches: ['It does not return a hostname: it returned {"origin": "127.0.0.1"}, the requester\'s IP address.'],
      missing: [],
      suggestions: ["Say it returns the requester's IP address."],
    },
    rewrite: [{ description: 'Returns the requester\'s IP address as JSON: {"origin": "<ip>"}.', parameters: {} }],
  },
  {
    name: 'get_base64_value',
    mcp: false,
    explore: [
      {
        query: 'What does SFRUUEJJTiBpcyBhd2Vzb21l say in plain text?',
        arguments: { value: 'SFRUUEJJTiBpcyBhd2Vzb21l' },
      },
      { query: 'Decode aGVsbG8gd29ybGQ for me', arguments: { value: 'aGVsbG8gd29ybGQ' } },
    ],
    analysis: {
      mismatches: ['It decodes, not encodes: SFRUUEJJTiBpcyBhd2Vzb21l returned "HTTPBIN is awesome".'],
      missing: [],
      suggestions: ['Say it decodes base64url.'],
    },
    rewrite: [
      {
        description:
          'Decodes a base64url-encoded string given in the path and returns the decoded text (SFRUUEJJTiBpcyBhd2Vzb21l returns "HTTPBIN is awesome").',
        parameters: { value: 'The base64url-encoded string to decode.' },
      },
    ],
  },
  {
    name: 'get_drip',
    mcp: false,
    explore: [
      { query: 'Send me 3 bytes right away, no waiting', arguments: { numbytes: 3, duration: 0, delay: 0 } },
      { query: 'Drip 5 bytes over one second', arguments: { numbytes: 5, duration: 1, delay: 0 } },
    ],
    analysis: {
      mismatches: ['numbytes is not a number of seconds: numbytes 3 returned 3 bytes ("***").'],
      missing: [],
      suggestions: ['Say numbytes is the number of bytes.'],
    },
    rewrite: [
      {
        description: 'Drips data over a duration after an optional initial delay.',
        parameters: { numbytes: 'The number of bytes to respond with (3 returned "***").' },
      },
    ],
  },
  {
    name: 'get_headers',
    mcp: false,
    explore: [
      { query: 'Which headers does my client send?', arguments: {} },
      { query: 'Show me my User-Agent as the server sees it', arguments: {} },
    ],
    analysis: {
      mismatches: [],
      missing: ['It returns the request headers: {"headers": {...}}.'],
      suggestions: ['Say it returns the incoming HTTP headers.'],
    },
    rewrite: [
      { description: 'Returns the incoming request\'s HTTP headers as JSON: {"headers": {...}}.', parameters: {} },
    ],
  },
  {
    name: 'listPosts',
    mcp: false,
    explore: [
      { query: 'Show me the single most viewed post', arguments: { _sort: 'views', _order: 'desc', _limit: 1 } },
      { query: "List ada's posts", arguments: { author: 'ada' } },
    ],
    analysis: {
      mismatches: ['_limit is not a page number: _limit 1 returned exactly one post.'],
      missing: ['The answer is an array of posts (id, title, author, views, tags).'],
      suggestions: ['Say _limit is the maximum number of posts.'],
    },
    rewrite: [
      {
        description:
          'Lists blog posts, optionally filtered, sorted and paginated; returns an array of posts with id, title, author, views and tags.',
        parameters: { _limit: 'Maximum number of posts to return (_limit 1 returned one post).' },
      },
    ],
  },
  {
    name: 'getPost',
    mcp: false,
    explore: [
      { query: 'Open post number 1', arguments: { id: 1 } },
      { query: 'Open post 99', arguments: { id: 99 } },
    ],
    analysis: { mismatches: [], missing: ['The post object: id, title, author, views, tags.'], suggestions: [] },
    rewrite: [
      {
        description:
          'Returns one blog post by its numeric id (id, title, author, views, tags); 404 with an empty object when there is none.',
        parameters: {},
      },
    ],
  },
  {
    name: 'listComments',
    mcp: false,
    explore: [
      { query: 'What did readers say about post 1?', arguments: { postId: 1 } },
      { query: 'Show every comment', arguments: {} },
    ],
    analysis: {
      mismatches: ['It lists comments (id, body, postId), not users.'],
      missing: [],
      suggestions: ['Say it lists comments.'],
    },
    rewrite: [
      {
        description: 'Lists comments on the blog posts (id, body, postId), optionally only those of one post.',
        parameters: {},
      },
    ],
  },
  {
    name: 'listUsers',
    mcp: false,
    explore: [
      { query: 'Who writes on this blog?', arguments: {} },
      { query: 'Find the user named grace', arguments: { name: 'grace' } },
    ],
    analysis: { mismatches: [], missing: ['Each user has id, name and email.'], suggestions: [] },
    rewrite: [
      { description: "Lists the blog's users with their names and email addresses (id, name, email).", parameters: {} },
    ],
  },
  {
    name: 'getProfile',
    mcp: false,
    explore: [
      { query: "What is this blog's name?", arguments: {} },
      { query: 'Show the blog profile', arguments: {} },
    ],
    analysis: { mismatches: [], missing: [], suggestions: [] },
    rewrite: [{ description: "Returns the blog's profile, a single object with its name.", parameters: {} }],
  },
];

const SUMMARIES = [
  {
    match: 'httpbin',
    description:
      'httpbin is a tool that can echo and inspect HTTP requests. It has operations that return the query parameters, headers and IP address of a request, a UUID4, decoded base64 and dripped bytes.',
  },
  {
    match: 'json-server',
    description:
      'json-server testbed is a tool that can read a small blog: posts, comments, users and its profile, with filters, sorting and limits.',
  },
];

/** The scripted-llm script (a list of steps) for the benchmark. */
export function scriptedAnswers() {
  const steps = [];
  for (const op of OPERATIONS) {
    const marker = op.mcp ? `Operation: ${op.name}\n` : `Operation: ${op.name} (`;
    for (const [i, e] of op.explore.entries())
      steps.push({ match: [ROLE.explorer, marker], json: e, ...(i === op.explore.length - 1 ? { times: 20 } : {}) });
    for (const e of op.explore)
      steps.push({ match: [ROLE.caller, marker, e.query], json: { arguments: e.arguments }, times: 50 });
    steps.push({ match: [ROLE.analyzer, marker], json: op.analysis, times: 20 });
    for (const [i, r] of op.rewrite.entries())
      steps.push({
        match: [ROLE.rewriter, marker],
        json: {
          ...r,
          nextDirection: 'Try an edge case: leave out a parameter or pass a value the documentation does not list.',
        },
        ...(i === op.rewrite.length - 1 ? { times: 20 } : {}),
      });
  }
  for (const s of SUMMARIES)
    steps.push({ match: [ROLE.summarizer, s.match], json: { description: s.description }, times: 5 });
  return steps;
}

// Reading OpenAI chat-completion requests for the local model server (serve-llm.mjs), and
// narrowing a request's JSON Schema to what node-llama-cpp's grammar generator understands.
// Pure functions, no dependency: they run (and are tested) without node-llama-cpp.
//
//   const req = parseChatRequest(body, { maxTokens: 256, maxTokensCap: 4096 });
//   // req.history is node-llama-cpp chat history; req.responseFormat is
//   // {type: 'text'} | {type: 'json_object'} | {type: 'json_schema', name, schema}
//
//   const { schema, ignored } = toGrammarSchema(req.responseFormat.schema);
//   // throws UnsupportedSchema when the schema cannot become a grammar

/** A request the server rejects with HTTP 400; `param` names the offending field. */
export class BadRequest extends Error {
  constructor(message, param = null, code = 'invalid_request') {
    super(message);
    this.name = 'BadRequest';
    this.param = param;
    this.code = code;
  }
}

/** A JSON Schema construct the grammar generator cannot express. */
export class UnsupportedSchema extends Error {
  constructor(message) {
    super(message);
    this.name = 'UnsupportedSchema';
  }
}

const ROLES = { system: 'system', developer: 'system', user: 'user', assistant: 'model' };

/**
 * Checks an OpenAI `/v1/chat/completions` body and turns it into generation settings.
 * @param {unknown} body the parsed JSON body
 * @param {{maxTokens: number, maxTokensCap: number}} limits default and largest `max_tokens`
 */
export function parseChatRequest(body, limits) {
  if (!isObject(body)) throw new BadRequest('the body must be a JSON object');
  const messages = body.messages;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BadRequest('messages must be a non-empty array', 'messages');
  }
  const history = messages.map((m, i) => toHistoryItem(m, i));
  if (!history.some((h) => h.type === 'user'))
    throw new BadRequest('messages need at least one user message', 'messages');

  if (body.n != null && body.n !== 1) throw new BadRequest('n must be 1: the local model answers one choice', 'n');
  if (body.tools != null && !(Array.isArray(body.tools) && body.tools.length === 0)) {
    throw new BadRequest('tools are not supported by the local model; use response_format json_schema', 'tools');
  }

  const temperature = optNumber(body, 'temperature', 0, 2);
  const topP = optNumber(body, 'top_p', 0, 1);
  const seed = body.seed == null ? undefined : intIn(body.seed, 'seed', 0, 2 ** 31 - 1);
  const maxRaw = body.max_completion_tokens ?? body.max_tokens;
  const maxParam = body.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  const maxTokens = maxRaw == null ? limits.maxTokens : intIn(maxRaw, maxParam, 1, limits.maxTokensCap);
  const frequencyPenalty = optNumber(body, 'frequency_penalty', -2, 2);
  const presencePenalty = optNumber(body, 'presence_penalty', -2, 2);

  let stop = [];
  if (typeof body.stop === 'string') stop = [body.stop];
  else if (Array.isArray(body.stop)) stop = body.stop;
  else if (body.stop != null) throw new BadRequest('stop must be a string or an array of strings', 'stop');
  if (stop.length > 4 || stop.some((s) => typeof s !== 'string' || s === '')) {
    throw new BadRequest('stop takes up to 4 non-empty strings', 'stop');
  }

  if (body.stream != null && typeof body.stream !== 'boolean')
    throw new BadRequest('stream must be a boolean', 'stream');
  const includeUsage = isObject(body.stream_options) && body.stream_options.include_usage === true;

  return {
    model: typeof body.model === 'string' ? body.model : undefined,
    history,
    temperature,
    topP,
    seed,
    maxTokens,
    frequencyPenalty,
    presencePenalty,
    stop,
    stream: body.stream === true,
    includeUsage,
    responseFormat: parseResponseFormat(body.response_format),
  };
}

function toHistoryItem(m, i) {
  const where = `messages[${i}]`;
  if (!isObject(m)) throw new BadRequest(`${where} must be an object`, where);
  const type = ROLES[m.role];
  if (!type) {
    throw new BadRequest(
      `${where}.role must be system, developer, user or assistant (got ${JSON.stringify(m.role)})`,
      `${where}.role`,
    );
  }
  const text = contentText(m.content, `${where}.content`, type === 'model');
  if (type === 'system') return { type, text };
  if (type === 'user') return { type, text };
  return { type, response: [text] };
}

function contentText(content, where, allowNull) {
  if (typeof content === 'string') return content;
  if (content == null && allowNull) return '';
  if (Array.isArray(content)) {
    return content
      .map((part, j) => {
        if (isObject(part) && part.type === 'text' && typeof part.text === 'string') return part.text;
        throw new BadRequest(`${where}[${j}] must be a text part: the local model reads text only`, `${where}[${j}]`);
      })
      .join('');
  }
  throw new BadRequest(`${where} must be a string or an array of text parts`, where);
}

function parseResponseFormat(rf) {
  if (rf == null) return { type: 'text' };
  if (!isObject(rf)) throw new BadRequest('response_format must be an object', 'response_format');
  if (rf.type === 'text' || rf.type === 'json_object') return { type: rf.type };
  if (rf.type === 'json_schema') {
    const js = rf.json_schema;
    if (!isObject(js))
      throw new BadRequest('response_format.json_schema must be an object', 'response_format.json_schema');
    if (!isObject(js.schema)) {
      throw new BadRequest(
        'response_format.json_schema.schema must be a JSON Schema object',
        'response_format.json_schema.schema',
      );
    }
    return { type: 'json_schema', name: typeof js.name === 'string' ? js.name : 'output', schema: js.schema };
  }
  throw new BadRequest(
    `response_format.type must be text, json_object or json_schema (got ${JSON.stringify(rf.type)})`,
    'response_format.type',
  );
}

function optNumber(body, key, min, max) {
  const v = body[key];
  if (v == null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
    throw new BadRequest(`${key} must be a number from ${min} to ${max}`, key);
  }
  return v;
}

function intIn(v, key, min, max) {
  if (!Number.isInteger(v) || v < min || v > max)
    throw new BadRequest(`${key} must be an integer from ${min} to ${max}`, key);
  return v;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// ---------------------------------------------------------------------------------------------
// JSON Schema → node-llama-cpp's GbnfJsonSchema subset.
//
// node-llama-cpp 3.21.1 silently turns what it does not understand into a grammar for `null`
// (for example `anyOf`, `{}` or a `type` list with `object`), so schemas are rewritten here
// first: `anyOf` → `oneOf`, `{}` → any JSON value, `type: [..., 'object']` and OpenAPI's
// `nullable` → `oneOf`, `#/definitions/` refs → `#/$defs/`, single-member `allOf` merged.
// Constraints a grammar cannot enforce (pattern, minimum, most formats, ...) are dropped and
// listed in `ignored`: the output still has the right shape, the caller validates the rest.
// Note that the generator writes every listed property, required or not.

const ANY = Object.freeze({
  oneOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'object', additionalProperties: true },
    { type: 'array' },
  ],
});
const BASIC = new Set(['string', 'number', 'integer', 'boolean', 'null']);
// Constraints the grammar does not enforce, reported in `ignored`. Annotations (title,
// default, examples, $schema, ...) and unknown keywords are dropped without a word.
const UNENFORCED = new Set([
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'uniqueItems',
  'contentMediaType',
  'contentEncoding',
  'patternProperties',
  'propertyNames',
  'dependentRequired',
  'contains',
  'minContains',
  'maxContains',
  'unevaluatedProperties',
  'unevaluatedItems',
]);
const DATE_FORMATS = new Set(['date-time', 'time', 'date']);
const MAX_DEPTH = 64;

/**
 * Rewrites a JSON Schema into the subset node-llama-cpp's `createGrammarForJsonSchema` handles.
 * @param {object} schema
 * @returns {{schema: object, ignored: string[]}} the rewritten schema and the keywords dropped
 * @throws {UnsupportedSchema} for constructs with no faithful grammar (`not`, multi-member `allOf`, external `$ref`, ...)
 */
export function toGrammarSchema(schema) {
  const ignored = new Set();
  const out = convert(schema, '#', ignored, 0);
  for (const key of ['$defs', 'definitions']) {
    if (isObject(schema[key])) {
      out.$defs = {};
      for (const [name, def] of Object.entries(schema[key]))
        out.$defs[name] = convert(def, `#/${key}/${name}`, ignored, 1);
    }
  }
  return { schema: out, ignored: [...ignored].sort() };
}

function convert(s, at, ignored, depth) {
  if (depth > MAX_DEPTH) throw new UnsupportedSchema(`${at}: nested deeper than ${MAX_DEPTH} levels`);
  if (s === true) return ANY;
  if (!isObject(s)) throw new UnsupportedSchema(`${at}: a schema must be an object`);
  const desc = typeof s.description === 'string' ? { description: s.description } : {};
  const sub = (x, path) => convert(x, `${at}/${path}`, ignored, depth + 1);

  for (const k of Object.keys(s)) {
    if (UNENFORCED.has(k)) ignored.add(k);
    if (k === 'not' || k === 'if' || k === 'then' || k === 'else' || k === 'dependentSchemas') {
      throw new UnsupportedSchema(`${at}: '${k}' cannot be turned into a grammar`);
    }
  }

  if (s.allOf !== undefined) {
    if (!Array.isArray(s.allOf) || s.allOf.length !== 1)
      throw new UnsupportedSchema(`${at}: allOf with more than one schema`);
    const { allOf, ...rest } = s;
    return sub({ ...rest, ...allOf[0] }, 'allOf/0');
  }
  if (s.nullable === true) {
    const { nullable, ...rest } = s;
    return { oneOf: [sub(rest, 'nullable'), { type: 'null' }], ...desc };
  }
  if (typeof s.$ref === 'string') {
    const m = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(s.$ref);
    if (!m) throw new UnsupportedSchema(`${at}: $ref ${s.$ref} is not a local #/$defs/ reference`);
    return { $ref: `#/$defs/${m[2]}`, ...desc };
  }
  if ('const' in s) {
    if (s.const !== null && typeof s.const === 'object') throw new UnsupportedSchema(`${at}: const must be a scalar`);
    return { const: s.const, ...desc };
  }
  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0) throw new UnsupportedSchema(`${at}: enum is empty`);
    if (s.enum.some((v) => v !== null && typeof v === 'object'))
      throw new UnsupportedSchema(`${at}: enum values must be scalars`);
    return { enum: s.enum, ...desc };
  }
  const alternatives = s.oneOf ?? s.anyOf;
  if (alternatives !== undefined) {
    if (!Array.isArray(alternatives) || alternatives.length === 0)
      throw new UnsupportedSchema(`${at}: oneOf/anyOf must be a non-empty array`);
    const key = s.oneOf !== undefined ? 'oneOf' : 'anyOf';
    return { oneOf: alternatives.map((a, i) => sub(a, `${key}/${i}`)), ...desc };
  }

  let type = s.type;
  if (type === undefined) {
    if (isObject(s.properties) || s.additionalProperties !== undefined) type = 'object';
    else if (s.items !== undefined || s.prefixItems !== undefined) type = 'array';
    else return { ...ANY, ...desc };
  }
  if (Array.isArray(type)) {
    if (type.length === 0 || type.some((t) => typeof t !== 'string'))
      throw new UnsupportedSchema(`${at}: bad type list`);
    if (type.every((t) => BASIC.has(t))) return { type, ...desc };
    return { oneOf: type.map((t) => sub({ ...s, type: t }, `type/${t}`)), ...desc };
  }
  if (type === 'object') return objectSchema(s, desc, sub, at);
  if (type === 'array') {
    const out = { type: 'array', ...desc };
    if (s.items !== undefined && s.items !== true) {
      if (s.items === false) out.maxItems = 0;
      else if (Array.isArray(s.items)) out.prefixItems = s.items.map((x, i) => sub(x, `items/${i}`));
      else out.items = sub(s.items, 'items');
    }
    if (Array.isArray(s.prefixItems)) out.prefixItems = s.prefixItems.map((x, i) => sub(x, `prefixItems/${i}`));
    copyInts(s, out, ['minItems', 'maxItems']);
    return out;
  }
  if (type === 'string') {
    if (typeof s.format === 'string' && DATE_FORMATS.has(s.format)) return { type, format: s.format, ...desc };
    if (s.format !== undefined) ignored.add('format');
    const out = { type, ...desc };
    copyInts(s, out, ['minLength', 'maxLength']);
    return out;
  }
  if (BASIC.has(type)) return { type, ...desc };
  throw new UnsupportedSchema(`${at}: unknown type ${JSON.stringify(type)}`);
}

function objectSchema(s, desc, sub, at) {
  const out = { type: 'object', ...desc };
  if (s.properties !== undefined) {
    if (!isObject(s.properties)) throw new UnsupportedSchema(`${at}: properties must be an object`);
    out.properties = {};
    for (const [k, v] of Object.entries(s.properties)) out.properties[k] = sub(v, `properties/${k}`);
  }
  if (Array.isArray(s.required)) out.required = s.required.filter((r) => typeof r === 'string');
  if (s.additionalProperties === true || s.additionalProperties === false)
    out.additionalProperties = s.additionalProperties;
  else if (isObject(s.additionalProperties))
    out.additionalProperties = sub(s.additionalProperties, 'additionalProperties');
  else if (out.properties === undefined) out.additionalProperties = true;
  copyInts(s, out, ['minProperties', 'maxProperties']);
  return out;
}

function copyInts(from, to, keys) {
  for (const k of keys) if (Number.isInteger(from[k]) && from[k] >= 0) to[k] = from[k];
}

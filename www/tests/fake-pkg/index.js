// A scripted stand-in for the tooldraft package, for developing and testing the web app's
// UI before (or apart from) the real engine: build with
//   TOOLDRAFT_PKG=www/tests/fake-pkg/index.js node_modules/.bin/vite build www
// It follows JS_API.md's shapes but implements only what the UI needs: MCP tools/list
// documents (JSON), a word diff, and a Refiner that replays a fixed script of events built
// around one real reply from the configured model endpoint (so hostile model output flows
// into queries, trails, findings and revisions). It is NOT the engine; e2e tests use the real one.

const err = (name, message) => Object.assign(new Error(message), { name });

export default async function init() {}
export function version() {
  return '0.0.0-fake';
}

function parseJson(text) {
  if (!text.trim()) throw err('EmptyDocument', 'the document is empty');
  try {
    return JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(e.message);
    const pos = m ? Number(m[1]) : 0;
    const before = text.slice(0, pos).split('\n');
    throw err(
      'SyntaxError',
      `invalid json at line ${before.length}, column ${before[before.length - 1].length + 1}: ${e.message}`,
    );
  }
}

function fromMcp(v) {
  if (!Array.isArray(v?.tools))
    throw err('UnknownFormat', 'unknown document format: the fake package reads MCP tools/list only');
  const ops = v.tools.map((t, i) => {
    const props = t.inputSchema?.properties ?? {};
    const req = t.inputSchema?.required ?? [];
    if (typeof t.name !== 'string') throw err('StructureError', `at /tools/${i}/name: expected a string`);
    const a = t.annotations ?? {};
    return {
      id: t.name,
      name: t.name,
      description: t.description ?? '',
      parameters: Object.entries(props).map(([name, s]) => ({
        name,
        location: 'body',
        schema: s,
        required: req.includes(name),
        description: s.description ?? '',
      })),
      safety: { readOnly: a.readOnlyHint, destructive: a.readOnlyHint ? false : (a.destructiveHint ?? true) },
      pointer: `/tools/${i}`,
    };
  });
  return {
    format: 'mcp',
    syntax: 'json',
    tools: [{ name: 'mcp', description: '', operations: ops, pointer: '' }],
    source: v,
  };
}

export function parseDoc(text) {
  return fromMcp(parseJson(text));
}

export function inspect(text) {
  const doc = parseDoc(text);
  const ops = doc.tools.flatMap((t) => t.operations);
  const smells = [];
  for (const o of ops) {
    if (!o.description)
      smells.push({ kind: 'missingDescription', operation: o.id, message: `${o.name} has no description` });
    for (const p of o.parameters) {
      if (!p.description)
        smells.push({
          kind: 'missingParameterDescription',
          operation: o.id,
          parameter: p.name,
          message: 'no description',
        });
      if (!p.schema?.type)
        smells.push({ kind: 'untypedParameter', operation: o.id, parameter: p.name, message: 'no type' });
    }
  }
  return {
    format: 'mcp',
    tools: 1,
    operations: ops.length,
    parameters: ops.reduce((n, o) => n + o.parameters.length, 0),
    smells,
    warnings: [],
  };
}

export function exportDoc(doc, to) {
  const ops = doc.tools.flatMap((t) => t.operations);
  const schema = (o) => ({
    type: 'object',
    properties: Object.fromEntries(
      o.parameters.map((p) => [p.name, { ...p.schema, description: p.description || undefined }]),
    ),
    required: o.parameters.filter((p) => p.required).map((p) => p.name),
  });
  let value;
  if (to === 'mcp')
    value = { tools: ops.map((o) => ({ name: o.name, description: o.description, inputSchema: schema(o) })) };
  else if (to === 'openai')
    value = ops.map((o) => ({
      type: 'function',
      function: { name: o.name, description: o.description, parameters: schema(o) },
    }));
  else if (to === 'anthropic')
    value = ops.map((o) => ({ name: o.name, description: o.description, input_schema: schema(o) }));
  else throw err('ExportError', `cannot write ${to}: the fake package writes mcp, openai and anthropic`);
  return {
    format: to,
    text: JSON.stringify(value, null, 2),
    lost: to === 'mcp' ? [] : ops.filter((o) => o.safety?.destructive).map((o) => `${o.name}: safety annotations`),
  };
}

export function convert(text, to) {
  return exportDoc(parseDoc(text), to);
}

export async function listMcpTools(url, opts = {}) {
  const headers = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    ...(opts.headers ?? {}),
  };
  const rpc = async (body, session) => {
    const r = await fetch(url, {
      method: 'POST',
      headers: session ? { ...headers, 'mcp-session-id': session } : headers,
      body: JSON.stringify(body),
      signal: opts.signal,
    });
    const text = await r.text();
    const data =
      text
        .split('\n')
        .filter((l) => l.startsWith('data:'))
        .map((l) => l.slice(5).trim())
        .filter(Boolean)
        .pop() ?? text;
    return { session: r.headers.get('mcp-session-id'), msg: data ? JSON.parse(data) : null };
  };
  const init = await rpc({
    jsonrpc: '2.0',
    id: 1,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'fake', version: '0' } },
  });
  await rpc({ jsonrpc: '2.0', method: 'notifications/initialized' }, init.session);
  const list = await rpc({ jsonrpc: '2.0', id: 2, method: 'tools/list' }, init.session);
  return fromMcp(list.msg.result);
}

export function diffText(a, b) {
  const x = a.split(/(\s+)/);
  const y = b.split(/(\s+)/);
  const n = x.length;
  const m = y.length;
  const dp = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      dp[i][j] = x[i] === y[j] ? dp[i + 1][j + 1] + 1 : Math.max(dp[i + 1][j], dp[i][j + 1]);
  const out = [];
  const push = (tag, value) => {
    const last = out[out.length - 1];
    if (last?.tag === tag) last.value += value;
    else out.push({ tag, value });
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (x[i] === y[j]) {
      push('equal', x[i++]);
      j++;
    } else if (dp[i + 1][j] >= dp[i][j + 1]) push('delete', x[i++]);
    else push('insert', y[j++]);
  }
  while (i < n) push('delete', x[i++]);
  while (j < m) push('insert', y[j++]);
  return out;
}

const sleep = (ms, signal) =>
  new Promise((ok, fail) => {
    const t = setTimeout(ok, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(t);
        fail(err('Aborted', 'cancelled'));
      },
      { once: true },
    );
  });

export class Refiner {
  constructor(config) {
    this.config = config;
  }
  async run(input, { signal, onEvent = () => {}, onCheckpoint = () => {}, resume } = {}) {
    const doc = structuredClone(typeof input === 'string' ? parseDoc(input) : input);
    // One real request to the model endpoint, so that 401s, dead endpoints and model output
    // reach the UI as they would from the engine.
    const base = String(this.config.llm.baseUrl ?? '').replace(/\/$/, '');
    const key = this.config.llm.apiKey;
    const r = await fetch(`${base}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: JSON.stringify({ model: this.config.llm.model, messages: [{ role: 'user', content: 'hi' }] }),
    }).catch((e) => {
      throw err('NetworkError', `network error: ${base}: ${e.message}`);
    });
    if (r.status === 401) throw err('LlmUnauthorized', `the model endpoint ${base} answered 401 unauthorized`);
    const reply = (await r.json()).choices?.[0]?.message?.content ?? '';
    const max = this.config.limits?.maxEpisodes ?? 2;
    const delay = 60;
    const only = this.config.limits?.only;
    const ops = doc.tools.flatMap((t) => t.operations).filter((o) => !only || only.includes(o.id));
    const state = resume ? structuredClone(resume) : { done: {}, step: 0 };
    const emit = (e) => onEvent(e);
    emit({ type: 'runStarted', runId: 'fake', operations: ops.map((o) => o.id), maxEpisodes: max });
    let cancelled = false;
    try {
      for (const op of ops) {
        if (state.done[op.id]) {
          Object.assign(op, state.done[op.id]);
          continue;
        }
        emit({ type: 'operationStarted', operation: op.id });
        const history = [
          {
            index: 0,
            description: op.description,
            parameters: Object.fromEntries(op.parameters.map((p) => [p.name, p.description])),
            accepted: true,
            reason: 'original',
          },
        ];
        for (let ep = 1; ep <= max; ep++) {
          for (const phase of ['explore', 'call', 'analyze', 'rewrite']) {
            emit({ type: 'phase', operation: op.id, episode: ep, phase });
            await sleep(delay, signal);
          }
          const trailId = `${op.id}-${ep}`;
          emit({
            type: 'query',
            operation: op.id,
            episode: ep,
            query: `Try ${op.name}: ${reply}`,
            arguments: { message: reply },
          });
          emit({ type: 'toolCall', operation: op.id, episode: ep, trailId, arguments: { message: reply } });
          const body = JSON.stringify({
            content: [{ type: 'text', text: `Echo: ${reply}` }],
            padding: 'x'.repeat(ep === 1 ? 5000 : 10),
          });
          emit({
            type: 'toolResult',
            operation: op.id,
            episode: ep,
            trailId,
            observation: {
              request: {
                method: 'POST',
                url: 'http://127.0.0.1/mcp',
                headers: [['authorization', '[redacted]']],
                body: '{"q":"..."}',
              },
              status: 200,
              contentType: 'application/json',
              headers: [],
              body,
              json: JSON.parse(body),
              truncated: false,
              bodyBytes: body.length,
              isError: false,
              durationMs: 12,
            },
          });
          emit({
            type: 'analysis',
            operation: op.id,
            episode: ep,
            findings: {
              observations: [`the tool answered: Echo: ${reply}`],
              gaps: ['the docs do not say the reply is prefixed with "Echo: "'],
            },
          });
          emit({ type: 'usage', purpose: 'explorer', usage: { promptTokens: 100, completionTokens: 20 }, calls: 1 });
          const accepted = ep !== 2;
          const rev = {
            index: ep,
            description: `${op.description || op.name}${ep === 1 ? ' The reply is the same text prefixed with "Echo: ".' : ' Returns text.'} (${reply.slice(0, 80)})`,
            parameters: Object.fromEntries(
              op.parameters.map((p) => [p.name, `${p.description || p.name} (seen in episode ${ep})`]),
            ),
            accepted,
            reason: accepted ? 'clearer' : 'drops a documented constraint',
            evidence: [trailId],
          };
          history.push(rev);
          emit(
            accepted
              ? { type: 'revisionAccepted', operation: op.id, episode: ep, revision: ep, delta: 0.4 }
              : {
                  type: 'revisionRejected',
                  operation: op.id,
                  episode: ep,
                  revision: ep,
                  reason: `drops what revision ${ep - 1} said about the reply`,
                },
          );
          state.step += 1;
          onCheckpoint(structuredClone(state));
          emit({ type: 'checkpoint', step: state.step });
        }
        const last = [...history].reverse().find((r) => r.accepted);
        op.description = last.description;
        op.parameters = op.parameters.map((p) => ({ ...p, description: last.parameters[p.name] }));
        op.history = history;
        op.examples = [
          {
            query: `Try ${op.name}`,
            arguments: { message: reply },
            result: { content: [{ type: 'text', text: `Echo: ${reply}` }] },
            verified: true,
          },
        ];
        op.responseSchema = { type: 'object', properties: { content: { type: 'array' } } };
        emit({ type: 'terminated', operation: op.id, reason: { kind: 'maxEpisodes', episodes: max } });
        state.done[op.id] = {
          description: op.description,
          parameters: op.parameters,
          history,
          examples: op.examples,
          responseSchema: op.responseSchema,
        };
        state.step += 1;
        onCheckpoint(structuredClone(state));
      }
    } catch (e) {
      if (e.name !== 'Aborted') throw e;
      cancelled = true;
    }
    emit({ type: 'runFinished', cancelled });
    return { doc, text: exportDoc(doc, 'mcp').text, report: { cancelled, operations: ops.length }, state };
  }
}

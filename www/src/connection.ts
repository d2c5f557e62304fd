// "Test connection" (issue 15): checks the model endpoint (the models it lists, then one tiny
// structured-output call) and the tool target (MCP initialize + tools/list through the engine,
// or a read-only GET of an API's base URL) before a run, with the same messages a run gives.
// The model check runs in the page: its requests are the ones the engine's worker makes, from
// the same origin, so CORS and the CSP treat them alike.

import { app } from './app';
import type { WorkerError } from './client';
import { errorKind } from './error-kinds';
import { explainDoc, probe, reachabilityHints, type Explained } from './errors';
import type { LlmConfig, RefinerConfig } from './types';

export interface CheckResult {
  ok: boolean;
  /** What was found, one line each (models listed, the structured answer, tools listed). */
  lines: string[];
  /** Set when the check failed. */
  problem?: Explained;
}

function join(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** The model's endpoints: `/models` and the chat call, as the engine builds them. */
function modelUrls(llm: LlmConfig): { models: string; chat: string; headers: Record<string, string> } {
  const headers: Record<string, string> = { ...(llm.headers ?? {}) };
  if (llm.provider === 'anthropic') {
    const base = (llm.baseUrl ?? 'https://api.anthropic.com').replace(/\/v1\/?$/, '');
    if (llm.apiKey) headers['x-api-key'] = llm.apiKey;
    headers['anthropic-version'] = '2023-06-01';
    headers['anthropic-dangerous-direct-browser-access'] = 'true';
    return { models: join(base, '/v1/models'), chat: join(base, '/v1/messages'), headers };
  }
  if (llm.apiKey) headers.authorization = `Bearer ${llm.apiKey}`;
  const base = llm.baseUrl ?? '';
  return { models: join(base, '/models'), chat: join(base, '/chat/completions'), headers };
}

/** A failed HTTP answer, told as the run would tell it. */
function httpProblem(status: number, body: string, url: string): Explained {
  const kind = errorKind(status === 401 || status === 403 ? 'LlmUnauthorized' : 'LlmHttpError');
  let detail = body.slice(0, 300);
  try {
    const j = JSON.parse(body) as { error?: { message?: string } | string };
    detail = typeof j.error === 'string' ? j.error : (j.error?.message ?? detail);
  } catch {
    /* the body is shown as it came */
  }
  return {
    title: kind.title,
    message: `${url} answered HTTP ${status}${detail ? `: ${detail}` : ''}`,
    hints: [...kind.hints],
  };
}

/** A request that did not get an answer: tells CORS, the CSP and a dead port apart. */
async function unreachable(url: string, e: unknown, role: string): Promise<Explained> {
  if ((e as Error)?.name === 'AbortError')
    return {
      ...errorKind('Timeout'),
      hints: [...errorKind('Timeout').hints],
      message: `${url} did not answer in time.`,
    };
  const r = await probe(url);
  const { message, hints } = reachabilityHints(r === 'ok' ? 'cors' : r, url, role);
  return { title: r === 'cors' || r === 'ok' ? 'Blocked by CORS' : `The ${role} cannot be reached`, message, hints };
}

async function send(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    return await fetch(url, {
      ...init,
      signal: ctrl.signal,
      cache: 'no-store',
      credentials: 'omit',
      redirect: 'error',
    });
  } finally {
    clearTimeout(timer);
  }
}

/** The models the endpoint lists (OpenAI and Anthropic both answer `{data: [{id}]}`). */
async function listModels(llm: LlmConfig, timeoutMs: number): Promise<CheckResult> {
  const { models, headers } = modelUrls(llm);
  let res: Response;
  try {
    res = await send(models, { headers }, timeoutMs);
  } catch (e) {
    return { ok: false, lines: [], problem: await unreachable(models, e, 'model endpoint') };
  }
  const body = await res.text();
  if (!res.ok) return { ok: false, lines: [], problem: httpProblem(res.status, body, models) };
  let ids: string[] = [];
  try {
    const j = JSON.parse(body) as { data?: { id?: unknown }[] };
    ids = (j.data ?? []).map((m) => String(m.id ?? '')).filter(Boolean);
  } catch {
    const kind = errorKind('LlmBadResponse');
    return {
      ok: false,
      lines: [],
      problem: { title: kind.title, message: `${models} did not answer with JSON.`, hints: [...kind.hints] },
    };
  }
  const model = 'model' in llm ? llm.model : '';
  const lines = [
    `The endpoint lists ${ids.length} model(s)${ids.length ? `: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}` : ''}.`,
  ];
  if (ids.length && model && !ids.includes(model))
    lines.push(`“${model}” is not among them; a local server usually answers with its one model whatever the name.`);
  return { ok: true, lines };
}

/** One tiny call that must answer `{"ok": true}` under a JSON schema, as every step of a run does. */
async function structuredCall(llm: LlmConfig, timeoutMs: number): Promise<CheckResult> {
  const { chat, headers } = modelUrls(llm);
  const model = 'model' in llm ? llm.model : '';
  const schema = {
    type: 'object',
    properties: { ok: { type: 'boolean' } },
    required: ['ok'],
    additionalProperties: false,
  };
  const ask = 'Answer with the JSON object {"ok": true} and nothing else.';
  const body =
    llm.provider === 'anthropic'
      ? {
          model,
          max_tokens: 32,
          messages: [{ role: 'user', content: ask }],
          tools: [{ name: 'answer', description: 'The answer.', input_schema: schema }],
          tool_choice: { type: 'tool', name: 'answer' },
        }
      : {
          model,
          max_tokens: 32,
          temperature: 0,
          messages: [{ role: 'user', content: ask }],
          response_format: { type: 'json_schema', json_schema: { name: 'answer', schema } },
        };
  let res: Response;
  try {
    res = await send(
      chat,
      { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) },
      timeoutMs,
    );
  } catch (e) {
    return { ok: false, lines: [], problem: await unreachable(chat, e, 'model endpoint') };
  }
  const text = await res.text();
  if (!res.ok) return { ok: false, lines: [], problem: httpProblem(res.status, text, chat) };
  try {
    const j = JSON.parse(text) as {
      choices?: { message?: { content?: string } }[];
      content?: { type: string; input?: unknown }[];
    };
    const answer =
      llm.provider === 'anthropic'
        ? j.content?.find((c) => c.type === 'tool_use')?.input
        : JSON.parse(j.choices?.[0]?.message?.content ?? '');
    if (answer && typeof answer === 'object')
      return { ok: true, lines: [`A structured call answered ${JSON.stringify(answer).slice(0, 80)}.`] };
  } catch {
    /* told below */
  }
  const kind = errorKind('LlmInvalidOutput');
  return {
    ok: false,
    lines: [],
    problem: {
      title: kind.title,
      message: `${chat} answered, but not with a JSON object: ${text.slice(0, 200)}`,
      hints: [...kind.hints],
    },
  };
}

/** Checks the model: the models it lists, then (unless `quick`) one structured-output call. */
export async function checkModel(llm: LlmConfig, timeoutMs: number, quick = false): Promise<CheckResult> {
  const listed = await listModels(llm, timeoutMs);
  if (!listed.ok || quick) return listed;
  const call = await structuredCall(llm, timeoutMs);
  return { ok: call.ok, lines: [...listed.lines, ...call.lines], problem: call.problem };
}

/** Checks the tool target: MCP initialize + tools/list, or a read-only GET of the base URL. */
export async function checkTools(tools: RefinerConfig['tools']): Promise<CheckResult> {
  if (tools.mcpUrl) {
    try {
      const { doc } = await app.engine.call('listMcpTools', { url: tools.mcpUrl, headers: tools.headers ?? {} });
      const ops = doc.tools.flatMap((t) => t.operations);
      return { ok: true, lines: [`The MCP server answered initialize and tools/list: ${ops.length} tool(s).`] };
    } catch (e) {
      const err = e as WorkerError;
      const network = err.name === 'NetworkError' || err.name === 'ToolHostError' || /fetch|network/i.test(err.message);
      return {
        ok: false,
        lines: [],
        problem: network
          ? await unreachable(tools.mcpUrl, e, 'MCP server')
          : { ...explainDoc(err), title: errorKind(err.name).title },
      };
    }
  }
  const url = tools.baseUrl ?? '';
  if (!url)
    return {
      ok: false,
      lines: [],
      problem: {
        ...errorKind('NoToolTarget'),
        hints: [...errorKind('NoToolTarget').hints],
        message: 'There is no tool target to test.',
      },
    };
  const r = await probe(url);
  if (r === 'ok') return { ok: true, lines: [`${url} answered a GET request.`] };
  const { message, hints } = reachabilityHints(r, url, 'tool');
  return {
    ok: false,
    lines: [],
    problem: { title: r === 'cors' ? 'Blocked by CORS' : 'The tool cannot be reached', message, hints },
  };
}

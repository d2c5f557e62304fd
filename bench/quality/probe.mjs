// probe.mjs: the smallest clients the benchmark needs to call the testbed's tools directly,
// without tooldraft (so the discoverability checks do not depend on the code under test):
// MCP over Streamable HTTP (initialize, tools/list, tools/call) and plain HTTP.

/** An MCP session on `url` (Streamable HTTP): `list()` and `call(name, args)`. */
export async function mcpSession(url) {
  let sid = null;
  let nextId = 1;
  async function rpc(method, params, notify = false) {
    const body = { jsonrpc: '2.0', method, ...(params ? { params } : {}), ...(notify ? {} : { id: nextId++ }) };
    const res = await fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        ...(sid ? { 'mcp-session-id': sid } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(20_000),
    });
    sid = res.headers.get('mcp-session-id') ?? sid;
    const text = await res.text();
    if (notify) return null;
    const events = text
      .split('\n')
      .filter((l) => l.startsWith('data:'))
      .map((l) => l.slice(5).trim())
      .filter(Boolean);
    const msg = JSON.parse(events.length ? events.at(-1) : text);
    if (msg.error) throw new Error(`${method}: ${msg.error.message}`);
    return msg.result;
  }
  await rpc('initialize', {
    protocolVersion: '2025-03-26',
    capabilities: {},
    clientInfo: { name: 'tooldraft-bench', version: '1' },
  });
  await rpc('notifications/initialized', undefined, true);
  return {
    list: () => rpc('tools/list', {}),
    /** {isError, text, structured}: the tool's answer, text parts joined. */
    async call(name, args) {
      const r = await rpc('tools/call', { name, arguments: args });
      const text = (r.content ?? []).map((c) => c.text ?? (c.type ? `[${c.type}]` : '')).join('\n');
      return { isError: r.isError === true, text, structured: r.structuredContent ?? null };
    },
  };
}

/** One HTTP call: {status, text, json}. Redirects are not followed. */
export async function httpCall(base, method, path, { query, body } = {}) {
  const u = new URL(path, base);
  for (const [k, v] of Object.entries(query ?? {})) u.searchParams.set(k, String(v));
  const res = await fetch(u, {
    method,
    redirect: 'manual',
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, text, json };
}

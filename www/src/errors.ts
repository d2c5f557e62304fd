// Turns failures into messages a person can act on: where a document is malformed, why a
// URL could not be reached (CORS, the page's CSP, nothing listening) and what to do next.

import { h } from './dom';
import { errorKind } from './error-kinds';

export interface Explained {
  title: string;
  message: string;
  /** JSON/YAML position, when the error names one. */
  position?: { line: number; column: number };
  /** JSON pointer, when the error names one. */
  pointer?: string;
  hints: string[];
}

/** An error as the package (or the worker, which keeps its fields) gives it. */
interface Named {
  name?: string;
  message?: string;
  line?: number;
  column?: number;
  pointer?: string;
}

/** Where a `SyntaxError` is: the error's own `line` and `column` (never read from its text). */
export function position(e: Named): { line: number; column: number } | undefined {
  return typeof e.line === 'number' && typeof e.column === 'number' ? { line: e.line, column: e.column } : undefined;
}

const violations: { url: string; directive: string }[] = [];
if (typeof document !== 'undefined') {
  document.addEventListener('securitypolicyviolation', (e) => {
    violations.push({ url: e.blockedURI, directive: e.effectiveDirective });
  });
}

export type Reachability = 'ok' | 'cors' | 'csp' | 'unreachable' | 'invalid';

/**
 * Tells a CORS refusal from a dead endpoint: a `no-cors` request succeeds (opaquely) when
 * something answers, even without CORS headers; it fails when nothing listens. A failure
 * caused by this page's Content-Security-Policy shows up as a violation event.
 */
export async function probe(url: string, timeoutMs = 4000): Promise<Reachability> {
  let target: URL;
  try {
    target = new URL(url, location.href);
  } catch {
    return 'invalid';
  }
  const before = violations.length;
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), timeoutMs);
  try {
    await fetch(target, { mode: 'no-cors', signal: ctrl.signal, cache: 'no-store' });
  } catch {
    await new Promise((r) => setTimeout(r, 0));
    const blocked = violations.slice(before).some((v) => v.url.startsWith(target.origin));
    return blocked ? 'csp' : 'unreachable';
  } finally {
    clearTimeout(timer);
  }
  try {
    await fetch(target, { mode: 'cors', method: 'GET', cache: 'no-store' });
    return 'ok';
  } catch {
    return 'cors';
  }
}

function origin(url: string): string {
  try {
    return new URL(url, location.href).origin;
  } catch {
    return url;
  }
}

export function reachabilityHints(r: Reachability, url: string, role: string): { message: string; hints: string[] } {
  const o = origin(url);
  switch (r) {
    case 'cors':
      return {
        message: `${o} answered, but without CORS headers, so the browser will not let this page read the ${role}'s reply.`,
        hints: [
          `Serve the app with the local relay: node www/server.mjs --relay ${o}, then tick "use the local relay" in the tool target.`,
          'Or run the refinement from the command line, which is not bound by CORS: npx tooldraft refine <doc> …',
          `Or enable CORS on ${o} for this page's origin (${location.origin}).`,
        ],
      };
    case 'csp':
      return {
        message: `This page's Content-Security-Policy does not allow connections to ${o}.`,
        hints: [`Restart the server with --connect-src ${o} (or a wider pattern such as http://127.0.0.1:*).`],
      };
    case 'unreachable':
      return {
        message: `Nothing answered at ${o}.`,
        hints: [
          `Check that the ${role} is running and listening on that address and port.`,
          'Check the URL for typos (http vs https, the port).',
        ],
      };
    case 'invalid':
      return {
        message: `"${url}" is not a valid URL.`,
        hints: ['Write a full URL, such as http://127.0.0.1:3001/mcp.'],
      };
    case 'ok':
      return { message: `${o} is reachable; the request itself failed.`, hints: [] };
  }
}

/** Error names whose message may locate the problem in the document (line, column, pointer). */
const DOC_ERRORS = new Set(['SyntaxError', 'StructureError', 'ExportError']);

/**
 * A JSON pointer named in a message ("… at /paths/~1pets/get: …"): it starts with "/" or
 * "#/", holds no spaces, and ends at a space, a colon, a comma or the end; a closing
 * parenthesis or a sentence's full stop is not part of it.
 */
export function pointerIn(message: string): string | undefined {
  const m = /\bat (#?\/[^\s:,()]*?)\.?(?=[\s:,]|$)/.exec(message);
  return m?.[1];
}

/** Explains an error from parsing or exporting a document. */
export function explainDoc(e: Named): Explained {
  const name = e.name ?? 'Error';
  const message = e.message ?? String(e);
  const kind = errorKind(name);
  const located = DOC_ERRORS.has(name);
  const pos = position(e);
  // The core's own pointer (kept across the worker); an error known only by its text (a run
  // file's event) falls back to the pointer its message names.
  const own = typeof e.pointer === 'string' && e.pointer !== '' ? e.pointer : undefined;
  const ptr = own ?? (located ? pointerIn(message) : undefined);
  const hints: string[] = [];
  if (pos) hints.push(`Go to line ${pos.line}, column ${pos.column} of the document.`);
  if (ptr) hints.push(`Look at ${ptr} in the document (a JSON pointer: each / goes one level down).`);
  hints.push(...kind.hints);
  return { title: kind.title, message, position: pos, pointer: ptr, hints };
}

/** Explains a run failure (model or tool endpoint) with the configured endpoints probed. */
export async function explainRun(e: Named, endpoints: { llm?: string; tool?: string }): Promise<Explained> {
  const name = e.name ?? 'Error';
  const message = e.message ?? String(e);
  if (name === 'LlmUnauthorized' || /\b401\b/.test(message)) return { ...errorKind('LlmUnauthorized'), message };
  if (
    name === 'NetworkError' ||
    name === 'LlmHostError' ||
    name === 'ToolHostError' ||
    /network|failed to fetch|load failed/i.test(message)
  ) {
    for (const [role, url] of [
      ['model endpoint', endpoints.llm],
      ['tool', endpoints.tool],
    ] as const) {
      if (!url) continue;
      const r = await probe(url);
      if (r !== 'ok') {
        const { message: m, hints } = reachabilityHints(r, url, role);
        return {
          title: r === 'cors' ? 'Blocked by CORS' : `The ${role} cannot be reached`,
          message: `${m} (${message})`,
          hints,
        };
      }
    }
  }
  const kind = errorKind(name);
  return { title: kind.title, message, hints: [...kind.hints] };
}

/** Explains a failed fetch of a URL the user typed (a document or an MCP server). */
export async function explainFetch(url: string, e: unknown, role: string): Promise<Explained> {
  const err = e as Named;
  if (err?.name && err.name !== 'TypeError' && err.name !== 'NetworkError' && err.name !== 'Error') {
    return { title: err.name, message: err.message ?? '', hints: [] };
  }
  const r = await probe(url);
  const { message, hints } = reachabilityHints(r, url, role);
  return {
    title:
      r === 'cors'
        ? 'Blocked by CORS'
        : r === 'ok'
          ? `The ${role} answered with an error`
          : `The ${role} cannot be reached`,
    message: r === 'ok' ? `${message} ${err?.message ?? ''}`.trim() : message,
    hints,
  };
}

/** The element that shows an explained error (an alert, read out by screen readers). */
export function errorBox(x: Explained, actions: HTMLElement[] = []): HTMLElement {
  return h(
    'div',
    { class: 'error', role: 'alert' },
    h('strong', null, x.title),
    h('p', null, x.message),
    x.hints.length
      ? h(
          'ul',
          null,
          x.hints.map((t) => h('li', null, t)),
        )
      : null,
    actions.length ? h('div', { class: 'actions' }, actions) : null,
  );
}

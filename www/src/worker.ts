// The Web Worker that owns the wasm: every parse, export, diff and run happens here, so the
// page stays responsive. See src/protocol.ts for the messages. The package's `init()` loads its
// small document module, enough for "ready" and for opening, inspecting, exporting and diffing
// documents; the engine module is fetched on the first run, MCP read, evaluation or
// check (README "Two wasm modules").

import * as pkg from 'tooldraft';
import type { CallKind, Calls, FromWorker, Request, ToWorker, WireError } from './protocol';
import { normaliseDiff, type TooldraftApi } from './tooldraft-api';
import { buildHtmlReport } from '../../pkg/lib/run-report-html.mjs';
import { appendEvents, countEvents, getRun, truncateEvents, updateRun } from './store';
import type { InspectReport, RunEvent, RunResult, RunState } from './types';
import type { EvalApi } from './evaltypes';

type Api = TooldraftApi & EvalApi;
const api = pkg as unknown as Partial<Api>;
const post = (m: FromWorker) => (self as unknown as Worker).postMessage(m);

export function toWire(e: unknown): WireError {
  if (!(e instanceof Error) && !(e && typeof e === 'object' && 'message' in e))
    return { name: 'Error', message: String(e) };
  const o = e as {
    name?: unknown;
    message: unknown;
    category?: unknown;
    line?: unknown;
    column?: unknown;
    pointer?: unknown;
  };
  const wire: WireError = { name: String(o.name || 'Error'), message: String(o.message) };
  if (typeof o.category === 'string') wire.category = o.category;
  if (typeof o.line === 'number' && typeof o.column === 'number')
    Object.assign(wire, { line: o.line, column: o.column });
  if (typeof o.pointer === 'string') wire.pointer = o.pointer;
  return wire;
}

function need<K extends keyof Api>(name: K): NonNullable<Api[K]> {
  const f = api[name];
  if (!f) {
    const e = new Error(
      `this build of the tooldraft package has no ${String(name)}(); rebuild it with ./scripts/build.sh`,
    );
    e.name = 'Unsupported';
    throw e;
  }
  return f as NonNullable<Api[K]>;
}

/**
 * Plain JSON-like data from whatever the package returns: Maps (serde-wasm-bindgen's default
 * for maps) become objects, so the page reads `revision.parameters` and the like uniformly.
 */
export function plain<T>(v: T): T {
  if (v instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of v) o[String(k)] = plain(x);
    return o as T;
  }
  if (Array.isArray(v)) return v.map(plain) as T;
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o as T;
  }
  return v;
}

const runs = new Map<string, AbortController>();
/** Evaluations going on, and ids cancelled before their request arrived. */
const evaluations = new Map<string, AbortController>();
const cancelledEvaluations = new Set<string>();

type Handler<K extends CallKind> = (p: Calls[K]['params']) => Promise<Calls[K]['result']> | Calls[K]['result'];
const handlers: { [K in CallKind]: Handler<K> } = {
  inspect: ({ text, format }) => {
    const doc = plain(need('parseDoc')(text, format));
    const report = plain<InspectReport>(need('inspect')(text, format));
    return { doc, report };
  },
  exportDoc: ({ doc, to }) => plain(need('exportDoc')(doc, to)),
  listMcpTools: async ({ url, headers }) => {
    const doc = plain(await need('listMcpTools')(url, { headers }));
    const text = need('exportDoc')(doc, 'mcp').text;
    return { doc, report: plain<InspectReport>(need('inspect')(text, 'mcp')) };
  },
  diffText: ({ before, after }) => normaliseDiff(need('diffText')(before, after)),
  htmlReport: ({ file, diffs }) => buildHtmlReport(file, diffs),
  // An evaluation persists nothing; cancelEvaluation aborts its signal (see self.onmessage).
  evaluate: async ({ evalId, options }) => {
    const evaluate = need('evaluate');
    const ctrl = new AbortController();
    if (cancelledEvaluations.delete(evalId)) ctrl.abort();
    evaluations.set(evalId, ctrl);
    try {
      return plain(
        await evaluate(options, {
          signal: ctrl.signal,
          onProgress: (p) => post({ kind: 'evalProgress', evalId, progress: plain(p) }),
        }),
      );
    } finally {
      evaluations.delete(evalId);
    }
  },
  evaluationChart: ({ report }) => need('evaluationChart')(report),
  evaluationHtml: ({ report }) => need('evaluationHtml')(report),
  // compareDocs is the engine's and synchronous: its module is loaded first (once).
  compareDocs: async ({ before, after }) => {
    await api.loadEngine?.();
    return plain(need('compareDocs')(before, after));
  },
  check: async ({ doc, options }) => plain(await need('check')(doc, options)),
  parseQueries: ({ text }) => plain(need('parseQueries')(text)),
  // While a run goes on its worker holds a Web Lock, so another tab (or this one after a
  // reload) can tell a live run from an interrupted one.
  run: (p) =>
    navigator.locks
      ? (navigator.locks.request(runLock(p.runId), () => runOnce(p)) as unknown as Promise<RunResult>)
      : runOnce(p),
};

export const runLock = (runId: string) => `tooldraft-run-${runId}`;

async function runOnce({ runId, config, doc, resume }: Calls['run']['params']): Promise<Calls['run']['result']> {
  const Refiner = need('Refiner');
  const ctrl = new AbortController();
  runs.set(runId, ctrl);
  const rec = await getRun(runId);
  // On resume, events recorded after the checkpoint are dropped: the engine redoes that work.
  let seq = await countEvents(runId);
  if (resume !== undefined && rec?.eventsAtCheckpoint !== undefined) {
    seq = rec.eventsAtCheckpoint;
    await truncateEvents(runId, seq);
  }
  let pending: RunEvent[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flush = () => {
    const batch = pending;
    pending = [];
    const first = seq;
    seq += batch.length;
    flushing = flushing.then(() => appendEvents(runId, first, batch)).catch(() => undefined);
    return flushing;
  };
  const timer = setInterval(flush, 300);
  let latest: { state: RunState; step: number } | null = null;
  // The last run-level error event (set from onEvent; read when the run ends).
  const runError: { last: { name: string; message: string } | null } = { last: null };
  let saving = false;
  const saveCheckpoint = async () => {
    if (saving || !latest) return;
    saving = true;
    try {
      while (latest) {
        const { state, step } = latest;
        latest = null;
        await flush();
        const count = seq;
        await updateRun(runId, (r) => {
          r.state = state;
          r.step = step;
          r.eventsAtCheckpoint = count;
        });
      }
    } finally {
      saving = false;
    }
  };
  let step = rec?.step ?? 0;
  try {
    const refiner = new Refiner(config);
    const result = plain(
      await refiner.run(doc, {
        signal: ctrl.signal,
        resume,
        onEvent: (raw) => {
          const event = plain(raw);
          if (event.type === 'error' && !event.operation) runError.last = { name: event.code, message: event.message };
          pending.push(event);
          post({ kind: 'event', runId, event });
        },
        onCheckpoint: (raw) => {
          const state = plain(raw);
          step += 1;
          latest = { state, step };
          void saveCheckpoint();
          post({ kind: 'checkpoint', runId, step });
        },
      }),
    );
    await flush();
    await saveCheckpoint();
    if (result.report.aborted && !ctrl.signal.aborted) {
      // A fatal model error (wrong key, unreachable endpoint) stopped the run: resumable.
      const e = new Error(runError.last?.message ?? String(result.report.aborted));
      e.name = runError.last?.name ?? 'LlmError';
      throw e;
    }
    await updateRun(runId, (r) => {
      r.result = result;
      r.state = result.state;
      r.status = ctrl.signal.aborted ? 'cancelled' : 'finished';
    });
    return result;
  } catch (e) {
    await flush();
    await saveCheckpoint();
    const err = toWire(e);
    await updateRun(runId, (r) => {
      r.status = ctrl.signal.aborted || err.name === 'Aborted' ? 'cancelled' : 'failed';
      r.error = err;
    });
    throw e;
  } finally {
    clearInterval(timer);
    runs.delete(runId);
  }
}

async function handle(msg: Request): Promise<void> {
  try {
    const handler = handlers[msg.kind] as Handler<CallKind>;
    const value = await handler(msg as never);
    post({ kind: 'response', id: msg.id, ok: true, value });
  } catch (e) {
    post({ kind: 'response', id: msg.id, ok: false, error: toWire(e) });
  }
}

self.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  if (msg.kind === 'cancel') {
    runs.get(msg.runId)?.abort();
    return;
  }
  if (msg.kind === 'cancelEvaluation') {
    const ctrl = evaluations.get(msg.evalId);
    if (ctrl) ctrl.abort();
    else cancelledEvaluations.add(msg.evalId);
    return;
  }
  void handle(msg);
};

(async () => {
  try {
    await need('default')();
    const features = (
      [
        'parseDoc',
        'inspect',
        'convert',
        'exportDoc',
        'listMcpTools',
        'diffText',
        'Refiner',
        'evaluate',
        'evaluationChart',
        'evaluationHtml',
        'compareDocs',
        'parseQueries',
      ] as const
    ).filter((k) => typeof api[k] === 'function');
    post({ kind: 'ready', version: need('version')(), features });
  } catch (e) {
    post({ kind: 'fatal', error: toWire(e) });
  }
})();

// The message protocol between the page and the worker (src/worker.ts), which owns the wasm.
//
// page → worker: a `Request` with a numeric `id`, or a `Cancel`.
// worker → page: first `{kind: 'ready'}` (or `{kind: 'fatal'}` when the wasm cannot load),
// then one `Response` per request (same `id`), and while a run goes on, `RunEventMessage`s
// and `CheckpointMessage`s tagged with the run's id. Everything is plain structured-cloneable
// data: no functions, no class instances, no secrets in anything the worker persists.

import type {
  DiffChunk,
  Exported,
  FormatName,
  InspectReport,
  RefinerConfig,
  RunEvent,
  RunResult,
  RunState,
  ToolDoc,
} from './types';

/** A failure, as the package throws it: `name` is a stable code, `message` says where. */
export interface WireError {
  name: string;
  message: string;
}

export interface Inspected {
  doc: ToolDoc;
  report: InspectReport;
}

/** Each request kind, its parameters and the value its response carries. */
export interface Calls {
  /** Parse and inspect a document's text. */
  inspect: { params: { text: string; format?: FormatName }; result: Inspected };
  /** Write a (possibly edited) document in a format. */
  exportDoc: { params: { doc: ToolDoc; to: FormatName }; result: Exported };
  /** Read an MCP server's tools (`tools/list`) and inspect them. */
  listMcpTools: { params: { url: string; headers?: Record<string, string> }; result: Inspected };
  /** Word-level diff of two texts. */
  diffText: { params: { before: string; after: string }; result: DiffChunk[] };
  /**
   * Run a refinement. Progress arrives as `event`/`checkpoint` messages; the response comes
   * when the run ends (also when it was cancelled: then `result.report` says so). The worker
   * persists checkpoints and events in IndexedDB under `runId` (see src/store.ts).
   */
  run: {
    params: { runId: string; config: RefinerConfig; doc: ToolDoc; resume?: RunState };
    result: RunResult;
  };
}

export type CallKind = keyof Calls;

export type Request = {
  [K in CallKind]: { kind: K; id: number } & Calls[K]['params'];
}[CallKind];

export interface Cancel {
  kind: 'cancel';
  runId: string;
}

export type ToWorker = Request | Cancel;

export type Response =
  | { kind: 'response'; id: number; ok: true; value: unknown }
  | { kind: 'response'; id: number; ok: false; error: WireError };

export interface Ready {
  kind: 'ready';
  version: string;
  /** Which package functions are present (a package without `Refiner` cannot run). */
  features: string[];
}

export interface Fatal {
  kind: 'fatal';
  error: WireError;
}

export interface RunEventMessage {
  kind: 'event';
  runId: string;
  event: RunEvent;
}

export interface CheckpointMessage {
  kind: 'checkpoint';
  runId: string;
  step: number;
}

export type FromWorker = Ready | Fatal | Response | RunEventMessage | CheckpointMessage;

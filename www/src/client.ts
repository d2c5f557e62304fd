// The page's side of the worker protocol: typed calls that return promises, and listeners
// for run events and checkpoints.

import type { CallKind, Calls, FromWorker, Ready, WireError } from './protocol';
import type { RunEvent } from './types';
import type { EvalProgress } from './evaltypes';

/** An error from the worker, with the package's stable code as `name`. */
export class WorkerError extends Error {
  category?: string;
  line?: number;
  column?: number;
  pointer?: string;
  constructor(e: WireError) {
    super(e.message);
    this.name = e.name;
    this.category = e.category;
    this.line = e.line;
    this.column = e.column;
    this.pointer = e.pointer;
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };

export class Engine {
  private worker: Worker;
  private next = 1;
  private pending = new Map<number, Pending>();
  private eventListeners = new Set<(runId: string, e: RunEvent) => void>();
  private checkpointListeners = new Set<(runId: string, step: number) => void>();
  private evalProgressListeners = new Set<(evalId: string, p: EvalProgress) => void>();
  readonly ready: Promise<Ready>;

  constructor() {
    this.worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tooldraft' });
    let resolveReady!: (r: Ready) => void;
    let rejectReady!: (e: unknown) => void;
    this.ready = new Promise((res, rej) => {
      resolveReady = res;
      rejectReady = rej;
    });
    this.worker.onerror = (ev) => {
      rejectReady(
        new WorkerError({
          name: 'WorkerError',
          message: `the worker failed to start: ${ev.message || 'unknown error'}`,
        }),
      );
    };
    this.worker.onmessage = (ev: MessageEvent<FromWorker>) => {
      const m = ev.data;
      switch (m.kind) {
        case 'ready':
          resolveReady(m);
          break;
        case 'fatal':
          rejectReady(new WorkerError(m.error));
          break;
        case 'response': {
          const p = this.pending.get(m.id);
          if (!p) return;
          this.pending.delete(m.id);
          if (m.ok) p.resolve(m.value);
          else p.reject(new WorkerError(m.error));
          break;
        }
        case 'event':
          for (const f of this.eventListeners) f(m.runId, m.event);
          break;
        case 'checkpoint':
          for (const f of this.checkpointListeners) f(m.runId, m.step);
          break;
        case 'evalProgress':
          for (const f of this.evalProgressListeners) f(m.evalId, m.progress);
          break;
      }
    };
  }

  async call<K extends CallKind>(kind: K, params: Calls[K]['params']): Promise<Calls[K]['result']> {
    await this.ready;
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ kind, id, ...params });
    });
  }

  cancel(runId: string): void {
    this.worker.postMessage({ kind: 'cancel', runId });
  }

  cancelEvaluation(evalId: string): void {
    this.worker.postMessage({ kind: 'cancelEvaluation', evalId });
  }

  onEvalProgress(f: (evalId: string, p: EvalProgress) => void): () => void {
    this.evalProgressListeners.add(f);
    return () => this.evalProgressListeners.delete(f);
  }

  onEvent(f: (runId: string, e: RunEvent) => void): () => void {
    this.eventListeners.add(f);
    return () => this.eventListeners.delete(f);
  }

  onCheckpoint(f: (runId: string, step: number) => void): () => void {
    this.checkpointListeners.add(f);
    return () => this.checkpointListeners.delete(f);
  }
}

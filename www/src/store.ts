// Run records in IndexedDB, shared by the page and the worker: a run's configuration
// (without secrets), its original document, the engine's latest checkpoint, every event so
// far, and, once it ends, the result and the user's review. A reload loses no finished work.

import type { RefinerConfig, RunEvent, RunResult, RunState, ToolDoc } from './types';

export type RunStatus = 'running' | 'finished' | 'cancelled' | 'failed' | 'interrupted';

/** Per operation: keep the final revision, reject all (keep the original), or pick one. */
export type ReviewChoice = 'final' | 'reject' | number;

export interface RunRecord {
  id: string;
  createdAt: number;
  updatedAt: number;
  status: RunStatus;
  /** The configuration with API keys and auth headers removed. */
  config: RefinerConfig;
  /** True when the run had secrets that were not kept: resuming asks for them again. */
  hadSecrets: boolean;
  original: ToolDoc;
  /** The name the user knows the document by (file name, URL, "pasted"). */
  sourceName: string;
  state?: RunState;
  step?: number;
  /** How many events had been recorded when `state` was saved (resume drops later ones). */
  eventsAtCheckpoint?: number;
  result?: RunResult;
  error?: { name: string; message: string };
  review?: Record<string, ReviewChoice>;
  /** Decisions on single schema changes: operation id → change id → accept/reject. */
  schemaReview?: Record<string, Record<string, 'accept' | 'reject'>>;
  /** Decisions on the examples the run added: operation id → example id → accept/reject. */
  factReview?: Record<string, Record<string, 'accept' | 'reject'>>;
}

interface EventRow {
  runId: string;
  seq: number;
  event: RunEvent;
}

const DB = 'tooldraft';
const VERSION = 1;
let opening: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise((resolve, reject) => {
    const req = indexedDB.open(DB, VERSION);
    req.onupgradeneeded = () => {
      const db = req.result;
      if (!db.objectStoreNames.contains('runs')) db.createObjectStore('runs', { keyPath: 'id' });
      if (!db.objectStoreNames.contains('events')) db.createObjectStore('events', { keyPath: ['runId', 'seq'] });
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexeddb: cannot open the database'));
    req.onblocked = () => reject(new Error('indexeddb: the database is blocked by another tab'));
  });
  return opening;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('indexeddb: transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('indexeddb: transaction aborted'));
  });
}

function result<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('indexeddb: request failed'));
  });
}

/** Removes API keys and auth headers; the result is safe to persist. */
export function withoutSecrets(config: RefinerConfig): { config: RefinerConfig; hadSecrets: boolean } {
  const llm = { ...config.llm };
  const tools = { ...config.tools };
  const hadSecrets =
    Boolean(llm.apiKey) || Object.keys(llm.headers ?? {}).length > 0 || Object.keys(tools.headers ?? {}).length > 0;
  delete llm.apiKey;
  delete llm.headers;
  delete tools.headers;
  return { config: { ...config, llm, tools }, hadSecrets };
}

export async function putRun(record: RunRecord): Promise<void> {
  const db = await open();
  const tx = db.transaction('runs', 'readwrite');
  tx.objectStore('runs').put({ ...record, updatedAt: Date.now() });
  await done(tx);
}

export async function getRun(id: string): Promise<RunRecord | undefined> {
  const db = await open();
  return (await result(db.transaction('runs').objectStore('runs').get(id))) as RunRecord | undefined;
}

/** Read-modify-write of one record, atomically. */
export async function updateRun(id: string, change: (r: RunRecord) => void): Promise<RunRecord | undefined> {
  const db = await open();
  const tx = db.transaction('runs', 'readwrite');
  const store = tx.objectStore('runs');
  const rec = (await result(store.get(id))) as RunRecord | undefined;
  if (rec) {
    change(rec);
    rec.updatedAt = Date.now();
    store.put(rec);
  }
  await done(tx);
  return rec;
}

export async function listRuns(): Promise<RunRecord[]> {
  const db = await open();
  const all = (await result(db.transaction('runs').objectStore('runs').getAll())) as RunRecord[];
  return all.sort((a, b) => b.updatedAt - a.updatedAt);
}

export async function deleteRun(id: string): Promise<void> {
  const db = await open();
  const tx = db.transaction(['runs', 'events'], 'readwrite');
  tx.objectStore('runs').delete(id);
  tx.objectStore('events').delete(IDBKeyRange.bound([id, 0], [id, Number.MAX_SAFE_INTEGER]));
  await done(tx);
}

export async function appendEvents(runId: string, firstSeq: number, events: RunEvent[]): Promise<void> {
  if (events.length === 0) return;
  const db = await open();
  const tx = db.transaction('events', 'readwrite');
  const store = tx.objectStore('events');
  for (const [i, event] of events.entries()) store.put({ runId, seq: firstSeq + i, event } satisfies EventRow);
  await done(tx);
}

export async function getEvents(runId: string): Promise<RunEvent[]> {
  const db = await open();
  const range = IDBKeyRange.bound([runId, 0], [runId, Number.MAX_SAFE_INTEGER]);
  const rows = (await result(db.transaction('events').objectStore('events').getAll(range))) as EventRow[];
  return rows.map((r) => r.event);
}

export async function countEvents(runId: string): Promise<number> {
  const db = await open();
  const range = IDBKeyRange.bound([runId, 0], [runId, Number.MAX_SAFE_INTEGER]);
  return result(db.transaction('events').objectStore('events').count(range));
}

/** Drops events from `seq` on (a resumed run redoes the work after its checkpoint). */
export async function truncateEvents(runId: string, seq: number): Promise<void> {
  const db = await open();
  const tx = db.transaction('events', 'readwrite');
  tx.objectStore('events').delete(IDBKeyRange.bound([runId, seq], [runId, Number.MAX_SAFE_INTEGER]));
  await done(tx);
}

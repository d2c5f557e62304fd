// Starting, resuming, cancelling and reopening runs. The worker persists checkpoints and
// events; this module keeps `app.run` (the run on screen) in step with them.

import { app } from './app';
import type { WorkerError } from './client';
import { applyEvent, foldEvents, mergeReport, newRunModel } from './runmodel';
import { appendEvents, getEvents, getRun, listRuns, putRun, updateRun, withoutSecrets, type RunRecord } from './store';
import type { RefinerConfig, RunEvent, RunResult, ToolDoc } from './types';

let renderQueued = false;
function changed(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    app.emit('run');
  });
}

app.engine.onEvent((runId, e: RunEvent) => {
  if (app.run?.record.id !== runId) return;
  applyEvent(app.run.model, e);
  changed();
});
app.engine.onCheckpoint((runId, step) => {
  if (app.run?.record.id !== runId) return;
  app.run.record.step = step;
  changed();
});

export function newRunId(): string {
  return crypto.randomUUID();
}

/** The configuration with this page's in-memory secrets added back. */
export function withSecrets(config: RefinerConfig): RefinerConfig {
  const c = structuredClone(config);
  if (app.secrets.apiKey) c.llm.apiKey = app.secrets.apiKey;
  if (
    app.secrets.apiKey &&
    c.embeddings &&
    c.llm.baseUrl &&
    new URL(c.embeddings.baseUrl, location.href).origin === new URL(c.llm.baseUrl, location.href).origin
  ) {
    c.embeddings.apiKey = app.secrets.apiKey;
  }
  if (Object.keys(app.secrets.toolHeaders).length) c.tools.headers = { ...app.secrets.toolHeaders };
  return c;
}

export function needsSecrets(rec: RunRecord): boolean {
  return rec.hadSecrets && !app.secrets.apiKey && Object.keys(app.secrets.toolHeaders).length === 0;
}

/** Starts a new run of `doc` with `config` (secrets included: they are not persisted). */
export async function startRun(config: RefinerConfig, doc: ToolDoc, sourceName: string): Promise<void> {
  const id = newRunId();
  const { config: safe, hadSecrets } = withoutSecrets(config);
  const record: RunRecord = {
    id,
    createdAt: Date.now(),
    updatedAt: Date.now(),
    status: 'running',
    config: safe,
    hadSecrets,
    original: doc,
    sourceName,
    review: {},
  };
  await putRun(record);
  app.run = { record, model: newRunModel(doc, config.limits.only, config.limits.maxEpisodes ?? 5), running: true };
  app.emit('run');
  void drive(record, config);
}

/**
 * Resumes a run from its last checkpoint (after a reload, a cancel or a failure). With
 * `settings` (the current Set up, secrets included) the run goes on with them: the model, the
 * tool target, safety, limits and thresholds may change; the document and the operations may
 * not (the checkpoint holds their progress), so those are kept from the run.
 */
export async function resumeRun(id: string, settings?: RefinerConfig): Promise<void> {
  const record = await getRun(id);
  if (!record) throw new Error(`run ${id} is gone`);
  const config = settings ? resumedConfig(record.config, settings) : withSecrets(record.config);
  const { config: safe, hadSecrets } = withoutSecrets(config);
  const events = await getEvents(id);
  const kept = record.eventsAtCheckpoint !== undefined ? events.slice(0, record.eventsAtCheckpoint) : events;
  const model = foldEvents(record.original, kept, safe.limits.only, safe.limits.maxEpisodes);
  const apply = (r: RunRecord) => {
    r.status = 'running';
    r.config = safe;
    r.hadSecrets = hadSecrets;
    delete r.error;
  };
  apply(record);
  await updateRun(id, apply);
  app.run = { record, model, running: true };
  app.emit('run');
  void drive(record, config, record.state);
}

/** The run's configuration with what may change mid-run taken from `settings`. */
export function resumedConfig(run: RefinerConfig, settings: RefinerConfig): RefinerConfig {
  return { ...structuredClone(settings), limits: { ...settings.limits, only: run.limits.only } };
}

/**
 * Operations that had not finished when the run stopped: "failed" when the run failed,
 * "stopped" when it was cancelled or interrupted; never left "running".
 */
export function settledStatus(opStatus: string, run: { running: boolean; status: RunRecord['status'] }): string {
  if (run.running || opStatus === 'done') return opStatus;
  if (run.status === 'failed') return 'failed';
  if (run.status === 'cancelled' || run.status === 'interrupted') return 'stopped';
  return opStatus;
}

async function drive(record: RunRecord, config: RefinerConfig, resume?: RunRecord['state']): Promise<void> {
  try {
    const result: RunResult = await app.engine.call('run', { runId: record.id, config, doc: record.original, resume });
    if (app.run?.record.id === record.id) {
      record.result = result;
      record.state = result.state;
      record.status = app.run.model.cancelled ? 'cancelled' : 'finished';
      app.run.running = false;
    }
  } catch (e) {
    const err = e as WorkerError;
    if (app.run?.record.id === record.id) {
      record.status = err.name === 'Aborted' ? 'cancelled' : 'failed';
      record.error = { name: err.name, message: err.message };
      app.run.running = false;
    }
  }
  // The worker wrote the final record; read it back so the page shows what is stored.
  const stored = await getRun(record.id);
  if (stored && app.run?.record.id === record.id) {
    app.run.record = { ...stored, review: app.run.record.review ?? stored.review };
  }
  app.emit('run');
}

export function cancelRun(): void {
  if (app.run?.running) app.engine.cancel(app.run.record.id);
}

/** Shows a stored run (finished or not) without running it. */
export async function openRun(id: string): Promise<void> {
  const record = await getRun(id);
  if (!record) return;
  const events = await getEvents(id);
  // A resumed run's events cover only its last part; the engine's report fills in the rest.
  const model = foldEvents(record.original, events, record.config.limits.only, record.config.limits.maxEpisodes);
  app.run = { record, model: mergeReport(model, record.result?.report), running: false };
  app.emit('run');
}

/**
 * On start: runs left "running" by a closed or reloaded page are marked interrupted (their
 * worker is gone), and the most recent unfinished one is put on screen to resume.
 */
export async function recoverRuns(): Promise<RunRecord | undefined> {
  const runs = await listRuns();
  // A run whose worker (in another tab) still holds its lock is alive, not interrupted.
  const held = new Set(((await navigator.locks?.query())?.held ?? []).map((l) => l.name));
  let interrupted: RunRecord | undefined;
  for (const r of runs) {
    if (r.status === 'running' && !held.has(`tooldraft-run-${r.id}`)) {
      await updateRun(r.id, (x) => {
        x.status = 'interrupted';
      });
      r.status = 'interrupted';
      interrupted ??= r;
    }
  }
  if (interrupted) await openRun(interrupted.id);
  return interrupted;
}

/** Saves the user's review choice for an operation. */
export async function setReview(opId: string, choice: 'final' | 'reject' | number): Promise<void> {
  if (!app.run) return;
  app.run.record.review = { ...(app.run.record.review ?? {}), [opId]: choice };
  const id = app.run.record.id;
  await updateRun(id, (r) => {
    r.review = { ...(r.review ?? {}), [opId]: choice };
  });
  app.emit('run');
}

/** Saves the user's decision on one schema change (`schemaReview`) or one added example (`factReview`) of an operation. */
export async function setSchemaReview(
  opId: string,
  changeId: string,
  decision: 'accept' | 'reject',
  field: 'schemaReview' | 'factReview' = 'schemaReview',
): Promise<void> {
  if (!app.run) return;
  const put = (r: Pick<RunRecord, 'schemaReview' | 'factReview'>) => {
    r[field] = { ...(r[field] ?? {}), [opId]: { ...(r[field]?.[opId] ?? {}), [changeId]: decision } };
  };
  const run = app.run;
  await updateRun(run.record.id, put);
  // The view learns of the decision only once it is stored, so what it shows is what a reload finds.
  put(run.record);
  app.emit('run');
}

/** Imports a finished run (a JSON report from this app or `make demo`) as a stored run. */
export async function importRun(record: RunRecord, events: RunEvent[]): Promise<void> {
  await putRun(record);
  await appendEvents(record.id, 0, events);
  await openRun(record.id);
}

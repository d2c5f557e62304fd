// The JSON report (also the "run file" the app can open again, and what `--state` serves)
// and the standalone HTML report. The HTML report escapes every string it writes and carries
// its own CSP (no scripts at all), so it is safe to open whatever the tools returned.

import { describeTermination, finalRevision, foldEvents, operationsById, reviewedDoc, revisionText, revisionsOf, type Choice, type RunModel } from './runmodel';
import type { RunRecord } from './store';
import type { DiffChunk, Json, RunEvent, ToolDoc } from './types';

export const RUN_FILE_KIND = 'tooldraft-run';

export interface RunFile {
  kind: typeof RUN_FILE_KIND;
  version: 1;
  engine?: string;
  exportedAt: string;
  run: Pick<RunRecord, 'id' | 'createdAt' | 'status' | 'sourceName' | 'config' | 'step'> & { error?: RunRecord['error'] };
  original: ToolDoc;
  result: RunRecord['result'] | null;
  review: Record<string, Choice>;
  reviewed: ToolDoc;
  operations: Json[];
  usage: { promptTokens: number; completionTokens: number; modelCalls: number };
  events: RunEvent[];
}

export function buildRunFile(rec: RunRecord, events: RunEvent[], engine?: string): RunFile {
  const model = foldEvents(rec.original, events, rec.config.limits.only, rec.config.limits.maxEpisodes);
  const review = rec.review ?? {};
  const orig = operationsById(rec.original);
  const refined = rec.result ? operationsById(rec.result.doc) : new Map();
  const operations = model.order.map((id) => {
    const o = model.ops.get(id)!;
    const revs = revisionsOf(orig.get(id), refined.get(id));
    return {
      id,
      name: o.name,
      choice: review[id] ?? 'final',
      termination: o.termination ?? null,
      terminationText: describeTermination(o.termination),
      calls: o.calls,
      revisions: revs,
      decisions: o.decisions,
      trails: o.trails,
      findings: o.analyses,
      errors: o.errors,
    } as unknown as Json;
  });
  return {
    kind: RUN_FILE_KIND,
    version: 1,
    engine,
    exportedAt: new Date().toISOString(),
    run: { id: rec.id, createdAt: rec.createdAt, status: rec.status, sourceName: rec.sourceName, config: rec.config, step: rec.step, error: rec.error },
    original: rec.original,
    result: rec.result ?? null,
    review,
    reviewed: reviewedDoc(rec.original, rec.result, review),
    operations,
    usage: { promptTokens: model.tokens.prompt, completionTokens: model.tokens.completion, modelCalls: model.modelCalls },
    events,
  };
}

/** Reads a run file back into a record and its events. Throws with what is wrong. */
export function parseRunFile(text: string): { record: RunRecord; events: RunEvent[] } {
  let v: Partial<RunFile>;
  try {
    v = JSON.parse(text) as Partial<RunFile>;
  } catch (e) {
    throw Object.assign(new Error(`the run file is not JSON: ${(e as Error).message}`), { name: 'SyntaxError' });
  }
  if (!v || typeof v !== 'object' || v.kind !== RUN_FILE_KIND) throw Object.assign(new Error('not a tooldraft run file (expected "kind": "tooldraft-run")'), { name: 'StructureError' });
  if (!v.original || !Array.isArray(v.original.tools)) throw Object.assign(new Error('at /original: expected the original document'), { name: 'StructureError' });
  const run = v.run ?? ({} as RunFile['run']);
  const record: RunRecord = {
    id: run.id ?? crypto.randomUUID(),
    createdAt: run.createdAt ?? Date.now(),
    updatedAt: Date.now(),
    status: run.status === 'running' ? 'interrupted' : (run.status ?? 'finished'),
    config: run.config ?? { llm: { provider: 'openai', model: '' }, tools: {}, safety: {}, limits: {}, thresholds: {} },
    hadSecrets: false,
    original: v.original,
    sourceName: run.sourceName ?? 'run file',
    step: run.step,
    result: v.result ?? undefined,
    state: v.result?.state,
    error: run.error,
    review: v.review ?? {},
  };
  return { record, events: Array.isArray(v.events) ? v.events : [] };
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const e = escapeHtml;

function diffHtml(chunks: DiffChunk[]): string {
  return chunks.map((c) => (c.tag === 'insert' ? `<ins>${e(c.text)}</ins>` : c.tag === 'delete' ? `<del>${e(c.text)}</del>` : e(c.text))).join('');
}

function pre(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '';
  const cut = text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters)` : text;
  return `<pre>${e(cut)}</pre>`;
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#0f1115}pre{background:#1c2029!important}ins{background:#12361d!important;color:#9be9a8}del{background:#4a1618!important;color:#ffb3b3}}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f2f5;padding:.5rem .7rem;border-radius:6px;font-size:.85rem}
ins{background:#d7f5dd;text-decoration:none}del{background:#ffdcdc}
section{border-top:1px solid #8884;margin-top:1.5rem}.ok{color:#1a7f37}.bad{color:#b42318}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #8884;text-align:left;vertical-align:top}`;

/**
 * The standalone HTML report. `diffs` maps an operation id to the word diff of its original
 * and its reviewed text (computed by the caller through the package's diffText).
 */
export function buildHtmlReport(file: RunFile, diffs: Map<string, DiffChunk[]>): string {
  const model: RunModel = foldEvents(file.original, file.events, file.run.config.limits.only, file.run.config.limits.maxEpisodes);
  const orig = operationsById(file.original);
  const refined = file.result ? operationsById(file.result.doc) : new Map();
  const rows = model.order
    .map((id) => {
      const o = model.ops.get(id)!;
      const choice = file.review[id] ?? 'final';
      return `<tr><td><a href="#op-${e(encodeURIComponent(id))}">${e(o.name)}</a></td><td>${e(String(choice))}</td><td>${o.calls}</td><td>${o.decisions.filter((d) => d.accepted).length} / ${o.decisions.length}</td><td>${e(describeTermination(o.termination))}</td></tr>`;
    })
    .join('\n');
  const sections = model.order
    .map((id) => {
      const o = model.ops.get(id)!;
      const revs = revisionsOf(orig.get(id), refined.get(id));
      const fin = finalRevision(revs);
      const timeline = revs
        .map((r) => `<li><strong>${r.index === 0 ? 'Original' : `Revision ${r.index}`}</strong> ${r.index === 0 ? '' : r.accepted ? '<span class="ok">accepted</span>' : '<span class="bad">rejected</span>'}${r.reason && r.index ? ` — ${e(r.reason)}` : ''}${pre(revisionText(r))}</li>`)
        .join('\n');
      const trails = o.trails
        .map(
          (t) =>
            `<details><summary>Episode ${t.episode} · ${e(t.id)} · ${e(String(t.observation?.status ?? 'no answer'))}${t.observation?.isError ? ' (error)' : ''}</summary>${t.query ? `<p>${e(t.query)}</p>` : ''}<h4>Arguments</h4>${pre(t.arguments)}${t.observation ? `<h4>Request</h4>${pre(`${t.observation.request.method} ${t.observation.request.url}${t.observation.request.body ? `\n\n${t.observation.request.body}` : ''}`)}<h4>Response</h4>${pre(t.observation.json ?? t.observation.body)}` : ''}</details>`,
        )
        .join('\n');
      const d = diffs.get(id);
      return `<section id="op-${e(encodeURIComponent(id))}"><h2>${e(o.name)}</h2>
<p><strong>Stopped:</strong> ${e(describeTermination(o.termination))}. <strong>Review:</strong> ${e(String(file.review[id] ?? 'final'))}${fin ? ` (final: revision ${fin.index})` : ''}.</p>
${d ? `<h3>Original → reviewed</h3><pre>${diffHtml(d)}</pre>` : ''}
<h3>Revisions</h3><ol>${timeline}</ol>
${o.analyses.length ? `<h3>Findings</h3>${o.analyses.map((a) => `<h4>Episode ${a.episode}</h4>${pre(a.findings)}`).join('')}` : ''}
${trails ? `<h3>Trails</h3>${trails}` : ''}</section>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>tooldraft report: ${e(file.run.sourceName)}</title>
<style>${CSS}</style></head><body>
<h1>tooldraft report</h1>
<p>${e(file.run.sourceName)} · run ${e(file.run.id)} · ${e(file.run.status)} · exported ${e(file.exportedAt)}${file.engine ? ` · engine ${e(file.engine)}` : ''}</p>
<p>Model: ${e(file.run.config.llm.provider)} ${e(file.run.config.llm.model)} · tokens: ${file.usage.promptTokens + file.usage.completionTokens} in ${file.usage.modelCalls} model call(s)</p>
<table><thead><tr><th>operation</th><th>review</th><th>calls</th><th>accepted / revisions</th><th>stopped</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}

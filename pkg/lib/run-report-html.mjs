// The standalone HTML report of a run, shared by the CLI (`tooldraft refine --html`), the web
// app (built in its worker, www/src/worker.ts) and the VS Code extension's results panel.
//
// It escapes every value it writes with the core's one HTML escaper (`escapeHtml`, from the
// wasm: the package must be initialised, as it is once `tooldraft` is imported in Node or
// `init()` has run), checks numbers to be numbers, and carries its own CSP (no scripts, forms
// or base URL), so it is safe to open whatever the tools, the model or a hand-edited run file
// put in it. Types: run-report-html.d.mts.
//
//   const file = buildRunFile(record, events, version());
//   const diffs = new Map(reportDiffInputs(file).map((d) => [d.id, diffText(d.before, d.after)]));
//   const html = buildHtmlReport(file, diffs);

import { escapeHtml } from '../index.js';
import { stringifyJson } from './json.mjs';
import {
  describeOutcome,
  describeTermination,
  describeVerification,
  finalRevision,
  operationsById,
  revisionFromOperation,
  revisionText,
  revisionsOf,
  runModelOf,
} from './run-model.mjs';
import { describeSchemaChange } from './schema-changes.mjs';

const e = escapeHtml;

/**
 * A count or index from a run file, as text for the report: a finite number, or `?` for
 * anything else (a crafted run file may put markup where a number belongs).
 * @param {unknown} v
 */
function num(v) {
  return typeof v === 'number' && Number.isFinite(v) ? String(v) : '?';
}

/** A 0-based episode number as the 1-based one people read (`?` when it is no number). */
function ordinal(v) {
  return typeof v === 'number' && Number.isFinite(v) ? String(v + 1) : '?';
}

/** A sum of counts from a run file; what is not a finite number counts as 0. */
function total(...values) {
  return values.reduce((n, v) => n + (typeof v === 'number' && Number.isFinite(v) ? v : 0), 0);
}

/** The report's own Content-Security-Policy: no scripts, no forms, no base URL, styles inline. */
export const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'none'; base-uri 'none'";

function chunkTag(c) {
  return c.tag ?? c.op ?? 'equal';
}

function diffHtml(chunks) {
  return chunks
    .map((c) =>
      chunkTag(c) === 'insert'
        ? `<ins>${e(c.text)}</ins>`
        : chunkTag(c) === 'delete'
          ? `<del>${e(c.text)}</del>`
          : e(c.text),
    )
    .join('');
}

function pre(value) {
  const text = typeof value === 'string' ? value : (stringifyJson(value, 2) ?? '');
  const cut = text.length > 20_000 ? `${text.slice(0, 20_000)}\n… (${text.length - 20_000} more characters)` : text;
  return `<pre>${e(cut)}</pre>`;
}

/**
 * For each operation, the texts its HTML diff compares: the original and the reviewed
 * revision. The caller diffs them (the package's `diffText`) and passes the map to
 * `buildHtmlReport`.
 * @param {import('./run-report.d.mts').RunFile} file
 * @returns {{id: string, before: string, after: string}[]}
 */
export function reportDiffInputs(file) {
  const orig = operationsById(file.original);
  const reviewed = operationsById(file.reviewed ?? file.original);
  const out = [];
  for (const [id, a] of orig) {
    const b = reviewed.get(id);
    if (!b) continue;
    const before = revisionText(revisionFromOperation(a, 0));
    const after = revisionText(revisionFromOperation(b, 0));
    out.push({ id, before, after });
  }
  return out;
}

const CSS = `body{font:15px/1.45 system-ui,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;color:#1b1f24;background:#fff}
@media (prefers-color-scheme:dark){body{color:#e6e8eb;background:#0f1115}pre{background:#1c2029!important}ins{background:#12361d!important;color:#9be9a8}del{background:#4a1618!important;color:#ffb3b3}}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f0f2f5;padding:.5rem .7rem;border-radius:6px;font-size:.85rem}
ins{background:#d7f5dd;text-decoration:none}del{background:#ffdcdc}
section{border-top:1px solid #8884;margin-top:1.5rem}.ok{color:#1a7f37}.bad{color:#b42318}
table{border-collapse:collapse}td,th{padding:.2rem .6rem;border-bottom:1px solid #8884;text-align:left;vertical-align:top}`;

/**
 * The standalone HTML report. `diffs` maps an operation id to the word diff of its original
 * and its reviewed text (see `reportDiffInputs`); chunks are `{tag | op, text}`.
 * @param {import('./run-report.d.mts').RunFile} file
 * @param {Map<string, import('./run-report.d.mts').DiffChunkLike[]>} diffs
 * @returns {string}
 */
export function buildHtmlReport(file, diffs) {
  const model = runModelOf(file);
  const orig = operationsById(file.original);
  const refined = file.result ? operationsById(file.result.doc) : new Map();
  const review = file.review ?? {};
  const llm = file.run.config?.llm ?? {};
  const rows = model.order
    .map((id) => {
      const o = model.ops.get(id);
      const choice = review[id] ?? 'final';
      return `<tr><td><a href="#op-${e(encodeURIComponent(id))}">${e(o.name)}</a></td><td>${e(String(choice))}</td><td>${e(num(o.calls))}</td><td>${e(num(o.decisions.filter((d) => d.accepted).length))} / ${e(num(o.decisions.length))}</td><td>${e(describeTermination(o.termination))}</td></tr>`;
    })
    .join('\n');
  const sections = model.order
    .map((id) => {
      const o = model.ops.get(id);
      const revs = revisionsOf(orig.get(id), refined.get(id));
      const fin = finalRevision(revs);
      const timeline = revs
        .map(
          (r) =>
            `<li><strong>${r.index === 0 ? 'Original' : `Revision ${e(num(r.index))}`}</strong> ${r.index === 0 ? '' : r.accepted ? '<span class="ok">accepted</span>' : '<span class="bad">rejected</span>'}${r.reason && r.index ? ` — ${e(r.reason)}` : ''}${verificationHtml(o.verifications?.find((v) => v.revision === r.index))}${pre(revisionText(r))}</li>`,
        )
        .join('\n');
      const trails = o.trails
        .map((t) => {
          const obs = t.observation;
          const status = obs ? String(obs.status ?? 'no status') : t.error ? 'failed' : 'no answer';
          return `<details><summary>Episode ${e(ordinal(t.episode))} · ${e(t.id)} · ${e(status)}${obs?.isError ? ' (error)' : ''}</summary>${t.query ? `<p>${e(t.query)}</p>` : ''}<h4>Arguments</h4>${pre(t.arguments)}${
            obs
              ? `<h4>Request</h4>${pre(`${obs.request.method} ${obs.request.url}${obs.request.body ? `\n\n${obs.request.body}` : ''}`)}<h4>Response</h4>${pre(obs.json ?? obs.body)}`
              : t.error
                ? `<h4>Error</h4>${pre(t.error)}`
                : ''
          }</details>`;
        })
        .join('\n');
      const d = diffs.get(id);
      const changes = (file.result?.report?.operations ?? []).find((r) => r?.id === id)?.schemaChanges ?? [];
      const schema = changes
        .map((c) => `<li>${e(describeSchemaChange(c))}${c.trails?.length ? ` — ${e(c.trails.join(', '))}` : ''}</li>`)
        .join('');
      return `<section id="op-${e(encodeURIComponent(id))}"><h2>${e(o.name)}</h2>
${o.outcome ? `<p><strong>Outcome:</strong> ${e(describeOutcome(o))}</p>\n` : ''}${embedderHtml(file, id)}<p><strong>Stopped:</strong> ${e(describeTermination(o.termination))}. <strong>Review:</strong> ${e(String(review[id] ?? 'final'))}${fin ? ` (final: revision ${e(num(fin.index))})` : ''}.</p>
${d ? `<h3>Original → reviewed</h3><pre>${diffHtml(d)}</pre>` : ''}
<h3>Revisions</h3><ol>${timeline}</ol>
${schema ? `<h3>Schema changes</h3><ul>${schema}</ul>` : ''}
${o.analyses.length ? `<h3>Findings</h3>${o.analyses.map((a) => `<h4>Episode ${e(ordinal(a.episode))}</h4>${pre(a.findings)}`).join('')}` : ''}
${o.errors.length ? `<h3>Errors</h3><ul>${o.errors.map((x) => `<li>${e(x.code)}: ${e(x.message)}</li>`).join('')}</ul>` : ''}
${trails ? `<h3>Trails</h3>${trails}` : ''}</section>`;
    })
    .join('\n');
  const error = file.run.error
    ? `<p class="bad"><strong>${e(file.run.error.name)}:</strong> ${e(file.run.error.message)}</p>`
    : '';
  const toolCalls = model.toolCalls ? ` · ${e(num(model.toolCalls))} tool call(s)` : '';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>tooldraft report: ${e(file.run.sourceName)}</title>
<style>${CSS}</style></head><body>
<h1>tooldraft report</h1>
<p>${e(file.run.sourceName)} · run ${e(file.run.id)} · ${e(file.run.status)} · exported ${e(file.exportedAt)}${file.engine ? ` · engine ${e(file.engine)}` : ''}</p>
${error}${similarityHtml(file)}<p>Model: ${e(String(llm.provider ?? ''))} ${e(String(llm.model ?? ''))} · tokens: ${e(num(total(model.tokens.prompt, model.tokens.completion)))} in ${e(num(model.modelCalls))} model call(s)${toolCalls}</p>
<table><thead><tr><th>operation</th><th>review</th><th>calls</th><th>accepted / revisions</th><th>stopped</th></tr></thead><tbody>
${rows}
</tbody></table>
${sections}
</body></html>
`;
}

/** A revision's replay verification: the verdict, and each call in a closed <details>. */
function verificationHtml(v) {
  if (!v) return '';
  const calls = v.calls
    .map(
      (c) =>
        `<li>${e(c.revision === v.revision ? 'this doc' : `revision ${c.revision}`)}: “${e(c.query)}” → ${e(c.outcome)}${c.cached ? ' (cached)' : ''}: ${e(c.reason)}${c.arguments === undefined ? '' : ` <code>${e(stringifyJson(c.arguments))}</code>`}</li>`,
    )
    .join('');
  return `<details><summary>${e(describeVerification(v))}</summary>${calls ? `<ul>${calls}</ul>` : ''}</details>`;
}

/** Which embedder measured φ and Δ in the run (and why it fell back, when it did). */
function similarityHtml(file) {
  const r = file.result?.report;
  if (!r?.embedder) return '';
  const calls = r.totals?.embeddingCalls ? ` · ${e(num(r.totals.embeddingCalls))} embeddings request(s)` : '';
  const fallback = r.embedderFallback ? ` <span class="bad">${e(r.embedderFallback)}</span>` : '';
  return `<p>Similarity (φ, Δ): ${e(r.embedder)}${calls}${fallback}</p>`;
}

/** The embedder an operation's φ and Δ decisions used, when the report names one. */
function embedderHtml(file, id) {
  const o = file.result?.report?.operations?.find((x) => x.id === id);
  return o?.embedder ? `<p><strong>Measured with:</strong> ${e(o.embedder)}</p>\n` : '';
}

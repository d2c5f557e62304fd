// Review and export (issue 5 item 4, issue 15): per operation keep the final revision, reject
// it (keep the original) or pick an earlier one, with the original beside the kept text and
// every fact the export adds (examples, schema changes) accepted or rejected one by one;
// export the reviewed document in any format (saying what the format cannot carry),
// the JSON report (a run file this app can open again) and a standalone HTML report.
// Operations whose tool responses carried values that look like secrets (the engine withheld
// them: the report marks such an operation `sensitive`) are flagged before anything is exported.

import { app } from '../app';
import { stringifyJson } from '../../../pkg/lib/json.mjs';
import { codeBlock, download, field, h, pretty, replace } from '../dom';
import { errorBox, explainDoc } from '../errors';
import { buildRunFile, parseRunFile } from '../report';
import {
  describeSchemaChange,
  finalRevision,
  operationsById,
  revisionText,
  revisionsOf,
  type Choice,
} from '../runmodel';
import { addedExamples, exportFormatFor, reviewedWithFacts, setExportFormat } from '../facts';
import { importRun, setReview, setSchemaReview } from '../runs';
import type { RunRecord } from '../store';
import { getEvents } from '../store';
import { FORMATS, type DiffChunk, type FormatName, type RunReport } from '../types';
import type { WorkerError } from '../client';
import { checkPanel } from './check';

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

function baseName(name: string): string {
  return (
    (name.split(/[\\/]/).pop() ?? 'document').replace(/\.(json|ya?ml)$/i, '').replace(/[^\w.-]+/g, '_') || 'document'
  );
}

/** An accept/reject list that saves the decision when it changes. */
function acceptReject(
  decision: 'accept' | 'reject',
  attrs: Record<string, string>,
  save: (d: 'accept' | 'reject') => Promise<void>,
): HTMLSelectElement {
  const sel = h(
    'select',
    attrs,
    h('option', { value: 'accept', selected: decision === 'accept' }, 'Accept'),
    h('option', { value: 'reject', selected: decision === 'reject' }, 'Reject'),
  );
  sel.addEventListener('change', () => void save(sel.value === 'reject' ? 'reject' : 'accept'));
  return sel;
}

/** The schema changes the run's calls proved, each with accept/reject (conflicts only shown). */
function schemaChanges(record: RunRecord): HTMLElement | null {
  const report = record.result?.report;
  const rows = (report?.operations ?? []).flatMap((o) =>
    (o.schemaChanges ?? []).map((c) => {
      let cell: HTMLElement;
      if (c.status === 'conflict') cell = h('span', { class: 'muted' }, 'conflicting evidence: unchanged');
      else {
        const decision = record.schemaReview?.[o.id]?.[c.id] ?? (c.status === 'applied' ? 'accept' : 'reject');
        cell = acceptReject(
          decision,
          { 'data-schema-change': `${o.id} ${c.id}`, 'aria-label': `Schema change ${c.id} of ${o.id}` },
          (d) => setSchemaReview(o.id, c.id, d),
        );
      }
      // data-decision is the stored decision: rendered only after the save, so it shows the choice is kept.
      return h(
        'tr',
        {
          'data-op': o.id,
          'data-change': c.id,
          'data-decision':
            c.status === 'conflict'
              ? 'conflict'
              : (record.schemaReview?.[o.id]?.[c.id] ?? (c.status === 'applied' ? 'accept' : 'reject')),
        },
        h('td', null, h('code', null, o.id)),
        h('td', null, describeSchemaChange(c)),
        h('td', null, (c.trails ?? []).join(', ')),
        h('td', null, cell),
      );
    }),
  );
  if (rows.length === 0) return null;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'schema-changes' },
      h('caption', null, 'Schema changes the calls prove (rejected ones are not exported)'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['operation', 'change', 'evidence', 'keep'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}

/** The examples the export adds (real calls the run made), each with accept/reject. */
function examplesAdded(record: RunRecord, names: Map<string, string>): HTMLElement | null {
  if (!record.result) return null;
  const orig = operationsById(record.original);
  const rows = [...operationsById(record.result.doc).values()].flatMap((op) =>
    addedExamples(orig.get(op.id), op).map(({ id, example }) => {
      const decision = record.factReview?.[op.id]?.[id] ?? 'accept';
      const sel = acceptReject(
        decision,
        { 'data-example': `${op.id} ${id}`, 'aria-label': `Example ${id} of ${names.get(op.id) ?? op.id}` },
        (d) => setSchemaReview(op.id, id, d, 'factReview'),
      );
      return h(
        'tr',
        { 'data-op': op.id, 'data-example-id': id, 'data-decision': decision },
        h('td', null, h('code', null, names.get(op.id) ?? op.id)),
        h(
          'td',
          null,
          example.query ? h('p', { class: 'desc' }, example.query) : null,
          codeBlock(pretty(example.arguments)),
          example.result !== undefined ? codeBlock(pretty(example.result), { label: 'Show the result' }) : null,
        ),
        h('td', null, example.verified ? 'verified: tooldraft made this call' : 'documented'),
        h('td', null, sel),
      );
    }),
  );
  if (rows.length === 0) return null;
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'examples-added' },
      h('caption', null, 'Examples the export adds (rejected ones are not exported)'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['operation', 'example', 'source', 'keep'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h('tbody', null, rows),
    ),
  );
}

/** Operation id → how many secrets were withheld from its responses, for every operation the
 * report marks `sensitive`. */
export function sensitiveOperations(report: RunReport | undefined): Map<string, number> {
  const out = new Map<string, number>();
  const ops = report && Array.isArray(report.operations) ? report.operations : [];
  for (const o of ops) {
    if (!o || typeof o !== 'object' || Array.isArray(o) || o.sensitive !== true || typeof o.id !== 'string') continue;
    const withheld = Array.isArray(o.withheld) ? o.withheld : [];
    out.set(
      o.id,
      withheld.filter((w) => w && typeof w === 'object' && !Array.isArray(w) && w.reason === 'secret').length,
    );
  }
  return out;
}

export function reviewView(onOpened: () => void): HTMLElement {
  const body = h('div');
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const openInput = h('input', { type: 'file', id: 'open-run-file', accept: '.json,application/json' });
  const openErrors = h('div');
  openInput.addEventListener('change', async () => {
    const f = openInput.files?.[0];
    if (!f) return;
    replace(openErrors);
    try {
      const { record, events } = parseRunFile(await f.text());
      await importRun(record, events);
      onOpened();
    } catch (e) {
      replace(
        openErrors,
        errorBox({
          title: 'The run file could not be opened',
          message: (e as Error).message,
          hints: ['Open a JSON report exported by this app (or written by make demo).'],
        }),
      );
    }
  });
  let key = '';
  const render = () => {
    const run = app.run;
    const k = run
      ? `${run.record.id}:${run.record.status}:${Boolean(run.record.result)}:${JSON.stringify(run.record.review ?? {})}:${JSON.stringify(run.record.schemaReview ?? {})}:${JSON.stringify(run.record.factReview ?? {})}`
      : '';
    if (k === key) return;
    key = k;
    if (!run) return replace(body, h('p', null, 'No run to review yet.'));
    if (!run.record.result)
      return replace(
        body,
        h(
          'p',
          null,
          run.running
            ? 'The run is still going; review it when it ends.'
            : 'This run has no result yet: resume it in the Run view.',
        ),
      );
    const result = run.record.result;
    const orig = operationsById(run.record.original);
    const refined = operationsById(result.doc);
    const review = run.record.review ?? {};
    const sensitive = sensitiveOperations(result.report);
    const rows = run.model.order
      .filter((id) => refined.has(id))
      .map((id) => {
        const revs = revisionsOf(orig.get(id), refined.get(id));
        // The end-of-run check may have kept the original over the last accepted revision.
        const kept = run.model.ops.get(id)?.outcome === 'originalKept';
        const fin = kept ? revs[0] : finalRevision(revs);
        const choice = review[id] ?? 'final';
        const sel = h(
          'select',
          {
            id: `review-${id}`,
            'data-review': id,
            'data-name': refined.get(id)!.name,
            'aria-label': `Keep which version of ${refined.get(id)!.name}`,
          },
          h(
            'option',
            { value: 'final', selected: choice === 'final' },
            fin && fin.index > 0
              ? `Accept the final revision (${fin.index})`
              : kept
                ? 'Accept (original kept: the final revision failed the end-of-run check)'
                : 'Accept (no accepted revision: original)',
          ),
          h('option', { value: 'reject', selected: choice === 'reject' }, 'Reject: keep the original'),
          revs
            .filter((r) => r.index > 0 && r.index !== fin?.index)
            .map((r) =>
              h(
                'option',
                { value: String(r.index), selected: choice === r.index },
                `Use revision ${r.index} (${r.accepted ? 'accepted' : 'rejected'})`,
              ),
            ),
        );
        sel.addEventListener('change', () => {
          const v = sel.value;
          void setReview(id, (v === 'final' || v === 'reject' ? v : Number(v)) as Choice);
        });
        const chosen = choice === 'reject' ? revs[0] : choice === 'final' ? fin : revs.find((r) => r.index === choice);
        return h(
          'tr',
          { 'data-op': id, 'data-name': refined.get(id)!.name },
          h(
            'td',
            null,
            h('code', null, refined.get(id)!.name),
            sensitive.has(id)
              ? h(
                  'span',
                  {
                    class: 'badge warn',
                    'data-sensitive': id,
                    title: `${sensitive.get(id)} value(s) that look like secrets were withheld from its responses`,
                  },
                  'secrets withheld',
                )
              : '',
          ),
          h('td', null, sel),
          h('td', { 'data-col': 'kept' }, h('div', { class: 'desc' }, chosen ? revisionText(chosen) : '')),
          h('td', { 'data-col': 'original' }, h('div', { class: 'desc muted' }, revs[0] ? revisionText(revs[0]) : '')),
        );
      });

    const fmt = h(
      'select',
      { id: 'export-refined-format' },
      FORMATS.map((f) => h('option', { value: f, selected: f === exportFormatFor(run.record.original) }, f)),
    );
    // Formats with no field for examples (src/doc/formats: mcp.rs, openai.rs): said before the export.
    const carriesNoExamples = h('p', { class: 'notice', 'data-testid': 'examples-not-carried' });
    const added = examplesAdded(run.record, new Map([...refined.values()].map((o) => [o.id, o.name])));
    const noteFormat = () => {
      const f = fmt.value;
      carriesNoExamples.hidden = !added || !['mcp', 'openai'].includes(f);
      carriesNoExamples.textContent = `${f} has no field for examples: the examples above are not written in it (openapi, swagger, anthropic, toolbench and restbench carry them).`;
    };
    fmt.addEventListener('change', () => {
      setExportFormat(fmt.value as FormatName);
      noteFormat();
    });
    noteFormat();
    const exportOut = h('div');
    const exportDoc = async () => {
      const to = fmt.value as FormatName;
      const doc = reviewedWithFacts(run.record);
      try {
        const out = await app.engine.call('exportDoc', { doc, to });
        const yaml = to === run.record.original.format && run.record.original.syntax === 'yaml';
        download(
          `${baseName(run.record.sourceName)}.refined.${to}.${yaml ? 'yaml' : 'json'}`,
          out.text,
          yaml ? 'application/yaml' : 'application/json',
        );
        replace(
          exportOut,
          out.lost.length
            ? h(
                'div',
                { class: 'notice' },
                h('p', null, `${to} cannot carry:`),
                h(
                  'ul',
                  null,
                  out.lost.map((l) => h('li', null, l)),
                ),
              )
            : h('p', { class: 'muted' }, `Downloaded the reviewed document as ${to}.`),
        );
      } catch (e) {
        replace(exportOut, errorBox(explainDoc(e as WorkerError)));
      }
    };
    const runFile = async () => {
      const file = buildRunFile(run.record, await getEvents(run.record.id), app.ready?.version);
      // The reviewed document as the export writes it (rejected examples left out).
      return { ...file, reviewed: reviewedWithFacts(run.record), factReview: run.record.factReview ?? {} };
    };
    const exportJson = async () => {
      download(`tooldraft-report-${stamp()}.json`, stringifyJson(await runFile(), 2));
      status.textContent = 'Downloaded the JSON report.';
    };
    const exportHtml = async () => {
      const file = await runFile();
      const diffs = new Map<string, DiffChunk[]>();
      const reviewed = operationsById(file.reviewed);
      for (const id of run.model.order) {
        const a = orig.get(id);
        const b = reviewed.get(id);
        if (!a || !b) continue;
        const ra = revisionsOf(a, undefined)[0];
        const rb = revisionsOf(b, undefined)[0];
        diffs.set(id, await app.engine.call('diffText', { before: revisionText(ra), after: revisionText(rb) }));
      }
      download(`tooldraft-report-${stamp()}.html`, await app.engine.call('htmlReport', { file, diffs }), 'text/html');
      status.textContent = 'Downloaded the HTML report.';
    };

    const flagged = run.model.order.filter((id) => sensitive.has(id)).map((id) => refined.get(id)?.name ?? id);
    const warning = flagged.length
      ? h(
          'div',
          { class: 'notice', role: 'note', 'data-testid': 'sensitive-notice' },
          h(
            'p',
            null,
            `The responses of ${flagged.length === 1 ? 'this operation' : `these ${flagged.length} operations`} carried values that look like secrets (keys, tokens, passwords): ${flagged.join(', ')}. They were withheld from the document, the report and the saved state; check these operations before you export.`,
          ),
        )
      : '';
    replace(
      body,
      warning,
      h(
        'div',
        { class: 'table-wrap' },
        h(
          'table',
          { 'data-testid': 'review' },
          h('caption', { class: 'sr-only' }, 'Review per operation'),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['operation', 'keep', 'text kept', 'original'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h('tbody', null, rows),
        ),
      ),
      schemaChanges(run.record),
      added,
      added ? carriesNoExamples : null,
      h(
        'div',
        { class: 'card' },
        h('h3', null, 'Export'),
        h(
          'div',
          { class: 'row' },
          field('Format', fmt),
          h(
            'button',
            { type: 'button', class: 'primary', id: 'export-refined', onclick: () => void exportDoc() },
            'Download the reviewed document',
          ),
        ),
        exportOut,
        h(
          'div',
          { class: 'row' },
          h(
            'button',
            { type: 'button', id: 'export-json', onclick: () => void exportJson() },
            'Download the JSON report',
          ),
          h(
            'button',
            { type: 'button', id: 'export-html', onclick: () => void exportHtml() },
            'Download the HTML report',
          ),
        ),
      ),
    );
  };
  app.on('run', render);
  render();
  return h(
    'section',
    { id: 'view-review', class: 'view', 'aria-labelledby': 'h-review' },
    h('h2', { id: 'h-review' }, 'Review and export'),
    body,
    status,
    h(
      'details',
      { class: 'card' },
      h('summary', null, 'Open a saved run (JSON report)'),
      field('Run file', openInput),
      openErrors,
    ),
    checkPanel(),
  );
}

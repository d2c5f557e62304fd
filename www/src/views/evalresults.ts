// The results of an evaluation (issue 7 item 4): the chart, the scores per version with 95%
// intervals, the paired comparisons, skipped items with their reasons, per-item outcomes and
// the model-free change report; exports of the JSON report and the standalone HTML page.
// Every string from the engine, a document, a query set or a model goes in as text.

import { app } from '../app';
import { counts, download, h, replace } from '../dom';
import { errorBox, explainRun } from '../errors';
import { chartAlt, metricLabel, testLabel, chartUrl, difference, interval, pValue, pct } from '../evaluation';
import type { DocChanges, EvalItemResult, EvalReport, Metric, VersionScores } from '../evaltypes';
import type { WorkerError } from '../client';

/** A change report between the first version and another. */
export interface VersionChanges {
  baseline: string;
  candidate: string;
  changes?: DocChanges;
  error?: { name: string; message: string };
}

/** What the JSON export holds: the engine's report, plus the change reports (extra keys). */
export type EvalFile = EvalReport & { kind?: string; exportedAt?: string; engine?: string; changes?: VersionChanges[] };

export interface Evaluated {
  report: EvalReport;
  /** Query text by item id (empty when unknown, e.g. a report opened from a file). */
  queries: Map<string, string>;
  changes: VersionChanges[];
  endpoints: { llm?: string; tool?: string };
}

function stamp(): string {
  return new Date().toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

// The chart on screen is repainted when the theme changes (its text takes the page's colour).
let repaint: (() => void) | null = null;
if (typeof matchMedia === 'function')
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => requestAnimationFrame(() => repaint?.()));

/** The chart as an inert <img>, recoloured when the theme changes. */
function chart(report: EvalReport): HTMLElement {
  const img = h('img', { 'data-testid': 'eval-chart', class: 'chart', alt: chartAlt(report), width: 640, height: 300 });
  const calls = report.versions.some((v) => v.callSuccess)
    ? ''
    : ' No call success: no tool target was set (or no read-only operation was chosen).';
  const box = h(
    'figure',
    { class: 'chart-box' },
    img,
    h('figcaption', { class: 'help' }, `Bars: mean per version; whiskers: 95% bootstrap interval.${calls}`),
  );
  let svg = '';
  const paint = () => {
    if (!svg) return;
    try {
      img.src = chartUrl(svg, getComputedStyle(document.body).color);
    } catch (e) {
      box.replaceWith(
        errorBox({
          title: 'The chart could not be drawn',
          message: (e as Error).message,
          hints: ['The tables below hold every figure.'],
        }),
      );
    }
  };
  repaint = paint;
  app.engine.call('evaluationChart', { report }).then(
    (s) => {
      svg = s;
      paint();
    },
    (e: WorkerError) =>
      box.replaceWith(
        errorBox({
          title: 'The chart could not be drawn',
          message: `${e.name}: ${e.message}`,
          hints: ['The tables below hold every figure.'],
        }),
      ),
  );
  return box;
}

function metricCell(m: Metric | undefined, key: string, scale = 100): HTMLElement {
  if (!m) return h('td', { 'data-metric': key }, h('span', { class: 'muted' }, '–'));
  const value = scale === 100 ? pct(m) : m.mean.toFixed(0);
  return h(
    'td',
    { 'data-metric': key },
    h('span', { class: 'figure' }, value),
    ' ',
    h('small', { class: 'muted ci' }, interval(m, scale, scale === 100 ? 1 : 0)),
  );
}

function scoresTable(report: EvalReport): HTMLElement {
  const cols = [
    'version',
    'CP',
    'CP (ordered)',
    'selection',
    'valid arguments',
    'call success',
    'tokens / item',
    'outside candidates',
    'no answer',
  ];
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'eval-scores' },
      h('caption', null, 'Scores per version: mean and 95% bootstrap interval over the scored items'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          cols.map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        report.versions.map((v, i) =>
          h(
            'tr',
            { 'data-version': String(i) },
            h('th', { scope: 'row', class: 'label' }, v.label),
            metricCell(v.cp, 'cp'),
            metricCell(v.cpOrdered, 'cpOrdered'),
            metricCell(v.selection, 'selection'),
            metricCell(v.argsValid, 'argsValid'),
            metricCell(v.callSuccess, 'callSuccess'),
            metricCell(v.tokensPerItem, 'tokensPerItem', 1),
            h('td', { 'data-metric': 'outsideCandidates' }, String(v.outsideCandidates)),
            h('td', { 'data-metric': 'errors' }, String(v.errors)),
          ),
        ),
      ),
    ),
  );
}

function comparisonsTable(report: EvalReport): HTMLElement {
  if (!report.comparisons.length) return h('p', { class: 'muted' }, 'One version: nothing to compare.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'eval-comparisons' },
      h('caption', null, 'Paired comparisons on the same items: candidate − baseline'),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['baseline → candidate', 'metric', 'difference', '95% interval', 'p', 'test'].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      h(
        'tbody',
        null,
        report.comparisons.map((c) => {
          const d = difference(c);
          return h(
            'tr',
            { 'data-metric': c.metric, 'data-candidate': c.candidate },
            h('td', null, c.baseline, ' → ', c.candidate),
            h('td', null, metricLabel(report, c.metric)),
            h('td', { class: 'figure' }, d.value),
            h('td', null, d.interval),
            h('td', null, pValue(c.pValue)),
            h('td', null, testLabel(report, c.test)),
          );
        }),
      ),
    ),
  );
}

function skippedTable(report: EvalReport, queries: Map<string, string>): HTMLElement {
  if (!report.skipped.length) return h('p', { class: 'muted', 'data-testid': 'eval-skipped' }, 'No item was skipped.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': 'eval-skipped' },
      h('caption', null, `Skipped items (${report.skipped.length}): left out of every version's scores`),
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['item', 'query', 'version', 'why'].map((c) => h('th', { scope: 'col' }, c)),
        ),
      ),
      h(
        'tbody',
        null,
        report.skipped.map((s) =>
          h(
            'tr',
            null,
            h('td', null, h('code', null, s.item)),
            h('td', null, queries.get(s.item) ?? ''),
            h('td', null, s.version),
            h('td', null, s.reason),
          ),
        ),
      ),
    ),
  );
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function fraction(x: number | undefined): string {
  return x === undefined ? '–' : pct(x);
}

function outcome(r: EvalItemResult | undefined): HTMLElement {
  if (!r) return h('td', null, h('span', { class: 'muted' }, '–'));
  const mark = (ok: boolean, name: string) =>
    h('span', { class: `badge ${ok ? 'ok' : 'bad'}` }, `${name} ${ok ? '✓' : '✗'}`);
  return h(
    'td',
    null,
    h(
      'div',
      null,
      h('span', { class: 'muted' }, 'chose '),
      r.chosen.length ? h('code', null, r.chosen.join(' → ')) : h('span', { class: 'muted' }, 'nothing'),
    ),
    h('div', null, mark(r.cp, 'CP'), mark(r.cpOrdered, 'ordered'), mark(r.selection, 'selection')),
    h(
      'div',
      { class: 'help' },
      `args valid ${fraction(r.argsValid)} · call success ${fraction(r.callSuccess)} · ${r.tokens} tokens`,
    ),
    r.outside?.length
      ? h('div', { class: 'warn-text' }, 'not a candidate: ', h('code', null, r.outside.join(', ')))
      : null,
    r.error ? h('div', { class: 'warn-text' }, `no answer: ${r.error}`) : null,
  );
}

function itemsTable(report: EvalReport, queries: Map<string, string>): HTMLElement {
  const ids: string[] = [];
  for (const v of report.versions) for (const i of v.items) if (!ids.includes(i.item)) ids.push(i.item);
  const byVersion = report.versions.map((v) => new Map(v.items.map((i) => [i.item, i])));
  return h(
    'details',
    { class: 'card', 'data-testid': 'eval-items' },
    h(
      'summary',
      null,
      `Per-item outcomes (${plural(ids.length, 'item')} × ${plural(report.versions.length, 'version')})`,
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        null,
        h('caption', { class: 'sr-only' }, 'What the model chose for each item under each version'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            h('th', { scope: 'col' }, 'item'),
            h('th', { scope: 'col' }, 'gold'),
            report.versions.map((v) => h('th', { scope: 'col' }, v.label)),
          ),
        ),
        h(
          'tbody',
          null,
          ids.map((id) => {
            const gold = byVersion.map((m) => m.get(id)?.gold).find(Boolean) ?? [];
            return h(
              'tr',
              { 'data-item': id },
              h(
                'td',
                null,
                h('code', null, id),
                queries.has(id) ? h('div', { class: 'query' }, queries.get(id)) : null,
              ),
              h('td', null, h('code', null, gold.join(' → '))),
              byVersion.map((m) => outcome(m.get(id))),
            );
          }),
        ),
      ),
    ),
  );
}

/** A notice for versions whose items got no usable answer from the model, with hints. */
function answerProblems(report: EvalReport, endpoints: Evaluated['endpoints']): HTMLElement {
  const box = h('div');
  const failing = report.versions.filter((v) => v.errors > 0);
  if (!failing.length) return box;
  const first = failing.flatMap((v) => v.items).find((i) => i.error)?.error ?? '';
  const code = /^(\w+):/.exec(first)?.[1] ?? 'Error';
  const lines = failing.map(
    (v: VersionScores) => `${v.label}: ${v.errors} of ${v.items.length} items got no usable answer (scored as wrong).`,
  );
  replace(
    box,
    errorBox({
      title: 'The model did not answer every item',
      message: `${lines.join(' ')} First: ${first}`,
      hints: [],
    }),
  );
  void explainRun({ name: code, message: first }, endpoints).then((x) => {
    if (x.hints.length)
      replace(
        box,
        errorBox({
          title: 'The model did not answer every item',
          message: `${lines.join(' ')} First: ${first}`,
          hints: x.hints,
        }),
      );
  });
  return box;
}

function changesBlock(list: VersionChanges[]): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'eval-changes' },
    list.map((c) => {
      if (!c.changes)
        return errorBox({
          title: `${c.baseline} → ${c.candidate}: not compared`,
          message: `${c.error?.name ?? 'Error'}: ${c.error?.message ?? ''}`,
          hints: [],
        });
      const x = c.changes;
      const smells = (title: string, items: DocChanges['smellsFixed'], testid: string) =>
        items.length
          ? h(
              'div',
              { 'data-testid': testid },
              h('h4', null, `${title} (${items.length})`),
              h(
                'ul',
                { class: 'smells' },
                items.map((s) =>
                  h(
                    'li',
                    null,
                    s.operation ? h('code', null, s.parameter ? `${s.operation}.${s.parameter}` : s.operation) : null,
                    s.operation ? ': ' : null,
                    s.message,
                  ),
                ),
              ),
            )
          : null;
      return h(
        'div',
        { class: 'card', 'data-candidate': c.candidate },
        h('h4', null, c.baseline, ' → ', c.candidate),
        counts([
          ['operations', String(x.operations)],
          ['descriptions changed', String(x.descriptionsChanged), 'chg-descriptions'],
          ['parameter docs changed', String(x.parameterDescriptionsChanged), 'chg-parameters'],
          ['examples added', String(x.examplesAdded), 'chg-examples'],
          ['response schemas added', String(x.responseSchemasAdded), 'chg-schemas'],
          ['length', `×${x.lengthGrowth.toFixed(2)}`, 'chg-length'],
          ['smells fixed', String(x.smellsFixed.length), 'chg-fixed'],
          ['smells introduced', String(x.smellsIntroduced.length), 'chg-introduced'],
        ]),
        x.removed.length
          ? h('p', null, 'Missing from ', c.candidate, ': ', h('code', null, x.removed.join(', ')))
          : null,
        x.added.length ? h('p', null, 'New in ', c.candidate, ': ', h('code', null, x.added.join(', '))) : null,
        x.changed.length
          ? h(
              'details',
              null,
              h('summary', null, `Changed operations (${x.changed.length})`),
              h(
                'ul',
                null,
                x.changed.map((o) =>
                  h(
                    'li',
                    null,
                    h('code', null, o.operation),
                    ': ',
                    [
                      o.descriptionChanged
                        ? `description ${o.descriptionBefore} → ${o.descriptionAfter} characters`
                        : null,
                      o.parametersChanged.length ? `parameters ${o.parametersChanged.join(', ')}` : null,
                      o.examplesAdded ? `${o.examplesAdded} example(s) added` : null,
                      o.responseSchemaAdded ? 'response schema added' : null,
                    ]
                      .filter(Boolean)
                      .join('; '),
                  ),
                ),
              ),
            )
          : null,
        smells('Smells fixed', x.smellsFixed, 'smells-fixed'),
        smells('Smells introduced', x.smellsIntroduced, 'smells-introduced'),
      );
    }),
  );
}

/** The change reports alone (model-free), e.g. before any evaluation ran. */
export function renderChanges(container: HTMLElement, list: VersionChanges[]): void {
  replace(
    container,
    h('h3', { id: 'h-eval-results', tabindex: '-1' }, 'What changed (no model involved)'),
    changesBlock(list),
  );
}

/** The whole results section. */
export function renderResults(container: HTMLElement, ev: Evaluated, status: HTMLElement): void {
  const { report } = ev;
  const exportJson = () => {
    const file: EvalFile = {
      kind: 'tooldraft-evaluation',
      exportedAt: new Date().toISOString(),
      engine: app.ready?.version,
      ...report,
      changes: ev.changes,
    };
    download(`tooldraft-evaluation-${stamp()}.json`, JSON.stringify(file, null, 2));
    status.textContent = 'Downloaded the JSON report.';
  };
  const exportHtml = async () => {
    try {
      download(
        `tooldraft-evaluation-${stamp()}.html`,
        await app.engine.call('evaluationHtml', { report }),
        'text/html',
      );
      status.textContent = 'Downloaded the HTML report.';
    } catch (e) {
      const err = e as WorkerError;
      status.textContent = `The HTML report could not be made: ${err.name}: ${err.message}`;
    }
  };
  replace(
    container,
    h('h3', { id: 'h-eval-results', tabindex: '-1' }, 'Results'),
    counts([
      ['query set', report.querySet, 'eval-set'],
      ['items', String(report.items), 'eval-items-count'],
      ['scored', String(report.scoredItems), 'eval-scored'],
      ['skipped', String(new Set(report.skipped.map((s) => s.item)).size), 'eval-skipped-count'],
    ]),
    answerProblems(report, ev.endpoints),
    chart(report),
    scoresTable(report),
    h('h4', null, 'Paired comparisons'),
    comparisonsTable(report),
    h('h4', null, 'Skipped items'),
    skippedTable(report, ev.queries),
    itemsTable(report, ev.queries),
    ev.changes.length
      ? h('div', null, h('h4', null, 'What changed (no model involved)'), changesBlock(ev.changes))
      : null,
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', id: 'export-eval-json', onclick: exportJson }, 'Download the JSON report'),
      h(
        'button',
        { type: 'button', id: 'export-eval-html', onclick: () => void exportHtml() },
        'Download the HTML report',
      ),
    ),
  );
}

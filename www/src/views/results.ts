// Results (issue 5 item 3): per operation a timeline of revisions, diffs between any two,
// the trails, the analyzer's findings, the facts and why it stopped; a tool-level view and
// a whole-document diff. Everything from tools and models is shown as text.

import { app } from '../app';
import { codeBlock, field, formatBytes, h, pretty, replace } from '../dom';
import {
  describeOutcome,
  describeTermination,
  describeVerification,
  operationsById,
  revisionText,
  revisionsOf,
  type OpRun,
  type Trail,
  type VerificationRun,
} from '../runmodel';
import { FORMATS, type FormatName, type Operation, type Revision } from '../types';
import { modeSwitch, showDiff } from './diff';
import { reviewedWithFacts } from '../facts';
import { findingsList } from './findings';
import { safetyLabel } from './doc';

type Tab = 'timeline' | 'diff' | 'trails' | 'findings' | 'facts';
const TABS: [Tab, string][] = [
  ['timeline', 'Timeline'],
  ['diff', 'Diff'],
  ['trails', 'Trails'],
  ['findings', 'Findings'],
  ['facts', 'Facts'],
];

interface Selection {
  target: string; // an operation id, '#tools' or '#document'
  tab: Tab;
  a?: number;
  b?: number;
  trail?: string;
}

export function resultsView(): HTMLElement {
  const side = h('nav', { class: 'side', 'aria-label': 'Operations' });
  const pane = h('div', { class: 'pane', 'data-testid': 'results-pane' });
  const sel: Selection = { target: '', tab: 'timeline' };
  let sideKey = '';
  let paneKey = '';

  const opSig = (o: OpRun) =>
    `${o.status}:${o.trails.length}:${o.trails.filter((t) => t.observation).length}:${o.analyses.length}:${o.decisions.length}:${o.verifications.length}:${o.errors.length}`;
  const render = (force = false) => {
    const run = app.run;
    if (!run) {
      sideKey = paneKey = '';
      replace(side);
      replace(pane, h('p', null, 'No run to show yet.'));
      return;
    }
    const ids = run.model.order;
    if (!sel.target || (!ids.includes(sel.target) && !sel.target.startsWith('#'))) sel.target = ids[0] ?? '#document';
    const base = `${run.record.id}:${run.record.status}:${Boolean(run.record.result)}:${JSON.stringify(run.record.review ?? {})}:${JSON.stringify(run.record.schemaReview ?? {})}:${sel.target}`;
    const sk = `${base}:${ids.map((id) => opSig(run.model.ops.get(id)!)).join(',')}`;
    const selected = run.model.ops.get(sel.target);
    const pk = `${base}:${sel.tab}:${sel.a}:${sel.b}:${sel.trail}:${selected ? opSig(selected) : run.model.toolSummaries.size}`;
    const item = (target: string, label: string, extra?: HTMLElement | null) =>
      h(
        'button',
        {
          type: 'button',
          'aria-current': sel.target === target ? 'true' : 'false',
          'data-target': target,
          'data-name': label,
          onclick: () => {
            sel.target = target;
            sel.a = sel.b = sel.trail = undefined;
            render(true);
          },
        },
        label,
        extra ?? null,
      );
    if (force || sk !== sideKey) {
      sideKey = sk;
      const focused =
        document.activeElement instanceof HTMLElement && side.contains(document.activeElement)
          ? document.activeElement.dataset.target
          : undefined;
      replace(
        side,
        ids.map((id) => {
          const o = run.model.ops.get(id)!;
          const acc = o.decisions.filter((d) => d.accepted).length;
          const badge = o.outcome
            ? describeOutcome({ outcome: o.outcome })
            : o.status === 'done'
              ? `${acc} rev.`
              : o.status;
          return item(id, o.name, h('span', { class: `badge ${o.outcome === 'improved' ? 'ok' : ''}` }, badge));
        }),
        h('hr'),
        item('#tools', 'Tools'),
        item('#document', 'Whole document'),
      );
      if (focused) side.querySelector<HTMLElement>(`[data-target="${CSS.escape(focused)}"]`)?.focus();
    }
    if (force || pk !== paneKey) {
      paneKey = pk;
      const focusedId =
        document.activeElement instanceof HTMLElement && pane.contains(document.activeElement)
          ? document.activeElement.id
          : '';
      renderPane(pane, sel, () => render(true));
      if (focusedId) document.getElementById(focusedId)?.focus();
    }
  };
  app.on('run', () => render());
  render();
  return h(
    'section',
    { id: 'view-results', class: 'view', 'aria-labelledby': 'h-results' },
    h('h2', { id: 'h-results' }, 'Results'),
    h('div', { class: 'results' }, side, pane),
  );
}

function renderPane(pane: HTMLElement, sel: Selection, rerender: () => void): void {
  const run = app.run!;
  if (sel.target === '#tools') {
    replace(pane, toolsPanel());
    return;
  }
  if (sel.target === '#document') {
    replace(pane, documentPanel());
    return;
  }
  const o = run.model.ops.get(sel.target);
  if (!o) {
    replace(pane);
    return;
  }
  const original = operationsById(run.record.original).get(o.id);
  const refined = run.record.result ? operationsById(run.record.result.doc).get(o.id) : undefined;
  const revs = revisionsOf(original, refined);
  const tabs = h(
    'div',
    { class: 'tabs', role: 'tablist', 'aria-label': `Views of ${o.name}` },
    TABS.map(([t, label]) =>
      h(
        'button',
        {
          type: 'button',
          role: 'tab',
          id: `tab-${t}`,
          'aria-selected': sel.tab === t ? 'true' : 'false',
          tabindex: sel.tab === t ? 0 : -1,
          'aria-controls': 'tabpanel',
          onclick: () => {
            sel.tab = t;
            rerender();
          },
          onkeydown: (ev: KeyboardEvent) =>
            tabKeys(ev, t, (n) => {
              sel.tab = n;
              rerender();
              document.getElementById(`tab-${n}`)?.focus();
            }),
        },
        label,
      ),
    ),
  );
  const panel = h('div', { role: 'tabpanel', id: 'tabpanel', 'aria-labelledby': `tab-${sel.tab}`, tabindex: 0 });
  const go = (next: Partial<Selection>) => {
    Object.assign(sel, next);
    rerender();
  };
  switch (sel.tab) {
    case 'timeline':
      replace(panel, timeline(o, revs, go));
      break;
    case 'diff':
      replace(panel, diffPanel(revs, sel));
      break;
    case 'trails':
      replace(panel, trails(o, sel.trail));
      break;
    case 'findings':
      replace(panel, findings(o));
      break;
    case 'facts':
      replace(panel, facts(o, refined ?? original));
      break;
  }
  replace(
    pane,
    h('h3', null, o.name, ' ', original ? h('span', { class: 'badge' }, safetyLabel(original)) : null),
    o.outcome
      ? h(
          'p',
          { 'data-testid': 'outcome', class: o.outcome === 'improved' ? '' : 'notice' },
          h('strong', null, 'Outcome: '),
          describeOutcome(o),
        )
      : null,
    h('p', { 'data-testid': 'termination' }, h('strong', null, 'Stopped: '), describeTermination(o.termination)),
    tabs,
    panel,
  );
  if (sel.trail) document.getElementById(`trail-${sel.trail}`)?.scrollIntoView({ block: 'nearest' });
}

function tabKeys(ev: KeyboardEvent, current: Tab, go: (t: Tab) => void): void {
  const i = TABS.findIndex(([t]) => t === current);
  if (ev.key === 'ArrowRight') go(TABS[(i + 1) % TABS.length][0]);
  else if (ev.key === 'ArrowLeft') go(TABS[(i + TABS.length - 1) % TABS.length][0]);
  else return;
  ev.preventDefault();
}

function timeline(o: OpRun, revs: Revision[], go: (s: Partial<Selection>) => void): HTMLElement {
  const decisions = new Map(o.decisions.map((d) => [d.revision, d]));
  const items = revs.map((r, i) => {
    const d = decisions.get(r.index);
    const accepted = r.index === 0 ? true : r.accepted;
    return h(
      'li',
      { class: accepted ? 'accepted' : 'rejected', 'data-revision': r.index },
      h('strong', null, r.index === 0 ? 'Original' : `Revision ${r.index}`),
      r.index === 0
        ? null
        : h('span', { class: `badge ${accepted ? 'ok' : 'bad'}` }, accepted ? 'accepted' : 'rejected'),
      d
        ? h(
            'span',
            { class: 'muted' },
            ` · episode ${d.episode + 1}${typeof d.delta === 'number' ? ` · Δ ${d.delta.toFixed(2)}` : ''}`,
          )
        : null,
      r.reason && r.index !== 0 ? h('p', { class: 'desc' }, r.reason) : null,
      verificationView(o.verifications.find((v) => v.revision === r.index)),
      h('p', { class: 'desc' }, r.description || h('span', { class: 'muted' }, '(empty)')),
      Object.keys(r.parameters ?? {}).length
        ? h(
            'ul',
            null,
            Object.entries(r.parameters).map(([k, v]) =>
              h('li', null, h('code', null, k), ': ', v || h('span', { class: 'muted' }, '—')),
            ),
          )
        : null,
      h(
        'div',
        { class: 'row' },
        i > 0
          ? h(
              'button',
              {
                type: 'button',
                'data-compare': r.index,
                onclick: () => go({ tab: 'diff', a: revs[i - 1].index, b: r.index }),
              },
              `Compare with ${i === 1 ? 'the original' : `revision ${revs[i - 1].index}`}`,
            )
          : null,
        (r.evidence ?? []).map((t) =>
          h('button', { type: 'button', onclick: () => go({ tab: 'trails', trail: t }) }, `Trail ${t}`),
        ),
      ),
    );
  });
  // Decisions known from events whose revision text is not available yet (mid-run).
  const pending = o.decisions.filter((d) => !revs.some((r) => r.index === d.revision));
  return h(
    'div',
    null,
    h(
      'ol',
      { class: 'timeline', 'data-testid': 'timeline' },
      items,
      pending.map((d) =>
        h(
          'li',
          { class: d.accepted ? 'accepted' : 'rejected' },
          h('strong', null, `Revision ${d.revision}`),
          h('span', { class: `badge ${d.accepted ? 'ok' : 'bad'}` }, d.accepted ? 'accepted' : 'rejected'),
          h('span', { class: 'muted' }, ` · episode ${d.episode + 1}`),
          h(
            'p',
            { class: 'desc' },
            d.reason ??
              (d.accepted
                ? `accepted in episode ${d.episode + 1}${typeof d.delta === 'number' ? ` (Δ ${d.delta.toFixed(2)})` : ''}: it passed the rewrite gate; which checks, and the evidence, are shown when the run ends.`
                : ''),
          ),
          h('p', { class: 'muted' }, 'Its text is shown when the run ends.'),
        ),
      ),
    ),
  );
}

/** A revision's replay verification: the verdict, and the calls behind it. */
function verificationView(v: VerificationRun | undefined): HTMLElement | null {
  if (!v) return null;
  const who = (c: VerificationRun['calls'][number]) =>
    c.revision === v.revision ? 'this doc' : `revision ${c.revision}`;
  return h(
    'details',
    { class: 'verification', 'data-testid': 'verification' },
    h('summary', null, describeVerification(v)),
    h(
      'ul',
      null,
      v.calls.map((c) =>
        h(
          'li',
          { class: c.outcome },
          `${who(c)}: “${c.query}” → ${c.outcome}${c.cached ? ' (cached)' : ''}: ${c.reason}`,
          c.arguments === undefined ? null : h('code', null, ` ${JSON.stringify(c.arguments)}`),
        ),
      ),
    ),
  );
}

function revisionSelect(id: string, revs: Revision[], value: number): HTMLSelectElement {
  return h(
    'select',
    { id },
    revs.map((r) =>
      h(
        'option',
        { value: r.index, selected: r.index === value },
        r.index === 0 ? 'Original' : `Revision ${r.index} (${r.accepted ? 'accepted' : 'rejected'})`,
      ),
    ),
  );
}

function diffPanel(revs: Revision[], sel: Selection): HTMLElement {
  if (revs.length < 2) return h('p', null, 'Only the original so far: nothing to compare.');
  const a = sel.a ?? revs[0].index;
  const b = sel.b ?? revs[revs.length - 1].index;
  const selA = revisionSelect('diff-a', revs, a);
  const selB = revisionSelect('diff-b', revs, b);
  const out = h('div', { 'data-testid': 'diff' });
  const update = () => {
    sel.a = Number(selA.value);
    sel.b = Number(selB.value);
    const ra = revs.find((r) => r.index === sel.a)!;
    const rb = revs.find((r) => r.index === sel.b)!;
    void showDiff(out, revisionText(ra), revisionText(rb));
  };
  selA.addEventListener('change', update);
  selB.addEventListener('change', update);
  update();
  return h('div', null, h('div', { class: 'row' }, field('From', selA), field('To', selB)), modeSwitch(update), out);
}

function trails(o: OpRun, open?: string): HTMLElement {
  if (o.trails.length === 0) return h('p', null, 'No tool calls recorded for this operation.');
  return h(
    'div',
    { 'data-testid': 'trails' },
    o.trails.map((t) => trailBlock(t, t.id === open)),
  );
}

function headersText(hs: [string, string][] | undefined): string {
  return (hs ?? []).map(([k, v]) => `${k}: ${v}`).join('\n');
}

export function trailBlock(t: Trail, open = false): HTMLElement {
  const ob = t.observation;
  const status = ob ? `${ob.status ?? 'no answer'}${ob.isError ? ' error' : ''}` : 'pending';
  return h(
    'details',
    { class: 'card trail', id: `trail-${t.id}`, open, 'data-trail': t.id },
    h(
      'summary',
      null,
      `Episode ${t.episode + 1} · ${t.id} · `,
      h('span', { class: `badge ${ob && !ob.isError ? 'ok' : 'bad'}` }, status),
      ob
        ? h(
            'span',
            { class: 'muted' },
            ` · ${Math.round(ob.durationMs)} ms · ${formatBytes(ob.bodyBytes ?? ob.body.length)}`,
          )
        : null,
    ),
    t.query ? [h('h4', null, 'Query'), h('p', { class: 'desc' }, t.query)] : null,
    h('h4', null, 'Arguments'),
    codeBlock(pretty(t.arguments)),
    ob
      ? [
          h('h4', null, 'Request'),
          codeBlock(
            `${ob.request.method} ${ob.request.url}\n${headersText(ob.request.headers)}${ob.request.body ? `\n\n${pretty(ob.request.body)}` : ''}`,
          ),
          h('h4', null, 'Response'),
          h(
            'p',
            { class: 'muted' },
            `${ob.status ?? '—'} ${ob.contentType ?? ''}${ob.truncated ? ` · truncated: only the first part of ${formatBytes(ob.bodyBytes)} was kept` : ''}`,
          ),
          ob.headers?.length ? codeBlock(headersText(ob.headers)) : null,
          codeBlock(ob.json !== undefined ? pretty(ob.json) : pretty(ob.body), { label: 'Show the whole body' }),
        ]
      : null,
  );
}

function findings(o: OpRun): HTMLElement {
  return h(
    'div',
    { 'data-testid': 'findings' },
    o.analyses.length
      ? o.analyses.map((a) =>
          h('div', { class: 'card' }, h('h4', null, `Episode ${a.episode + 1}`), findingsList(a.findings)),
        )
      : h('p', null, 'No analysis yet.'),
    o.warnings.length
      ? [
          h('h4', null, 'Warnings'),
          h(
            'ul',
            { 'data-testid': 'op-warnings' },
            o.warnings.map((w) => h('li', null, w)),
          ),
        ]
      : null,
    o.retries.length
      ? [
          h('h4', null, 'Queries asked again for diversity (φ)'),
          h(
            'ul',
            null,
            o.retries.map((r) =>
              h(
                'li',
                null,
                `episode ${r.episode + 1}, attempt ${r.attempt}: ${r.similarity.toFixed(2)} similar to “${r.similarTo}”`,
              ),
            ),
          ),
        ]
      : null,
    o.errors.length
      ? [
          h('h4', null, 'Errors'),
          h(
            'ul',
            null,
            o.errors.map((e) => h('li', null, `${e.code}: ${e.message}`)),
          ),
        ]
      : null,
  );
}

function facts(o: OpRun, op: Operation | undefined): HTMLElement {
  if (!op) return h('p', null, 'Not available.');
  const examples = [...(op.examples ?? [])].sort((a, b) => Number(b.verified) - Number(a.verified));
  return h(
    'div',
    { 'data-testid': 'facts' },
    h('h4', null, 'Examples'),
    examples.length
      ? examples.map((ex) =>
          h(
            'div',
            { class: 'card' },
            h(
              'span',
              { class: `badge ${ex.verified ? 'ok' : ''}` },
              ex.verified ? 'verified: tooldraft made this call' : 'documented',
            ),
            ex.query ? h('p', { class: 'desc' }, ex.query) : null,
            codeBlock(pretty(ex.arguments)),
            ex.result !== undefined ? [h('h4', null, 'Result'), codeBlock(pretty(ex.result))] : null,
          ),
        )
      : h('p', { class: 'muted' }, 'No example.'),
    h('h4', null, 'Response schema (documented or observed)'),
    op.responseSchema !== undefined ? codeBlock(pretty(op.responseSchema)) : h('p', { class: 'muted' }, 'None.'),
    h('h4', null, 'Why it stopped'),
    h('p', null, describeTermination(o.termination)),
  );
}

function toolsPanel(): HTMLElement {
  const run = app.run!;
  const refinedTools = new Map((run.record.result?.doc.tools ?? []).map((t) => [t.name, t]));
  return h(
    'div',
    { 'data-testid': 'tools-view' },
    h('h3', null, 'Tools'),
    run.record.original.tools.map((t) => {
      const summary = run.model.toolSummaries.get(t.name) ?? refinedTools.get(t.name)?.description ?? t.description;
      const out = h('div');
      if (summary !== t.description) void showDiff(out, t.description, summary);
      const ops = t.operations.map((o) => run.model.ops.get(o.id)).filter((x): x is OpRun => Boolean(x));
      return h(
        'div',
        { class: 'card' },
        h('h4', null, t.name),
        summary !== t.description
          ? out
          : h('p', { class: 'desc' }, t.description || h('span', { class: 'muted' }, 'No tool description.')),
        h(
          'p',
          { class: 'muted' },
          `${ops.filter((o) => o.status === 'done').length} of ${ops.length} operation(s) done; ${ops.reduce((n, o) => n + o.calls, 0)} call(s); ${ops.reduce((n, o) => n + o.decisions.filter((d) => d.accepted).length, 0)} accepted revision(s).`,
        ),
      );
    }),
  );
}

function documentPanel(): HTMLElement {
  const run = app.run!;
  const orig = run.record.original;
  const fmt = h(
    'select',
    { id: 'doc-diff-format' },
    FORMATS.map((f) => h('option', { value: f, selected: f === (orig.format ?? 'openapi') }, f)),
  );
  const out = h('div', { 'data-testid': 'document-diff' });
  const update = async () => {
    if (!run.record.result) return replace(out, h('p', null, 'The refined document exists once the run ends.'));
    const to = fmt.value as FormatName;
    const reviewed = reviewedWithFacts(run.record);
    try {
      const [a, b] = await Promise.all([
        app.engine.call('exportDoc', { doc: orig, to }),
        app.engine.call('exportDoc', { doc: reviewed, to }),
      ]);
      await showDiff(out, a.text, b.text, true);
    } catch (e) {
      const err = e as Error;
      replace(out, h('p', { role: 'alert' }, `${err.name}: ${err.message}`));
    }
  };
  fmt.addEventListener('change', () => void update());
  void update();
  return h(
    'div',
    null,
    h('h3', null, 'Whole document: original → refined (with your review)'),
    h('div', { class: 'row' }, field('As', fmt)),
    modeSwitch(() => void update()),
    out,
  );
}

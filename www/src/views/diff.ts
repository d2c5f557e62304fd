// Word-level diffs (chunks from the package's diffText), inline or side by side. Text only.

import { app } from '../app';
import { h, replace, uniqueId } from '../dom';
import { errorBox } from '../errors';
import type { DiffChunk } from '../types';

export type DiffMode = 'side' | 'inline';

/** Unchanged stretches longer than this many lines are folded (when folding is on). */
const FOLD_LINES = 6;
/** Lines kept visible on each side of a fold. */
const FOLD_CONTEXT = 2;

/**
 * Numbers the changes: a run of inserted and deleted chunks with nothing but white space
 * between them is one change. Returns, per chunk, its change number (or -1 when unchanged).
 */
export function changeIndex(chunks: DiffChunk[]): number[] {
  const out: number[] = [];
  let n = -1;
  let inChange = false;
  for (const c of chunks) {
    if (c.tag === 'equal') {
      if (c.text.trim() !== '') inChange = false;
      out.push(-1);
      continue;
    }
    if (!inChange) n += 1;
    inChange = true;
    out.push(n);
  }
  return out;
}

/** An unchanged text, folded to its first and last lines when it is long. */
function equalPiece(text: string, fold: boolean): Node {
  const lines = text.split('\n');
  if (!fold || lines.length <= FOLD_LINES) return document.createTextNode(text);
  const head = lines.slice(0, FOLD_CONTEXT).join('\n');
  const tail = lines.slice(-FOLD_CONTEXT).join('\n');
  const n = lines.length - 2 * FOLD_CONTEXT;
  const more = h(
    'button',
    { type: 'button', class: 'fold', 'data-fold': n, 'aria-label': `Show ${n} unchanged lines` },
    `⋯ ${n} unchanged line${n === 1 ? '' : 's'}`,
  );
  const frag = h('span', null, `${head}\n`, more, `\n${tail}`);
  more.addEventListener('click', () => frag.replaceWith(document.createTextNode(text)));
  return frag;
}

export function renderChunks(chunks: DiffChunk[], mode: DiffMode, fold = false): HTMLElement {
  const ids = changeIndex(chunks);
  const piece = (c: DiffChunk, i: number) =>
    c.tag === 'insert'
      ? h('ins', { 'data-change': ids[i] }, c.text)
      : c.tag === 'delete'
        ? h('del', { 'data-change': ids[i] }, c.text)
        : equalPiece(c.text, fold);
  const keep = (drop: DiffChunk['tag']) => chunks.map((c, i) => (c.tag === drop ? null : piece(c, i)));
  if (mode === 'inline') return h('pre', { class: 'diff', 'data-testid': 'diff-inline' }, chunks.map(piece));
  return h(
    'div',
    { class: 'diff-side', 'data-testid': 'diff-side' },
    h('pre', { class: 'diff', 'aria-label': 'before' }, keep('insert')),
    h('pre', { class: 'diff', 'aria-label': 'after' }, keep('delete')),
  );
}

/** Previous/next change buttons and a "fold unchanged" switch over a rendered diff. */
function navigator(view: HTMLElement, total: number, fold: boolean, refold: (on: boolean) => void): HTMLElement {
  let at = -1;
  const where = h(
    'span',
    { class: 'muted', 'data-testid': 'change-position', 'aria-live': 'polite' },
    total ? `${total} change${total === 1 ? '' : 's'}` : 'no change',
  );
  const go = (step: number) => {
    if (!total) return;
    at = (at + step + total) % total;
    for (const e of view.querySelectorAll('.current')) e.classList.remove('current');
    const marks = [...view.querySelectorAll<HTMLElement>(`[data-change="${at}"]`)];
    for (const e of marks) e.classList.add('current');
    marks[marks.length - 1]?.scrollIntoView({ block: 'center' });
    where.textContent = `change ${at + 1} of ${total}`;
  };
  const foldBox = h('input', {
    type: 'checkbox',
    id: uniqueId('fold'),
    checked: fold,
    onchange: () => refold(foldBox.checked),
  });
  return h(
    'div',
    { class: 'row diff-nav' },
    h(
      'button',
      { type: 'button', 'data-testid': 'prev-change', disabled: !total, onclick: () => go(-1) },
      '↑ Previous change',
    ),
    h(
      'button',
      { type: 'button', 'data-testid': 'next-change', disabled: !total, onclick: () => go(1) },
      '↓ Next change',
    ),
    where,
    h('span', { class: 'check' }, foldBox, h('label', { for: foldBox.id }, 'Fold unchanged parts')),
  );
}

/** Counts of changed words, for a one-line summary. */
export function changeSummary(chunks: DiffChunk[]): string {
  const words = (t: string) => t.split(/\s+/).filter(Boolean).length;
  const ins = chunks.filter((c) => c.tag === 'insert').reduce((n, c) => n + words(c.text), 0);
  const del = chunks.filter((c) => c.tag === 'delete').reduce((n, c) => n + words(c.text), 0);
  return ins || del ? `${ins} word(s) added, ${del} removed` : 'no change';
}

let mode: DiffMode = 'side';

/** A mode switch (side by side / inline) shared by every diff on the page. */
export function modeSwitch(onChange: () => void): HTMLElement {
  const name = uniqueId('mode');
  const radio = (value: DiffMode, label: string) => {
    const id = uniqueId('m');
    return h(
      'span',
      { class: 'check' },
      h('input', {
        type: 'radio',
        name,
        id,
        value,
        checked: mode === value,
        onchange: () => {
          mode = value;
          onChange();
        },
      }),
      h('label', { for: id }, label),
    );
  };
  return h(
    'div',
    { class: 'row', role: 'radiogroup', 'aria-label': 'Diff layout' },
    radio('side', 'Side by side'),
    radio('inline', 'Inline'),
  );
}

/**
 * Diffs two texts in the worker and shows the result in `into`; with `navigate`, adds
 * previous/next change buttons and folding of unchanged parts (for whole documents).
 */
export async function showDiff(into: HTMLElement, before: string, after: string, navigate = false): Promise<void> {
  replace(into, h('p', { class: 'muted' }, 'Comparing…'));
  try {
    const chunks = await app.engine.call('diffText', { before, after });
    const summary = h('p', { class: 'muted', 'data-testid': 'diff-summary' }, changeSummary(chunks));
    if (!navigate) return replace(into, summary, renderChunks(chunks, mode));
    const total = Math.max(-1, ...changeIndex(chunks)) + 1;
    const draw = (fold: boolean) => {
      const view = renderChunks(chunks, mode, fold);
      replace(into, summary, navigator(view, total, fold, draw), view);
    };
    draw(true);
  } catch (e) {
    const err = e as Error;
    replace(into, errorBox({ title: 'The diff failed', message: `${err.name}: ${err.message}`, hints: [] }));
  }
}

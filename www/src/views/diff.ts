// Word-level diffs (chunks from the package's diffText), inline or side by side. Text only.

import { app } from '../app';
import { h, replace, uniqueId } from '../dom';
import { errorBox } from '../errors';
import type { DiffChunk } from '../types';

export type DiffMode = 'side' | 'inline';

export function renderChunks(chunks: DiffChunk[], mode: DiffMode): HTMLElement {
  const piece = (c: DiffChunk) => (c.tag === 'insert' ? h('ins', null, c.text) : c.tag === 'delete' ? h('del', null, c.text) : document.createTextNode(c.text));
  if (mode === 'inline') return h('pre', { class: 'diff', 'data-testid': 'diff-inline' }, chunks.map(piece));
  return h(
    'div',
    { class: 'diff-side', 'data-testid': 'diff-side' },
    h('pre', { class: 'diff', 'aria-label': 'before' }, chunks.filter((c) => c.tag !== 'insert').map(piece)),
    h('pre', { class: 'diff', 'aria-label': 'after' }, chunks.filter((c) => c.tag !== 'delete').map(piece)),
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
    return h('span', { class: 'check' }, h('input', { type: 'radio', name, id, value, checked: mode === value, onchange: () => { mode = value; onChange(); } }), h('label', { for: id }, label));
  };
  return h('div', { class: 'row', role: 'radiogroup', 'aria-label': 'Diff layout' }, radio('side', 'Side by side'), radio('inline', 'Inline'));
}

/** Diffs two texts in the worker and shows the result in `into`. */
export async function showDiff(into: HTMLElement, before: string, after: string): Promise<void> {
  replace(into, h('p', { class: 'muted' }, 'Comparing…'));
  try {
    const chunks = await app.engine.call('diffText', { before, after });
    replace(into, h('p', { class: 'muted', 'data-testid': 'diff-summary' }, changeSummary(chunks)), renderChunks(chunks, mode));
  } catch (e) {
    const err = e as Error;
    replace(into, errorBox({ title: 'The diff failed', message: `${err.name}: ${err.message}`, hints: [] }));
  }
}

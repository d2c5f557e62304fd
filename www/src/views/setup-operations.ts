// The Set up view's Operations fieldset (issue 15): a table of the document's operations, which
// to refine (a safe default ticked at first, flags with their reasons) and which write or
// destructive ones may be called anyway ("may call"), with buttons for the safe default, all
// and none.
import { h } from '../dom';
import type { Operation } from '../types';
import { safetyLabel } from './doc';
import { DEFAULT_PICKS, flagsOf, safeDefault } from './setup-ops';

/** The fieldset and what the form reads from it. */
export interface OperationsFieldset {
  fieldset: HTMLElement;
  /** The ids of the operations ticked to refine. */
  picked(): string[];
  /** The ids of the operations allowed to be called whatever their safety class. */
  allowed(): string[];
}

/**
 * The operations of `sourceName`; `start` is what a run to resume chose (its operations and
 * those it allowed), else the safe default is ticked.
 */
export function operationsFieldset(
  ops: Operation[],
  sourceName: string,
  start?: { picked: string[]; allowed?: string[] },
): OperationsFieldset {
  const safe = safeDefault(ops);
  const picks = start ? new Set(start.picked) : safe;
  const rows = ops.map((op) => {
    const pick = h('input', {
      type: 'checkbox',
      checked: picks.has(op.id),
      'data-op': op.id,
      'data-name': op.name,
      id: `pick-${op.id}`,
      'aria-label': `refine ${op.name}`,
    });
    const flags = flagsOf(op);
    const cls = safetyLabel(op);
    const allow =
      cls === 'read-only'
        ? null
        : h('input', {
            type: 'checkbox',
            'data-allow': op.id,
            'data-allow-name': op.name,
            id: `allow-${op.id}`,
            'aria-label': `allow calling ${op.name} (${cls})`,
          });
    return {
      op,
      pick,
      allow,
      row: h(
        'tr',
        { 'data-flags': flags.length },
        h('td', null, pick),
        h(
          'td',
          null,
          h('label', { for: pick.id }, h('code', null, op.http ? `${op.http.method} ${op.http.path}` : op.name)),
        ),
        h('td', null, h('span', { class: `badge safety-${cls.split(' ')[0]}` }, cls)),
        h('td', null, allow ?? h('span', { class: 'muted' }, 'always')),
        h(
          'td',
          { class: 'flags', 'data-testid': `flags-${op.name}` },
          flags.length
            ? h(
                'ul',
                null,
                flags.map((f) => h('li', null, f)),
              )
            : h(
                'span',
                { class: 'muted' },
                safe.has(op.id) ? '—' : `no flag; only the first ${DEFAULT_PICKS} safe operations are ticked at first`,
              ),
        ),
      ),
    };
  });
  const selectAll = (v: boolean) => {
    for (const r of rows) r.pick.checked = v;
  };
  const selectSafe = () => {
    for (const r of rows) r.pick.checked = safe.has(r.op.id);
  };
  for (const r of rows) if (r.allow && start?.allowed?.includes(r.op.id)) r.allow.checked = true;

  const fieldset = h(
    'fieldset',
    null,
    h('legend', null, `Operations (${ops.length}) from ${sourceName}`),
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', onclick: selectSafe }, 'Safe default'),
      h('button', { type: 'button', onclick: () => selectAll(true) }, 'Select all'),
      h('button', { type: 'button', onclick: () => selectAll(false) }, 'Select none'),
    ),
    h(
      'div',
      { class: 'oplist table-wrap' },
      h(
        'table',
        null,
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['refine', 'operation', 'kind', 'may call', 'why not by default'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h(
          'tbody',
          null,
          rows.map((r) => r.row),
        ),
      ),
    ),
    h(
      'p',
      { class: 'help' },
      `Ticked at first: up to ${DEFAULT_PICKS} read-only operations with no flag. Read-only operations are always called. Tick "may call" to allow one write or destructive operation even with the switches below off.`,
    ),
  );
  return {
    fieldset,
    picked: () => rows.filter((r) => r.pick.checked).map((r) => r.op.id),
    allowed: () => rows.filter((r) => r.allow?.checked).map((r) => r.op.id),
  };
}

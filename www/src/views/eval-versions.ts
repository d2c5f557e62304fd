// The Evaluate view's documentation versions: two or more slots, each a label and a source
// (the open document, a run's original or reviewed document, or pasted text or a file). A
// slot follows the sensible default source until the user picks one; `versions()` gives each
// slot's label and document text, written as the Review view exports it.
import { app } from '../app';
import { field, h } from '../dom';
import { exportFormatFor, reviewedWithFacts } from '../facts';
import type { FormatName, ToolDoc } from '../types';

type Source = 'current' | 'runOriginal' | 'runReviewed' | 'text';

interface Slot {
  el: HTMLElement;
  label: HTMLInputElement;
  source: HTMLSelectElement;
  text: HTMLTextAreaElement;
  file: HTMLInputElement;
  textBox: HTMLElement;
  /** The user chose the source: defaults no longer move it. */
  chosen: boolean;
}

/** Where each source's document comes from now, or why there is none. */
function sourceDoc(source: Source): { doc?: ToolDoc; what: string } {
  const run = app.run;
  switch (source) {
    case 'current':
      return app.loaded
        ? { doc: app.loaded.doc, what: `the open document (${app.loaded.name})` }
        : { what: 'no document is open (the Document view)' };
    case 'runOriginal':
      return run
        ? { doc: run.record.original, what: `the original of the run of ${run.record.sourceName}` }
        : { what: 'no run on screen' };
    case 'runReviewed':
      if (!run) return { what: 'no run on screen' };
      if (!run.record.result) return { what: 'the run on screen has no result yet' };
      return {
        doc: reviewedWithFacts(run.record),
        what: `the refined document of the run of ${run.record.sourceName}, as reviewed`,
      };
    case 'text':
      return { what: 'pasted text or a file' };
  }
}

const SOURCE_NAMES: Record<Source, string> = {
  current: 'The open document',
  runOriginal: "The run's original document",
  runReviewed: "The run's refined document (as reviewed)",
  text: 'Paste or load a file',
};

function defaultSource(index: number): Source {
  const finished = Boolean(app.run?.record.result);
  if (index === 0) return finished ? 'runOriginal' : app.loaded ? 'current' : 'text';
  if (index === 1 && finished) return 'runReviewed';
  return 'text';
}

/** A version to evaluate: its label and its document's text. */
export interface Version {
  label: string;
  text: string;
}

/** The version slots: their element, and what the view asks of them. */
export interface VersionSlots {
  el: HTMLElement;
  /** Adds a slot (labelled `label`, or by its place). */
  add(label?: string): void;
  /** Follows the open document and the run on screen (the sources' defaults and availability). */
  refresh(): void;
  /** Each slot's label and document text; throws a `NoDocument` error for a source with none. */
  versions(): Promise<Version[]>;
  /** What keeps the versions from being evaluated (labels, empty text), as sentences. */
  check(): string[];
}

/** Two slots to start with ("original", "refined"); more can be added, never fewer than two. */
export function versionSlots(): VersionSlots {
  const slots: Slot[] = [];
  const slotList = h('div', { class: 'slots' });
  let slotSeq = 0;

  const refreshSlot = (slot: Slot, index: number) => {
    if (!slot.chosen) slot.source.value = defaultSource(index);
    for (const opt of Array.from(slot.source.options)) {
      const s = sourceDoc(opt.value as Source);
      opt.disabled = opt.value !== 'text' && !s.doc;
      opt.textContent = opt.disabled
        ? `${SOURCE_NAMES[opt.value as Source]} (none)`
        : SOURCE_NAMES[opt.value as Source];
    }
    slot.textBox.hidden = slot.source.value !== 'text';
    const what = slot.el.querySelector<HTMLElement>('.slot-what');
    if (what) what.textContent = slot.source.value === 'text' ? '' : sourceDoc(slot.source.value as Source).what;
  };
  const refreshSlots = () => {
    slots.forEach((s, i) => {
      refreshSlot(s, i);
      s.el.dataset.slot = String(i);
      const legend = s.el.querySelector('legend');
      if (legend) legend.textContent = `Version ${i + 1}`;
      const remove = s.el.querySelector<HTMLButtonElement>('button.remove');
      if (remove) remove.disabled = slots.length <= 2;
    });
  };
  const addSlot = (label?: string) => {
    slotSeq += 1;
    const n = slotSeq;
    const index = slots.length;
    const labelInput = h('input', {
      type: 'text',
      id: `eval-label-${n}`,
      value: label ?? (index === 0 ? 'original' : index === 1 ? 'refined' : `version ${index + 1}`),
      autocomplete: 'off',
      'data-slot-label': String(index),
    });
    const source = h(
      'select',
      { id: `eval-source-${n}` },
      (Object.keys(SOURCE_NAMES) as Source[]).map((s) => h('option', { value: s }, SOURCE_NAMES[s])),
    );
    const text = h('textarea', {
      id: `eval-text-${n}`,
      rows: 6,
      spellcheck: 'false',
      placeholder: 'Paste a tool document (OpenAPI, MCP tools/list, OpenAI/Anthropic tools, ToolBench, RestBench)…',
    });
    const file = h('input', {
      type: 'file',
      id: `eval-file-${n}`,
      accept: '.json,.yaml,.yml,application/json,application/yaml',
    });
    const textBox = h('div', null, field('Document text', text), field('…or load a file', file));
    const slot: Slot = { el: h('div'), label: labelInput, source, text, file, textBox, chosen: false };
    source.addEventListener('change', () => {
      slot.chosen = true;
      refreshSlot(slot, slots.indexOf(slot));
    });
    // Text typed or loaded pins the slot to it (a run finishing later does not move it).
    text.addEventListener('input', () => (slot.chosen = true));
    file.addEventListener('change', async () => {
      const f = file.files?.[0];
      if (!f) return;
      text.value = await f.text();
      slot.chosen = true;
    });
    const remove = h(
      'button',
      {
        type: 'button',
        class: 'remove',
        'aria-label': `Remove version ${labelInput.value}`,
        onclick: () => {
          if (slots.length <= 2) return;
          slots.splice(slots.indexOf(slot), 1);
          slot.el.remove();
          refreshSlots();
        },
      },
      'Remove',
    );
    slot.el = h(
      'fieldset',
      { class: 'slot', 'data-slot': String(index) },
      h('legend', null, `Version ${index + 1}`),
      field('Label', labelInput, 'Shown in the chart, tables and reports.'),
      field('Source', source),
      h('p', { class: 'help slot-what' }),
      textBox,
      h('div', { class: 'row' }, remove),
    );
    slots.push(slot);
    slotList.appendChild(slot.el);
    refreshSlots();
  };
  addSlot();
  addSlot();

  /** Each slot's label and document text (the open or run documents written in their format). */
  const versions = async (): Promise<Version[]> => {
    const out: Version[] = [];
    for (const [i, s] of slots.entries()) {
      const label = s.label.value.trim();
      const src = s.source.value as Source;
      if (src === 'text') {
        out.push({ label, text: s.text.value });
        continue;
      }
      const { doc, what } = sourceDoc(src);
      if (!doc)
        throw Object.assign(new Error(`Version ${i + 1} ("${label}"): ${what}. Choose another source.`), {
          name: 'NoDocument',
        });
      // A run's documents are written as the Review view exports them, so the counts match the export.
      const to = src === 'current' ? ((doc.format ?? 'openapi') as FormatName) : exportFormatFor(doc);
      out.push({ label, text: (await app.engine.call('exportDoc', { doc, to })).text });
    }
    return out;
  };

  const checkVersions = (): string[] => {
    const problems: string[] = [];
    const labels = slots.map((s) => s.label.value.trim());
    if (labels.some((l) => !l)) problems.push('Give every version a label.');
    if (new Set(labels).size !== labels.length) problems.push('Give each version a different label.');
    slots.forEach((s, i) => {
      if (s.source.value === 'text' && !s.text.value.trim())
        problems.push(`Version ${i + 1} ("${labels[i]}"): paste its document or load a file.`);
    });
    return problems;
  };

  return { el: slotList, add: addSlot, refresh: refreshSlots, versions, check: checkVersions };
}

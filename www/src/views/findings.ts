// The analyzer's findings as readable lists (mismatches, missing, suggestions), each item
// flagged when it is a placeholder or an echo of the prompt rather than a finding (a weak
// model copies the answer template: "<what a caller needs that the documentation lacks>").

import { codeBlock, h, pretty } from '../dom';
import type { Json } from '../types';

const SECTIONS: [key: string, title: string][] = [
  ['mismatches', 'Where the documentation disagrees with what the tool did'],
  ['missing', 'What a caller needs that the documentation lacks'],
  ['suggestions', 'Suggested changes'],
];

/** Phrases of the analyzer's own prompt and answer template (src/refine/prompts/analyzer.txt). */
const PROMPT_PHRASES = [
  'where the documentation disagrees with the observed behaviour',
  'what a caller needs that the documentation lacks',
  "a concrete change to the description or to a named parameter's description",
  'base every point on the documentation and the observed answer',
];

/** Why a finding is not a real one (a placeholder, the prompt echoed), or null. */
export function placeholderReason(item: string): string | null {
  const t = item.trim();
  if (!t) return 'empty';
  const low = t.toLowerCase().replace(/^<|>$/g, '');
  if (PROMPT_PHRASES.some((p) => low.includes(p))) return 'echoes the prompt';
  if (/^<[^<>]*>$/.test(t) || /^\{\{?[^{}]*\}?\}$/.test(t)) return 'a placeholder, not a finding';
  if (/^(\.\.\.|…|n\/?a|none|todo|tbd|string|example|lorem ipsum.*)$/i.test(t)) return 'a placeholder, not a finding';
  return null;
}

/** One analysis: its three lists, each item with its flag; anything else as JSON. */
export function findingsList(findings: Json): HTMLElement {
  if (!findings || typeof findings !== 'object' || Array.isArray(findings)) return codeBlock(pretty(findings));
  const f = findings as Record<string, Json>;
  const known = SECTIONS.filter(([k]) => Array.isArray(f[k]));
  if (known.length === 0) return codeBlock(pretty(findings));
  return h(
    'div',
    { class: 'findings' },
    known.map(([key, title]) => {
      const items = (f[key] as Json[]).map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      return h(
        'div',
        { 'data-section': key },
        h('h5', null, title),
        items.length
          ? h(
              'ul',
              null,
              items.map((item) => {
                const why = placeholderReason(item);
                return h(
                  'li',
                  why ? { class: 'placeholder', 'data-flag': why } : null,
                  item,
                  why ? h('span', { class: 'badge bad' }, why) : null,
                );
              }),
            )
          : h('p', { class: 'muted' }, 'None.'),
      );
    }),
  );
}

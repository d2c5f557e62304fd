// A tiny DOM builder. Text always goes in as text nodes (never HTML), so nothing a tool or a
// model returns can become markup. There is deliberately no way to set innerHTML here.
import { stringifyJson } from '../../pkg/lib/json.mjs';

export type Child = Node | string | number | null | undefined | false | Child[];

type Attrs = {
  [key: string]: string | number | boolean | null | undefined | EventListener | ((ev: never) => void);
};

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs?: Attrs | null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k.startsWith('on') && typeof v === 'function') {
        el.addEventListener(k.slice(2).toLowerCase(), v as EventListener);
      } else if (k === 'class') {
        el.className = String(v);
      } else if (k === 'value' && 'value' in el) {
        (el as HTMLInputElement).value = String(v);
      } else if (k === 'checked' && 'checked' in el) {
        (el as HTMLInputElement).checked = Boolean(v);
      } else if (k === 'style') {
        throw new Error('h(): inline styles are not allowed under the CSP; use a class');
      } else {
        el.setAttribute(k, v === true ? '' : String(v));
      }
    }
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(parent, c);
    else if (typeof c === 'string' || typeof c === 'number') parent.appendChild(document.createTextNode(String(c)));
    else parent.appendChild(c);
  }
}

export function clear(el: Node): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

export function replace(el: Node, ...children: Child[]): void {
  clear(el);
  append(el, children);
}

let uid = 0;
/** A unique id for label/control pairs. */
export function uniqueId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled form field. */
export function field(label: string, control: HTMLElement, help?: string): HTMLElement {
  const id = control.id || uniqueId('f');
  control.id = id;
  const helpEl = help ? h('small', { class: 'help', id: `${id}-help` }, help) : null;
  if (helpEl) control.setAttribute('aria-describedby', helpEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, helpEl);
}

/** Saves text as a file the user downloads. */
export function download(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Pretty JSON, or the text as is when it is not JSON. */
export function pretty(value: unknown): string {
  if (typeof value === 'string') {
    try {
      return JSON.stringify(JSON.parse(value), null, 2);
    } catch {
      return value;
    }
  }
  return stringifyJson(value, 2) ?? String(value);
}

/** A block of preformatted text; long text is collapsed behind a <details>. */
export function codeBlock(text: string, opts: { limit?: number; label?: string } = {}): HTMLElement {
  const limit = opts.limit ?? 1200;
  if (text.length <= limit) return h('pre', { class: 'code' }, text);
  const lines = text.split('\n').length;
  const head = h('pre', { class: 'code' }, `${text.slice(0, limit)}…`);
  const details = h(
    'details',
    { class: 'collapsed' },
    h('summary', null, `${opts.label ?? 'Show all'} (${formatBytes(text.length)}, ${lines} lines)`),
  );
  // Rendering a multi-megabyte body is deferred until asked for.
  details.addEventListener('toggle', () => {
    if (details.open && !details.querySelector('pre.full')) details.appendChild(h('pre', { class: 'code full' }, text));
  });
  return h('div', null, head, details);
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** A row of labelled figures: a <dl> of (label, value, test id) groups that wraps. */
export function counts(items: [string, string, string?][]): HTMLElement {
  return h(
    'dl',
    { class: 'counts' },
    items.map(([label, value, testid]) =>
      h('div', null, h('dt', null, label), h('dd', testid ? { 'data-testid': testid } : null, value)),
    ),
  );
}

//! Where a JSON pointer points in a document's text: the core reports doc smells by JSON
//! pointer into the parsed source (`/paths/~1pets/get/parameters/0`); the editor needs a range
//! of characters. One mapper serves JSON and YAML: the text is read by the `yaml` package's
//! parser (YAML 1.2 reads JSON as well), whose nodes keep their source offsets.
//!
//! The range chosen is the one a person looks at:
//! - a mapping entry: its key (`get`, `parameters`, a property name);
//! - a sequence item that is a mapping with a `name` (an OpenAPI parameter): that name's value;
//! - any other item: the item itself, cut at the end of its first line.
//! A pointer that goes further than the text (a stale pointer, a `$ref` the core followed)
//! maps to the deepest place it reached, and `exact` says so. Offsets are UTF-16 code units,
//! as JavaScript strings and VS Code's `positionAt` count them.
//!
//!   const at = pointerRange(text, '/paths/~1pets/get'); // {start, end, exact: true}
//!   const { line, character } = lineColumn(text, at.start);

import { isAlias, isMap, isScalar, isSeq, parseDocument } from 'yaml';

/** Splits a JSON pointer into its unescaped segments (`~1` is `/`, `~0` is `~`). */
export function pointerSegments(pointer) {
  if (pointer === '' || pointer === '/') return pointer === '/' ? [''] : [];
  if (!pointer.startsWith('/')) return null;
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** A parsed text, read once and asked for many pointers. */
export class PointerIndex {
  /** @param {string} text JSON or YAML */
  constructor(text) {
    this.text = text;
    // uniqueKeys off: a document with a duplicate key still maps (the core reads the last one).
    this.doc = parseDocument(text, { uniqueKeys: false, keepSourceTokens: false, prettyErrors: false, strict: false });
  }

  /**
   * The range of `pointer` in the text.
   * @param {string} pointer
   * @returns {{start: number, end: number, exact: boolean}}
   */
  range(pointer) {
    const segments = pointerSegments(pointer) ?? [];
    let node = this.doc.contents;
    /** @type {[number, number] | null} */
    let best = node?.range ? [node.range[0], node.range[1]] : null;
    let reached = 0;
    for (const segment of segments) {
      node = this.#resolve(node);
      let next = null;
      let here = null;
      if (isMap(node)) {
        // The last entry with that key wins, as in the core's JSON reader.
        const pair = node.items.findLast((p) => keyText(p.key, this.text) === segment);
        if (pair) {
          next = pair.value;
          here = pair.key?.range ?? pair.value?.range ?? null;
        }
      } else if (isSeq(node) && /^(0|[1-9][0-9]*)$/.test(segment)) {
        const item = node.items[Number(segment)];
        if (item !== undefined) {
          next = item;
          here = this.#itemRange(item);
        }
      }
      if (!here) break;
      best = [here[0], here[1]];
      node = next;
      reached += 1;
    }
    if (!best) return { start: 0, end: 0, exact: false };
    return { start: best[0], end: this.#firstLineEnd(best[0], best[1]), exact: reached === segments.length };
  }

  #resolve(node) {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** A sequence item's range: its `name` value when it has one, else the item. */
  #itemRange(item) {
    const resolved = this.#resolve(item);
    if (isMap(resolved)) {
      const name = resolved.items.find((p) => keyText(p.key, this.text) === 'name');
      if (name && isScalar(name.value) && name.value.range) return name.value.range;
    }
    return item?.range ?? null;
  }

  /** Cuts a range at the end of its first non-empty line (a whole mapping is too loud a squiggle). */
  #firstLineEnd(start, end) {
    const newline = this.text.indexOf('\n', start);
    const cut = newline === -1 || newline >= end ? end : newline;
    let last = cut;
    while (last > start && /\s/.test(this.text[last - 1])) last -= 1;
    return last > start ? last : Math.max(start, end);
  }
}

/** A key's text: a string by value; a number, boolean or null as written (`200`, `1.10`). */
function keyText(key, text) {
  if (!isScalar(key)) return undefined;
  if (typeof key.value === 'string') return key.value;
  return key.range ? text.slice(key.range[0], key.range[1]) : String(key.value);
}

/** The range of one pointer (parses the text: use `PointerIndex` for many pointers). */
export function pointerRange(text, pointer) {
  return new PointerIndex(text).range(pointer);
}

/** 0-based line and UTF-16 character of an offset. */
export function lineColumn(text, offset) {
  let line = 0;
  let lineStart = 0;
  const stop = Math.min(Math.max(0, offset), text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < stop; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, character: stop - lineStart };
}

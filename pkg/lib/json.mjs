// JSON text with 64-bit integers kept exact. The core hands integers beyond ±(2^53 − 1) (the
// int64/uint64 limits of generated OpenAPI documents, …) to JavaScript as BigInts, which
// `JSON.stringify` refuses. `stringifyJson` is `JSON.stringify` (same arguments, same output)
// except that a BigInt is written as its digits, an exact JSON number; the core's `parseJson`
// reads such text back with those numbers as BigInts again.

// A string no real value holds: a BigInt is first written as this prefix and its digits,
// then the quotes around it are dropped.
const MARK = '\u0000tooldraft-bigint:';
const QUOTED = /"\\u0000tooldraft-bigint:(-?\d+)"/g;

/**
 * `JSON.stringify(value, null, indent)`, with BigInts written as exact JSON numbers.
 * @param {unknown} value
 * @param {string | number} [indent]
 * @returns {string}
 */
export function stringifyJson(value, indent) {
  let marked = false;
  const text = JSON.stringify(
    value,
    (_key, v) => {
      if (typeof v !== 'bigint') return v;
      marked = true;
      return `${MARK}${v}`;
    },
    indent,
  );
  return marked ? text.replace(QUOTED, '$1') : text;
}

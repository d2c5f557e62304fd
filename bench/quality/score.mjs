// score.mjs: judges a refined document against the real one it was planted from.
//
// Per defect (defects.mjs `fix`): structural defects by comparing schemas at the planted
// place; text defects by the restored fact being present (an `any` pattern), the planted
// wrong claim gone (no `none` pattern), and at least three content words (an identifier
// such as "create_entities" is no description). An operation's text is what tooldraft reads as its
// description: `description`, or `summary` when there is none.
//
// Over the whole document (refined input → output), independent of the defects:
// - invented parameters: parameter names in the output that neither the input nor the real
//   document has;
// - regressions: a correct part of the input made worse:
//   * a schema fact (type, enum, required, format, default, bounds, pattern, items, a
//     property) changed or removed, unless the new value is the real document's (a fix);
//     or added to a schema the input had, when the real document does not have it;
//   * a description (operation, parameter, property, the document's) that is not the target
//     of a text defect and lost a fact token (a number, a code-shaped identifier such as
//     snake_case/camelCase/kebab-case, a quoted value, a URL) or more than half of its
//     content words (words of 3+ letters, not stop words);
// - growth: description words and document bytes, output / input.
import { SOURCES, deref, getAt, operations } from './docs.mjs';
import { STRUCTURAL } from './defects.mjs';

const FACT_KEYS = [
  'type',
  'enum',
  'required',
  'format',
  'default',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'const',
  'in',
  'name',
  'nullable',
  'uniqueItems',
];
const TEXT_KEYS = new Set(['description', 'summary']);
const STOP = new Set(
  (
    'the and for with that this from your you are was were will would should could have has had not but into onto ' +
    'over under about than then them they their there these those what which when where who whom why how its can may might must each ' +
    'every some any all only also just more most such very other another one given use used uses using returns return'
  ).split(' '),
);

const canon = (v) =>
  JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
const same = (a, b) => canon(a) === canon(b);
const sameSet = (a, b) =>
  Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x) => b.some((y) => same(x, y)));

/** The text tooldraft reads for the operation at `opPtr`. */
function operationText(doc, opPtr) {
  const op = getAt(doc, opPtr) ?? {};
  return typeof op.description === 'string' && op.description.trim() ? op.description : (op.summary ?? '');
}

function typeOf(s) {
  if (!s || typeof s !== 'object') return undefined;
  if (s.type) return Array.isArray(s.type) ? s.type.filter((t) => t !== 'null')[0] : s.type;
  if (s.properties) return 'object';
  if (s.items) return 'array';
  return undefined;
}

/** True when `got` has the original schema's type and names its required (else all) properties. */
export function schemaCovers(original, got) {
  if (!got || typeof got !== 'object') return false;
  if (typeOf(original) !== typeOf(got)) return false;
  if (typeOf(original) === 'array') return original.items ? schemaCovers(original.items, got.items) : true;
  if (typeOf(original) !== 'object') return true;
  const names = original.required?.length ? original.required : Object.keys(original.properties ?? {});
  return names.every((n) => got.properties && n in got.properties);
}

/** Whether one planted defect is fixed in `refined`: {fixed, found}. */
export function judgeDefect(d, refined, source) {
  if (d.fix.text) {
    const text =
      d.pointer === '/summary' || d.pointer === '/description'
        ? operationText(refined, d.opPointer)
        : (getAt(refined, d.absPointer) ?? '');
    // An identifier or a two-word label says nothing, even when it holds the right word.
    const says = contentWords(text).size >= 3 && text.trim() !== d.op;
    const any = says && d.fix.text.any.some((r) => r.test(text));
    const bad = (d.fix.text.none ?? []).filter((r) => r.test(text));
    return { fixed: any && bad.length === 0, found: text };
  }
  const got = getAt(refined, d.absPointer);
  if (d.fix.contains !== undefined) return { fixed: Array.isArray(got) && got.includes(d.fix.contains), found: got };
  if (d.fix.equal)
    return { fixed: Array.isArray(d.original) ? sameSet(got, d.original) : same(got, d.original), found: got };
  if (d.fix.schema)
    return {
      fixed: schemaCovers(deref(source, d.original), deref(refined, got)),
      found: got === undefined ? undefined : deref(refined, got),
    };
  throw new Error(`${d.id}: unknown fix ${JSON.stringify(d.fix)}`);
}

export function contentWords(text) {
  return new Set(
    (
      String(text)
        .toLowerCase()
        .match(/[a-z][a-z'-]{2,}/g) ?? []
    )
      .map((w) => w.replace(/['-]+$/, ''))
      .filter((w) => !STOP.has(w)),
  );
}

/** Numbers, code-shaped identifiers, quoted values and URLs of a text. */
export function factTokens(text) {
  const t = String(text);
  const out = new Set();
  for (const m of t.matchAll(/https?:\/\/[^\s)"']+/g)) out.add(m[0].replace(/[.,;]+$/, ''));
  for (const m of t.matchAll(/(?<![\w.])-?\d+(?:\.\d+)?(?![\w])/g)) out.add(m[0]);
  for (const m of t.matchAll(/(?<![\w-])(?:\w*_\w+|[a-z]+[A-Z][A-Za-z0-9]*|[a-z]+(?:-[a-z0-9]+)+)(?![\w-])/g))
    out.add(m[0]);
  for (const m of t.matchAll(/'([^'\s][^']{0,40})'|"([^"\s][^"]{0,40})"|`([^`]{1,40})`/g))
    out.add(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** Why a description got worse, or null: lost facts, or less than half its content words left. */
export function textLoss(before, after) {
  if (!String(before).trim()) return null;
  const kept = String(after).toLowerCase();
  const present = (f) =>
    new RegExp(`(?<![\\w.-])${f.toLowerCase().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(kept) ||
    factTokens(after).has(f);
  const lostFacts = [...factTokens(before)].filter((f) => !present(f));
  const words = contentWords(before);
  const keptWords = contentWords(after);
  const recall = words.size ? [...words].filter((w) => keptWords.has(w)).length / words.size : 1;
  if (lostFacts.length) return `lost ${lostFacts.map((f) => JSON.stringify(f)).join(', ')}`;
  if (recall < 0.5) return `kept ${Math.round(recall * 100)}% of its content words`;
  return null;
}

/** Every schema fact and text under `node`: [{ptr, key, value}] and [{ptr, text}]. */
function walk(node, ptr, facts, texts, key = '') {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, v] of node.entries()) walk(v, `${ptr}/${i}`, facts, texts);
    return;
  }
  const isSchemaMap = key === 'properties';
  for (const [k, v] of Object.entries(node)) {
    const p = `${ptr}/${String(k).replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (k.startsWith('x-') || k === 'examples' || k === 'example' || k === '_meta') continue;
    if (!isSchemaMap && TEXT_KEYS.has(k) && typeof v === 'string') texts.push({ ptr: p, text: v });
    else if (!isSchemaMap && FACT_KEYS.includes(k) && (v === null || typeof v !== 'object' || Array.isArray(v)))
      facts.push({ ptr: p, value: v });
    else if (isSchemaMap) {
      facts.push({ ptr: p, value: '(property)', presence: true });
      walk(v, p, facts, texts, k);
    } else walk(v, p, facts, texts, k);
  }
}

function parameterNames(op, format) {
  if (!op) return new Set();
  if (format === 'mcp') return new Set(Object.keys(op.inputSchema?.properties ?? {}));
  const names = (op.parameters ?? []).map((p) => p?.name).filter(Boolean);
  for (const c of Object.values(op.requestBody?.content ?? {})) names.push(...Object.keys(c?.schema?.properties ?? {}));
  return new Set(names);
}

const words = (t) => (String(t).match(/\S+/g) ?? []).length;

/**
 * Scores one source: `truth` (the real document), `input` (planted), `output` (refined),
 * `planted` (its defects from docs.plant). Returns {defects, invented, regressions, growth}.
 */
export function scoreSource(source, truth, input, output, planted) {
  const { format } = SOURCES[source];
  const mine = planted.filter((d) => d.source === source);
  const defects = mine.map((d) => ({
    id: d.id,
    class: d.class,
    op: d.op,
    structural: STRUCTURAL.has(d.class),
    ...judgeDefect(d, output, truth),
  }));
  const textTargets = new Set(
    mine
      .filter((d) => d.fix.text)
      .map((d) => (d.pointer === '/summary' || d.pointer === '/description' ? `${d.opPointer}#text` : d.absPointer)),
  );
  const invented = [];
  const regressions = [];
  let wordsIn = 0;
  let wordsOut = 0;
  const docTexts = format === 'mcp' ? [] : ['/info/description'];
  for (const ptr of docTexts) {
    const before = getAt(input, ptr);
    if (typeof before === 'string') {
      const after = getAt(output, ptr) ?? '';
      wordsIn += words(before);
      wordsOut += words(after);
      const why = textLoss(before, after);
      if (why) regressions.push({ op: '(document)', where: ptr, why: `description ${why}`, before, after });
    }
  }
  for (const { op, pointer } of operations(input, format)) {
    const inOp = deref(input, getAt(input, pointer));
    const outOp = deref(output, getAt(output, pointer));
    const truthOp = deref(truth, getAt(truth, pointer));
    if (!outOp) {
      regressions.push({ op, where: pointer, why: 'operation missing from the output' });
      continue;
    }
    const known = new Set([...parameterNames(inOp, format), ...parameterNames(truthOp, format)]);
    for (const n of parameterNames(outOp, format)) if (!known.has(n)) invented.push({ op, name: n });
    // Operation text, as tooldraft reads it.
    const beforeText = operationText(input, pointer);
    const afterText = operationText(output, pointer);
    wordsIn += words(beforeText);
    wordsOut += words(afterText);
    if (!textTargets.has(`${pointer}#text`)) {
      const why = textLoss(beforeText, afterText);
      if (why)
        regressions.push({ op, where: 'description', why: `description ${why}`, before: beforeText, after: afterText });
    }
    const facts = [];
    const texts = [];
    walk(inOp, '', facts, texts);
    for (const f of facts) {
      const after = getAt(outOp, f.ptr);
      const real = getAt(truthOp ?? {}, f.ptr);
      if (f.presence ? after !== undefined : same(after, f.value)) continue;
      if (!f.presence && after !== undefined && (same(after, real) || (Array.isArray(real) && sameSet(after, real))))
        continue; // moved to the real value
      if (
        !f.presence &&
        Array.isArray(f.value) &&
        Array.isArray(after) &&
        f.value.every((x) => after.some((y) => same(x, y))) &&
        after.every((x) => [...f.value, ...(real ?? [])].some((y) => same(x, y)))
      )
        continue;
      regressions.push({
        op,
        where: f.ptr,
        why: after === undefined ? 'schema fact removed' : 'schema fact changed',
        before: f.value,
        after,
      });
    }
    // Facts the output adds inside a schema node the input already had: right only when the
    // real document has them (a repaired `required`, a restored `type`, …).
    const added = [];
    walk(outOp, '', added, []);
    for (const f of added) {
      if (f.presence || getAt(inOp, f.ptr) !== undefined) continue;
      if (getAt(inOp, f.ptr.slice(0, f.ptr.lastIndexOf('/'))) === undefined) continue;
      const real = getAt(truthOp ?? {}, f.ptr);
      if (
        same(f.value, real) ||
        (Array.isArray(f.value) && Array.isArray(real) && f.value.every((x) => real.some((y) => same(x, y))))
      )
        continue;
      regressions.push({
        op,
        where: f.ptr,
        why: 'schema fact added that the real document does not have',
        before: undefined,
        after: f.value,
      });
    }
    for (const t of texts) {
      if (t.ptr === '/description' || t.ptr === '/summary') continue; // the operation text, above
      const after = getAt(outOp, t.ptr);
      if (t.ptr.endsWith('/summary') && after === undefined) continue;
      wordsIn += words(t.text);
      wordsOut += words(after ?? '');
      if (textTargets.has(pointer + t.ptr)) continue;
      const why = textLoss(t.text, after ?? '');
      if (why) regressions.push({ op, where: t.ptr, why: `description ${why}`, before: t.text, after: after ?? null });
    }
  }
  const growth = { wordsIn, wordsOut, bytesIn: JSON.stringify(input).length, bytesOut: JSON.stringify(output).length };
  return { defects, invented, regressions, growth };
}

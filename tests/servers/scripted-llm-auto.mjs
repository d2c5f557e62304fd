// The scripted LLM server's auto mode (scripted-llm.mjs answers with it when its script is
// exhausted or absent): a deterministic, schema-valid instance of a JSON Schema, or a sentence,
// derived from the prompt. A stable hash of the messages seeds every choice; strings are built
// from the prompt's words. Plain Node, no dependencies.

// ---------- deterministic helpers ----------
export function hash(str) {
  let h = 0x811c9dc5;
  for (let i = 0; i < str.length; i++) {
    h ^= str.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

class Rng {
  constructor(seed) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  next() {
    let x = this.s;
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s / 4294967296;
  }
  int(lo, hi) {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.next() * list.length)];
  }
}

const STOP = new Set(
  (
    'the and for with that this from your you are was were will would should could have has had not but ' +
    'into onto over under about than then them they their there these those what which when where who whom why how ' +
    "its it's can may might must each every some any all only also just more most such very other another json schema " +
    'object string number integer boolean array null true false answer reply single nothing else prose before after fit ' +
    'fits named property properties type required items description'
  ).split(' '),
);
const FALLBACK_WORDS = ['tool', 'request', 'result', 'value', 'example', 'parameter', 'service', 'response'];

function promptWords(messages) {
  const text = messages
    .filter((m) => m.role !== 'assistant')
    .map((m) => contentText(m.content))
    .join('\n')
    .replace(/```[\s\S]*?(```|$)/g, ' ');
  const seen = new Set();
  const words = [];
  for (const m of text.matchAll(/[A-Za-z][A-Za-z'-]{2,}/g)) {
    const w = m[0].toLowerCase().replace(/['-]+$/, '');
    if (w.length < 3 || STOP.has(w) || seen.has(w)) continue;
    seen.add(w);
    words.push(w);
  }
  for (const w of FALLBACK_WORDS) if (words.length < 6 && !seen.has(w)) words.push(w);
  return words;
}

export function contentText(c) {
  if (typeof c === 'string') return c;
  if (Array.isArray(c)) return c.map((p) => (typeof p === 'string' ? p : p?.text ? p.text : '')).join('\n');
  return '';
}

// ---------- auto mode: a schema-valid instance ----------
class Gen {
  constructor(root, words, rng) {
    this.root = root;
    this.words = words;
    this.rng = rng;
  }
  /// n distinct words of the prompt (repeating only when it has fewer), in the prompt's order
  /// from a random start.
  words_(n) {
    const out = [];
    const start = this.rng.int(0, this.words.length - 1);
    let step = 1 + this.rng.int(0, 2);
    if (this.words.length % step === 0) step = 1;
    for (let i = 0; i < n; i++) out.push(this.words[(start + i * step) % this.words.length]);
    return out;
  }
  phrase(n) {
    return this.words_(n).join(' ');
  }
  sentence(lo, hi) {
    const glue = ['of', 'for', 'with', 'and', 'to', 'in', 'by', 'from', 'when', 'the'];
    const ws = this.words_(this.rng.int(lo, hi));
    const out = [];
    ws.forEach((w, i) => {
      if (i > 0 && i < ws.length - 1 && this.rng.next() < 0.3) out.push(this.rng.pick(glue));
      out.push(w);
    });
    const s = out.join(' ');
    return `${s.charAt(0).toUpperCase() + s.slice(1)}.`;
  }
  resolve(s) {
    let guard = 0;
    while (s && typeof s === 'object' && typeof s.$ref === 'string' && guard++ < 32) {
      const ref = s.$ref;
      if (!ref.startsWith('#')) return {};
      let target = this.root;
      for (const raw of ref.slice(1).split('/').filter(Boolean)) {
        const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
        target = target && typeof target === 'object' ? target[key] : undefined;
      }
      const { $ref, ...rest } = s;
      s = { ...(target || {}), ...rest };
    }
    return s;
  }
  value(schema, key, depth) {
    let s = this.resolve(schema);
    if (s === true || s === undefined || s === null) s = {};
    if (s === false) return null;
    if (depth > 8) return this.minimal(s);
    if ('const' in s) return s.const;
    if (Array.isArray(s.enum) && s.enum.length) {
      const nonNull = s.enum.filter((v) => v !== null);
      return this.rng.pick(nonNull.length ? nonNull : s.enum);
    }
    if (Array.isArray(s.allOf) && s.allOf.length)
      return this.value(
        mergeAll(
          s,
          s.allOf.map((x) => this.resolve(x)),
        ),
        key,
        depth,
      );
    for (const k of ['oneOf', 'anyOf']) {
      if (Array.isArray(s[k]) && s[k].length) {
        const branches = s[k].map((x) => this.resolve(x));
        const chosen = branches.find((b) => b && b.type !== 'null') || branches[0];
        const { [k]: _drop, ...rest } = s;
        return this.value({ ...rest, ...chosen }, key, depth);
      }
    }
    switch (typeOf(s)) {
      case 'object':
        return this.object(s, depth);
      case 'array':
        return this.array(s, key, depth);
      case 'integer':
        return this.number(s, true);
      case 'number':
        return this.number(s, false);
      case 'boolean':
        return this.rng.next() < 0.5;
      case 'null':
        return null;
      default:
        return this.string(s, key);
    }
  }
  minimal(s) {
    switch (typeOf(s)) {
      case 'object': {
        const o = {};
        for (const r of s.required || []) o[r] = this.string({}, r);
        return o;
      }
      case 'array':
        return [];
      case 'integer':
      case 'number':
        return this.number(s, typeOf(s) === 'integer');
      case 'boolean':
        return false;
      case 'null':
        return null;
      default:
        return this.string(s, '');
    }
  }
  object(s, depth) {
    const out = {};
    const props = s.properties && typeof s.properties === 'object' ? s.properties : {};
    for (const [k, sub] of Object.entries(props)) out[k] = this.value(sub, k, depth + 1);
    for (const r of s.required || []) {
      if (!(r in out)) {
        const extra =
          s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
        out[r] = this.value(extra, r, depth + 1);
      }
    }
    const minProps = s.minProperties || 0;
    for (let i = 0; Object.keys(out).length < minProps && i < 50; i++) {
      const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : {};
      out[`${this.rng.pick(this.words)}_${i}`] = this.value(extra, '', depth + 1);
    }
    return out;
  }
  array(s, key, depth) {
    const itemSchema = Array.isArray(s.items) ? null : s.items || {};
    const prefix = Array.isArray(s.prefixItems) ? s.prefixItems : Array.isArray(s.items) ? s.items : [];
    const min = Math.max(s.minItems || 0, prefix.length);
    let max = s.maxItems ?? Math.max(min, 3);
    if (itemSchema === null || s.items === false) max = Math.min(max, prefix.length);
    let n = Math.max(min, Math.min(max, this.rng.int(1, 3)));
    if (itemSchema === null || s.items === false) n = Math.min(n, prefix.length);
    const out = [];
    const singular = key?.endsWith('s') ? key.slice(0, -1) : key;
    for (let i = 0; i < n; i++) {
      const sub = i < prefix.length ? prefix[i] : itemSchema;
      let v = this.value(sub, singular, depth + 1);
      if (s.uniqueItems) {
        for (let t = 0; t < 20 && out.some((o) => JSON.stringify(o) === JSON.stringify(v)); t++)
          v = this.value(sub, singular, depth + 1);
        if (out.some((o) => JSON.stringify(o) === JSON.stringify(v))) {
          if (out.length >= min) break;
        }
      }
      out.push(v);
    }
    return out;
  }
  number(s, integer) {
    let lo = typeof s.minimum === 'number' ? s.minimum : -Infinity;
    let hi = typeof s.maximum === 'number' ? s.maximum : Infinity;
    const step = integer ? 1 : 0.01;
    if (typeof s.exclusiveMinimum === 'number') lo = Math.max(lo, s.exclusiveMinimum + step);
    else if (s.exclusiveMinimum === true && lo > -Infinity) lo += step;
    if (typeof s.exclusiveMaximum === 'number') hi = Math.min(hi, s.exclusiveMaximum - step);
    else if (s.exclusiveMaximum === true && hi < Infinity) hi -= step;
    if (lo === -Infinity && hi === Infinity) {
      lo = 1;
      hi = 100;
    } else if (lo === -Infinity) lo = hi - 100;
    else if (hi === Infinity) hi = lo + 100;
    if (integer) {
      lo = Math.ceil(lo);
      hi = Math.floor(hi);
    }
    let x = lo + this.rng.next() * Math.max(0, hi - lo);
    if (typeof s.multipleOf === 'number' && s.multipleOf > 0) {
      const m = s.multipleOf;
      x = Math.ceil(lo / m) * m;
      const count = Math.floor((hi - x) / m);
      if (count > 0) x += this.rng.int(0, Math.min(count, 100)) * m;
      x = Number(x.toFixed(10));
      return x;
    }
    if (integer) return Math.min(hi, Math.max(lo, Math.round(x)));
    return Math.min(hi, Math.max(lo, Math.round(x * 100) / 100));
  }
  string(s, key) {
    const k = (key || '').toLowerCase();
    const w = () => this.rng.pick(this.words);
    let v;
    const fmt = s.format;
    if (fmt === 'date' || (/(^|_)date$/.test(k) && !fmt))
      v = `2024-${pad(this.rng.int(1, 12))}-${pad(this.rng.int(1, 28))}`;
    else if (fmt === 'date-time')
      v = `2024-${pad(this.rng.int(1, 12))}-${pad(this.rng.int(1, 28))}T${pad(this.rng.int(0, 23))}:${pad(this.rng.int(0, 59))}:00Z`;
    else if (fmt === 'time') v = `${pad(this.rng.int(0, 23))}:${pad(this.rng.int(0, 59))}:00`;
    else if (fmt === 'email' || /email/.test(k)) v = `${w()}@example.com`;
    else if (fmt === 'uuid') v = uuid(this.rng);
    else if (fmt === 'uri' || fmt === 'url' || /(^|_)(url|uri|link|href)$/.test(k)) v = `https://example.com/${w()}`;
    else if (fmt === 'ipv4') v = `192.0.2.${this.rng.int(1, 254)}`;
    else if (/(^id$|_id$|^.+id$)/.test(k)) v = `${w()}-${this.rng.int(1, 999)}`;
    else if (/(query|search|keyword|term|question|prompt)/.test(k)) v = this.phrase(this.rng.int(2, 5));
    else if (/(name|title|label|tag|category|kind|type|mode|status|method|operation|verb|role)$/.test(k))
      v = this.phrase(this.rng.int(1, 3));
    else if (
      /(description|summary|reason|rationale|explanation|analysis|text|message|note|feedback|suggestion|comment|content|instruction|plan|thought|answer|observation|finding|critique|detail|doc)/.test(
        k,
      )
    )
      v = this.sentence(8, 16);
    else v = this.phrase(this.rng.int(1, 4));
    const min = s.minLength || 0;
    const max = s.maxLength ?? Infinity;
    while (v.length < min) v += ` ${w()}`;
    if (v.length > max) v = v.slice(0, max).trimEnd();
    while (v.length < min) v += 'x';
    return v;
  }
}

function pad(n) {
  return String(n).padStart(2, '0');
}

function uuid(rng) {
  const hex = () => Math.floor(rng.next() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

function typeOf(s) {
  let t = s.type;
  if (Array.isArray(t)) t = t.find((x) => x !== 'null') || t[0];
  if (typeof t === 'string') return t;
  if (s.properties || s.required || s.additionalProperties !== undefined) return 'object';
  if (s.items || s.prefixItems) return 'array';
  if (typeof s.minimum === 'number' || typeof s.maximum === 'number') return 'number';
  return 'string';
}

function mergeAll(base, parts) {
  const { allOf, ...rest } = base;
  const out = { ...rest, properties: { ...(rest.properties || {}) }, required: [...(rest.required || [])] };
  for (const p of parts) {
    if (!p || typeof p !== 'object') continue;
    for (const [k, v] of Object.entries(p)) {
      if (k === 'properties') Object.assign(out.properties, v);
      else if (k === 'required') out.required.push(...v);
      else if (!(k in out)) out[k] = v;
    }
  }
  if (!Object.keys(out.properties).length) delete out.properties;
  if (!out.required.length) delete out.required;
  return out;
}

export function generate(schema, messages) {
  const words = promptWords(messages);
  const seed = hash(messages.map((m) => `${m.role}:${contentText(m.content)}`).join('\n'));
  return new Gen(schema, words, new Rng(seed)).value(schema, '', 0);
}

export function autoText(messages) {
  const words = promptWords(messages);
  const rng = new Rng(hash(messages.map((m) => contentText(m.content)).join('\n')));
  return new Gen({}, words, rng).sentence(8, 16);
}

/// A schema written into the prompt: a ```json block after "JSON Schema" (system first).
export function schemaInPrompt(messages) {
  let best = null;
  messages.forEach((m, idx) => {
    const text = contentText(m.content);
    for (const f of text.matchAll(/```(?:json)?\s*\n([\s\S]*?)```/g)) {
      let v;
      try {
        v = JSON.parse(f[1]);
      } catch {
        continue;
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) continue;
      if (!('type' in v || 'properties' in v || '$schema' in v || 'anyOf' in v || 'oneOf' in v)) continue;
      const before = text.slice(Math.max(0, f.index - 300), f.index);
      const score = (/json schema/i.test(before) ? 2 : 0) + (m.role === 'system' ? 1 : 0);
      if (!best || score >= best.score) best = { schema: v, score, idx };
    }
  });
  return best && best.score >= 2 ? best.schema : null;
}

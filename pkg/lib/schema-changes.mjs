// Structural changes to an operation's schema (a run's `schemaChanges`, or the differences
// `tooldraft diff` finds) as words, and the user's accept/reject decisions applied to a
// document. Pure functions: the CLI, the HTML report and the web app share them.
import { stringifyJson } from './json.mjs';

/** Control characters out, length capped: tool-derived text is shown as plain text. */
function plain(v, max = 80) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters from tool-derived text is the point
  const s = (typeof v === 'string' ? v : (stringifyJson(v) ?? 'null')).replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

function list(v) {
  return Array.isArray(v) ? v.map((x) => plain(x, 40)).join(', ') : plain(v);
}

/** JSON pointer segments, unescaped (`~1` → `/`, `~0` → `~`). */
function segments(pointer) {
  return pointer
    .split('/')
    .slice(1)
    .map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
}

/** `/schema/items/properties/range/required` → `[].range`. */
function nestedPath(pointer) {
  const keys = segments(pointer).slice(1, -1);
  let out = '';
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === 'items') out += '[]';
    else if (keys[i] === 'properties' && i + 1 < keys.length) out += `.${plain(keys[++i], 60)}`;
  }
  return out;
}

/**
 * One change in words: "unit: allowed values metric, imperial", "city: required".
 * @param {import('./run-report.d.mts').SchemaChangeLike} c
 */
export function describeSchemaChange(c) {
  const p = c.parameter ? `${plain(c.parameter, 60)}: ` : '';
  if (c.status === 'conflict') return `${p}${c.kind}: conflicting evidence, unchanged (${plain(c.reason, 160)})`;
  switch (c.kind) {
    case 'required':
      // A nested object's list (`/schema/items/required`): "entities[]: requires name, observations".
      if (c.pointer !== '/required') {
        const at = nestedPath(c.pointer);
        return `${plain(c.parameter ?? '', 60)}${at}: requires ${Array.isArray(c.after) && c.after.length ? list(c.after) : '(nothing)'}`;
      }
      return `${p}${c.after ? 'required' : 'optional'}`;
    case 'enum':
      return `${p}allowed values ${Array.isArray(c.after) && c.after.length ? list(c.after) : '(any)'}`;
    case 'type':
    case 'nullable':
      return `${p}type ${c.before == null ? '(any)' : list(c.before)} → ${c.after == null ? '(any)' : list(c.after)}`;
    case 'format':
    case 'pattern':
      return `${p}${c.kind} ${c.after == null ? 'removed' : plain(c.after)}`;
    case 'responseSchema':
      return c.before == null
        ? 'response schema added'
        : c.after == null
          ? 'response schema removed'
          : 'response schema changed';
    default:
      return `${p}${plain(c.kind)} changed`;
  }
}

/**
 * Lines for a terminal: per operation, its schema changes with the trails behind them.
 * @param {{operations?: Array<{id: string, schemaChanges?: import('./run-report.d.mts').SchemaChangeLike[]}>}} report
 */
export function schemaChangeLines(report) {
  const out = [];
  for (const op of report.operations ?? []) {
    for (const c of op.schemaChanges ?? []) {
      const trails = c.trails?.length
        ? ` [${c.trails
            .slice(0, 4)
            .map((t) => plain(t, 60))
            .join(', ')}${c.trails.length > 4 ? ', …' : ''}]`
        : '';
      const status = c.status === 'proposed' ? ' (proposed, not applied)' : '';
      out.push(`  ${plain(op.id, 80)}: schema: ${describeSchemaChange(c)}${status}${trails}`);
    }
  }
  return out;
}

function setField(op, c, value) {
  if (!c.parameter) {
    if (c.pointer === '/responseSchema') {
      if (value == null) delete op.responseSchema;
      else op.responseSchema = structuredClone(value);
    }
    return;
  }
  const p = op.parameters?.find((x) => x.name === c.parameter);
  if (!p) return;
  if (c.pointer === '/required') p.required = Boolean(value);
  else if (c.pointer === '/enumValues') {
    p.enumValues = Array.isArray(value) ? structuredClone(value) : [];
    if (p.schema && typeof p.schema === 'object' && 'enum' in p.schema) {
      if (p.enumValues.length) p.schema.enum = structuredClone(value);
      else delete p.schema.enum;
    }
  } else if (c.pointer.startsWith('/schema/')) {
    // A JSON pointer into the parameter's schema: `/schema/type`, `/schema/items/required`.
    const keys = segments(c.pointer).slice(1);
    const key = keys.pop();
    p.schema = p.schema && typeof p.schema === 'object' ? p.schema : {};
    let at = p.schema;
    for (const k of keys) at = at && typeof at === 'object' && Object.hasOwn(at, k) ? at[k] : undefined;
    // A nested field is written only where its object schema exists.
    if (!at || typeof at !== 'object' || Array.isArray(at)) return;
    if (value == null) delete at[key];
    else at[key] = structuredClone(value);
  }
}

/**
 * Applies the user's decisions to an operation of the refined document (in place): a
 * rejected change is undone, an accepted proposal is written. Conflicts change nothing.
 * @param {Record<string, unknown>} op
 * @param {import('./run-report.d.mts').SchemaChangeLike[]} changes
 * @param {Record<string, 'accept' | 'reject'>} decisions keyed by change id
 */
export function applySchemaDecisions(op, changes, decisions) {
  for (const c of changes ?? []) {
    if (c.status === 'conflict') continue;
    const d = decisions?.[c.id];
    const wanted = d === 'reject' ? false : d === 'accept' ? true : c.status === 'applied';
    setField(op, c, wanted ? c.after : c.before);
  }
  return op;
}

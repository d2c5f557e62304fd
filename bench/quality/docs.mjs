// docs.mjs: the benchmark's documents. Reads the real docs of the testbed's tools (MCP
// tools/list of server-everything and server-memory, httpbin's /spec.json, the json-server
// OpenAPI in sources/), finds an operation inside its document, and plants the defects of
// defects.mjs programmatically (each planted change checked against the live original first).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mcpSession, httpCall } from './probe.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The benchmark's sources: which testbed server each needs, its format, how tooldraft reaches it. */
export const SOURCES = {
  everything: { server: 'everything', format: 'mcp', file: 'everything-tools.json' },
  memory: { server: 'memory', format: 'mcp', file: 'memory-tools.json' },
  httpbin: { server: 'httpbin', format: 'swagger', file: 'httpbin-spec.json' },
  jsonserver: { server: 'jsonserver', format: 'openapi', file: 'jsonserver-openapi.json' },
};

/** Reads every source's real document from the running testbed (`urls` from startTestbed). */
export async function loadSources(urls) {
  const out = {};
  for (const [name, s] of Object.entries(SOURCES)) {
    if (s.format === 'mcp') out[name] = await (await mcpSession(urls[s.server])).list();
    else if (name === 'httpbin') out[name] = (await httpCall(urls.httpbin, 'GET', '/spec.json')).json;
    else out[name] = JSON.parse(readFileSync(join(HERE, 'sources', s.file), 'utf8'));
  }
  return out;
}

const esc = (k) => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
const unesc = (k) => k.replace(/~1/g, '/').replace(/~0/g, '~');

/** The JSON pointer of operation `op` ("name" for MCP, "METHOD /path" otherwise) in `doc`. */
export function operationPointer(doc, format, op) {
  if (format === 'mcp') {
    const i = (doc.tools ?? []).findIndex((t) => t.name === op);
    if (i < 0) throw new Error(`no MCP tool named ${op}`);
    return `/tools/${i}`;
  }
  const [method, path] = op.split(' ');
  if (!doc.paths?.[path]?.[method.toLowerCase()]) throw new Error(`no operation ${op}`);
  return `/paths/${esc(path)}/${method.toLowerCase()}`;
}

/** Every operation of a document: [{op, pointer}] in document order. */
export function operations(doc, format) {
  if (format === 'mcp') return (doc.tools ?? []).map((t, i) => ({ op: t.name, pointer: `/tools/${i}` }));
  const out = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const m of ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']) {
      if (item?.[m]) out.push({ op: `${m.toUpperCase()} ${path}`, pointer: `/paths/${esc(path)}/${m}` });
    }
  }
  return out;
}

function parts(pointer) {
  return pointer === '' ? [] : pointer.slice(1).split('/').map(unesc);
}

/** The value at `pointer` (undefined when absent). */
export function getAt(doc, pointer) {
  let v = doc;
  for (const k of parts(pointer)) {
    if (v === null || typeof v !== 'object') return undefined;
    v = v[k];
  }
  return v;
}

function parentOf(doc, pointer) {
  const ks = parts(pointer);
  const last = ks.pop();
  const parent = getAt(doc, ks.length ? `/${ks.map(esc).join('/')}` : '');
  if (parent === null || typeof parent !== 'object') throw new Error(`no parent for ${pointer}`);
  return { parent, key: last };
}

/** `$ref`s inside the document resolved (local ones only), for comparing schemas. */
export function deref(doc, value, depth = 0) {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => deref(doc, v, depth + 1));
  if (typeof value.$ref === 'string' && value.$ref.startsWith('#'))
    return deref(doc, getAt(doc, value.$ref.slice(1)), depth + 1);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(doc, v, depth + 1)]));
}

/**
 * Plants `defects` into a deep copy of each source. Returns {docs, planted}: the planted
 * documents by source, and per defect its absolute pointer and the original value (the fix
 * the scorer expects). Throws when a defect does not fit the live document (a pointer that
 * is not there, an item that is not in its array), so a changed upstream is noticed.
 */
export function plant(sources, defects) {
  const docs = Object.fromEntries(Object.entries(sources).map(([k, v]) => [k, structuredClone(v)]));
  const planted = [];
  for (const d of defects) {
    const { format } = SOURCES[d.source];
    const doc = docs[d.source];
    const opPtr = operationPointer(doc, format, d.op);
    const pointer = opPtr + d.pointer;
    const original = structuredClone(getAt(sources[d.source], pointer));
    if (original === undefined) throw new Error(`${d.id}: nothing at ${pointer} in the real ${d.source} document`);
    const { parent, key } = parentOf(doc, pointer);
    if (d.plant.remove) {
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if ('set' in d.plant) {
      parent[key] = d.plant.set;
    } else if ('removeItem' in d.plant) {
      const arr = parent[key];
      if (!Array.isArray(arr) || !arr.includes(d.plant.removeItem))
        throw new Error(`${d.id}: ${JSON.stringify(d.plant.removeItem)} is not in ${pointer}`);
      parent[key] = arr.filter((x) => x !== d.plant.removeItem);
      if (parent[key].length === 0) delete parent[key];
    } else {
      throw new Error(`${d.id}: unknown planted change ${JSON.stringify(d.plant)}`);
    }
    planted.push({
      ...d,
      opPointer: opPtr,
      absPointer: pointer,
      original,
      originalOp: deref(sources[d.source], getAt(sources[d.source], opPtr)),
    });
  }
  return { docs, planted };
}

/** The operations of `source` that carry a defect, as tooldraft's operation ids (the MCP
 * tool name; the `operationId`, else "METHOD /path"). */
export function defectOperationIds(doc, defects, source) {
  const { format } = SOURCES[source];
  const ops = [...new Set(defects.filter((d) => d.source === source).map((d) => d.op))];
  if (format === 'mcp') return ops;
  return ops.map((op) => getAt(doc, operationPointer(doc, format, op))?.operationId ?? op);
}

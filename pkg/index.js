// tooldraft's entry for browsers, Web Workers and bundlers (and, through node.js, Node).
//
// Two wasm modules, built from the same crate (scripts/build.sh, README "Two wasm modules"):
//   - the document module (gen/tooldraft_document_bg.wasm): parseDoc, inspect, convert,
//     exportDoc, diffText, parseQueries, parseJson, evaluationHtml, evaluationChart, errorCodes,
//     errorCategory, escapeHtml, version: every format is read and written here;
//   - the engine module (gen/tooldraft_bg.wasm): Refiner, evaluate, exploreHeldOut, listMcpTools,
//     check, calibrate, compareDocs. It reads and writes no format: this file parses a document's
//     text with the document module before handing the engine an object, and writes the refined
//     document back in its format (`text`, `lost`) with it afterwards.
//
// Loading:
//   - browsers, workers, bundlers (Vite, …): `await init()` loads the document module; the engine
//     is loaded on first use (the Promise-returning functions and `Refiner.run` load it
//     themselves; `compareDocs` is synchronous: `await loadEngine()` first);
//   - `init({document, engine})` / `initSync({document, engine})`: each module from what is given,
//     as CommonJS and IDE-extension bundles do, where `import.meta.url` is empty (`engine` may be
//     a function returning the bytes, called synchronously when the engine is first needed);
//   - `init(input)` / `initSync(bytes)` with one module: the document module; the engine then
//     comes from the file beside this one;
//   - Node: import `tooldraft` (node.js), which does the second with the files on disk.
//
// Everything else is the wasm façade (src/wasm/), wrapped only to give a clear error when it is
// called before initialisation, to load the engine and to parse and write documents around it.
// Types: index.d.ts. Errors: `Error`s whose `name` is a stable code.

import initDocument, * as documentWasm from './gen/tooldraft_document.js';
import initEngine, * as engineWasm from './gen/tooldraft.js';

/** The document module, once instantiated. */
let wasm = null;
/** The engine module, once instantiated. */
let engine = null;
/** Where the engine comes from: a function returning its bytes, or what `initEngine` takes. */
let engineSource = null;
let engineLoading = null;

function codedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

function need() {
  if (!wasm) {
    throw codedError(
      'NotInitialized',
      'tooldraft is not initialised: call `await init()` (browsers, workers, bundlers) or ' +
        '`initSync({document, engine})` (CommonJS and extension bundles) first, or import it in Node, which ' +
        'initialises it for you',
    );
  }
  return wasm;
}

/** The engine module, instantiated now if its bytes can be had synchronously; else an error. */
function engineNow() {
  need();
  if (!engine && typeof engineSource === 'function') {
    instantiating('engine', () => engineWasm.initSync({ module: engineSource() }));
    engine = engineWasm;
  }
  if (!engine) {
    throw codedError(
      'NotInitialized',
      "tooldraft's engine is not loaded: `await loadEngine()` first (the functions that return a Promise load it themselves)",
    );
  }
  return engine;
}

/** True for `{document, engine}`, the two-module form of `init` and `initSync`. */
function isModulePair(input) {
  return (
    input !== undefined &&
    input !== null &&
    Object.getPrototypeOf(input) === Object.prototype &&
    ('document' in input || 'engine' in input)
  );
}

/** wasm-bindgen's `{module_or_path}` form of an input. */
function bindgenInput(input) {
  if (input !== undefined && input !== null && Object.getPrototypeOf(input) === Object.prototype) return input;
  return { module_or_path: input };
}

/**
 * Runs `instantiate` (which instantiates one module, `which`: 'document' or 'engine'); a module
 * that is not the one expected (the two are easy to swap) fails to link, its imports naming
 * the other module's glue (a `LinkError`, or a `TypeError` about an import): say so.
 */
function instantiating(which, instantiate) {
  const fail = (e) => {
    const linking = e instanceof WebAssembly.LinkError || (e instanceof TypeError && /\bimport/i.test(e.message));
    if (!linking) throw e;
    const file = which === 'document' ? 'tooldraft_document_bg.wasm' : 'tooldraft_bg.wasm';
    throw codedError(
      'InvalidArgument',
      `the ${which} module given is not ${file} of this version of tooldraft (${e.message}); ` +
        'pass both as {document, engine}',
    );
  };
  try {
    const result = instantiate();
    return result instanceof Promise ? result.catch(fail) : result;
  } catch (e) {
    return fail(e);
  }
}

/** The URL of a module beside this file, or a clear error where there is none (CommonJS bundles). */
function besideThis(file) {
  try {
    return new URL(`./gen/${file}`, import.meta.url);
  } catch {
    throw codedError(
      'NotInitialized',
      `tooldraft cannot find ${file} (this bundle has no module URL): give it to init({document, engine}) or initSync({document, engine})`,
    );
  }
}

/**
 * Loads the wasm. With no `input`: the document module beside this module, and the engine on
 * first use. With `{document, engine}`: each from what is given (a URL, a `Response`, a
 * `BufferSource` or a `WebAssembly.Module`; `engine` may also be a function returning bytes).
 * With any other `input`: the document module from it, the engine from beside this module.
 * Safe to call more than once.
 */
export default async function init(input) {
  if (wasm) return;
  const { document, engine: given } = isModulePair(input) ? input : { document: input ?? undefined };
  engineSource = given ?? null;
  await instantiating('document', () =>
    initDocument(bindgenInput(document ?? besideThis('tooldraft_document_bg.wasm'))),
  );
  wasm = documentWasm;
}

/**
 * Loads the wasm synchronously: from `{document, engine}`, the document module's bytes (or a
 * compiled `WebAssembly.Module`) now and the engine's (bytes, or a function returning them) on
 * first use; or from the document module's bytes alone (the engine then comes from beside this
 * module, asynchronously: `await loadEngine()`).
 */
export function initSync(bytes) {
  if (wasm) return;
  const { document, engine: given } = isModulePair(bytes) ? bytes : { document: bytes };
  if (document === undefined || document === null) {
    throw codedError(
      'InvalidArgument',
      'initSync needs {document, engine}: the bytes of tooldraft_document_bg.wasm and of tooldraft_bg.wasm ' +
        '(an ArrayBuffer, a typed array or a WebAssembly.Module; engine may be a function returning them)',
    );
  }
  engineSource = given === undefined || given === null || typeof given === 'function' ? given : () => given;
  instantiating('document', () => documentWasm.initSync({ module: document }));
  wasm = documentWasm;
}

/** True once `init` or `initSync` has run. */
export function isInitialized() {
  return wasm !== null;
}

/** True once the engine module is instantiated. */
export function isEngineLoaded() {
  return engine !== null;
}

/**
 * Loads the engine module now, from where `init` said (by default the file beside this
 * module). The engine's Promise-returning functions call it themselves; `compareDocs`,
 * which is synchronous, needs it first in browsers.
 */
export async function loadEngine() {
  need();
  if (engine) return;
  if (typeof engineSource === 'function') {
    engineNow();
    return;
  }
  engineLoading ??= (async () =>
    instantiating('engine', () => initEngine(bindgenInput(engineSource ?? besideThis('tooldraft_bg.wasm')))))().then(
    () => {
      engine = engineWasm;
    },
    (e) => {
      engineLoading = null;
      throw e;
    },
  );
  await engineLoading;
}

/** The engine module, loading it first when needed. */
async function engineLater() {
  await loadEngine();
  return engine;
}

/** An engine function's document: a text is read here (the engine reads no format). */
function readDoc(doc) {
  return typeof doc === 'string' ? need().parseDoc(doc) : doc;
}

/** `evaluate`'s doc versions, `{label, text}` read into `{label, doc}`; errors name the version. */
function readVersions(docs) {
  if (!Array.isArray(docs)) return docs;
  return docs.map((version) => {
    if (version === null || typeof version !== 'object' || (version.text === undefined && version.doc !== undefined)) {
      return version;
    }
    try {
      return { label: version.label, doc: need().parseDoc(version.text) };
    } catch (e) {
      if (e instanceof Error) e.message = `docs "${version.label}": ${e.message}`;
      throw e;
    }
  });
}

/**
 * `Refiner.run`'s result with the refined document written in its own format: `text` (null
 * when it cannot be written, with `exportError` saying why) and `lost`.
 */
function withText({ doc, report, state }) {
  let exported = null;
  let exportError;
  if (doc?.format) {
    try {
      exported = need().exportDoc(doc, doc.format);
    } catch (e) {
      exportError = e instanceof Error ? e.message : String(e);
    }
  } else {
    exportError = 'the document has no format to write';
  }
  const text = exported?.text ?? null;
  const lost = exported?.lost ?? [];
  return exportError === undefined
    ? { doc, text, lost, report, state }
    : { doc, text, exportError, lost, report, state };
}

export function version() {
  return need().version();
}

export function parseDoc(text, format) {
  return need().parseDoc(text, format);
}

export function inspect(text, format) {
  return need().inspect(text, format);
}

export function convert(text, to, from) {
  return need().convert(text, to, from);
}

export function exportDoc(doc, to) {
  return need().exportDoc(doc, to);
}

export function parseQueries(text) {
  return need().parseQueries(text);
}

export function errorCodes() {
  return need().errorCodes();
}

export function errorCategory(code) {
  return need().errorCategory(code);
}

export function parseJson(text) {
  return need().parseJson(text);
}

export { stringifyJson } from './lib/json.mjs';

export function diffText(before, after) {
  return need().diffText(before, after);
}

/** HTML-escapes text (element content and attribute values): the core's one escaper. */
export function escapeHtml(text) {
  need();
  return wasm.escapeHtml(String(text));
}

export async function listMcpTools(url, options) {
  return (await engineLater()).listMcpTools(url, options);
}

export async function evaluate(options, runOptions) {
  const input =
    options !== null && typeof options === 'object' && 'docs' in options
      ? { ...options, docs: readVersions(options.docs) }
      : options;
  return (await engineLater()).evaluate(input, runOptions);
}

export function evaluationHtml(report) {
  return need().evaluationHtml(report);
}

export function evaluationChart(report) {
  return need().evaluationChart(report);
}

export async function exploreHeldOut(config, doc, options) {
  const input = readDoc(doc);
  return (await engineLater()).exploreHeldOut(config, input, options);
}

export async function check(doc, options) {
  const input = readDoc(doc);
  return (await engineLater()).check(input, options);
}

export async function calibrate(set, options) {
  return (await engineLater()).calibrate(set, options);
}

/** Synchronous: in browsers, `await loadEngine()` first (Node loads the engine here). */
export function compareDocs(before, after) {
  const compare = engineNow().compareDocs;
  return compare(readDoc(before), readDoc(after));
}

/**
 * Refines a document's tool docs by letting a model use the tool. The config is checked here
 * when the engine is loaded (always in Node); otherwise the engine is loaded by `run`, which
 * then rejects with what the constructor would have thrown.
 */
export class Refiner {
  #inner = null;
  #config;
  #starting = false;
  #cancelled = false;

  constructor(config) {
    need();
    this.#config = config;
    if (engine || typeof engineSource === 'function') this.#inner = new (engineNow().Refiner)(config);
  }

  /** Resolves with `{doc, text, report, state}`; see index.d.ts. */
  async run(doc, options) {
    const input = readDoc(doc);
    if (!this.#inner) {
      this.#starting = true;
      this.#cancelled = false;
      try {
        await loadEngine();
      } finally {
        this.#starting = false;
      }
      this.#inner ??= new engine.Refiner(this.#config);
      if (this.#cancelled) {
        // Cancelled while the engine loaded: the run starts aborted, so it ends as the core
        // ends an aborted run.
        const aborted = new AbortController();
        aborted.abort();
        return withText(await this.#inner.run(input, { ...options, signal: aborted.signal }));
      }
    }
    return withText(await this.#inner.run(input, options));
  }

  /** Stops the current run, as aborting its signal would. */
  cancel() {
    if (this.#starting) this.#cancelled = true;
    this.#inner?.cancel();
  }

  /** True while a run is going. */
  get running() {
    return this.#starting || (this.#inner?.running ?? false);
  }

  /** Frees the wasm memory now (otherwise it is freed when this object is collected). */
  free() {
    this.#inner?.free();
  }

  [Symbol.dispose]() {
    this.free();
  }
}

// tooldraft's entry for browsers, Web Workers and bundlers (and, through node.js, Node).
//
// Two wasm modules, built from the same crate (scripts/build.sh, README "Two wasm modules"):
//   - the document module (gen/tooldraft_document_bg.wasm, ~315 KB gzip): parseDoc, inspect,
//     convert, exportDoc, diffText, parseQueries, parseJson, evaluationHtml, evaluationChart,
//     errorCodes, errorCategory, version;
//   - the full module (gen/tooldraft_bg.wasm, ~742 KB gzip): all of that plus the engine:
//     Refiner, evaluate, exploreHeldOut, listMcpTools, check, calibrate, compareDocs.
//
// Loading:
//   - browsers, workers, bundlers (Vite, …): `await init()` loads the document module; the full
//     module is loaded on first use of the engine (the Promise-returning functions and
//     `Refiner.run` load it themselves; `compareDocs` is synchronous: `await loadEngine()` first);
//   - `await init(input)` or `initSync(bytes)` with the full module (`tooldraft/tooldraft_bg.wasm`),
//     as CommonJS and IDE-extension bundles do, where `import.meta.url` is empty: that one module
//     serves everything;
//   - `init({document, engine})` / `initSync({document, engine})`: the document module now and
//     the full one on first use, each from what is given (`engine` may be a function returning
//     the bytes, called synchronously when the engine is first needed);
//   - Node: import `tooldraft` (node.js), which does the last with the files on disk.
//
// Everything else is the wasm façade (src/wasm/), wrapped only to give a clear error when it is
// called before initialisation and to load the engine. Types: index.d.ts. Errors: `Error`s
// whose `name` is a stable code.

import initDocument, * as documentWasm from './gen/tooldraft_document.js';
import initFull, * as fullWasm from './gen/tooldraft.js';

/** The module the document functions call: the document module, or the full one when given. */
let wasm = null;
/** The full module, once instantiated. */
let engine = null;
/** Where the full module comes from: a function returning its bytes, or what `initFull` takes. */
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
      'tooldraft is not initialised: call `await init()` (browsers, workers, bundlers) or `initSync(bytes)` ' +
        '(CommonJS and extension bundles) first, or import it in Node, which initialises it for you',
    );
  }
  return wasm;
}

/** The full module, instantiated now if its bytes can be had synchronously; else an error. */
function engineNow() {
  need();
  if (!engine && typeof engineSource === 'function') {
    fullWasm.initSync({ module: engineSource() });
    engine = fullWasm;
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
 * Loads the wasm. With no `input`: the document module beside this module, and the full one
 * on first use of the engine. With `{document, engine}`: each from what is given (a URL, a
 * `Response`, a `BufferSource` or a `WebAssembly.Module`; `engine` may also be a function
 * returning bytes). With any other `input`: the full module from it, for everything. Safe to
 * call more than once.
 */
export default async function init(input) {
  if (wasm) return;
  if (input === undefined || input === null || isModulePair(input)) {
    const { document, engine: full } = input ?? {};
    engineSource = full ?? null;
    await initDocument(bindgenInput(document ?? new URL('./gen/tooldraft_document_bg.wasm', import.meta.url)));
    wasm = documentWasm;
  } else {
    await initFull(bindgenInput(input));
    wasm = engine = fullWasm;
  }
}

/**
 * Loads the wasm synchronously: from the full module's bytes (or a compiled
 * `WebAssembly.Module`), for everything; or from `{document, engine}`, the document module's
 * bytes now and the full module's (bytes, or a function returning them) on first use.
 */
export function initSync(bytes) {
  if (wasm) return;
  if (bytes === undefined || bytes === null) {
    throw codedError(
      'InvalidArgument',
      'initSync needs the bytes of tooldraft_bg.wasm (an ArrayBuffer, a typed array or a WebAssembly.Module)',
    );
  }
  if (isModulePair(bytes)) {
    if (bytes.document === undefined || bytes.document === null) {
      throw codedError(
        'InvalidArgument',
        'initSync({document, engine}) needs the bytes of tooldraft_document_bg.wasm as document',
      );
    }
    const full = bytes.engine;
    engineSource = full === undefined || full === null || typeof full === 'function' ? full : () => full;
    documentWasm.initSync({ module: bytes.document });
    wasm = documentWasm;
  } else {
    fullWasm.initSync({ module: bytes });
    wasm = engine = fullWasm;
  }
}

/** True once `init` or `initSync` has run. */
export function isInitialized() {
  return wasm !== null;
}

/** True once the full module (the engine) is instantiated. */
export function isEngineLoaded() {
  return engine !== null;
}

/**
 * Loads the engine (the full module) now, from where `init` said (by default the file beside
 * this module). The engine's Promise-returning functions call it themselves; `compareDocs`,
 * which is synchronous, needs it first in browsers.
 */
export async function loadEngine() {
  need();
  if (engine) return;
  if (typeof engineSource === 'function') {
    engineNow();
    return;
  }
  engineLoading ??= initFull(bindgenInput(engineSource ?? new URL('./gen/tooldraft_bg.wasm', import.meta.url))).then(
    () => {
      engine = fullWasm;
    },
    (e) => {
      engineLoading = null;
      throw e;
    },
  );
  await engineLoading;
}

/** The full module, loading it first when needed. */
async function engineLater() {
  await loadEngine();
  return engine;
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
  return (await engineLater()).evaluate(options, runOptions);
}

export function evaluationHtml(report) {
  return need().evaluationHtml(report);
}

export function evaluationChart(report) {
  return need().evaluationChart(report);
}

export async function exploreHeldOut(config, doc, options) {
  return (await engineLater()).exploreHeldOut(config, doc, options);
}

export async function check(doc, options) {
  return (await engineLater()).check(doc, options);
}

export async function calibrate(set, options) {
  return (await engineLater()).calibrate(set, options);
}

/** Synchronous: in browsers, `await loadEngine()` first (Node loads the engine here). */
export function compareDocs(before, after) {
  return engineNow().compareDocs(before, after);
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
        return this.#inner.run(doc, { ...options, signal: aborted.signal });
      }
    }
    return this.#inner.run(doc, options);
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

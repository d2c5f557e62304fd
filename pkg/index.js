// tooldraft's entry for browsers, Web Workers and bundlers (and, through node.js, Node).
//
// The wasm must be loaded once before anything else is called:
//   - browsers, workers, bundlers (Vite, …): `await init()` (or `await init(urlOrBytesOrResponse)`);
//   - CommonJS and IDE-extension bundles, where `import.meta.url` is empty:
//     `initSync(bytes)` with the bytes of `tooldraft/tooldraft_bg.wasm` read however the host can;
//   - Node: import `tooldraft` (node.js), which reads the bytes from disk and initialises itself.
//
// Everything else is the wasm façade (src/wasm/), wrapped only to give a clear error when it is
// called before initialisation. Types: index.d.ts. Errors: `Error`s whose `name` is a stable code.

import initWasm, * as wasm from './gen/tooldraft.js';

let ready = false;

function codedError(name, message) {
  const e = new Error(message);
  e.name = name;
  return e;
}

function need() {
  if (!ready) {
    throw codedError(
      'NotInitialized',
      'tooldraft is not initialised: call `await init()` (browsers, workers, bundlers) or `initSync(bytes)` ' +
        '(CommonJS and extension bundles) first, or import it in Node, which initialises it for you',
    );
  }
}

/**
 * Loads the wasm. `input` may be a URL, a `Response`, a `BufferSource` or a
 * `WebAssembly.Module`; by default the file beside this module. Safe to call more than once.
 */
export default async function init(input) {
  if (ready) return;
  if (input !== undefined && input !== null && Object.getPrototypeOf(input) === Object.prototype) {
    await initWasm(input); // already wasm-bindgen's {module_or_path} form
  } else {
    await initWasm({ module_or_path: input ?? new URL('./gen/tooldraft_bg.wasm', import.meta.url) });
  }
  ready = true;
}

/** Loads the wasm synchronously from its bytes (or a compiled `WebAssembly.Module`). */
export function initSync(bytes) {
  if (ready) return;
  if (bytes === undefined || bytes === null) {
    throw codedError(
      'InvalidArgument',
      'initSync needs the bytes of tooldraft_bg.wasm (an ArrayBuffer, a typed array or a WebAssembly.Module)',
    );
  }
  wasm.initSync({ module: bytes });
  ready = true;
}

/** True once `init` or `initSync` has run. */
export function isInitialized() {
  return ready;
}

export function version() {
  need();
  return wasm.version();
}

export function parseDoc(text, format) {
  need();
  return wasm.parseDoc(text, format);
}

export function inspect(text, format) {
  need();
  return wasm.inspect(text, format);
}

export function convert(text, to, from) {
  need();
  return wasm.convert(text, to, from);
}

export function exportDoc(doc, to) {
  need();
  return wasm.exportDoc(doc, to);
}

export function parseQueries(text) {
  need();
  return wasm.parseQueries(text);
}

export function errorCodes() {
  need();
  return wasm.errorCodes();
}

export function errorCategory(code) {
  need();
  return wasm.errorCategory(code);
}

export function parseJson(text) {
  need();
  return wasm.parseJson(text);
}

export { stringifyJson } from './lib/json.mjs';

export function diffText(before, after) {
  need();
  return wasm.diffText(before, after);
}

export async function listMcpTools(url, options) {
  need();
  return wasm.listMcpTools(url, options);
}

export function evaluate(options, runOptions) {
  need();
  return wasm.evaluate(options, runOptions);
}

export function evaluationHtml(report) {
  need();
  return wasm.evaluationHtml(report);
}

export function evaluationChart(report) {
  need();
  return wasm.evaluationChart(report);
}

export function exploreHeldOut(config, doc, options) {
  need();
  return wasm.exploreHeldOut(config, doc, options);
}

export async function check(doc, options) {
  need();
  return wasm.check(doc, options);
}

export function calibrate(set, options) {
  need();
  return wasm.calibrate(set, options);
}

export function compareDocs(before, after) {
  need();
  return wasm.compareDocs(before, after);
}

/** Refines a document's tool docs by letting a model use the tool. */
export class Refiner {
  #inner;

  constructor(config) {
    need();
    this.#inner = new wasm.Refiner(config);
  }

  /** Resolves with `{doc, text, report, state}`; see index.d.ts. */
  run(doc, options) {
    return this.#inner.run(doc, options);
  }

  /** Stops the current run, as aborting its signal would. */
  cancel() {
    this.#inner.cancel();
  }

  /** True while a run is going. */
  get running() {
    return this.#inner.running;
  }

  /** Frees the wasm memory now (otherwise it is freed when this object is collected). */
  free() {
    this.#inner.free();
  }

  [Symbol.dispose]() {
    this.free();
  }
}

// node-llama-cpp for the local model server (serve-llm.mjs): finding the optional dependency,
// loading a model on the CPU from the prebuilt binary (never a GPU build, a compile or a
// download), and generating one answer at a time with grammar-constrained JSON.
//
//   const lib = await loadNodeLlamaCpp();               // throws MissingDependency with the npm command
//   const engine = await loadEngine(lib, { modelPath, contextSize: 4096, log: console.error });
//   const { promptTokens, slot } = engine.prepare(history);
//   const out = await engine.enqueue(() => engine.generate(req, { slot, grammar, maxTokens: 256 }));

import { createRequire } from 'node:module';
import { availableParallelism, homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { toGrammarSchema, UnsupportedSchema } from './llm-request.mjs';

export const NODE_LLAMA_CPP_VERSION = '3.21.1';
/** Defaults of the engine and the server. */
export const DEFAULTS = Object.freeze({
  contextSize: 4096,
  slots: 3,
  maxTokens: 256,
  temperature: 0.8,
  topP: 0.95,
  queueLimit: 32,
  bodyLimit: 4 << 20,
});

/** A failure to start, with a stable `code` (`MissingDependency`, `PortInUse`, `Model*`, ...). */
export class ServeError extends Error {
  constructor(code, message, options) {
    super(message, options);
    this.name = code;
    this.code = code;
  }
}

/** The platform's CPU-only prebuilt binary package of node-llama-cpp. */
function cpuBinaryPackage() {
  const { platform, arch } = process;
  if (platform === 'darwin') return arch === 'arm64' ? '@node-llama-cpp/mac-arm64-metal' : '@node-llama-cpp/mac-x64';
  if (platform === 'win32') return `@node-llama-cpp/win-${arch}`;
  return `@node-llama-cpp/${platform}-${arch}`;
}

/** Where `npm i --prefix` puts a private node-llama-cpp that serve-llm finds by itself. */
export function runtimeDir(env = process.env) {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'tooldraft', 'node');
}

/** What to run to install node-llama-cpp, for messages. */
export function installHint() {
  const v = NODE_LLAMA_CPP_VERSION;
  return (
    `install it next to tooldraft:\n  npm i -E node-llama-cpp@${v}\n` +
    `or, CPU-only and ~85 MB instead of ~700 MB, into tooldraft's own folder (found automatically):\n` +
    `  NODE_LLAMA_CPP_SKIP_DOWNLOAD=true npm i --prefix ${runtimeDir()} -E --omit=optional node-llama-cpp@${v} ${cpuBinaryPackage()}@${v}`
  );
}

/**
 * Imports node-llama-cpp: from `from` or TOOLDRAFT_NODE_LLAMA_CPP (a package folder or a
 * node_modules folder), else the usual resolution from this file (the repo's or the user's
 * node_modules), else the current directory, NODE_PATH, and tooldraft's runtime folder.
 * @param {{from?: string}} [opts]
 */
export async function loadNodeLlamaCpp(opts = {}) {
  const explicit = opts.from ?? process.env.TOOLDRAFT_NODE_LLAMA_CPP;
  const bases = explicit
    ? [explicit, join(explicit, 'node_modules')]
    : [
        null,
        process.cwd(),
        ...(process.env.NODE_PATH ?? '').split(delimiter).filter(Boolean),
        join(runtimeDir(), 'node_modules'),
      ];
  for (const base of bases) {
    let spec = 'node-llama-cpp';
    if (base !== null) {
      const direct = tryResolve(join(base, 'package.json'), '.');
      spec =
        direct ??
        tryResolve(join(base, 'package.json'), 'node-llama-cpp') ??
        tryResolve(join(base, 'x.js'), 'node-llama-cpp');
      if (!spec) continue;
      spec = pathToFileURL(spec).href;
    }
    try {
      return await import(spec);
    } catch (err) {
      if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('node-llama-cpp')) {
        throw new ServeError('MissingDependency', `node-llama-cpp could not be loaded: ${err.message}`, { cause: err });
      }
    }
  }
  throw new ServeError(
    'MissingDependency',
    `the local model needs node-llama-cpp, which is not installed; ${installHint()}`,
  );
}

function tryResolve(from, what) {
  try {
    if (what === '.') {
      const req = createRequire(from);
      const pkg = req('./package.json');
      return pkg?.name === 'node-llama-cpp' ? req.resolve('./') : null;
    }
    return createRequire(from).resolve(what);
  } catch {
    return null;
  }
}

/**
 * Threads for the model when not given: half the cores (at least one). llama.cpp's threads
 * spin while they wait for each other, so on a busy machine more threads than free cores is
 * ruinous: measured on 2 shared cores under load, 1 thread generated 50-65 tokens/s where 2
 * gave 10-16 and node-llama-cpp's own default (4 with gpu: false) took minutes per answer.
 */
/** Tokens an embedded text may have (longer ones are cut). */
const EMBEDDING_CONTEXT = 512;

export function defaultThreads() {
  return Math.max(1, Math.floor(availableParallelism() / 2));
}

export async function loadEngine(
  lib,
  { modelPath, threads = defaultThreads(), contextSize, slots = DEFAULTS.slots, defaultSystem, log },
) {
  const llama = await getCpuLlama(lib, threads, log);
  let model;
  let context;
  try {
    model = await llama.loadModel({ modelPath });
    context = await model.createContext({ contextSize, sequences: slots, threads: { ideal: threads, min: 1 } });
  } catch (err) {
    await llama.dispose();
    throw new ServeError('ModelLoadFailed', `could not load the model ${modelPath}: ${err.message}`, { cause: err });
  }
  // Each slot is a sequence that keeps the tokens of its last request: a new request goes to the
  // slot sharing the longest prefix with it, so only the new tail is read (a refinement sends
  // the same system prompt and document again and again, for a few alternating roles).
  const pool = Array.from({ length: slots }, () => ({ sequence: context.getSequence(), lastUsed: 0 }));
  let clock = 0;
  const probe = new lib.LlamaChat({ contextSequence: pool[0].sequence, autoDisposeSequence: false });
  const chatWrapper = probe.chatWrapper;
  probe.dispose({ disposeSequence: false });
  const grammars = new Map();
  let jsonGrammar = null;
  const withSystem = (history) =>
    defaultSystem && history[0]?.type !== 'system' ? [{ type: 'system', text: defaultSystem }, ...history] : history;
  let tail = Promise.resolve();
  let queued = 0;
  let embedding = null;

  return {
    threads,
    get queued() {
      return queued;
    },
    /** Runs `job` after every earlier one (one generation at a time). */
    enqueue(job) {
      queued += 1;
      const run = tail.then(() => {
        queued -= 1;
        return job();
      });
      tail = run.catch(() => {});
      return run;
    },
    async grammarFor(format) {
      if (format.type === 'text') return { grammar: undefined, used: 'text' };
      jsonGrammar ??= await llama.getGrammarFor('json');
      if (format.type === 'json_object') return { grammar: jsonGrammar, used: 'json_object' };
      const key = JSON.stringify(format.schema);
      let entry = grammars.get(key);
      if (!entry) {
        try {
          const { schema, ignored } = toGrammarSchema(format.schema);
          entry = { grammar: await llama.createGrammarForJsonSchema(schema), used: 'json_schema', ignored };
        } catch (err) {
          if (!(err instanceof UnsupportedSchema)) throw err;
          entry = { grammar: jsonGrammar, used: 'json_object', note: err.message };
        }
        if (grammars.size >= 64) grammars.delete(grammars.keys().next().value);
        grammars.set(key, entry);
      }
      return entry;
    },
    /**
     * Renders the prompt (what the model reads before answering), counts its tokens and picks
     * the slot to answer in: the one with the longest cached prefix of it (at least 64 tokens),
     * else the least recently used.
     */
    prepare(history) {
      const full = withSystem(history);
      const withAnswer = full.at(-1)?.type === 'model' ? full : [...full, { type: 'model', response: [] }];
      const tokens = chatWrapper
        .generateContextState({ chatHistory: withAnswer })
        .contextText.tokenize(model.tokenizer);
      let slot = null;
      let cached = 0;
      for (const s of pool) {
        const n = commonPrefix(s.sequence.contextTokens, tokens);
        if (n >= 64 && n > cached) [slot, cached] = [s, n];
      }
      if (!slot) slot = pool.reduce((a, b) => (b.lastUsed < a.lastUsed ? b : a));
      slot.lastUsed = ++clock;
      return { promptTokens: tokens.length, cachedTokens: cached, slot };
    },
    async generate(req, { slot, grammar, maxTokens, signal, onText }) {
      const chat = new lib.LlamaChat({ contextSequence: slot.sequence, chatWrapper, autoDisposeSequence: false });
      let completionTokens = 0;
      try {
        const penalties = req.frequencyPenalty || req.presencePenalty;
        const res = await chat.generateResponse(withSystem(req.history), {
          grammar,
          maxTokens,
          temperature: req.temperature ?? DEFAULTS.temperature,
          topP: req.topP ?? DEFAULTS.topP,
          seed: req.seed,
          customStopTriggers: req.stop.length ? req.stop : undefined,
          repeatPenalty: penalties
            ? { frequencyPenalty: req.frequencyPenalty || undefined, presencePenalty: req.presencePenalty || undefined }
            : undefined,
          signal,
          stopOnAbortSignal: false,
          onTextChunk: onText,
          onToken: (tokens) => {
            completionTokens += tokens.length;
          },
        });
        const stop = res.metadata.stopReason;
        return { text: res.response, completionTokens, finishReason: stop === 'maxTokens' ? 'length' : 'stop' };
      } finally {
        chat.dispose({ disposeSequence: false });
      }
    },
    /**
     * One embedding per text, from the loaded model itself (llama.cpp pools its hidden states;
     * no separate embedding model is shipped: see the README). Texts longer than the
     * embedding context are cut to fit. Call it through `enqueue`.
     * @param {string[]} texts
     * @returns {Promise<{vectors: number[][], promptTokens: number}>}
     */
    async embed(texts) {
      embedding ??= await model.createEmbeddingContext({
        contextSize: EMBEDDING_CONTEXT,
        threads: { ideal: threads, min: 1 },
      });
      const vectors = [];
      let promptTokens = 0;
      for (const text of texts) {
        let tokens = model.tokenize(String(text));
        if (tokens.length > EMBEDDING_CONTEXT - 8) tokens = tokens.slice(0, EMBEDDING_CONTEXT - 8);
        promptTokens += tokens.length;
        const e = await embedding.getEmbeddingFor(tokens.length > 0 ? tokens : model.tokenize(' '));
        vectors.push(Array.from(e.vector));
      }
      return { vectors, promptTokens };
    },
    /** Resolves once no job runs or waits. */
    idle() {
      return tail;
    },
    async dispose() {
      await llama.dispose();
    },
  };
}

function commonPrefix(a, b) {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** node-llama-cpp on the CPU from its prebuilt binary: never a GPU, a build or a download. */
async function getCpuLlama(lib, threads, log) {
  const options = {
    maxThreads: threads,
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    logLevel: lib.LlamaLogLevel.error,
    logger: (level, message) => {
      const text = String(message).trim();
      if (text) log(`llama.cpp ${level}: ${text}`);
    },
  };
  try {
    return await lib.getLlama(options);
  } catch (err) {
    throw new ServeError(
      'MissingDependency',
      `node-llama-cpp found no usable CPU binary for ${process.platform}-${process.arch} (${err.message}); ` +
        `is ${cpuBinaryPackage()}@${NODE_LLAMA_CPP_VERSION} installed? It never builds or downloads llama.cpp here. ${installHint()}`,
      { cause: err },
    );
  }
}

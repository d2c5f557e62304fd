// The run report, shared by the CLI (`tooldraft refine --report`) and the web app
// (www/src/runmodel.ts and www/src/report.ts re-export this module): a run folded from the
// engine's events (and completed from its RunReport, run-model.mjs) and the JSON "run file"
// the web app opens again (format: www/README.md "Run file"). The HTML report is
// run-report-html.mjs.
//
// Pure functions: no DOM, no Node APIs, no wasm. Types: run-report.d.mts.
//
//   const file = buildRunFile(record, events, version());
//   const text = stringifyJson(file, 2);

import {
  describeTermination,
  foldEvents,
  mergeReport,
  operationsById,
  reviewedDoc,
  revisionsOf,
} from './run-model.mjs';

export * from './run-model.mjs';
/** The `kind` of a run file. */
export const RUN_FILE_KIND = 'tooldraft-run';

// ---------------------------------------------------------------------------------------------
// The run file (JSON report)

/**
 * A run's configuration with API keys and auth headers removed: safe to write anywhere.
 * @template {import('./run-report.d.mts').RunConfigLike} C
 * @param {C} config
 * @returns {{config: C, hadSecrets: boolean}}
 */
export function withoutSecrets(config) {
  const llm = { ...(config.llm ?? {}) };
  const tools = { ...(config.tools ?? {}) };
  const hadSecrets =
    Boolean(llm.apiKey) || Object.keys(llm.headers ?? {}).length > 0 || Object.keys(tools.headers ?? {}).length > 0;
  delete llm.apiKey;
  delete llm.headers;
  delete llm.call;
  delete tools.headers;
  delete tools.callTool;
  const out = { ...config, llm, tools };
  delete out.fetch;
  if (config.embeddings) {
    const embeddings = { ...config.embeddings };
    const embeddingSecrets = Boolean(embeddings.apiKey) || Object.keys(embeddings.headers ?? {}).length > 0;
    delete embeddings.apiKey;
    delete embeddings.headers;
    delete embeddings.embed;
    out.embeddings = embeddings;
    return { config: out, hadSecrets: hadSecrets || embeddingSecrets };
  }
  return { config: out, hadSecrets };
}

/**
 * The JSON report: a run file the web app can open again.
 * @param {import('./run-report.d.mts').RunRecordLike} rec the run; its config must be without secrets
 * @param {import('./run-report.d.mts').RunEventLike[]} events everything the run emitted, in order
 * @param {string} [engine] the package version
 * @returns {import('./run-report.d.mts').RunFile}
 */
export function buildRunFile(rec, events, engine) {
  const config = withoutSecrets(rec.config).config;
  const limits = config.limits ?? {};
  const model = mergeReport(foldEvents(rec.original, events, limits.only, limits.maxEpisodes), rec.result?.report);
  const review = rec.review ?? {};
  const orig = operationsById(rec.original);
  const refined = rec.result ? operationsById(rec.result.doc) : new Map();
  const operations = model.order.map((id) => {
    const o = model.ops.get(id);
    return {
      id,
      name: o.name,
      choice: review[id] ?? 'final',
      termination: o.termination ?? null,
      terminationText: describeTermination(o.termination),
      calls: o.calls,
      modelCalls: o.modelCalls,
      tokens: o.tokens,
      revisions: revisionsOf(orig.get(id), refined.get(id)),
      decisions: o.decisions,
      verifications: o.verifications,
      trails: o.trails,
      findings: o.analyses,
      errors: o.errors,
    };
  });
  const run = {
    id: rec.id,
    createdAt: rec.createdAt,
    status: rec.status,
    sourceName: rec.sourceName,
    config,
    step: rec.step,
  };
  if (rec.error) run.error = rec.error;
  return {
    kind: RUN_FILE_KIND,
    version: 1,
    engine,
    exportedAt: new Date().toISOString(),
    run,
    original: rec.original,
    result: rec.result ?? null,
    review,
    ...(rec.schemaReview ? { schemaReview: rec.schemaReview } : {}),
    reviewed: reviewedDoc(rec.original, rec.result, review, rec.schemaReview ?? {}),
    operations,
    usage: {
      promptTokens: model.tokens.prompt,
      completionTokens: model.tokens.completion,
      modelCalls: model.modelCalls,
    },
    events,
  };
}

function structureError(message) {
  const e = new Error(message);
  e.name = 'StructureError';
  return e;
}

/**
 * Reads a run file and checks what readers need (`kind`, `original`). Throws an `Error`
 * named `SyntaxError` or `StructureError` saying what is wrong.
 * @param {string} text
 * @param {(text: string) => unknown} [parse] how to read JSON (the core's `parseJson` keeps
 *   64-bit integers exact; `JSON.parse` by default)
 * @returns {import('./run-report.d.mts').RunFile}
 */
export function readRunFile(text, parse = JSON.parse) {
  let v;
  try {
    v = parse(text);
  } catch (e) {
    const err = new Error(`the run file is not JSON: ${e.message}`);
    err.name = 'SyntaxError';
    throw err;
  }
  if (!v || typeof v !== 'object' || v.kind !== RUN_FILE_KIND)
    throw structureError('not a tooldraft run file (expected "kind": "tooldraft-run")');
  if (!v.original || !Array.isArray(v.original.tools))
    throw structureError('at /original: expected the original document');
  if (
    v.result !== undefined &&
    v.result !== null &&
    (typeof v.result !== 'object' || !v.result.doc || !Array.isArray(v.result.doc.tools))
  ) {
    throw structureError('at /result/doc: expected the refined document');
  }
  if (v.events !== undefined && !Array.isArray(v.events)) throw structureError('at /events: expected a list of events');
  return v;
}

// `tooldraft calibrate`: for an embedder (the local one by default, an OpenAI-compatible
// /v1/embeddings endpoint, or the embedded local model), the separation (ROC AUC) of
// same-intent against different-intent pairs and the φ and τ that reproduce DRAFT's decisions,
// on the set built from the paper's data (calibration-set.json, bench/similarity/calibration_set.py).
import { readFile } from 'node:fs/promises';
import { calibrate } from '../node.js';
import {
  EMBEDDINGS_HELP,
  EMBEDDINGS_OPTIONS,
  Scrubber,
  embeddingsOptions,
  startLocal,
  usage,
} from './endpoint-options.mjs';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.mjs';
import { writeOut } from './output.mjs';

export const CALIBRATE_HELP = `Usage: tooldraft calibrate [--embeddings-url URL --embeddings-model NAME] [--set FILE] [--json]

Measures an embedder on a labelled set built from the DRAFT paper's data: how well its
similarities separate queries for the same API from queries for other APIs, and a
description's DRAFT rewrite from another API's description (ROC AUC), and the φ (query
diversity) and τ (convergence, on Δ = (BLEU + cosine) / 2) that reproduce DRAFT's decisions:
a lightly edited query is a repeat, another query for the same API is not; a lightly edited
revision has converged, a description and its DRAFT rewrite have not. Pass the printed φ and
τ to refine as thresholds (the shipped defaults per embedder family come from this command).

${EMBEDDINGS_HELP}
  --llm local                    with no --embeddings-url: the embedded local model's
                                 embeddings (started for this command)

Options:
  --set FILE                     another calibration set (JSON {texts, pairs: [[i, j, label]]})
  --json                         print the result as one JSON object
  -h, --help                     show this help

${EXIT_CODES_HELP}
`;

export const CALIBRATE_OPTIONS = {
  ...EMBEDDINGS_OPTIONS,
  llm: { type: 'string' },
  set: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const C = 'calibrate';

/** The result as lines a person reads. */
export function formatCalibration(c) {
  const pct = (x) => `${(x * 100).toFixed(1)}%`;
  const lines = [
    `embedder: ${c.embedder} (${c.pairs} pairs, ${c.requests} requests)`,
    `separation (ROC AUC): queries same API vs other API ${c.queryAuc.toFixed(3)}; description vs its DRAFT rewrite against another API's ${c.descriptionAuc.toFixed(3)}`,
    `calibrated: φ ${c.thresholds.phi.toFixed(2)} (agrees with DRAFT's decisions on ${pct(c.phiAgreement)}), τ ${c.thresholds.tau.toFixed(2)} (${pct(c.tauAgreement)})`,
    `the paper's φ 0.90 / τ 0.75 with this embedder: ${pct(c.paperPhiAgreement)} / ${pct(c.paperTauAgreement)}; shipped for this family: φ ${c.shipped.phi.toFixed(2)} / τ ${c.shipped.tau.toFixed(2)}`,
    'mean score per label:',
    ...c.labels.map((l) => `  ${l.label.padEnd(22)} ${l.mean.toFixed(3)}  (${l.pairs} pairs)`),
  ];
  return lines.join('\n');
}

/** Runs `tooldraft calibrate`. */
export async function runCalibrate(values, positionals, io) {
  if (positionals.length > 0) throw usage(`unexpected argument ${positionals[0]}`, C);
  if (values.llm !== undefined && values.llm !== 'local') throw usage(`--llm takes 'local', not '${values.llm}'`, C);
  const env = io.env ?? process.env;
  const local = values.llm === 'local' && values['embeddings-url'] === undefined;
  const options = embeddingsOptions(local ? { ...values, 'embeddings-url': 'local' } : values, env, C, {
    local: values.llm === 'local',
  });
  const scrubber = new Scrubber(options.secrets);
  const path = values.set ?? new URL('./calibration-set.json', import.meta.url);
  let set;
  try {
    set = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new CliError(`the calibration set could not be read: ${e.message}`, EXIT.USAGE);
  }
  let server = null;
  try {
    let embeddings = options.embeddings;
    if (options.local) {
      server = await startLocal({ signal: io.signal, log: () => {} });
      // One small model on few cores: small batches, each given time.
      embeddings = {
        ...embeddings,
        baseUrl: server.llm.baseUrl,
        model: server.llm.model,
        batchSize: 16,
        timeoutMs: 600_000,
      };
    }
    const result = await calibrate(set, { embeddings, signal: io.signal });
    await writeOut(io.stdout, `${scrubber.scrub(values.json ? JSON.stringify(result) : formatCalibration(result))}\n`);
    return EXIT.OK;
  } catch (e) {
    if (e instanceof CliError) throw e;
    throw new CliError(scrubber.scrub(`calibration failed: ${e?.message ?? e}`), exitCodeFor(e));
  } finally {
    await server?.close();
  }
}

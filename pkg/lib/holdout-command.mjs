// `tooldraft holdout`: test queries that a refinement run's rewrites never saw. The Explorer,
// on the ORIGINAL document, writes new queries unlike every query the run explored; each one
// is verified by a real call (read-only unless allowed). The result is a JSONL query set for
// `tooldraft evaluate --docs original --docs refined --queries held-out.jsonl`.
import { exploreHeldOut, parseDoc } from '../node.js';
import {
  MODEL_HELP,
  MODEL_OPTIONS,
  toolHelp,
  TOOL_OPTIONS,
  Scrubber,
  checkReachable,
  intOption,
  modelOptions,
  refuseKeysOnArgv,
  startLocal,
  toolOptions,
  usage,
} from './endpoint-options.mjs';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.mjs';
import { writeFileAtomic, writeOut } from './output.mjs';
import { checkWritable, core, maxBytesOption, readText } from './sources.mjs';

const C = 'holdout';

export const HOLDOUT_HELP = `Usage: tooldraft holdout <original-doc> --report <run.json> -o <held-out.jsonl> [options]

Writes test queries that a refinement run's rewrites never saw, so the refined document can
be validated honestly: the Explorer, shown the ORIGINAL document, writes new queries unlike
every query the run explored (too-similar ones are rejected, as in the run); each query is
kept only when a real call with its arguments succeeds. Then:

  tooldraft evaluate --docs original.json --docs refined.json --queries held-out.jsonl …

Inputs:
  <original-doc>                 the document the run started from
  --report FILE                  the run's JSON report (refine --report); its explored
                                 queries are avoided (without it, none are)
  --per-operation N              held-out queries per operation (default 2)
  --only op1,op2                 only these operations
  --explored FILE                also write the run's own verified explorations (which its
                                 rewrites did see) as JSONL

${MODEL_HELP}

${toolHelp("the document's server URL, when it is absolute")}

Safety (read-only calls only, unless):
  --allow-writes, --allow-destructive, --allow op1,op2   as for refine

Output:
  -o, --output FILE              the held-out queries as JSONL (written atomically)
  --quiet                        no progress
  --max-size MB                  refuse inputs larger than this (default 32)
  -h, --help                     show this help

${EXIT_CODES_HELP}
`;

export const HOLDOUT_OPTIONS = {
  ...MODEL_OPTIONS,
  ...TOOL_OPTIONS,
  report: { type: 'string' },
  'per-operation': { type: 'string' },
  only: { type: 'string' },
  explored: { type: 'string' },
  'allow-writes': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  allow: { type: 'string' },
  output: { type: 'string', short: 'o' },
  quiet: { type: 'boolean' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const list = (v) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export async function runHoldout(values, positionals, io) {
  const env = io.env ?? process.env;
  refuseKeysOnArgv(io.argv ?? [], C);
  if (positionals.length !== 1) throw usage('give the original document (the one the run started from)', C);
  if (!values.output) throw usage('missing -o FILE (where the held-out queries go, as JSONL)', C);
  const model = modelOptions(values, env, C);
  const target = toolOptions(values, env, C);
  const perOperation = intOption(values['per-operation'], '--per-operation', C) ?? 2;
  for (const [flag, path] of [
    ['-o', values.output],
    ['--explored', values.explored],
  ]) {
    if (path !== undefined) await checkWritable(path, flag, C);
  }
  const maxBytes = maxBytesOption(values['max-size'], C);
  const { text, name } = await readText(positionals[0], maxBytes, io.signal);
  const doc = core(name, () => parseDoc(text));
  let report;
  if (values.report) {
    const r = await readText(values.report, maxBytes, io.signal);
    try {
      const parsed = JSON.parse(r.text);
      // A run file (refine --report) carries the engine's report in result.report.
      report = parsed.result?.report ?? parsed;
    } catch (e) {
      throw new CliError(`${r.name}: not a run report: ${e.message}`, EXIT.USAGE);
    }
    if (!report || !Array.isArray(report.operations))
      throw new CliError(`${r.name}: not a run report (no operations)`, EXIT.USAGE);
  }
  const tools = { ...target.tools };
  if (!tools.mcpUrl && !tools.baseUrl) {
    const server = doc.tools.map((t) => t.baseUrl).find((u) => /^https?:\/\//.test(u ?? ''));
    if (!server) throw usage('no tool target: give --mcp-url or --base-url (queries are verified by real calls)', C);
    tools.baseUrl = server;
  }
  const scrubber = new Scrubber([...model.secrets, ...target.secrets]);
  const say = (line) => (values.quiet ? undefined : writeOut(io.stderr, `${scrubber.scrub(line)}\n`));
  await checkReachable(tools.mcpUrl ?? tools.baseUrl, tools.mcpUrl ? '--mcp-url' : '--base-url', io.signal);
  if (model.llm?.baseUrl) await checkReachable(model.llm.baseUrl, '--llm-url', io.signal, 'the model endpoint');
  let local = null;
  try {
    let llm = model.llm;
    if (model.local) {
      await say('tooldraft: starting the embedded local model…');
      local = await startLocal({
        threads: model.threads,
        model: values.model,
        signal: io.signal,
        log: (l) => say(`  ${l}`),
      });
      llm = local.llm;
    }
    const config = {
      llm,
      tools,
      safety: {
        allowWrites: Boolean(values['allow-writes']),
        allowDestructive: Boolean(values['allow-destructive']),
        allow: list(values.allow),
      },
      limits: { only: list(values.only) },
    };
    if (model.timeoutMs !== undefined) config.timeoutMs = model.timeoutMs;
    await say(
      `tooldraft: exploring up to ${perOperation} held-out quer${perOperation === 1 ? 'y' : 'ies'} per operation…`,
    );
    let result;
    try {
      result = await exploreHeldOut(config, text, { report, perOperation, signal: io.signal });
    } catch (e) {
      if (io.signal.aborted || e?.name === 'Aborted') throw new CliError('interrupted', EXIT.INTERRUPTED);
      const code = exitCodeFor(e);
      if (code === EXIT.INTERNAL) throw e;
      throw new CliError(scrubber.scrub(e.message), code);
    }
    if (result.items.length === 0) {
      const why = result.skipped.slice(0, 3).join('; ') || 'no operation could be explored';
      throw new CliError(scrubber.scrub(`no held-out query could be verified (${why})`), EXIT.ENDPOINT);
    }
    await writeFileAtomic(values.output, scrubber.scrub(result.jsonl));
    if (values.explored) await writeFileAtomic(values.explored, scrubber.scrub(result.exploredJsonl));
    await say(
      `tooldraft: wrote ${result.items.length} held-out quer${result.items.length === 1 ? 'y' : 'ies'} to ${values.output} ` +
        `(${result.modelCalls} model call(s), ${result.toolCalls} tool call(s); ${result.skipped.length} attempt(s) not kept)`,
    );
    for (const s of result.skipped.slice(0, 10)) await say(`  not kept: ${s}`);
    return EXIT.OK;
  } finally {
    if (local) await local.close().catch(() => {});
  }
}

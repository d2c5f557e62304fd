// `tooldraft refine <doc> -o <refined>`: refines a document's tool docs by letting a model use
// the tool (the package's Refiner), with progress, a resumable state saved after every step,
// the JSON run file and the HTML report (run-report.mjs, shared with the web app).
import { writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Refiner, diffText, parseJson, version } from '../node.js';
import { outcomeHeadline, outcomeLines, sensitiveLines } from './outcome-summary.mjs';
import {
  EMBEDDINGS_HELP,
  EMBEDDINGS_OPTIONS,
  embeddingsOptions,
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
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor, isEndpointError } from './exit-codes.mjs';
import { stringifyJson } from './json.mjs';
import { writeFileAtomic, writeOut } from './output.mjs';
import { Progress, progressMode } from './progress.mjs';
import { buildHtmlReport, reportDiffInputs } from './run-report-html.mjs';
import { buildRunFile, withoutSecrets } from './run-report.mjs';
import { schemaChangeLines } from './schema-changes.mjs';
import { checkWritable, readSource } from './sources.mjs';

export const REFINE_HELP = `Usage: tooldraft refine <doc> -o <refined> [options]

Refines the tool documentation in <doc> (a file, an http(s) URL, or - for stdin; any format
tooldraft reads) by letting a model use the tool: for each operation it explores (asks the
model for a realistic query and arguments, calls the tool), analyzes what came back, and
rewrites the description, for up to --max-episodes rounds. Writes the refined document, in
the input's format, to <refined> only when the run completes.

${MODEL_HELP}

${toolHelp("default: the document's server URL, when it is absolute")}

${EMBEDDINGS_HELP}

Safety (read-only calls only, unless):
  --allow-writes                 may call operations that write (POST/PUT/PATCH; MCP tools
                                 not marked read-only)
  --allow-destructive            may also call destructive ones (DELETE; MCP tools marked or
                                 presumed destructive)
  --allow op1,op2                these operations may write

Limits:
  --max-episodes N               explore → analyze → rewrite rounds per operation (default 5)
  --concurrency N                operations refined at once (default 4)
  --only op1,op2                 refine only these operation ids
  --budget-calls N               model calls for the whole run
  --budget-calls-per-operation N model calls per operation
  --budget-tool-calls N          tool calls for the whole run
  --schema-probes N              schema-driven calls per operation: arguments built from the
                                 doc and the tool's errors, not the model (default 3; 0: none)
  --no-schema-repair             only propose (in the report) the schema changes the calls
                                 prove; by default they are written into the refined document
  --verify N                     before a revision is accepted, a model that reads only it
                                 calls the tool for N queries held out from the run's
                                 explorations; the revision must do at least as well as the
                                 current one (default 2; 0 turns it off)

Output:
  -o, --output FILE              the refined document (written atomically, only on success)
  --report FILE                  the JSON run file (open it in the web app:
                                 node www/server.mjs --state FILE)
  --html FILE                    a standalone HTML report (no scripts)
  --state FILE                   save the run's state after every step (atomically)
  --resume FILE                  continue a run from a saved state (of the same document)
  --json                         print the run's events as JSON lines on stdout
  --quiet                        no progress (errors only)
  --format F                     read <doc> as this format instead of detecting it
  --max-size MB                  refuse documents larger than this (default 32)
  -h, --help                     show this help

Progress goes to stderr: bars per operation and in total (calls, tokens) on a terminal,
plain lines otherwise. Ctrl-C stops the run, saves its state (to --state, or to
<refined>.state.json) and prints the command that resumes it; a second Ctrl-C quits at once.
API keys and header values never appear in the output, the reports or the state.

${EXIT_CODES_HELP}
`;

export const REFINE_OPTIONS = {
  ...MODEL_OPTIONS,
  ...TOOL_OPTIONS,
  ...EMBEDDINGS_OPTIONS,
  output: { type: 'string', short: 'o' },
  'allow-writes': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  allow: { type: 'string', multiple: true },
  'max-episodes': { type: 'string' },
  concurrency: { type: 'string' },
  only: { type: 'string', multiple: true },
  'budget-calls': { type: 'string' },
  'budget-calls-per-operation': { type: 'string' },
  'budget-tool-calls': { type: 'string' },
  'schema-probes': { type: 'string' },
  'no-schema-repair': { type: 'boolean' },
  verify: { type: 'string' },
  report: { type: 'string' },
  html: { type: 'string' },
  state: { type: 'string' },
  resume: { type: 'string' },
  json: { type: 'boolean' },
  quiet: { type: 'boolean' },
  format: { type: 'string' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

const C = 'refine';

export function idList(values) {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Shell-quotes an argument for a command a person copies. */
function shellQuote(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/**
 * The command that resumes this run: the arguments as given, without --resume/--state, with
 * `--resume <state>`; header values given on the command line are left out.
 */
export function resumeCommand(argv, statePath) {
  const out = ['tooldraft', 'refine'];
  let elided = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    if (flag === '--resume' || flag === '--state') {
      if (inline === undefined) i += 1;
      continue;
    }
    if (flag === '--header') {
      const value = inline ?? argv[++i] ?? '';
      const name = value.split(':')[0].trim();
      out.push('--header', shellQuote(`${name}: …`));
      elided = true;
      continue;
    }
    out.push(shellQuote(a));
  }
  out.push('--resume', shellQuote(statePath));
  return { command: out.join(' '), elided };
}

/** Reads a saved state: a RunState, or a run file (its result's state). */
async function readState(path) {
  let text;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new CliError(`--resume ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`, EXIT.USAGE);
  }
  let v;
  try {
    v = parseJson(text);
  } catch (e) {
    throw new CliError(`--resume ${path} is not a run state (not JSON: ${e.message})`, EXIT.USAGE);
  }
  if (v && v.kind === 'tooldraft-run') v = v.result?.state ?? null;
  if (!v || typeof v !== 'object' || typeof v.fingerprint !== 'string' || !Array.isArray(v.operations)) {
    throw new CliError(
      `--resume ${path} is not a run state (saved by --state, or a run file with a result)`,
      EXIT.USAGE,
    );
  }
  return v;
}

/** Writes the latest state atomically, one write at a time, skipping states overtaken by newer ones. */
class StateWriter {
  constructor(path, scrubber) {
    this.path = path;
    this.scrubber = scrubber;
    this.pending = null;
    this.busy = null;
    this.error = null;
    this.written = false;
  }

  save(state) {
    this.pending = this.scrubber.scrub(stringifyJson(state));
    if (!this.busy) this.busy = this.loop();
  }

  async loop() {
    while (this.pending !== null) {
      const text = this.pending;
      this.pending = null;
      try {
        await writeFileAtomic(this.path, text);
        this.written = true;
      } catch (e) {
        this.error ??= e;
      }
    }
    this.busy = null;
  }

  async flush() {
    while (this.busy) await this.busy;
    if (this.error) throw this.error;
  }
}

/** The tool target: the options, or the document's own absolute server URL (shared with check). */
export function toolTarget(tools, doc, command = C) {
  if (tools.baseUrl || tools.mcpUrl) return tools;
  const own = doc.tools.map((t) => t.baseUrl).find((u) => typeof u === 'string' && /^https?:\/\//i.test(u));
  if (own) return { ...tools, baseUrl: own };
  const what =
    doc.format === 'mcp'
      ? 'an MCP document needs --mcp-url URL'
      : 'the document has no absolute server URL: give --base-url URL (an HTTP API) or --mcp-url URL (an MCP server)';
  throw usage(`no tool to call: ${what}`, command);
}

export function checkOnly(only, doc) {
  const ids = doc.tools.flatMap((t) => t.operations.map((o) => o.id));
  const unknown = only.filter((id) => !ids.includes(id));
  if (unknown.length > 0) {
    const shown = ids.slice(0, 20).join(', ') + (ids.length > 20 ? `, … (${ids.length} in all)` : '');
    throw new CliError(
      `--only: ${unknown.map((u) => `'${u}'`).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not an operation id of the document; it has: ${shown}`,
      EXIT.USAGE,
    );
  }
}

/** True when a saved state holds work worth resuming. */
function hasProgress(state) {
  return Boolean(
    state?.operations?.some(
      (o) => o.queries?.length || o.trails?.length || o.journal?.length || o.revisions?.length > 1,
    ) || state?.tools?.some((t) => t.summary || t.journal?.length),
  );
}

/** A call the tool answered without an error. */
function worked(trail) {
  const o = trail.observation;
  return Boolean(o) && !o.isError && (o.status ?? 200) < 400;
}

/**
 * True when an operation got nowhere: it was not allowed, every tool call it made failed (a
 * tool that times out, refuses or redirects elsewhere on every call), or it failed. One
 * exception: a model that answers, but with output that never fits (a weak model's cut-off
 * JSON), after calls that worked: the operation got somewhere, and what the calls prove
 * (schema repairs, examples, the response schema) is written. A model endpoint that cannot be
 * used (unreachable, refusing, redirecting elsewhere) still fails the run.
 */
function gotNowhere(op) {
  const kind = op.termination?.kind;
  if (kind === 'notAllowed') return true;
  const trails = op.trails ?? [];
  if (kind === 'failed') return !(trails.some(worked) && op.errors?.at(-1)?.code === 'LlmInvalidOutput');
  return trails.length > 0 && trails.every((t) => !t.observation);
}

/**
 * When no operation got anywhere and the errors were endpoint failures (the model or the
 * tool unreachable, refusing, erroring, redirecting to another origin), the error to report;
 * else null.
 */
function endpointFailure(report, events) {
  const ops = report.operations ?? [];
  if (ops.length === 0 || (report.totals?.refined ?? 0) > 0) return null;
  if (!ops.every(gotNowhere)) return null;
  const errors = events.filter((e) => e.type === 'error' && isEndpointError(e.code));
  if (errors.length === 0) return null;
  const last = errors[errors.length - 1];
  return { name: last.code, message: last.message };
}

/** The code and message of the error that stopped the run (report.aborted). */
function fatalError(events, report) {
  const e = [...events]
    .reverse()
    .find((x) => x.type === 'error' && (x.operation === null || x.operation === undefined));
  return { name: e?.code ?? 'LlmError', message: e?.message ?? String(report.aborted) };
}

export async function runRefine(values, positionals, io) {
  const env = io.env ?? process.env;
  refuseKeysOnArgv(io.argv ?? [], C);
  if (positionals.length === 0) throw usage('missing the document to refine (a file, an http(s) URL or -)', C);
  if (positionals.length > 1)
    throw usage(`expected one document, got ${positionals.length}: ${positionals.join(' ')}`, C);
  const source = positionals[0];
  if (!values.output) throw usage('missing -o <refined> (where the refined document goes)', C);
  if (source !== '-' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(source) && resolve(source) === resolve(values.output)) {
    throw usage('-o is the input document: write the refined document to another file', C);
  }
  const model = modelOptions(values, env, C);
  const target = toolOptions(values, env, C);
  const embedding = embeddingsOptions(values, env, C, model);
  const limits = {};
  const maxEpisodes = intOption(values['max-episodes'], '--max-episodes', C);
  if (maxEpisodes !== undefined) limits.maxEpisodes = maxEpisodes;
  const concurrency = intOption(values.concurrency, '--concurrency', C);
  if (concurrency !== undefined) limits.concurrency = concurrency;
  for (const [flag, key] of [
    ['budget-calls', 'budgetCalls'],
    ['budget-calls-per-operation', 'budgetCallsPerOperation'],
    ['budget-tool-calls', 'budgetToolCalls'],
  ]) {
    const n = intOption(values[flag], `--${flag}`, C);
    if (n !== undefined) limits[key] = n;
  }
  const probes = intOption(values['schema-probes'], '--schema-probes', C, { min: 0 });
  if (probes !== undefined) limits.schemaProbes = probes;
  if (values['no-schema-repair']) limits.schemaRepair = false;
  const only = idList(values.only);
  if (only.length > 0) limits.only = only;
  const verifyQueries = intOption(values.verify, '--verify', C, { min: 0 });
  const safety = {
    allowWrites: Boolean(values['allow-writes']),
    allowDestructive: Boolean(values['allow-destructive']),
  };
  const allow = idList(values.allow);
  if (allow.length > 0) safety.allow = allow;
  const statePath = values.state ?? values.resume;
  for (const [flag, path] of [
    ['-o', values.output],
    ['--report', values.report],
    ['--html', values.html],
    ['--state', statePath],
  ]) {
    if (path !== undefined) await checkWritable(path, flag, C);
  }

  const { name, doc } = await readSource(source, values, io.signal, C);
  if (only.length > 0) checkOnly(only, doc);
  const tools = toolTarget(target.tools, doc);
  const resume = values.resume ? await readState(values.resume) : undefined;
  const scrubber = new Scrubber([...model.secrets, ...target.secrets, ...embedding.secrets]);
  const say = (line) => writeOut(io.stderr, `${scrubber.scrub(line)}\n`);
  const quiet = Boolean(values.quiet);

  await checkReachable(tools.mcpUrl ?? tools.baseUrl, tools.mcpUrl ? '--mcp-url' : '--base-url', io.signal);
  if (model.llm?.baseUrl) await checkReachable(model.llm.baseUrl, '--llm-url', io.signal, 'the model endpoint');
  const embeddingsUrl = embedding.embeddings?.baseUrl;
  if (embeddingsUrl && embeddingsUrl !== model.llm?.baseUrl) {
    await checkReachable(embeddingsUrl, '--embeddings-url', io.signal, 'the embeddings endpoint');
  }

  let local = null;
  const cleanups = [];
  // The local model's log: plain lines while it starts, then above the progress display.
  let localLog = (line) => (quiet ? undefined : say(`  ${line}`));
  try {
    let llm = model.llm;
    if (model.local) {
      if (!quiet) await say('tooldraft: starting the embedded local model…');
      local = await startLocal({
        threads: model.threads,
        model: values.model,
        signal: io.signal,
        log: (line) => localLog(line),
      });
      cleanups.push(() => local.close());
      llm = local.llm;
      if (!quiet) await say(`tooldraft: ${local.shown}`);
    }
    const config = { llm, tools, safety, limits };
    if (embedding.embeddings) {
      if (embedding.local && !local) {
        local = await startLocal({ signal: io.signal, log: (line) => localLog(line) });
        cleanups.push(() => local.close());
      }
      config.embeddings = embedding.local
        ? { ...embedding.embeddings, baseUrl: local.llm.baseUrl, model: local.llm.model }
        : embedding.embeddings;
    }
    if (verifyQueries !== undefined) config.verify = { queries: verifyQueries };
    if (model.timeoutMs !== undefined) config.timeoutMs = model.timeoutMs;
    const refiner = new Refiner(config);
    cleanups.push(() => refiner.free());

    const events = [];
    // Progress writes to stderr through the scrubber, as everything else does.
    const errStream = {
      get isTTY() {
        return io.stderr.isTTY;
      },
      get columns() {
        return io.stderr.columns;
      },
      get rows() {
        return io.stderr.rows;
      },
      write: (text) => io.stderr.write(scrubber.scrub(text)),
    };
    const progress = new Progress(errStream, {
      mode: progressMode(io.stderr, { quiet, json: values.json }),
      doc,
      only: limits.only,
      maxEpisodes: limits.maxEpisodes ?? 5,
    });
    localLog = (line) => progress.message(`  ${line}`);
    const restoreCursor = () => {
      if (progress.mode === 'bars' && !progress.closed) {
        try {
          writeSync(2, '\x1b[?25h\n');
        } catch {
          // stderr is gone
        }
      }
    };
    process.once('exit', restoreCursor);
    cleanups.push(() => process.off('exit', restoreCursor));

    const fallbackState = `${values.output}.state.json`;
    const writer = new StateWriter(statePath ?? fallbackState, scrubber);
    let lastState = resume ?? null;
    let step = resume?.step;
    // If the process is made to exit before the run settles (a second Ctrl-C), say where the
    // last saved state is.
    let hinted = false;
    const hint = (path) => {
      hinted = true;
      const { command, elided } = resumeCommand(io.argv ?? [], path);
      return `tooldraft: the run's state is saved in ${path}; to continue:\n  ${scrubber.scrub(command)}${elided ? '\n  (give the --header values again: they are not repeated here; --header-env keeps them out of your shell history)' : ''}\n`;
    };
    const lastWords = () => {
      if (!hinted && io.signal.aborted && statePath && writer.written) {
        try {
          writeSync(2, hint(statePath));
        } catch {
          // stderr is gone
        }
      }
    };
    process.once('exit', lastWords);
    cleanups.push(() => process.off('exit', lastWords));

    const started = Date.now();
    let result;
    try {
      result = await refiner.run(doc, {
        signal: io.signal,
        resume,
        onEvent: (e) => {
          events.push(e);
          if (values.json) io.stdout.write(`${scrubber.scrub(stringifyJson(e))}\n`);
          progress.event(e);
        },
        onCheckpoint: (state) => {
          lastState = state;
          step = state.step;
          if (statePath) writer.save(state);
        },
      });
    } catch (e) {
      progress.finish();
      if (e?.name === 'StateMismatch') {
        throw new CliError(
          `--resume ${values.resume}: the state was saved for another document than ${name} (${e.message})`,
          EXIT.USAGE,
        );
      }
      if (io.signal.aborted || e?.name === 'Aborted') {
        await writer.flush().catch(() => {});
        if (statePath && writer.written) await say(hint(statePath).trimEnd());
        throw new CliError('interrupted', EXIT.INTERRUPTED);
      }
      const code = exitCodeFor(e);
      if (code === EXIT.INTERNAL) throw e;
      throw new CliError(scrubber.scrub(`${name}: ${e.message}`), code);
    }
    progress.finish();
    if (values.json) await writeOut(io.stdout, '');
    const { report, state } = result;
    lastState = state ?? lastState;
    const interrupted = Boolean(report.cancelled) || io.signal.aborted;
    const error = interrupted
      ? undefined
      : report.aborted
        ? fatalError(events, report)
        : (endpointFailure(report, events) ?? undefined);
    const failed = Boolean(error);

    // The state: after every step to --state; after an interruption or a failure that left
    // work worth resuming, also to the fallback path.
    const keepState = statePath ?? ((interrupted || failed) && hasProgress(lastState) ? fallbackState : undefined);
    if (keepState && lastState) {
      writer.path = keepState;
      writer.save(lastState);
    }
    await writer.flush();

    const status = interrupted ? 'interrupted' : failed ? 'failed' : 'finished';
    const record = {
      id: report.runId ?? state?.runId ?? 'run',
      createdAt: started,
      status,
      sourceName: name,
      config: withoutSecrets(config).config,
      step,
      error,
      original: doc,
      result,
      review: {},
    };
    if (values.report || values.html) {
      const file = buildRunFile(record, events, version());
      if (values.report) await writeFileAtomic(values.report, scrubber.scrub(`${stringifyJson(file, 2)}\n`));
      if (values.html) {
        const diffs = new Map(reportDiffInputs(file).map((d) => [d.id, diffText(d.before, d.after)]));
        await writeFileAtomic(values.html, scrubber.scrub(buildHtmlReport(file, diffs)));
      }
    }

    if (interrupted) {
      await say(
        keepState ? hint(keepState).trimEnd() : 'tooldraft: stopped before any step was done: nothing to resume',
      );
      throw new CliError('interrupted', EXIT.INTERRUPTED);
    }
    if (failed) {
      const code = exitCodeFor({ name: error.name });
      if (keepState) await say(hint(keepState).trimEnd());
      throw new CliError(
        scrubber.scrub(`the run stopped: ${error.name}: ${error.message.replace(/^the run stopped: /, '')}`),
        code === EXIT.INTERNAL || code === EXIT.USAGE ? EXIT.ENDPOINT : code,
      );
    }
    if (typeof result.text !== 'string') {
      throw new CliError(
        `the refined document could not be written in its format (${result.exportError ?? 'no format'})`,
        EXIT.INTERNAL,
      );
    }
    await writeFileAtomic(values.output, scrubber.scrub(result.text));
    if (!quiet) {
      const t = report.totals ?? {};
      const lines = [
        `tooldraft: ${outcomeHeadline(report)} (${t.converged ?? 0} converged, ${t.failed ?? 0} failed); ` +
          `${t.modelCalls ?? 0} model call(s), ${t.toolCalls ?? 0} tool call(s), ${t.tokens ?? 0} tokens in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      ];
      for (const op of report.operations ?? []) {
        if (op.termination?.kind === 'failed' || op.termination?.kind === 'notAllowed') {
          lines.push(
            `  ${op.id}: ${op.termination.kind === 'failed' ? `failed: ${op.termination.message}` : `not called: ${op.termination.reason}`}`,
          );
        } else {
          const errors = events.filter((e) => e.type === 'error' && e.operation === op.id);
          const last = errors[errors.length - 1];
          if (last) lines.push(`  ${op.id}: ${errors.length} step(s) failed; the last: ${last.code}: ${last.message}`);
        }
      }
      lines.push(...outcomeLines(report));
      lines.push(...sensitiveLines(report));
      lines.push(...schemaChangeLines(report));
      if (result.lost?.length) lines.push(`  ${doc.format} cannot carry: ${result.lost.join('; ')}`);
      lines.push(
        `tooldraft: wrote ${values.output}${values.report ? `, ${values.report}` : ''}${values.html ? `, ${values.html}` : ''}${statePath ? `, ${statePath}` : ''}`,
      );
      await say(lines.join('\n'));
    }
    return EXIT.OK;
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        // best effort
      }
    }
  }
}

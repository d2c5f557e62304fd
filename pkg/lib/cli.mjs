// The `tooldraft` command line: subcommands, options, exit codes, interruption.
// bin/tooldraft.mjs calls `main(argv)` and exits with what it returns.
import { parseArgs } from 'node:util';
import { convert, inspect, version } from '../node.js';
import { CliError, EXIT, EXIT_CODES_HELP, exitCodeFor } from './exit-codes.mjs';
import { DIFF_HELP, DIFF_OPTIONS, EVALUATE_HELP, EVALUATE_OPTIONS, runDiff, runEvaluate } from './evaluate-command.mjs';
import { HOLDOUT_HELP, HOLDOUT_OPTIONS, runHoldout } from './holdout-command.mjs';
import { CHECK_HELP, CHECK_OPTIONS, runCheck } from './check-command.mjs';
import { CALIBRATE_HELP, CALIBRATE_OPTIONS, runCalibrate } from './calibrate-command.mjs';
import { formatInspectReport } from './inspect-report.mjs';
import { stringifyJson } from './json.mjs';
import { refuseKeysOnArgv } from './endpoint-options.mjs';
import { DEFAULT_MAX_MB } from './input.mjs';
import { removePendingTemps, writeFileAtomic, writeOut } from './output.mjs';
import { REFINE_HELP, REFINE_OPTIONS, runRefine } from './refine-command.mjs';
import { core, formatOption, maxBytesOption, readText } from './sources.mjs';

export const FORMATS = ['openapi', 'swagger', 'mcp', 'openai', 'anthropic', 'toolbench', 'restbench'];

const MAIN_HELP = `tooldraft ${version()}: refine tool documentation for LLM agents

Usage: tooldraft <command> [options]

Commands:
  inspect <file|url|->   the document's format, counts of tools, operations and
                         parameters, and its doc smells
  convert <file|url|->   write the document in another format
  refine <doc> -o <out>  refine the docs by letting a model use the tool (DRAFT)
  evaluate --docs A --docs B --queries Q
                         score doc versions on a query set: does a model pick and
                         call the right operations (CP%, with CIs and paired tests)
  holdout <doc> --report R -o Q
                         test queries a run's rewrites never saw, each verified by a
                         real call (JSONL, for evaluate)
  diff <before> <after>  what changed between two versions, without a model
  check <doc>            replay what a refined doc claims against the live tool: did
                         the tool drift from its docs? (CI: --junit, exit 5 on drift)
  calibrate              an embedder's separation (ROC AUC) and the φ and τ that
                         reproduce DRAFT's decisions, on the paper's data
  serve-llm              an OpenAI-compatible server for the embedded local model

Options:
  -h, --help             show help (also: tooldraft <command> --help)
  -V, --version          show the version

Formats: ${FORMATS.join(', ')}
A document is read from a file, an http(s) URL, or stdin ("-").

${EXIT_CODES_HELP}
`;

const COMMON_OPTIONS = {
  format: { type: 'string' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

// Each command: `help` (its --help text), `options` (node:util parseArgs options) and
// `run(values, positionals, io) → exit code`. A command that parses its own arguments
// (serve-llm's `main(argv)`) sets `raw: true`; its `run(argv, io)` gets the arguments as given.
const COMMANDS = {
  inspect: {
    help: `Usage: tooldraft inspect <file|url|-> [--format F] [--json] [--max-size MB]

Reads a tool document (OpenAPI 3.x, Swagger 2.0, MCP tools/list, OpenAI or Anthropic
tools, ToolBench, RestBench; JSON or YAML) and prints its format, counts of tools,
operations and parameters, and its doc smells, grouped by kind.

Options:
  --format F      read the document as this format instead of detecting it
                  (${FORMATS.join(', ')})
  --json          print one JSON object on stdout: {format, tools, operations,
                  parameters, smells: [...], warnings: [...]}
  --max-size MB   refuse documents larger than this (default ${DEFAULT_MAX_MB})
  -h, --help      show this help

${EXIT_CODES_HELP}
`,
    options: { ...COMMON_OPTIONS, json: { type: 'boolean' } },
    run: runInspect,
  },
  convert: {
    help: `Usage: tooldraft convert <file|url|-> --to F [-o out] [--format F] [--max-size MB]

Writes a tool document in another format. Writes to stdout unless -o is given; -o writes
atomically (a temporary file, then a rename), so a failure never leaves a partial file.
What the target format cannot carry is listed on stderr.

Options:
  --to F          the format to write (${FORMATS.join(', ')})
  -o, --output P  write to this file instead of stdout
  --format F      read the document as this format instead of detecting it
  --max-size MB   refuse documents larger than this (default ${DEFAULT_MAX_MB})
  -h, --help      show this help

${EXIT_CODES_HELP}
`,
    options: { ...COMMON_OPTIONS, to: { type: 'string' }, output: { type: 'string', short: 'o' } },
    run: runConvert,
  },
  refine: {
    help: REFINE_HELP,
    options: REFINE_OPTIONS,
    check: (argv) => refuseKeysOnArgv(argv, 'refine'),
    run: runRefine,
  },
  evaluate: {
    help: EVALUATE_HELP,
    options: EVALUATE_OPTIONS,
    check: (argv) => refuseKeysOnArgv(argv, 'evaluate'),
    run: runEvaluate,
  },
  holdout: {
    help: HOLDOUT_HELP,
    options: HOLDOUT_OPTIONS,
    check: (argv) => refuseKeysOnArgv(argv, 'holdout'),
    run: runHoldout,
  },
  check: {
    help: CHECK_HELP,
    options: CHECK_OPTIONS,
    check: (argv) => refuseKeysOnArgv(argv, 'check'),
    run: runCheck,
  },
  calibrate: {
    help: CALIBRATE_HELP,
    options: CALIBRATE_OPTIONS,
    check: (argv) => refuseKeysOnArgv(argv, 'calibrate'),
    run: runCalibrate,
  },
  diff: {
    help: DIFF_HELP,
    options: DIFF_OPTIONS,
    run: runDiff,
  },
  'serve-llm': {
    raw: true,
    // serve-llm handles Ctrl-C itself (it stops the server and exits 0).
    ownsSignals: true,
    graceMs: 15_000,
    help: 'Usage: tooldraft serve-llm [--port P] [--threads N] [--model file.gguf] [--cache-dir DIR] (see tooldraft serve-llm --help)\n',
    run: runServeLlm,
  },
};

/** `tooldraft serve-llm`: lib/serve-llm.mjs, loaded only when asked for (it is large). */
async function runServeLlm(argv, io) {
  let mod;
  try {
    mod = await import('./serve-llm.mjs');
  } catch (e) {
    throw new CliError(`serve-llm is not part of this build (${e?.message ?? e})`, EXIT.INTERNAL);
  }
  return mod.main(argv, { stdout: io.stdout, stderr: io.stderr });
}

/**
 * How long a command may take to stop after the first Ctrl-C before the process exits
 * anyway (bin/tooldraft.mjs): refine saves its state, serve-llm stops its model.
 * @param {string[]} argv
 */
export function interruptGraceMs(argv) {
  const command = COMMANDS[argv[0]];
  return command?.graceMs ?? (argv[0] === 'refine' || argv[0] === 'evaluate' ? 5000 : 2000);
}

/** A usage error: one line naming the problem, and where to look. */
function usage(message, command) {
  const help = command ? `tooldraft ${command} --help` : 'tooldraft --help';
  return new CliError(`${message} (see ${help})`, EXIT.USAGE);
}

function parse(command, argv) {
  const spec = COMMANDS[command];
  try {
    return parseArgs({ args: argv, options: spec.options, allowPositionals: true, strict: true });
  } catch (e) {
    const quoted = /'([^']+)'/.exec(e.message)?.[1];
    switch (e.code) {
      case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
        throw usage(`unknown option ${quoted ?? ''}`.trim(), command);
      case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
        throw usage(quoted ? `option ${quoted} needs a value` : e.message, command);
      case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
        throw usage(`unexpected argument ${quoted ?? ''}`.trim(), command);
      default:
        throw usage(e.message, command);
    }
  }
}

function onePositional(positionals, command) {
  if (positionals.length === 0) throw usage('missing the document (a file, an http(s) URL or -)', command);
  if (positionals.length > 1)
    throw usage(`expected one document, got ${positionals.length}: ${positionals.join(' ')}`, command);
  return positionals[0];
}

async function runInspect(values, positionals, io) {
  const source = onePositional(positionals, 'inspect');
  const format = formatOption(values.format, '--format', 'inspect');
  const maxBytes = maxBytesOption(values['max-size'], 'inspect');
  const { text, name } = await readText(source, maxBytes, io.signal);
  const report = core(name, () => inspect(text, format));
  if (values.json) {
    await writeOut(io.stdout, `${stringifyJson(report, 2)}\n`);
  } else {
    await writeOut(io.stdout, formatInspectReport(report, name));
  }
  return EXIT.OK;
}

async function runConvert(values, positionals, io) {
  const source = onePositional(positionals, 'convert');
  if (values.to === undefined) throw usage('missing --to <format>', 'convert');
  const to = formatOption(values.to, '--to', 'convert');
  const from = formatOption(values.format, '--format', 'convert');
  const maxBytes = maxBytesOption(values['max-size'], 'convert');
  if (values.output === '') throw usage('-o needs a file name', 'convert');
  const { text, name } = await readText(source, maxBytes, io.signal);
  const exported = core(name, () => convert(text, to, from));
  if (io.signal.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
  if (values.output !== undefined) {
    await writeFileAtomic(values.output, exported.text);
  } else {
    await writeOut(io.stdout, exported.text);
  }
  if (exported.lost.length > 0) {
    const lines = exported.lost.map((l) => `  - ${l}`).join('\n');
    await writeOut(io.stderr, `tooldraft: ${to} cannot carry ${exported.lost.length} item(s) of ${name}:\n${lines}\n`);
  }
  if (values.output !== undefined) {
    await writeOut(io.stderr, `tooldraft: wrote ${values.output} (${to})\n`);
  }
  return EXIT.OK;
}

/**
 * Runs the CLI. Never throws: errors are printed as one line on stderr (a stack trace only
 * with TOOLDRAFT_DEBUG=1) and turned into an exit code.
 * @param {string[]} argv the arguments after `tooldraft`
 * @param {{stdout?: NodeJS.WriteStream, stderr?: NodeJS.WriteStream, signal?: AbortSignal}} [io]
 * @returns {Promise<number>} the exit code
 */
export async function main(argv, io = {}) {
  const stdout = io.stdout ?? process.stdout;
  const stderr = io.stderr ?? process.stderr;
  const signal = io.signal ?? new AbortController().signal;
  try {
    const [first, ...rest] = argv;
    if (first === undefined) {
      await writeOut(stderr, MAIN_HELP);
      return EXIT.USAGE;
    }
    if (first === '-h' || first === '--help' || first === 'help') {
      const topic = first === 'help' ? rest[0] : undefined;
      await writeOut(stdout, topic && COMMANDS[topic] ? COMMANDS[topic].help : MAIN_HELP);
      return EXIT.OK;
    }
    if (first === '-V' || first === '--version') {
      await writeOut(stdout, `tooldraft ${version()}\n`);
      return EXIT.OK;
    }
    if (first.startsWith('-')) throw usage(`unknown option ${first}`);
    const command = COMMANDS[first];
    if (!command) throw usage(`unknown command '${first}'; commands: ${Object.keys(COMMANDS).join(', ')}`);
    if (command.raw) {
      const code = await command.run(rest, { stdout, stderr, signal });
      return signal.aborted && !command.ownsSignals ? EXIT.INTERRUPTED : code;
    }
    command.check?.(rest);
    const { values, positionals } = parse(first, rest);
    if (values.help) {
      await writeOut(stdout, command.help);
      return EXIT.OK;
    }
    const code = await command.run(values, positionals, {
      stdout,
      stderr,
      signal,
      argv: rest,
      env: io.env ?? process.env,
    });
    return signal.aborted ? EXIT.INTERRUPTED : code;
  } catch (e) {
    removePendingTemps();
    const code = signal.aborted ? EXIT.INTERRUPTED : exitCodeFor(e);
    let message;
    if (code === EXIT.INTERRUPTED) message = 'interrupted';
    else if (code === EXIT.INTERNAL)
      message = `internal error: ${e?.name ?? 'Error'}: ${e?.message ?? e} (set TOOLDRAFT_DEBUG=1 for details)`;
    else message = e.message;
    try {
      await writeOut(stderr, `tooldraft: ${message}\n`);
      if (process.env.TOOLDRAFT_DEBUG && e?.stack) await writeOut(stderr, `${e.stack}\n`);
    } catch {
      // stderr is gone; the exit code still tells
    }
    return code;
  }
}

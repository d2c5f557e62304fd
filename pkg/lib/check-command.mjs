// `tooldraft check <doc>`: replays what a refined document claims against the live tool (the
// package's `check`, no model) and says per operation whether it drifted: a table for
// people, `--json` for machines, `--junit FILE` for CI systems; exit 5 on drift, 3 when the
// tool could not be reached (exit-codes.mjs).
import { check } from '../node.js';
import { checkExitCode, formatCheckTable, formatJunit } from './check-report.mjs';
import {
  Scrubber,
  TOOL_OPTIONS,
  intOption,
  refuseKeysOnArgv,
  shownUrl,
  toolHelp,
  toolOptions,
  usage,
} from './endpoint-options.mjs';
import { CliError, EXIT, EXIT_CODES_HELP } from './exit-codes.mjs';
import { writeFileAtomic, writeOut } from './output.mjs';
import { checkOnly, idList, toolTarget } from './refine-command.mjs';
import { checkWritable, readSource } from './sources.mjs';

const C = 'check';

export const CHECK_HELP = `Usage: tooldraft check <doc> [--mcp-url URL | --base-url URL] [options]

Replays what a (refined) document claims against the live tool, with no model, and says
for each operation whether the tool still does what the document says:
  - its stored verified examples (x-tooldraft-examples, the formats' example fields) still
    succeed, and a result they stored keeps its keys and types;
  - responses still fit the documented response schemas (MCP outputSchema);
  - documented required parameters are still required (a call without one fails) and
    documented enum values are still accepted;
  - an MCP server still lists each documented tool with the documented parameters, and
    lists no tool the document lacks.
With no stored example, the smallest call the document allows stands in; what could not be
checked is said. Only read-only operations are called unless allowed. Slow or flaky calls
are retried (timeouts, network errors, 429, 503), then judged.

Verdicts per operation: ok, drift (with the findings), unreachable, skipped (with why).

${toolHelp("default: the document's server URL, when it is absolute")}

Options:
  --only op1,op2                 check only these operation ids
  --json                         print the report as JSON on stdout (instead of the table)
  --junit FILE                   also write a JUnit XML report (one test case per check)
  --allow-writes                 may call operations that write (to replay their examples)
  --allow-destructive            may also call destructive ones
  --allow op1,op2                these operations may write
  --timeout SECONDS              per request (default 30)
  --max-enum-values N            documented enum values tried per parameter (default 5)
  --quiet                        no progress on stderr
  --format F                     read <doc> as this format instead of detecting it
  --max-size MB                  refuse documents larger than this (default 32)
  -h, --help                     show this help

${EXIT_CODES_HELP}
  (check: 0 when nothing drifted, including operations skipped; 5 on drift; 3 when no
  drift was found but the tool, or part of it, could not be reached)
`;

export const CHECK_OPTIONS = {
  ...TOOL_OPTIONS,
  only: { type: 'string', multiple: true },
  json: { type: 'boolean' },
  junit: { type: 'string' },
  'allow-writes': { type: 'boolean' },
  'allow-destructive': { type: 'boolean' },
  allow: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  'max-enum-values': { type: 'string' },
  quiet: { type: 'boolean' },
  format: { type: 'string' },
  'max-size': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
};

export async function runCheck(values, positionals, io) {
  const env = io.env ?? process.env;
  refuseKeysOnArgv(io.argv ?? [], C);
  if (positionals.length === 0) throw usage('missing the document to check (a file, an http(s) URL or -)', C);
  if (positionals.length > 1)
    throw usage(`expected one document, got ${positionals.length}: ${positionals.join(' ')}`, C);
  const target = toolOptions(values, env, C);
  const timeout = values.timeout === undefined ? undefined : Number(values.timeout);
  if (timeout !== undefined && (!Number.isFinite(timeout) || timeout <= 0)) {
    throw usage(`--timeout must be a positive number of seconds, not '${values.timeout}'`, C);
  }
  const maxEnumValues = intOption(values['max-enum-values'], '--max-enum-values', C, { min: 0 });
  if (values.junit !== undefined) await checkWritable(values.junit, '--junit', C);
  const only = idList(values.only);
  const safety = {
    allowWrites: Boolean(values['allow-writes']),
    allowDestructive: Boolean(values['allow-destructive']),
  };
  const allow = idList(values.allow);
  if (allow.length > 0) safety.allow = allow;

  const { name, doc } = await readSource(positionals[0], values, io.signal, C);
  if (only.length > 0) checkOnly(only, doc);
  const tools = toolTarget(target.tools, doc, C);
  const shown = shownUrl(tools.mcpUrl ?? tools.baseUrl);
  const scrubber = new Scrubber(target.secrets);
  const say = (line) => (values.quiet ? undefined : writeOut(io.stderr, `${scrubber.scrub(line)}\n`));
  const count = only.length || doc.tools.reduce((n, t) => n + t.operations.length, 0);
  await say(`tooldraft: checking ${count} operation(s) of ${name} against ${shown}…`);

  const options = { tools, safety, signal: io.signal, onOperation: (o) => void say(`  ${o.operation}: ${o.verdict}`) };
  if (only.length > 0) options.only = only;
  if (timeout !== undefined) options.timeoutMs = Math.ceil(timeout * 1000);
  if (maxEnumValues !== undefined) options.maxEnumValues = maxEnumValues;
  let report;
  try {
    report = await check(doc, options);
  } catch (e) {
    if (io.signal.aborted) throw new CliError('interrupted', EXIT.INTERRUPTED);
    throw e;
  }
  if (values.junit !== undefined) {
    await writeFileAtomic(values.junit, scrubber.scrub(formatJunit(report, { name })));
    await say(`tooldraft: wrote ${values.junit} (JUnit XML)`);
  }
  const out = values.json ? `${JSON.stringify(report, null, 2)}\n` : formatCheckTable(report, { name, target: shown });
  await writeOut(io.stdout, scrubber.scrub(out));
  return checkExitCode(report);
}

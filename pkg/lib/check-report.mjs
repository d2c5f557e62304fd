// `tooldraft check`'s outputs: the table for people, the JUnit XML for CI systems, and the
// exit code a verdict maps to. Pure functions of a CheckReport (index.d.ts), so the web app
// and tests can use them too.
import { EXIT } from './exit-codes.mjs';

/** The exit code of a check: drift (5), an endpoint failure (3), or 0. */
export function checkExitCode(report) {
  if (report.verdict === 'drift') return EXIT.DRIFT;
  if (report.verdict === 'unreachable') return EXIT.ENDPOINT;
  return EXIT.OK;
}

/** How a person names each kind of check (src/check/mod.rs `CheckKind::label`). */
export const KIND_LABEL = {
  listed: 'listing',
  inputSchema: 'input schema',
  example: 'example',
  responseSchema: 'response',
  required: 'required',
  enum: 'enum',
  policy: 'policy',
};

/** A check in a few words: `required \`limit\``, `example #1`. */
export function itemTitle(item) {
  return `${KIND_LABEL[item.kind] ?? item.kind} ${item.subject}`;
}

const VERDICT_WORD = { ok: 'ok', drift: 'DRIFT', unreachable: 'UNREACHABLE', skipped: 'skipped' };

function pad(s, n) {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

function oneLine(s, max = 160) {
  const flat = String(s).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * The table for people: one row per operation, then each drift and unreachable finding
 * under its operation, then a closing line naming the verdict and the exit code.
 * @param {import('../index.js').CheckReport} report
 * @param {{name: string, target: string}} context
 */
export function formatCheckTable(report, { name, target }) {
  const ops = report.operations;
  const width = Math.min(40, Math.max(9, ...ops.map((o) => o.operation.length)));
  const lines = [
    `tooldraft check: ${name} against ${target} (${report.totals.calls} call(s), ${(report.durationMs / 1000).toFixed(1)} s)`,
    '',
  ];
  lines.push(`  ${pad('OPERATION', width)}  ${pad('VERDICT', 11)}  DETAIL`);
  for (const o of ops) {
    lines.push(
      `  ${pad(o.operation, width)}  ${pad(VERDICT_WORD[o.verdict] ?? o.verdict, 11)}  ${oneLine(o.summary, 100)}`,
    );
    if (o.verdict === 'drift' || o.verdict === 'unreachable') {
      for (const i of o.items.filter((x) => x.verdict === o.verdict)) {
        lines.push(`  ${' '.repeat(width)}    - ${itemTitle(i)}: ${oneLine(i.detail)}`);
      }
    }
  }
  if (report.undocumented.length > 0) {
    lines.push('', `  the live server lists tool(s) the document lacks: ${report.undocumented.join(', ')}`);
  }
  if (report.listingError)
    lines.push('', `  the live server's tool list could not be read: ${oneLine(report.listingError)}`);
  const t = report.totals;
  const counts = `${t.ok} ok, ${t.drift} drift, ${t.unreachable} unreachable, ${t.skipped} skipped`;
  const code = checkExitCode(report);
  const headline = {
    ok: 'no drift',
    skipped: 'nothing could be checked (see why above)',
    drift: 'DRIFT: the tool no longer does what the document says',
    unreachable: 'the tool could not be reached: no verdict on drift',
  }[report.verdict];
  lines.push('', `${headline} (${counts}); exit ${code}`, '');
  return lines.join('\n');
}

/** Text made safe for XML 1.0: escaped, control characters other than tab and newlines removed. */
export function xmlEscape(s) {
  return (
    String(s)
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML 1.0 forbids is the point
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

function testcase(classname, name, verdict, detail) {
  const head = `    <testcase classname="${xmlEscape(classname)}" name="${xmlEscape(name)}"`;
  const msg = xmlEscape(oneLine(detail, 300));
  switch (verdict) {
    case 'drift':
      return `${head}>\n      <failure type="drift" message="${msg}">${xmlEscape(detail)}</failure>\n    </testcase>`;
    case 'unreachable':
      return `${head}>\n      <error type="unreachable" message="${msg}">${xmlEscape(detail)}</error>\n    </testcase>`;
    case 'skipped':
      return `${head}>\n      <skipped message="${msg}"/>\n    </testcase>`;
    default:
      return `${head}/>`;
  }
}

/**
 * JUnit XML: one test suite, one test case per check (classname: the operation id); drift is
 * a failure, unreachable an error, skipped a skipped test. Undocumented live tools and a
 * listing that could not be read are test cases of the `(server)` class.
 * @param {import('../index.js').CheckReport} report
 * @param {{name: string}} context
 */
export function formatJunit(report, { name }) {
  const cases = [];
  for (const o of report.operations) {
    for (const i of o.items)
      cases.push({ classname: o.operation, name: itemTitle(i), verdict: i.verdict, detail: i.detail });
  }
  for (const tool of report.undocumented) {
    cases.push({
      classname: '(server)',
      name: `undocumented tool ${tool}`,
      verdict: 'drift',
      detail: `the live server lists \`${tool}\`, which the document lacks`,
    });
  }
  if (report.listingError) {
    cases.push({ classname: '(server)', name: 'tools/list', verdict: 'unreachable', detail: report.listingError });
  }
  const count = (v) => cases.filter((c) => c.verdict === v).length;
  const attrs = `tests="${cases.length}" failures="${count('drift')}" errors="${count('unreachable')}" skipped="${count('skipped')}" time="${(report.durationMs / 1000).toFixed(3)}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="tooldraft check" ${attrs}>`,
    `  <testsuite name="${xmlEscape(name)}" ${attrs}>`,
    ...cases.map((c) => testcase(c.classname, c.name, c.verdict, c.detail)),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

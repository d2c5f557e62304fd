// The human summary of `tooldraft inspect`: format, counts, smells grouped by kind.

const FORMAT_NAMES = {
  openapi: 'OpenAPI 3',
  swagger: 'Swagger 2.0',
  mcp: 'MCP tools/list',
  openai: 'OpenAI tools',
  anthropic: 'Anthropic tools',
  toolbench: 'ToolBench',
  restbench: 'RestBench',
};

/** How many smells of one kind are listed before "… and N more". */
export const SHOWN_PER_KIND = 10;

function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** `missingDescription` → `missing description`. */
function words(kind) {
  return String(kind)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/**
 * Renders an InspectReport for a terminal.
 * @param {import('../index.js').InspectReport} report
 * @param {string} name how to call the document
 */
export function formatInspectReport(report, name) {
  const lines = [];
  const format = FORMAT_NAMES[report.format] ?? report.format;
  lines.push(`${name}: ${format}`);
  lines.push(
    `  ${plural(report.tools, 'tool')}, ${plural(report.operations, 'operation')}, ${plural(report.parameters, 'parameter')}`,
  );
  const smells = Array.isArray(report.smells) ? report.smells : [];
  if (smells.length === 0) {
    lines.push('  no doc smells found');
  } else {
    const groups = new Map();
    for (const smell of smells) {
      const kind = smell.kind ?? smell.code ?? 'other';
      if (!groups.has(kind)) groups.set(kind, []);
      groups.get(kind).push(smell);
    }
    const sorted = [...groups.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
    lines.push(`  ${plural(smells.length, 'doc smell')} of ${plural(groups.size, 'kind')}:`);
    for (const [kind, list] of sorted) {
      lines.push(`    ${words(kind)} (${list.length})`);
      for (const smell of list.slice(0, SHOWN_PER_KIND)) {
        const where = [smell.operation, smell.parameter].filter(Boolean).join(' › ');
        lines.push(`      - ${where ? `${where}: ` : ''}${smell.message ?? JSON.stringify(smell)}`);
      }
      if (list.length > SHOWN_PER_KIND) {
        lines.push(`      … and ${list.length - SHOWN_PER_KIND} more (--json lists them all)`);
      }
    }
  }
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  if (warnings.length > 0) {
    lines.push(`  ${plural(warnings.length, 'warning')}:`);
    for (const w of warnings.slice(0, SHOWN_PER_KIND)) lines.push(`    - ${w}`);
    if (warnings.length > SHOWN_PER_KIND)
      lines.push(`    … and ${warnings.length - SHOWN_PER_KIND} more (--json lists them all)`);
  }
  return `${lines.join('\n')}\n`;
}

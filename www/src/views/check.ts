// "Check against the live tool" in the Review view (issue 14 part 2): replays what the
// reviewed document claims (stored verified examples, response schemas, required parameters,
// enum values, an MCP server's tool list) against the tool, with no model, and shows a
// verdict per operation: ok, drift (with the findings), unreachable or skipped (with why).
// The worker runs the package's `check`; the run's tool target is the default; auth headers
// come from the secrets held in memory. Everything shown is text (dom.ts never sets HTML).

import type { CheckReport, OperationCheck } from '../../../pkg/index';
import { app } from '../app';
import type { WorkerError } from '../client';
import { field, h, replace } from '../dom';
import { errorBox } from '../errors';
import { reviewedDoc } from '../runmodel';
import type { ToolDoc } from '../types';

/** How a person names each kind of check (src/check/mod.rs `CheckKind::label`). */
const KIND_LABEL: Record<OperationCheck['items'][number]['kind'], string> = {
  listed: 'listing',
  inputSchema: 'input schema',
  example: 'example',
  responseSchema: 'response',
  required: 'required',
  enum: 'enum',
  policy: 'policy',
};

const VERDICT_TEXT: Record<OperationCheck['verdict'], string> = {
  ok: 'ok',
  drift: 'drift',
  unreachable: 'unreachable',
  skipped: 'skipped',
};

/** The document to check: the reviewed result of the current run, else the loaded one. */
function currentDoc(): ToolDoc | null {
  const run = app.run;
  if (run?.record.result)
    return reviewedDoc(run.record.original, run.record.result, run.record.review ?? {}, run.record.schemaReview);
  return app.loaded?.doc ?? null;
}

/** The run's tool target (or the loaded MCP server, or the document's own server URL). */
function defaultTarget(): { kind: 'mcp' | 'http'; url: string } {
  const tools = app.run?.record.config.tools;
  if (tools?.mcpUrl) return { kind: 'mcp', url: tools.mcpUrl };
  if (tools?.baseUrl) return { kind: 'http', url: tools.baseUrl };
  if (app.loaded?.mcpUrl) return { kind: 'mcp', url: app.loaded.mcpUrl };
  const own = currentDoc()?.tools.find((t) => t.baseUrl)?.baseUrl ?? '';
  return { kind: 'http', url: own };
}

function resultTable(report: CheckReport): HTMLElement {
  const rows = report.operations.map((o) =>
    h(
      'tr',
      { 'data-check-op': o.operation, 'data-verdict': o.verdict },
      h('td', null, h('code', null, o.operation)),
      h('td', null, h('span', { class: o.verdict === 'ok' ? 'badge' : 'badge warn' }, VERDICT_TEXT[o.verdict])),
      h(
        'td',
        null,
        h('div', null, o.summary),
        o.verdict === 'drift' || o.verdict === 'unreachable'
          ? h(
              'ul',
              null,
              o.items
                .filter((i) => i.verdict === o.verdict)
                .map((i) => h('li', null, `${KIND_LABEL[i.kind]} ${i.subject}: ${i.detail}`)),
            )
          : '',
      ),
    ),
  );
  const t = report.totals;
  const headline = {
    ok: 'No drift: the tool still does what the document says.',
    drift: 'Drift: the tool no longer does what the document says.',
    unreachable: 'The tool could not be reached: no verdict on drift.',
    skipped: 'Nothing could be checked (see why per operation).',
  }[report.verdict];
  return h(
    'div',
    { 'data-testid': 'check-result', 'data-verdict': report.verdict },
    h(
      'p',
      { class: report.verdict === 'ok' ? 'muted' : 'notice' },
      `${headline} ${t.ok} ok, ${t.drift} drift, ${t.unreachable} unreachable, ${t.skipped} skipped; ${t.calls} call(s).`,
    ),
    report.undocumented.length
      ? h(
          'p',
          { class: 'notice' },
          `The live server lists tools the document lacks: ${report.undocumented.join(', ')}.`,
        )
      : '',
    report.listingError
      ? h('p', { class: 'notice' }, `The live server's tool list could not be read: ${report.listingError}`)
      : '',
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { 'data-testid': 'check-table' },
        h('caption', { class: 'sr-only' }, 'Check per operation'),
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['operation', 'verdict', 'findings'].map((c) => h('th', { scope: 'col' }, c)),
          ),
        ),
        h('tbody', null, rows),
      ),
    ),
  );
}

/** The panel: target, a button, the result. */
export function checkPanel(): HTMLElement {
  const kind = h(
    'select',
    { id: 'check-target-kind' },
    h('option', { value: 'mcp' }, 'MCP server (Streamable HTTP)'),
    h('option', { value: 'http', selected: true }, 'HTTP API base URL'),
  );
  const url = h('input', { type: 'url', id: 'check-target-url', placeholder: 'http://127.0.0.1:8081' });
  const out = h('div', { role: 'status', 'aria-live': 'polite' });
  const button = h('button', { type: 'button', id: 'check-run' }, 'Check against the live tool');
  const run = async () => {
    const doc = currentDoc();
    const where = url.value.trim();
    if (!doc) return replace(out, h('p', null, 'Load a document or a run first.'));
    if (!/^https?:\/\//i.test(where))
      return replace(
        out,
        errorBox({
          title: 'No tool to check against',
          message: 'Give the MCP server URL or the API base URL.',
          hints: [],
        }),
      );
    const headers = app.secrets.toolHeaders;
    const tools = {
      ...(kind.value === 'mcp' ? { mcpUrl: where } : { baseUrl: where }),
      ...(Object.keys(headers).length ? { headers } : {}),
    };
    button.disabled = true;
    replace(out, h('p', { class: 'muted' }, 'Checking…'));
    try {
      replace(out, resultTable(await app.engine.call('check', { doc, options: { tools } })));
    } catch (e) {
      const err = e as WorkerError;
      replace(
        out,
        errorBox({
          title: 'The check could not run',
          message: `${err.name}: ${err.message}`,
          hints: [
            'Is the tool running, and does it allow this page (CORS)? The relay (node www/server.mjs --relay ORIGIN) helps with APIs that send no CORS headers.',
          ],
        }),
      );
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', () => void run());
  const panel = h(
    'details',
    { class: 'card', id: 'check-panel' },
    h('summary', null, 'Check against the live tool (drift detection, no model)'),
    h(
      'p',
      { class: 'muted' },
      'Replays the document\u2019s verified examples and checks response schemas, required parameters, enum values and an MCP server\u2019s tool list. Only read-only operations are called. The same check runs in CI: npx tooldraft check (docs/ci.md).',
    ),
    h('div', { class: 'row' }, field('Tool', kind), field('URL', url), button),
    out,
  );
  // The target is filled in when the panel opens (the run may have been loaded since).
  panel.addEventListener('toggle', () => {
    if (!panel.open || url.value.trim()) return;
    const target = defaultTarget();
    kind.value = target.kind;
    url.value = target.url;
  });
  return panel;
}

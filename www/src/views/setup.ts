// Set up a run (issue 5 item 1): which operations, the model, the tool target, safety,
// limits and thresholds, with defaults and a line on what each does.

import { app, isRemembered, rememberSecrets } from '../app';
import { field, h, replace } from '../dom';
import { errorBox } from '../errors';
import { startRun } from '../runs';
import type { Operation, RefinerConfig } from '../types';
import { parseHeaders, safetyLabel } from './doc';

/** Where the model preferences are kept (the Evaluate view reads them too). */
export const PREFS = 'tooldraft.setup';

export interface Prefs {
  provider?: 'openai' | 'anthropic';
  baseUrl?: string;
  model?: string;
}

export function loadPrefs(): Prefs {
  try {
    return JSON.parse(localStorage.getItem(PREFS) ?? '{}') as Prefs;
  } catch {
    return {};
  }
}

function num(id: string, value: number | '', opts: { min?: number; max?: number; step?: number } = {}): HTMLInputElement {
  return h('input', { type: 'number', id, value: String(value), min: opts.min, max: opts.max, step: opts.step ?? 1, inputmode: 'decimal' });
}

function check(id: string, label: string, checked = false, help?: string): { row: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', id, checked });
  const row = h('div', { class: 'check' }, input, h('div', null, h('label', { for: id }, label), help ? h('div', { class: 'help' }, help) : null));
  return { row, input };
}

export function setupView(onStarted: () => void): HTMLElement {
  const root = h('section', { id: 'view-setup', class: 'view', 'aria-labelledby': 'h-setup' });
  const render = () => replace(root, h('h2', { id: 'h-setup' }, 'Set up a run'), app.loaded ? form(onStarted) : h('p', null, 'Open a document or connect to an MCP server first (the Document view).'));
  app.on('doc', render);
  render();
  return root;
}

function form(onStarted: () => void): HTMLElement {
  const loaded = app.loaded!;
  const ops: Operation[] = loaded.doc.tools.flatMap((t) => t.operations);
  const prefs = loadPrefs();
  const errors = h('div', { class: 'errors' });

  // Operations and per-operation safety.
  const rows = ops.map((op) => {
    const pick = h('input', { type: 'checkbox', checked: true, 'data-op': op.id, 'data-name': op.name, id: `pick-${op.id}`, 'aria-label': `refine ${op.name}` });
    const cls = safetyLabel(op);
    const allow = cls === 'read-only' ? null : h('input', { type: 'checkbox', 'data-allow': op.id, 'data-allow-name': op.name, id: `allow-${op.id}`, 'aria-label': `allow calling ${op.name} (${cls})` });
    return {
      op,
      pick,
      allow,
      row: h('tr', null, h('td', null, pick), h('td', null, h('label', { for: pick.id }, h('code', null, op.http ? `${op.http.method} ${op.http.path}` : op.name))), h('td', null, h('span', { class: `badge safety-${cls.split(' ')[0]}` }, cls)), h('td', null, allow ?? h('span', { class: 'muted' }, 'always'))),
    };
  });
  const selectAll = (v: boolean) => rows.forEach((r) => (r.pick.checked = v));

  const provider = h('select', { id: 'llm-provider' }, h('option', { value: 'openai', selected: prefs.provider !== 'anthropic' }, 'OpenAI-compatible (chat completions)'), h('option', { value: 'anthropic', selected: prefs.provider === 'anthropic' }, 'Anthropic (messages)'));
  const baseUrl = h('input', { type: 'url', id: 'llm-base-url', value: prefs.baseUrl ?? 'http://127.0.0.1:8080/v1', placeholder: 'http://127.0.0.1:8080/v1' });
  const model = h('input', { type: 'text', id: 'llm-model', value: prefs.model ?? 'local', autocomplete: 'off' });
  const apiKey = h('input', { type: 'password', id: 'llm-api-key', value: app.secrets.apiKey, autocomplete: 'off' });
  const remember = check('llm-remember', 'Remember the key and auth headers on this device', isRemembered(), 'Stored in this browser (localStorage). Unticked, they live in this page\'s memory only and are never written anywhere.');

  const firstBase = loaded.doc.tools.find((t) => t.baseUrl)?.baseUrl ?? '';
  const targetKind = h('select', { id: 'tool-kind' }, h('option', { value: 'mcp', selected: Boolean(loaded.mcpUrl) }, 'MCP server (Streamable HTTP)'), h('option', { value: 'http', selected: !loaded.mcpUrl }, 'HTTP API base URL'));
  const targetUrl = h('input', { type: 'url', id: 'tool-url', value: loaded.mcpUrl ?? firstBase, placeholder: loaded.mcpUrl ? 'http://127.0.0.1:3001/mcp' : 'http://127.0.0.1:8081' });
  const relay = check('tool-relay', 'Use the local relay (for APIs that send no CORS headers)', false, 'Needs the server started with --relay <the API origin>; calls go to /relay/… on this page\'s origin.');
  const toolHeaders = h('textarea', { id: 'tool-headers', rows: 2, spellcheck: 'false', placeholder: 'Authorization: Bearer …', value: Object.entries(app.secrets.toolHeaders).map(([k, v]) => `${k}: ${v}`).join('\n') });

  const allowWrites = check('allow-writes', 'Allow writes (POST/PUT/PATCH, MCP tools not marked read-only)', false, 'Off: write operations are documented from their docs alone, never called.');
  const allowDestructive = check('allow-destructive', 'Allow destructive calls (DELETE, MCP destructiveHint)', false, 'Off unless you are sure the target is a disposable test instance.');

  const maxEpisodes = num('max-episodes', 5, { min: 1, max: 50 });
  const concurrency = num('concurrency', 4, { min: 1, max: 16 });
  const budget = num('budget-calls', '', { min: 1 });
  const budgetOp = num('budget-op', '', { min: 1 });
  const timeout = num('timeout-ms', 30000, { min: 1000, step: 1000 });
  const phi = num('phi', '', { min: 0, max: 1, step: 0.01 });
  const tau = num('tau', '', { min: 0, max: 1, step: 0.01 });
  phi.placeholder = tau.placeholder = "the embedder's";
  const similarity = embeddingsFieldset();
  const retries = num('diversity-retries', 3, { min: 0, max: 10 });
  const verifyQueries = num('verify-queries', 2, { min: 0, max: 10 });

  const start = async () => {
    replace(errors);
    const picked = rows.filter((r) => r.pick.checked).map((r) => r.op.id);
    const problems: string[] = [];
    if (picked.length === 0) problems.push('Choose at least one operation.');
    if (!model.value.trim()) problems.push('Name the model.');
    if (provider.value === 'openai' && !baseUrl.value.trim()) problems.push('Give the model endpoint\'s base URL.');
    if (!targetUrl.value.trim() && !relay.input.checked) problems.push('Give the tool target (MCP URL or API base URL), or calls cannot be made.');
    const n = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : Number(el.value));
    for (const [el, name] of [[phi, 'φ'], [tau, 'τ']] as const) {
      const v = n(el);
      if (v !== undefined && !(v >= 0 && v <= 1)) problems.push(`${name} must be between 0 and 1 (or empty: the embedder's calibrated value).`);
    }
    problems.push(...similarity.problems());
    if (problems.length) {
      replace(errors, errorBox({ title: 'The run cannot start yet', message: '', hints: problems }));
      return;
    }
    app.secrets = { apiKey: apiKey.value, toolHeaders: parseHeaders(toolHeaders.value) };
    rememberSecrets(remember.input.checked);
    try {
      localStorage.setItem(PREFS, JSON.stringify({ provider: provider.value as Prefs['provider'], baseUrl: baseUrl.value, model: model.value } satisfies Prefs));
    } catch {
      /* preferences are a convenience */
    }
    const url = targetUrl.value.trim();
    const tools: RefinerConfig['tools'] = {};
    if (targetKind.value === 'mcp') tools.mcpUrl = url;
    else tools.baseUrl = relay.input.checked ? `${location.origin}/relay` : url;
    if (Object.keys(app.secrets.toolHeaders).length) tools.headers = app.secrets.toolHeaders;
    const config: RefinerConfig = {
      llm: { provider: provider.value as 'openai' | 'anthropic', baseUrl: baseUrl.value.trim() || undefined, model: model.value.trim(), apiKey: apiKey.value || undefined },
      tools,
      safety: { allowWrites: allowWrites.input.checked, allowDestructive: allowDestructive.input.checked, allow: rows.filter((r) => r.allow?.checked).map((r) => r.op.id) },
      limits: { maxEpisodes: n(maxEpisodes), concurrency: n(concurrency), budgetCalls: n(budget), budgetCallsPerOperation: n(budgetOp), only: picked.length === ops.length ? undefined : picked },
      thresholds: { diversity: n(phi), convergence: n(tau), diversityRetries: n(retries) },
      embeddings: similarity.config(baseUrl.value.trim()),
      verify: { queries: n(verifyQueries) },
      timeoutMs: n(timeout),
    };
    await startRun(config, loaded.doc, loaded.name);
    onStarted();
  };

  return h(
    'form',
    { id: 'setup-form', onsubmit: (ev: Event) => { ev.preventDefault(); void start(); } },
    h(
      'fieldset',
      null,
      h('legend', null, `Operations (${ops.length}) from ${loaded.name}`),
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => selectAll(true) }, 'Select all'), h('button', { type: 'button', onclick: () => selectAll(false) }, 'Select none')),
      h('div', { class: 'oplist table-wrap' }, h('table', null, h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'refine'), h('th', { scope: 'col' }, 'operation'), h('th', { scope: 'col' }, 'kind'), h('th', { scope: 'col' }, 'may call'))), h('tbody', null, rows.map((r) => r.row)))),
      h('p', { class: 'help' }, 'Read-only operations are always called. Tick "may call" to allow one write or destructive operation even with the switches below off.'),
    ),
    h(
      'div',
      { class: 'grid2' },
      h(
        'fieldset',
        null,
        h('legend', null, 'Model'),
        field('Provider', provider),
        field('Base URL', baseUrl, 'An OpenAI-compatible endpoint (…/v1), e.g. tooldraft serve-llm or a local server. It must allow this page\'s origin (CORS).'),
        field('Model', model),
        field('API key', apiKey, 'Leave empty for a local model without keys.'),
        remember.row,
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Tool target'),
        field('Kind', targetKind),
        field('URL', targetUrl, 'Where calls go. For an API document, the base URL its paths are appended to.'),
        relay.row,
        field('Auth headers (one "Name: value" a line)', toolHeaders, 'Sent with every tool call; redacted from trails and reports.'),
      ),
      h('fieldset', null, h('legend', null, 'Safety'), allowWrites.row, allowDestructive.row),
      similarity.fieldset,
      h(
        'fieldset',
        null,
        h('legend', null, 'Limits'),
        field('Episodes per operation', maxEpisodes, 'One episode: the model invents a query, calls the tool, analyses what happened and rewrites the doc.'),
        field('Operations at once', concurrency),
        field('Tool-call budget for the run', budget, 'Empty: no budget.'),
        field('Tool-call budget per operation', budgetOp, 'Empty: no budget.'),
        field('Timeout per request (ms)', timeout),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Thresholds'),
        field('Diversity φ', phi, 'A new query more similar than φ to an earlier one is asked for again: higher allows more alike queries (empty: the embedder\'s calibrated value; local 0.88, the paper\'s 0.9 with ada-002).'),
        field('Retries for diversity', retries),
        field('Convergence τ', tau, 'An operation stops once consecutive revisions are more alike than τ (BLEU and embedding cosine averaged): lower stops sooner (empty: the embedder\'s calibrated value; local 0.54, the paper\'s 0.75 with ada-002).'),
        field('Replay verification queries', verifyQueries, 'A revision is kept only if a model that reads only it calls the tool for this many earlier queries at least as well as with the current doc (default 2; 0: off).'),
      ),
    ),
    errors,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'start-run' }, 'Start the run')),
  );
}

/**
 * The Similarity fieldset (issue 12): which embeddings measure φ and Δ. Local (the default:
 * hashed n-grams, no network) or an OpenAI-compatible /v1/embeddings endpoint (Ollama,
 * tooldraft serve-llm, …); the model's API key is sent to it only when it has the model
 * endpoint's origin (runs.ts adds it back on resume the same way).
 */
function embeddingsFieldset(): { fieldset: HTMLElement; problems: () => string[]; config: (chatUrl: string) => RefinerConfig['embeddings'] } {
  const kind = h('select', { id: 'embeddings-kind' }, h('option', { value: 'local', selected: true }, 'Local (hashed n-grams, no network)'), h('option', { value: 'openai' }, 'OpenAI-compatible endpoint (/v1/embeddings)'));
  const url = h('input', { type: 'url', id: 'embeddings-url', placeholder: 'empty: the model\'s base URL' });
  const model = h('input', { type: 'text', id: 'embeddings-model', autocomplete: 'off', placeholder: 'nomic-embed-text' });
  const remote = h('div', { hidden: true }, field('Embeddings base URL', url), field('Embedding model', model));
  kind.addEventListener('change', () => (remote.hidden = kind.value !== 'openai'));
  return {
    fieldset: h('fieldset', null, h('legend', null, 'Similarity'), field('Embeddings', kind, 'What measures query diversity (φ) and convergence (Δ). The report names the embedder each operation used; if the endpoint fails, operations that have not measured yet use the local one.'), remote),
    problems: () => (kind.value === 'openai' && !model.value.trim() ? ['Name the embedding model (or choose local embeddings).'] : []),
    config: (chatUrl) => {
      if (kind.value !== 'openai') return undefined;
      const baseUrl = url.value.trim() || chatUrl;
      const c: NonNullable<RefinerConfig['embeddings']> = { baseUrl, model: model.value.trim() };
      if (app.secrets.apiKey && sameOrigin(baseUrl, chatUrl)) c.apiKey = app.secrets.apiKey;
      return c;
    },
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

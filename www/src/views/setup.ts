// Set up a run (issue 5 item 1, issue 15): which operations (a safe default, flags with their
// reasons), the model, the tool target (each with "Test connection"), safety, limits and
// thresholds, with defaults and a line on what each does. Resuming a run reads the settings
// here (currentSetup), so what the user fixes is what the resumed run calls. The Operations
// fieldset: setup-operations.ts; the Similarity fieldset: setup-similarity.ts.

import { app, isRemembered, rememberSecrets } from '../app';
import { checkModel, checkTools, type CheckResult } from '../connection';
import { field, h, replace } from '../dom';
import { errorBox } from '../errors';
import { startRun } from '../runs';
import type { Operation, RefinerConfig, ToolDoc } from '../types';
import { parseHeaders } from './doc';
import { operationsFieldset } from './setup-operations';
import { embeddingsFieldset } from './setup-similarity';

/** The model endpoint `tooldraft serve-llm` (and so `make demo`) listens on by default. */
export const DEFAULT_MODEL_URL = 'http://127.0.0.1:11435/v1';

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

function num(
  id: string,
  value: number | '',
  opts: { min?: number; max?: number; step?: number } = {},
): HTMLInputElement {
  return h('input', {
    type: 'number',
    id,
    value: String(value),
    min: opts.min,
    max: opts.max,
    step: opts.step ?? 1,
    inputmode: 'decimal',
  });
}

function check(
  id: string,
  label: string,
  checked = false,
  help?: string,
): { row: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', id, checked });
  const row = h(
    'div',
    { class: 'check' },
    input,
    h('div', null, h('label', { for: id }, label), help ? h('div', { class: 'help' }, help) : null),
  );
  return { row, input };
}

/** The settings as the form holds them now, and what keeps them from being run. */
export interface Setup {
  config: RefinerConfig;
  problems: string[];
  /** The document the form is for. */
  doc: ToolDoc;
}

let readForm: (() => Setup) | null = null;

/** The settings in Set up right now (null when no form is shown); secrets included. */
export function currentSetup(): Setup | null {
  return readForm ? readForm() : null;
}

/** The run on screen, when it can be resumed (and so its settings can be edited). */
function resumable(): { doc: ToolDoc; name: string; config: RefinerConfig } | null {
  const r = app.run;
  if (!r || r.running || !['interrupted', 'cancelled', 'failed'].includes(r.record.status)) return null;
  return { doc: r.record.original, name: r.record.sourceName, config: r.record.config };
}

/** True when two documents are the same (a resumed run must keep its document). */
export function sameDoc(a: ToolDoc, b: ToolDoc): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

export function setupView(onStarted: () => void): HTMLElement {
  const root = h('section', { id: 'view-setup', class: 'view', 'aria-labelledby': 'h-setup' });
  let shownLoaded: typeof app.loaded | undefined;
  let shownRun = '';
  const render = () => {
    const run = resumable();
    const runKey = run ? app.run!.record.id : '';
    // The form stays as the user left it while a run goes on; it is drawn again for another
    // document, and for a run that can be resumed (with that run's settings).
    if (shownLoaded === app.loaded && (runKey === shownRun || runKey === '')) return;
    shownLoaded = app.loaded;
    shownRun = runKey;
    readForm = null;
    // Without an open document, the form edits the settings of the run that can be resumed.
    const source = app.loaded
      ? { doc: app.loaded.doc, name: app.loaded.name, mcpUrl: app.loaded.mcpUrl }
      : run
        ? { doc: run.doc, name: run.name, mcpUrl: run.config.tools.mcpUrl }
        : null;
    const locked = run && source && sameDoc(run.doc, source.doc) ? run.config : undefined;
    replace(
      root,
      h('h2', { id: 'h-setup' }, 'Set up a run'),
      source
        ? form(source, onStarted, locked)
        : h('p', null, 'Open a document or connect to an MCP server first (the Document view).'),
    );
  };
  app.on('doc', render);
  app.on('run', render);
  render();
  return root;
}

/** One "Test connection" button with the place its answer goes. */
function tester(
  id: string,
  label: string,
  run: () => Promise<CheckResult>,
): { row: HTMLElement; result: HTMLElement; show: (r: CheckResult) => void } {
  const result = h('div', { 'data-testid': `${id}-result`, 'aria-live': 'polite' });
  const show = (r: CheckResult) =>
    replace(
      result,
      r.ok
        ? h('div', { class: 'notice ok' }, h('strong', null, 'Connected. '), r.lines.join(' '))
        : errorBox(r.problem!),
    );
  const button = h(
    'button',
    {
      type: 'button',
      id,
      onclick: async () => {
        button.disabled = true;
        replace(result, h('p', { class: 'muted' }, 'Testing…'));
        try {
          show(await run());
        } finally {
          button.disabled = false;
        }
      },
    },
    label,
  );
  return { row: h('div', { class: 'row' }, button), result, show };
}

/** The form; `locked` is the configuration of a run of this document that can be resumed. */
function form(
  source: { doc: ToolDoc; name: string; mcpUrl?: string },
  onStarted: () => void,
  locked?: RefinerConfig,
): HTMLElement {
  const initial = locked;
  const ops: Operation[] = source.doc.tools.flatMap((t) => t.operations);
  const prefs = loadPrefs();
  const errors = h('div', { class: 'errors' });
  const lockedOps = locked?.limits.only ?? (locked ? ops.map((o) => o.id) : undefined);
  const operations = operationsFieldset(
    ops,
    source.name,
    locked ? { picked: lockedOps ?? [], allowed: locked.safety.allow } : undefined,
  );

  const llm0 = initial?.llm ?? {
    provider: prefs.provider ?? 'openai',
    baseUrl: prefs.baseUrl ?? DEFAULT_MODEL_URL,
    model: prefs.model ?? 'local',
  };
  const provider = h(
    'select',
    { id: 'llm-provider' },
    h('option', { value: 'openai', selected: llm0.provider !== 'anthropic' }, 'OpenAI-compatible (chat completions)'),
    h('option', { value: 'anthropic', selected: llm0.provider === 'anthropic' }, 'Anthropic (messages)'),
  );
  const baseUrl = h('input', {
    type: 'url',
    id: 'llm-base-url',
    value: llm0.baseUrl ?? '',
    placeholder: DEFAULT_MODEL_URL,
  });
  const model = h('input', { type: 'text', id: 'llm-model', value: llm0.model, autocomplete: 'off' });
  const apiKey = h('input', { type: 'password', id: 'llm-api-key', value: app.secrets.apiKey, autocomplete: 'off' });
  const remember = check(
    'llm-remember',
    'Remember the key and auth headers on this device',
    isRemembered(),
    "Stored in this browser (localStorage). Unticked, they live in this page's memory only and are never written anywhere.",
  );

  const firstBase = source.doc.tools.find((t) => t.baseUrl)?.baseUrl ?? '';
  const relayed = Boolean(
    initial?.tools.baseUrl?.endsWith('/relay') && initial.tools.baseUrl.startsWith(location.origin),
  );
  const mcp0 = initial ? initial.tools.mcpUrl : source.mcpUrl;
  const targetKind = h(
    'select',
    { id: 'tool-kind' },
    h('option', { value: 'mcp', selected: Boolean(mcp0) }, 'MCP server (Streamable HTTP)'),
    h('option', { value: 'http', selected: !mcp0 }, 'HTTP API base URL'),
  );
  const targetUrl = h('input', {
    type: 'url',
    id: 'tool-url',
    value: mcp0 ?? (relayed ? '' : initial?.tools.baseUrl) ?? firstBase,
    placeholder: mcp0 ? 'http://127.0.0.1:3001/mcp' : 'http://127.0.0.1:8081',
  });
  const relay = check(
    'tool-relay',
    'Use the local relay (for APIs that send no CORS headers)',
    relayed,
    "Needs the server started with --relay <the API origin>; calls go to /relay/… on this page's origin.",
  );
  const toolHeaders = h('textarea', {
    id: 'tool-headers',
    rows: 2,
    spellcheck: 'false',
    placeholder: 'Authorization: Bearer …',
    value: Object.entries(app.secrets.toolHeaders)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n'),
  });

  const allowWrites = check(
    'allow-writes',
    'Allow writes (POST/PUT/PATCH, MCP tools not marked read-only)',
    initial?.safety.allowWrites ?? false,
    'Off: write operations are documented from their docs alone, never called.',
  );
  const allowDestructive = check(
    'allow-destructive',
    'Allow destructive calls (DELETE, MCP destructiveHint)',
    initial?.safety.allowDestructive ?? false,
    'Off unless you are sure the target is a disposable test instance.',
  );

  const lim = initial?.limits ?? {};
  const thr = initial?.thresholds ?? {};
  const maxEpisodes = num('max-episodes', lim.maxEpisodes ?? 5, { min: 1, max: 50 });
  const concurrency = num('concurrency', lim.concurrency ?? 4, { min: 1, max: 16 });
  const budget = num('budget-calls', lim.budgetCalls ?? '', { min: 1 });
  const budgetOp = num('budget-op', lim.budgetCallsPerOperation ?? '', { min: 1 });
  const timeout = num('timeout-ms', initial?.timeoutMs ?? 30000, { min: 1000, step: 1000 });
  const phi = num('phi', thr.diversity ?? '', { min: 0, max: 1, step: 0.01 });
  const tau = num('tau', thr.convergence ?? '', { min: 0, max: 1, step: 0.01 });
  phi.placeholder = tau.placeholder = "the embedder's";
  const similarity = embeddingsFieldset();
  const retries = num('diversity-retries', thr.diversityRetries ?? 3, { min: 0, max: 10 });
  const verifyQueries = num('verify-queries', initial?.verify?.queries ?? 2, { min: 0, max: 10 });

  const n = (el: HTMLInputElement) => (el.value.trim() === '' ? undefined : Number(el.value));
  /** The form's settings as a run configuration (secrets included), with what is missing. */
  const read = (): Setup => {
    const picked = operations.picked();
    const problems: string[] = [];
    if (picked.length === 0) problems.push('Choose at least one operation.');
    if (!model.value.trim()) problems.push('Name the model.');
    if (provider.value === 'openai' && !baseUrl.value.trim()) problems.push("Give the model endpoint's base URL.");
    if (!targetUrl.value.trim() && !relay.input.checked)
      problems.push('Give the tool target (MCP URL or API base URL), or calls cannot be made.');
    for (const [el, name] of [
      [phi, 'φ'],
      [tau, 'τ'],
    ] as const) {
      const v = n(el);
      if (v !== undefined && !(v >= 0 && v <= 1))
        problems.push(`${name} must be between 0 and 1 (or empty: the embedder's calibrated value).`);
    }
    problems.push(...similarity.problems());
    const url = targetUrl.value.trim();
    const tools: RefinerConfig['tools'] = {};
    if (targetKind.value === 'mcp') tools.mcpUrl = url;
    else tools.baseUrl = relay.input.checked ? `${location.origin}/relay` : url;
    const headers = parseHeaders(toolHeaders.value);
    if (Object.keys(headers).length) tools.headers = headers;
    const config: RefinerConfig = {
      llm: {
        provider: provider.value as 'openai' | 'anthropic',
        baseUrl: baseUrl.value.trim() || undefined,
        model: model.value.trim(),
        apiKey: apiKey.value || undefined,
      },
      tools,
      safety: {
        allowWrites: allowWrites.input.checked,
        allowDestructive: allowDestructive.input.checked,
        allow: operations.allowed(),
      },
      limits: {
        maxEpisodes: n(maxEpisodes),
        concurrency: n(concurrency),
        budgetCalls: n(budget),
        budgetCallsPerOperation: n(budgetOp),
        only: picked.length === ops.length ? undefined : picked,
      },
      thresholds: { diversity: n(phi), convergence: n(tau), diversityRetries: n(retries) },
      embeddings: similarity.config(baseUrl.value.trim()),
      verify: { queries: n(verifyQueries) },
      timeoutMs: n(timeout),
    };
    return { config, problems, doc: source.doc };
  };
  readForm = read;

  /** Keeps the secrets and preferences the form holds (in memory; stored only if "remember"). */
  const keep = () => {
    app.secrets = { apiKey: apiKey.value, toolHeaders: parseHeaders(toolHeaders.value) };
    rememberSecrets(remember.input.checked);
    try {
      localStorage.setItem(
        PREFS,
        JSON.stringify({
          provider: provider.value as Prefs['provider'],
          baseUrl: baseUrl.value,
          model: model.value,
        } satisfies Prefs),
      );
    } catch {
      /* preferences are a convenience */
    }
  };

  const modelTest = tester('test-model', 'Test the model', () => checkModel(read().config.llm, n(timeout) ?? 30000));
  const toolTest = tester('test-tools', 'Test the tool target', () => checkTools(read().config.tools));

  const launch = async (config: RefinerConfig) => {
    await startRun(config, source.doc, source.name);
    onStarted();
  };

  const start = async () => {
    replace(errors);
    const { config, problems } = read();
    if (problems.length) {
      replace(errors, errorBox({ title: 'The run cannot start yet', message: '', hints: problems }));
      return;
    }
    keep();
    // A quick check of both endpoints first (the models listed; the tools listed or the base
    // URL answering): a run that cannot reach them is announced now, not after its first step.
    replace(errors, h('p', { class: 'muted' }, 'Checking the model and the tool target…'));
    const [m, t] = await Promise.all([
      checkModel(config.llm, Math.min(config.timeoutMs ?? 30000, 10000), true),
      checkTools(config.tools),
    ]);
    if (m.ok && t.ok) {
      replace(errors);
      return launch(config);
    }
    const failed = [m.ok ? null : m.problem!, t.ok ? null : t.problem!].filter((x) => x !== null);
    replace(
      errors,
      failed.map((x, i) =>
        errorBox(
          x,
          i === failed.length - 1
            ? [h('button', { type: 'button', id: 'start-anyway', onclick: () => void launch(config) }, 'Start anyway')]
            : [],
        ),
      ),
    );
  };
  const lockNote = locked
    ? h(
        'div',
        { class: 'notice', 'data-testid': 'resume-note' },
        h('strong', null, 'This document has a run to resume. '),
        'Resuming it (in the Run view) uses the model, tool target, safety, limits and thresholds set here. ',
        `Its document and its ${lockedOps?.length ?? 0} operation(s) are locked: the checkpoint holds their progress, so they cannot change mid-run. Changing the operations here starts a new run.`,
      )
    : null;

  return h(
    'form',
    {
      id: 'setup-form',
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        void start();
      },
    },
    lockNote,
    operations.fieldset,
    h(
      'div',
      { class: 'grid2' },
      h(
        'fieldset',
        null,
        h('legend', null, 'Model'),
        field('Provider', provider),
        field(
          'Base URL',
          baseUrl,
          `An OpenAI-compatible endpoint (…/v1). The default is where tooldraft serve-llm listens (${DEFAULT_MODEL_URL}). It must allow this page's origin (CORS).`,
        ),
        field('Model', model),
        field('API key', apiKey, 'Leave empty for a local model without keys.'),
        remember.row,
        modelTest.row,
        modelTest.result,
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Tool target'),
        field('Kind', targetKind),
        field('URL', targetUrl, 'Where calls go. For an API document, the base URL its paths are appended to.'),
        relay.row,
        field(
          'Auth headers (one "Name: value" a line)',
          toolHeaders,
          'Sent with every tool call; redacted from trails and reports.',
        ),
        toolTest.row,
        toolTest.result,
      ),
      h('fieldset', null, h('legend', null, 'Safety'), allowWrites.row, allowDestructive.row),
      similarity.fieldset,
      h(
        'fieldset',
        null,
        h('legend', null, 'Limits'),
        field(
          'Episodes per operation',
          maxEpisodes,
          'One episode: the model invents a query, calls the tool, analyses what happened and rewrites the doc.',
        ),
        field('Operations at once', concurrency),
        field('Tool-call budget for the run', budget, 'Empty: no budget.'),
        field('Tool-call budget per operation', budgetOp, 'Empty: no budget.'),
        field('Timeout per request (ms)', timeout),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Thresholds'),
        field(
          'Diversity φ',
          phi,
          "A new query more similar than φ to an earlier one is asked for again: higher allows more alike queries (empty: the embedder's calibrated value; local 0.88, the paper's 0.9 with ada-002).",
        ),
        field('Retries for diversity', retries),
        field(
          'Convergence τ',
          tau,
          "An operation stops once consecutive revisions are more alike than τ (BLEU and embedding cosine averaged): lower stops sooner (empty: the embedder's calibrated value; local 0.54, the paper's 0.75 with ada-002).",
        ),
        field(
          'Replay verification queries',
          verifyQueries,
          'A revision is kept only if a model that reads only it calls the tool for this many earlier queries at least as well as with the current doc (default 2; 0: off).',
        ),
      ),
    ),
    errors,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', id: 'start-run' }, 'Start the run')),
  );
}

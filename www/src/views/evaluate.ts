// Evaluate (issue 7 item 4): does the refined doc help a model pick and call the right
// operations? Choose doc versions (the open document, a run's original or reviewed document,
// pasted text or files), a query set and the model; the worker scores every item under every
// version (live progress, cancel). The version slots: src/views/eval-versions.ts; what is shown
// after: src/views/evalresults.ts.
// Keys and auth headers stay in memory unless "remember on this device" is ticked.

import { app, isRemembered, rememberSecrets } from '../app';
import type { WorkerError } from '../client';
import { field, h, replace } from '../dom';
import { errorBox } from '../errors';
import { explainEval, isEvalReport, queryTexts } from '../evaluation';
import type { EvalProgress, EvaluateOptions } from '../evaltypes';
import { parseHeaders } from './doc';
import { renderChanges, renderResults, type EvalFile, type VersionChanges } from './evalresults';
import { type Version, versionSlots } from './eval-versions';
// The Set up view's stored model preferences (the same key, so both views agree).
import { loadPrefs, PREFS, type Prefs } from './setup';

function num(id: string, value: number, min: number, max?: number, step = 1): HTMLInputElement {
  return h('input', { type: 'number', id, value: String(value), min, max, step, inputmode: 'numeric' });
}

export function evaluateView(): HTMLElement {
  const errors = h('div', { class: 'errors' });
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite', 'data-testid': 'eval-status' });
  const results = h('section', { class: 'eval-results', 'aria-labelledby': 'h-eval-results' });
  const notice = h('div');
  const slots = versionSlots();

  // ---- query set ----
  const queries = h('textarea', {
    id: 'eval-queries',
    rows: 6,
    spellcheck: 'false',
    placeholder: '{"query": "What is the weather in Paris?", "gold": ["get_weather"]}',
  });
  const queriesFile = h('input', {
    type: 'file',
    id: 'eval-queries-file',
    accept: '.json,.jsonl,.txt,application/json',
  });
  queriesFile.addEventListener('change', async () => {
    const f = queriesFile.files?.[0];
    if (f) queries.value = await f.text();
  });

  // ---- model, tool target, settings ----
  const provider = h(
    'select',
    { id: 'eval-llm-provider' },
    h('option', { value: 'openai' }, 'OpenAI-compatible (chat completions)'),
    h('option', { value: 'anthropic' }, 'Anthropic (messages)'),
  );
  const baseUrl = h('input', { type: 'url', id: 'eval-llm-base-url', placeholder: 'http://127.0.0.1:8080/v1' });
  const model = h('input', { type: 'text', id: 'eval-llm-model', autocomplete: 'off' });
  const apiKey = h('input', { type: 'password', id: 'eval-llm-api-key', autocomplete: 'off' });
  const remember = h('input', { type: 'checkbox', id: 'eval-remember', checked: isRemembered() });
  const touched = new Set<HTMLElement>();
  for (const el of [provider, baseUrl, model, remember])
    el.addEventListener(el === remember ? 'change' : 'input', () => touched.add(el));
  const prefill = () => {
    const prefs = loadPrefs();
    const llm = app.run?.record.config.llm;
    if (!touched.has(provider)) provider.value = prefs.provider ?? llm?.provider ?? 'openai';
    if (!touched.has(baseUrl)) baseUrl.value = prefs.baseUrl ?? llm?.baseUrl ?? 'http://127.0.0.1:8080/v1';
    if (!touched.has(model)) model.value = prefs.model ?? llm?.model ?? 'local';
    if (!touched.has(remember)) remember.checked = isRemembered();
    apiKey.placeholder = app.secrets.apiKey ? '(the key entered in Set up)' : '';
  };

  const toolKind = h(
    'select',
    { id: 'eval-tool-kind' },
    h('option', { value: 'none' }, 'None: score choices and arguments only'),
    h('option', { value: 'mcp' }, 'MCP server (Streamable HTTP)'),
    h('option', { value: 'http' }, 'HTTP API base URL'),
  );
  const toolUrl = h('input', { type: 'url', id: 'eval-tool-url', placeholder: 'http://127.0.0.1:3001/mcp' });
  const relay = h('input', { type: 'checkbox', id: 'eval-tool-relay' });
  const toolHeaders = h('textarea', {
    id: 'eval-tool-headers',
    rows: 2,
    spellcheck: 'false',
    placeholder: 'Authorization: Bearer …',
  });
  const toolBox = h(
    'div',
    null,
    field('URL', toolUrl, 'Only read-only operations are called; the result counts as "call success".'),
    h(
      'div',
      { class: 'check' },
      relay,
      h('label', { for: relay.id }, 'Use the local relay (for APIs that send no CORS headers)'),
    ),
    field(
      'Auth headers (one "Name: value" a line)',
      toolHeaders,
      'Kept in memory only (or on this device with "remember"); never in reports.',
    ),
  );
  toolKind.addEventListener('change', () => {
    toolBox.hidden = toolKind.value === 'none';
    if (!toolUrl.value)
      toolUrl.value =
        app.loaded?.mcpUrl ?? app.run?.record.config.tools.mcpUrl ?? app.run?.record.config.tools.baseUrl ?? '';
  });
  toolBox.hidden = true;

  const concurrency = num('eval-concurrency', 4, 1, 32);
  const timeout = num('eval-timeout', 30000, 1000, undefined, 1000);
  const resamples = num('eval-resamples', 2000, 100, 100000, 100);

  // ---- run ----
  const startBtn = h('button', { type: 'submit', class: 'primary', id: 'start-eval' }, 'Start the evaluation');
  const cancelBtn = h('button', { type: 'button', class: 'danger', id: 'cancel-eval', hidden: true }, 'Cancel');
  const compareBtn = h('button', { type: 'button', id: 'compare-docs' }, 'Compare the versions (no model)');
  const bar = h('progress', { max: 1, value: 0, 'aria-label': 'Evaluation progress' });
  const doneText = h('span', { 'data-testid': 'eval-done' }, '0 / 0');
  const lastText = h('span', { class: 'muted' });
  const progress = h(
    'div',
    { class: 'card row', 'data-testid': 'eval-progress', hidden: true },
    bar,
    doneText,
    lastText,
  );
  let current: string | null = null;
  let latest: EvalProgress | null = null;
  let queued = false;
  const paintProgress = () => {
    queued = false;
    if (!latest) return;
    bar.max = Math.max(1, latest.total);
    bar.value = latest.done;
    doneText.textContent = `${latest.done} / ${latest.total}`;
    lastText.textContent = `last: item ${latest.item} under ${latest.version}`;
  };
  app.engine.onEvalProgress((id, p) => {
    if (id !== current) return;
    latest = p;
    if (!queued) {
      queued = true;
      requestAnimationFrame(paintProgress);
    }
  });
  const setRunning = (on: boolean) => {
    startBtn.disabled = on;
    compareBtn.disabled = on;
    cancelBtn.hidden = !on;
    cancelBtn.disabled = false;
  };

  const compare = async (list: Version[]): Promise<VersionChanges[]> => {
    const out: VersionChanges[] = [];
    for (const v of list.slice(1)) {
      try {
        out.push({
          baseline: list[0].label,
          candidate: v.label,
          changes: await app.engine.call('compareDocs', { before: list[0].text, after: v.text }),
        });
      } catch (e) {
        const err = e as WorkerError;
        out.push({ baseline: list[0].label, candidate: v.label, error: { name: err.name, message: err.message } });
      }
    }
    return out;
  };

  const showProblems = (title: string, problems: string[]) =>
    replace(errors, errorBox({ title, message: '', hints: problems }));

  const collect = async (title: string): Promise<Version[] | null> => {
    try {
      return await slots.versions();
    } catch (e) {
      const err = e as WorkerError;
      replace(
        errors,
        errorBox({
          title,
          message: err.name === 'NoDocument' ? err.message : `${err.name}: ${err.message}`,
          hints: [],
        }),
      );
      return null;
    }
  };

  const compareOnly = async () => {
    replace(errors);
    const problems = slots.check();
    if (problems.length) return showProblems('The versions cannot be compared yet', problems);
    const list = await collect('The versions cannot be compared yet');
    if (!list) return;
    renderChanges(results, await compare(list));
    status.textContent = 'Compared the versions.';
  };
  compareBtn.addEventListener('click', () => void compareOnly());

  const start = async () => {
    replace(errors);
    const problems = slots.check();
    if (!model.value.trim()) problems.push('Name the model.');
    if (provider.value === 'openai' && !baseUrl.value.trim()) problems.push("Give the model endpoint's base URL.");
    const key = apiKey.value || app.secrets.apiKey;
    if (provider.value === 'anthropic' && !key) problems.push('Anthropic needs an API key.');
    if (toolKind.value !== 'none' && !toolUrl.value.trim() && !relay.checked)
      problems.push('Give the tool target\'s URL, or choose "None".');
    const conc = Number(concurrency.value);
    if (!(Number.isInteger(conc) && conc >= 1)) problems.push('Items at once must be a whole number, at least 1.');
    if (problems.length) return showProblems('The evaluation cannot start yet', problems);
    const list = await collect('The evaluation cannot start yet');
    if (!list) return;

    const headers = parseHeaders(toolHeaders.value);
    app.secrets = { apiKey: key, toolHeaders: Object.keys(headers).length ? headers : app.secrets.toolHeaders };
    rememberSecrets(remember.checked);
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
    const tools: EvaluateOptions['tools'] = {};
    if (toolKind.value === 'mcp') tools.mcpUrl = toolUrl.value.trim();
    if (toolKind.value === 'http') tools.baseUrl = relay.checked ? `${location.origin}/relay` : toolUrl.value.trim();
    if (toolKind.value !== 'none' && Object.keys(headers).length) tools.headers = headers;
    const llm =
      provider.value === 'anthropic'
        ? {
            provider: 'anthropic' as const,
            baseUrl: baseUrl.value.trim() || undefined,
            model: model.value.trim(),
            apiKey: key,
          }
        : {
            provider: 'openai' as const,
            baseUrl: baseUrl.value.trim(),
            model: model.value.trim(),
            apiKey: key || undefined,
          };
    const options: EvaluateOptions = {
      docs: list,
      queries: queries.value,
      llm,
      tools: toolKind.value === 'none' ? undefined : tools,
      concurrency: conc,
      resamples: Number(resamples.value) || undefined,
      timeoutMs: Number(timeout.value) || undefined,
    };
    const endpoints = { llm: llm.baseUrl, tool: tools.mcpUrl ?? tools.baseUrl };
    const id = crypto.randomUUID();
    current = id;
    latest = null;
    bar.value = 0;
    doneText.textContent = '0 / …';
    lastText.textContent = '';
    progress.hidden = false;
    setRunning(true);
    status.textContent = `Evaluating ${list.length} versions…`;
    try {
      const report = await app.engine.call('evaluate', { evalId: id, options });
      current = null;
      cancelBtn.hidden = true;
      const changes = await compare(list);
      latest = {
        done: report.scoredItems * report.versions.length,
        total: report.scoredItems * report.versions.length,
        version: '',
        item: '',
      };
      bar.max = Math.max(1, latest.total);
      bar.value = latest.done;
      doneText.textContent = `${latest.done} / ${latest.total}`;
      lastText.textContent = 'done';
      const set = await app.engine.call('parseQueries', { text: queries.value }).catch(() => ({ items: [] }));
      renderResults(results, { report, queries: queryTexts(set), changes, endpoints }, status);
      status.textContent = `Evaluated ${report.scoredItems} items under ${report.versions.length} versions.`;
      results.querySelector<HTMLElement>('h3')?.focus();
    } catch (e) {
      const err = e as WorkerError;
      if (err.name === 'Aborted') {
        status.textContent = 'The evaluation was cancelled.';
        lastText.textContent = 'cancelled';
      } else {
        progress.hidden = true;
        status.textContent = 'The evaluation failed.';
        replace(errors, errorBox(await explainEval(err, endpoints)));
      }
    } finally {
      current = null;
      setRunning(false);
    }
  };
  cancelBtn.addEventListener('click', () => {
    if (!current) return;
    app.engine.cancelEvaluation(current);
    cancelBtn.disabled = true;
    status.textContent = 'Cancelling…';
  });

  // ---- a saved report ----
  const openFile = h('input', { type: 'file', id: 'open-eval-file', accept: '.json,application/json' });
  const openErrors = h('div');
  openFile.addEventListener('change', async () => {
    const f = openFile.files?.[0];
    if (!f) return;
    replace(openErrors);
    try {
      const value = JSON.parse(await f.text()) as EvalFile;
      if (!isEvalReport(value))
        throw new Error('this file is not an evaluation report (it lacks versions, comparisons, skipped or items)');
      renderResults(
        results,
        {
          report: value,
          queries: new Map(),
          changes: Array.isArray(value.changes) ? value.changes : [],
          endpoints: {},
        },
        status,
      );
      status.textContent = `Opened ${f.name}.`;
    } catch (e) {
      replace(
        openErrors,
        errorBox({
          title: 'The evaluation report could not be opened',
          message: (e as Error).message,
          hints: ['Open a JSON report downloaded from this view.'],
        }),
      );
    }
  });

  const refresh = () => {
    slots.refresh();
    prefill();
    const features = app.ready?.features;
    replace(
      notice,
      features && !features.includes('evaluate')
        ? errorBox({
            title: 'This build of the tooldraft package cannot evaluate',
            message: 'The package has no evaluate() function.',
            hints: ['Rebuild it with ./scripts/build.sh, then rebuild the app.'],
          })
        : null,
    );
  };
  app.on('doc', refresh);
  app.on('run', refresh);
  app.on('ready', refresh);
  refresh();

  return h(
    'section',
    { id: 'view-evaluate', class: 'view', 'aria-labelledby': 'h-evaluate' },
    h('h2', { id: 'h-evaluate' }, 'Evaluate'),
    h(
      'p',
      { class: 'help' },
      "Does a version of the documentation help a model pick and call the right operations? Each query goes to the model once per version, with that version's docs; the versions are scored on the same items (the DRAFT paper's Correct Path rate, CP).",
    ),
    notice,
    h(
      'form',
      {
        id: 'eval-form',
        onsubmit: (ev: Event) => {
          ev.preventDefault();
          void start();
        },
      },
      h(
        'fieldset',
        null,
        h('legend', null, 'Documentation versions'),
        slots.el,
        h(
          'div',
          { class: 'row' },
          h('button', { type: 'button', id: 'add-version', onclick: () => slots.add() }, 'Add a version'),
          compareBtn,
        ),
      ),
      h(
        'fieldset',
        null,
        h('legend', null, 'Query set'),
        field(
          'Queries',
          queries,
          'JSONL, one {"query": "…", "gold": ["operation", …]} a line (optional "id", "candidates"), or the DRAFT paper\'s ToolBench/RestBench JSON.',
        ),
        field('…or load a file', queriesFile),
      ),
      h(
        'div',
        { class: 'grid2' },
        h(
          'fieldset',
          null,
          h('legend', null, 'Model'),
          field('Provider', provider),
          field('Base URL', baseUrl, "An OpenAI-compatible endpoint (…/v1). It must allow this page's origin (CORS)."),
          field('Model', model),
          field('API key', apiKey, 'Empty: the key entered in Set up, if any (none for a local model).'),
          h(
            'div',
            { class: 'check' },
            remember,
            h('label', { for: remember.id }, 'Remember the key and auth headers on this device'),
          ),
        ),
        h(
          'fieldset',
          null,
          h('legend', null, 'Tool target (optional)'),
          field('Call the chosen operations', toolKind),
          toolBox,
        ),
        h(
          'fieldset',
          null,
          h('legend', null, 'Evaluation'),
          field('Items at once', concurrency, 'Model requests in flight together.'),
          field('Timeout per request (ms)', timeout),
          field(
            'Bootstrap resamples',
            resamples,
            'For the 95% intervals and the paired tests (reports are reproducible).',
          ),
        ),
      ),
      errors,
      h('div', { class: 'row' }, startBtn, cancelBtn),
    ),
    progress,
    status,
    results,
    h(
      'details',
      { class: 'card' },
      h('summary', null, 'Open a saved evaluation (JSON report)'),
      field('Report file', openFile),
      openErrors,
    ),
  );
}

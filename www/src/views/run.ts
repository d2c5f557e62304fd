// A run as it goes (issue 5 item 2): progress per operation, cancel, resume, past runs.

import { app } from '../app';
import { counts, h, replace } from '../dom';
import { errorBox, explainRun } from '../errors';
import { describeTermination, sumUsage, type OpRun } from '../runmodel';
import { cancelRun, needsSecrets, openRun, resumeRun } from '../runs';
import { deleteRun, listRuns } from '../store';
import type { RunEvent } from '../types';
import { parseHeaders } from './doc';

const STATUS_TEXT: Record<string, string> = {
  running: 'running',
  finished: 'finished',
  cancelled: 'cancelled',
  failed: 'failed',
  interrupted: 'interrupted (the page was closed or reloaded mid-run)',
};

export function runView(showResults: () => void): HTMLElement {
  const head = h('div', { class: 'card', 'data-testid': 'run-head' });
  const problem = h('div');
  const table = h('div', { class: 'table-wrap' });
  const log = h('ol', { class: 'log', 'aria-label': 'Recent events' });
  const past = h('div');
  let explainedFor = '';

  const renderHead = () => {
    const run = app.run;
    if (!run) return replace(head, h('p', null, 'No run yet. Set one up in "Set up".'));
    const m = run.model;
    const ops = [...m.ops.values()];
    const done = ops.filter((o) => o.status === 'done').length;
    const st = run.running ? 'running' : run.record.status;
    const actions: HTMLElement[] = [];
    if (run.running) actions.push(h('button', { type: 'button', class: 'danger', id: 'cancel-run', onclick: () => cancelRun() }, 'Cancel'));
    else if (st === 'interrupted' || st === 'cancelled' || st === 'failed') actions.push(resumeControl(run.record.id, needsSecrets(run.record)));
    if (run.record.result || ops.some((o) => o.decisions.length)) actions.push(h('button', { type: 'button', id: 'show-results', onclick: showResults }, 'See the results'));
    replace(
      head,
      h('h3', null, `Run of ${run.record.sourceName}`),
      counts([
        ['status', STATUS_TEXT[st] ?? st, 'run-status'],
        ['operations done', `${done} / ${ops.length}`, 'ops-done'],
        ['checkpoints', String(run.record.step ?? m.steps), 'run-steps'],
        ['model calls', String(m.modelCalls)],
        ['tokens', sumUsage(m).toLocaleString(), 'run-tokens'],
      ]),
      h('div', { class: 'row' }, actions),
    );
    const err = run.record.error;
    const key = err ? `${run.record.id}:${err.name}:${err.message}` : '';
    if (!err) replace(problem);
    else if (key !== explainedFor) {
      explainedFor = key;
      replace(problem, errorBox({ title: err.name, message: err.message, hints: [] }));
      const tool = run.record.config.tools.mcpUrl ?? run.record.config.tools.baseUrl;
      void explainRun(err, { llm: run.record.config.llm.baseUrl, tool }).then((x) => {
        if (explainedFor === key) replace(problem, errorBox(x));
      });
    }
  };

  const renderTable = () => {
    const run = app.run;
    if (!run) return replace(table);
    const m = run.model;
    replace(
      table,
      h(
        'table',
        { 'data-testid': 'progress' },
        h('caption', { class: 'sr-only' }, 'Progress per operation'),
        h('thead', null, h('tr', null, ['operation', 'status', 'episode', 'phase', 'calls', 'tokens', 'revisions', 'stopped because'].map((c) => h('th', { scope: 'col' }, c)))),
        h('tbody', null, m.order.map((id) => opRow(m.ops.get(id)!, m.maxEpisodes))),
      ),
    );
  };

  const renderPast = async () => {
    const runs = await listRuns();
    replace(
      past,
      runs.length
        ? h('div', { class: 'table-wrap' }, h(
            'table',
            { 'data-testid': 'past-runs' },
            h('caption', null, 'Runs kept in this browser'),
            h('thead', null, h('tr', null, ['started', 'document', 'status', ''].map((c) => h('th', { scope: 'col' }, c)))),
            h(
              'tbody',
              null,
              runs.map((r) =>
                h(
                  'tr',
                  null,
                  h('td', null, new Date(r.createdAt).toLocaleString()),
                  h('td', null, r.sourceName),
                  h('td', null, STATUS_TEXT[r.status] ?? r.status),
                  h(
                    'td',
                    null,
                    h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => void openRun(r.id), disabled: app.run?.running }, 'Show'), h('button', { type: 'button', class: 'danger', disabled: app.run?.record.id === r.id && app.run.running, onclick: async () => { await deleteRun(r.id); if (app.run?.record.id === r.id) { app.run = null; app.emit('run'); } void renderPast(); } }, 'Delete')),
                  ),
                ),
              ),
            ),
          ))
        : null,
    );
  };

  let lastLogged = 0;
  app.engine.onEvent((runId, e) => {
    if (app.run?.record.id !== runId) return;
    const line = logLine(e);
    if (!line) return;
    log.prepend(h('li', null, line));
    while (log.childElementCount > 200) log.lastElementChild?.remove();
    lastLogged++;
  });

  let lastStatus = '';
  app.on('run', () => {
    renderHead();
    renderTable();
    const st = `${app.run?.record.id}:${app.run?.running}:${app.run?.record.status}`;
    if (st !== lastStatus) {
      lastStatus = st;
      if (!app.run?.running && lastLogged === 0) replace(log);
      void renderPast();
    }
  });
  renderHead();
  void renderPast();

  return h(
    'section',
    { id: 'view-run', class: 'view', 'aria-labelledby': 'h-run' },
    h('h2', { id: 'h-run' }, 'Run'),
    head,
    problem,
    table,
    h('details', { class: 'card' }, h('summary', null, 'Event log'), log),
    past,
  );
}

function opRow(o: OpRun, max: number): HTMLElement {
  const accepted = o.decisions.filter((d) => d.accepted).length;
  const rejected = o.decisions.length - accepted;
  return h(
    'tr',
    { 'data-op': o.id },
    h('td', null, h('code', null, o.name)),
    h('td', null, o.status),
    h('td', null, h('progress', { max, value: Math.min(o.episode, max), 'aria-label': `${o.name}: episode ${o.episode} of ${max}` }), ` ${o.episode} / ${max}`),
    h('td', { class: 'phase' }, o.phase ?? '—'),
    h('td', null, String(o.calls)),
    h('td', null, o.tokens ? o.tokens.toLocaleString() : '—'),
    h('td', null, h('span', { class: 'badge ok' }, `${accepted} accepted`), rejected ? h('span', { class: 'badge bad' }, `${rejected} rejected`) : null),
    h('td', null, o.termination ? describeTermination(o.termination) : o.errors.length ? `error: ${o.errors[o.errors.length - 1].message}` : ''),
  );
}

function resumeControl(id: string, askSecrets: boolean): HTMLElement {
  if (!askSecrets) return h('button', { type: 'button', class: 'primary', id: 'resume-run', onclick: () => void resumeRun(id) }, 'Resume from the last checkpoint');
  const key = h('input', { type: 'password', id: 'resume-key', autocomplete: 'off', 'aria-label': 'API key' });
  const headers = h('textarea', { id: 'resume-headers', rows: 1, 'aria-label': 'Tool auth headers', placeholder: 'Authorization: Bearer …' });
  return h(
    'form',
    { class: 'row', onsubmit: (ev: Event) => { ev.preventDefault(); app.secrets = { apiKey: key.value, toolHeaders: parseHeaders(headers.value) }; void resumeRun(id); } },
    h('span', null, 'This run used an API key or auth headers, which were not kept. Enter them to resume:'),
    key,
    headers,
    h('button', { type: 'submit', class: 'primary', id: 'resume-run' }, 'Resume'),
  );
}

function logLine(e: RunEvent): string | null {
  switch (e.type) {
    case 'operationStarted':
      return `${e.operation}: started`;
    case 'phase':
      return `${e.operation}: episode ${e.episode}, ${e.phase}`;
    case 'query':
      return `${e.operation}: query “${e.query}”`;
    case 'toolResult':
      return `${e.operation}: tool answered ${e.observation.status ?? 'nothing'}${e.observation.isError ? ' (error)' : ''} in ${Math.round(e.observation.durationMs)} ms`;
    case 'revisionAccepted':
      return `${e.operation}: revision ${e.revision} accepted`;
    case 'revisionRejected':
      return `${e.operation}: revision ${e.revision} rejected: ${e.reason}`;
    case 'terminated':
      return `${e.operation}: ${describeTermination(e.reason)}`;
    case 'error':
      return `${e.operation ?? 'run'}: ${e.code}: ${e.message}`;
    case 'runFinished':
      return e.cancelled ? 'run cancelled' : 'run finished';
    default:
      return null;
  }
}

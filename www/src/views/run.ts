// A run as it goes (issue 5 item 2, issue 15): progress per operation (completed episodes,
// the final state of each), cancel, resume with the current Set up (the endpoints it will call
// named first, what cannot change shown locked), the event log grouped by run, past runs.

import { app } from '../app';
import { counts, h, replace } from '../dom';
import { errorBox, explainRun } from '../errors';
import { describeTermination, sumUsage, type OpRun } from '../runmodel';
import { cancelRun, needsSecrets, openRun, resumeRun, resumedConfig, settledStatus, withSecrets } from '../runs';
import { deleteRun, listRuns } from '../store';
import type { RefinerConfig, RunEvent } from '../types';
import { parseHeaders } from './doc';
import { currentSetup, sameDoc } from './setup';
import type { RunRecord } from '../store';

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
  const log = h('div', { class: 'log', 'data-testid': 'event-log' });
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
    if (run.running)
      actions.push(
        h('button', { type: 'button', class: 'danger', id: 'cancel-run', onclick: () => cancelRun() }, 'Cancel'),
      );
    else if (st === 'interrupted' || st === 'cancelled' || st === 'failed') actions.push(resumeControl(run.record));
    if (run.record.result || ops.some((o) => o.decisions.length))
      actions.push(h('button', { type: 'button', id: 'show-results', onclick: showResults }, 'See the results'));
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
    if (!err) {
      // A resumed run clears its error: the same failure again must show its box again.
      explainedFor = '';
      replace(problem);
    } else if (key !== explainedFor) {
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
        h(
          'thead',
          null,
          h(
            'tr',
            null,
            ['operation', 'status', 'episode', 'phase', 'calls', 'tokens', 'revisions', 'stopped because'].map((c) =>
              h('th', { scope: 'col' }, c),
            ),
          ),
        ),
        h(
          'tbody',
          null,
          m.order.map((id) =>
            opRow(
              m.ops.get(id)!,
              m.maxEpisodes,
              settledStatus(m.ops.get(id)!.status, { running: run.running, status: run.record.status }),
            ),
          ),
        ),
      ),
    );
  };

  const renderPast = async () => {
    const runs = await listRuns();
    replace(
      past,
      runs.length
        ? h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { 'data-testid': 'past-runs' },
              h('caption', null, 'Runs kept in this browser'),
              h(
                'thead',
                null,
                h(
                  'tr',
                  null,
                  ['started', 'document', 'status', ''].map((c) => h('th', { scope: 'col' }, c)),
                ),
              ),
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
                      h(
                        'div',
                        { class: 'row' },
                        h(
                          'button',
                          { type: 'button', onclick: () => void openRun(r.id), disabled: app.run?.running },
                          'Show',
                        ),
                        h(
                          'button',
                          {
                            type: 'button',
                            class: 'danger',
                            disabled: app.run?.record.id === r.id && app.run.running,
                            onclick: async () => {
                              await deleteRun(r.id);
                              if (app.run?.record.id === r.id) {
                                app.run = null;
                                app.emit('run');
                              }
                              void renderPast();
                            },
                          },
                          'Delete',
                        ),
                      ),
                    ),
                  ),
                ),
              ),
            ),
          )
        : null,
    );
  };

  // The event log: one group per run (and per resume of it), newest first.
  let lastLogged = 0;
  let group: { key: string; list: HTMLOListElement } | null = null;
  const newGroup = (runId: string, resumed: boolean) => {
    const list = h('ol', { 'aria-label': 'Events of this run' });
    const title = `${resumed ? 'Resumed' : 'Started'} ${new Date().toLocaleTimeString()} · run ${runId.slice(0, 8)}`;
    log.prepend(h('section', { class: 'log-group', 'data-run': runId }, h('h4', null, title), list));
    while (log.childElementCount > 10) log.lastElementChild?.remove();
    group = { key: runId, list };
  };
  app.engine.onEvent((runId, e) => {
    if (app.run?.record.id !== runId) return;
    if (e.type === 'runStarted' || group?.key !== runId)
      newGroup(runId, e.type === 'runStarted' ? Boolean(e.resumed) : false);
    const line = logLine(e);
    if (!line) return;
    group!.list.prepend(h('li', null, line));
    while (group!.list.childElementCount > 200) group!.list.lastElementChild?.remove();
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
  // Coming back from Set up: the resume plan names the endpoints as they are now.
  app.on('view', () => {
    if (!app.run?.running) renderHead();
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
    h('details', { class: 'card' }, h('summary', null, 'Event log (grouped by run)'), log),
    past,
  );
}

/** Episodes an operation has finished (its `episode` is the 0-based one it is in or ended in). */
export function completedEpisodes(o: OpRun): number {
  const started = o.status !== 'queued' || o.decisions.length > 0 || o.trails.length > 0;
  if (!started) return 0;
  return o.status === 'done' ? o.episode + 1 : o.episode;
}

function opRow(o: OpRun, max: number, status: string): HTMLElement {
  const accepted = o.decisions.filter((d) => d.accepted).length;
  const rejected = o.decisions.length - accepted;
  const completed = Math.min(completedEpisodes(o), max);
  const live = status === 'running';
  const episodeText = live
    ? `episode ${Math.min(o.episode + 1, max)} of ${max} (${completed} done)`
    : `${completed} of ${max} episode${max === 1 ? '' : 's'} done`;
  return h(
    'tr',
    { 'data-op': o.id, 'data-status': status },
    h('td', null, h('code', null, o.name)),
    h('td', { 'data-testid': 'op-status' }, status),
    h(
      'td',
      null,
      h('progress', { max, value: status === 'done' ? max : completed, 'aria-label': `${o.name}: ${episodeText}` }),
      ` ${episodeText}`,
    ),
    h('td', { class: 'phase' }, live ? (o.phase ?? '—') : status === 'done' ? 'done' : '—'),
    h('td', null, String(o.calls)),
    h('td', null, o.tokens ? o.tokens.toLocaleString() : '—'),
    h(
      'td',
      null,
      h('span', { class: 'badge ok' }, `${accepted} accepted`),
      rejected ? h('span', { class: 'badge bad' }, `${rejected} rejected`) : null,
    ),
    h(
      'td',
      null,
      o.termination
        ? describeTermination(o.termination)
        : o.errors.length
          ? `error: ${o.errors[o.errors.length - 1].message}`
          : status === 'failed'
            ? 'the run failed before it finished'
            : status === 'stopped'
              ? 'the run stopped before it finished'
              : '',
    ),
  );
}

/** The settings a resume will use: the current Set up when it is for this run's document. */
function resumeSettings(rec: RunRecord): { config: RefinerConfig; fromSetup: boolean; problems: string[] } {
  const setup = currentSetup();
  if (setup && sameDoc(setup.doc, rec.original))
    return {
      config: resumedConfig(rec.config, setup.config),
      fromSetup: true,
      problems: setup.problems.filter((p) => !p.startsWith('Choose at least one operation')),
    };
  return { config: withSecrets(rec.config), fromSetup: false, problems: [] };
}

function endpointLines(c: RefinerConfig): string[] {
  const llm =
    c.llm.provider === 'anthropic' ? `Anthropic ${c.llm.baseUrl ?? '(default URL)'}` : (c.llm.baseUrl ?? '(no URL)');
  const tool = c.tools.mcpUrl ? `MCP server ${c.tools.mcpUrl}` : `API ${c.tools.baseUrl ?? '(none)'}`;
  return [`model: ${llm} · ${c.llm.model}`, `tools: ${tool}`];
}

function resumeControl(rec: RunRecord): HTMLElement {
  const { config, fromSetup, problems } = resumeSettings(rec);
  const ops = rec.config.limits.only?.length ?? rec.original.tools.reduce((n, t) => n + t.operations.length, 0);
  const plan = h(
    'div',
    { class: 'resume-plan', 'data-testid': 'resume-plan' },
    h(
      'p',
      null,
      fromSetup
        ? 'Resuming uses the settings in Set up and will call:'
        : 'Resuming uses the settings the run started with (change them in Set up) and will call:',
    ),
    h(
      'ul',
      { 'data-testid': 'resume-endpoints' },
      endpointLines(config).map((l) => h('li', null, l)),
    ),
    h(
      'p',
      { class: 'muted', 'data-testid': 'resume-locked' },
      `Locked: the document (${rec.sourceName}) and its ${ops} operation(s), because the checkpoint holds their progress; a new run can change them.`,
    ),
    problems.length
      ? h(
          'ul',
          { class: 'bad' },
          problems.map((p) => h('li', null, p)),
        )
      : null,
  );
  // Secrets are asked for only when the run had some and the settings carry none.
  const askSecrets = needsSecrets(rec) && !config.llm.apiKey && Object.keys(config.tools.headers ?? {}).length === 0;
  if (!askSecrets)
    return h(
      'div',
      null,
      plan,
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'resume-run',
          disabled: problems.length > 0,
          onclick: () => void resumeRun(rec.id, resumeSettings(rec).config),
        },
        'Resume from the last checkpoint',
      ),
    );
  const key = h('input', { type: 'password', id: 'resume-key', autocomplete: 'off', 'aria-label': 'API key' });
  const headers = h('textarea', {
    id: 'resume-headers',
    rows: 1,
    'aria-label': 'Tool auth headers',
    placeholder: 'Authorization: Bearer …',
  });
  return h(
    'form',
    {
      onsubmit: (ev: Event) => {
        ev.preventDefault();
        app.secrets = { apiKey: key.value, toolHeaders: parseHeaders(headers.value) };
        // withSecrets adds them to the settings the plan named (Set up's, or the run's own).
        void resumeRun(rec.id, withSecrets(fromSetup ? config : rec.config));
      },
    },
    plan,
    h(
      'div',
      { class: 'row' },
      h('span', null, 'This run used an API key or auth headers, which were not kept. Enter them to resume:'),
      key,
      headers,
      h('button', { type: 'submit', class: 'primary', id: 'resume-run' }, 'Resume'),
    ),
  );
}

function logLine(e: RunEvent): string | null {
  switch (e.type) {
    case 'operationStarted':
      return `${e.operation}: started`;
    case 'phase':
      return `${e.operation}: episode ${e.episode + 1}, ${e.phase}`;
    case 'query':
      return `${e.operation}: query “${e.query}”`;
    case 'toolResult':
      return `${e.operation}: tool answered ${e.observation.status ?? 'nothing'}${e.observation.isError ? ' (error)' : ''} in ${Math.round(e.observation.durationMs)} ms`;
    case 'revisionAccepted':
      return `${e.operation}: revision ${e.revision} accepted in episode ${e.episode + 1}${typeof e.delta === 'number' ? ` (Δ ${e.delta.toFixed(2)})` : ''}`;
    case 'revisionRejected':
      return `${e.operation}: revision ${e.revision} rejected: ${e.reason}`;
    case 'terminated':
      return `${e.operation}: ${describeTermination(e.reason)}`;
    case 'error':
      return `${e.operation ?? 'run'}: ${e.code}: ${e.message}`;
    case 'runStarted':
      return `${e.resumed ? 'resumed' : 'started'}: ${e.operations.length} operation(s), at most ${e.maxEpisodes} episode(s) each`;
    case 'runFinished':
      return e.cancelled ? 'run cancelled' : 'run finished';
    default:
      return null;
  }
}

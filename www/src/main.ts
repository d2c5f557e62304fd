// Boots the app: the worker starts loading the wasm at once while the shell paints.

import './style.css';
import { app, loadRememberedSecrets } from './app';
import { h, replace } from './dom';
import { errorBox } from './errors';
import { parseRunFile } from './report';
import { importRun, openRun, recoverRuns } from './runs';
import { getRun } from './store';
import { docView } from './views/doc';
import { evaluateView } from './views/evaluate';
import { resultsView } from './views/results';
import { reviewView } from './views/review';
import { runView } from './views/run';
import { setupView } from './views/setup';

interface View {
  id: string;
  label: string;
  el: HTMLElement;
}

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const engineStatus = document.getElementById('engine-status')!;

export function show(id: string, focus = false): void {
  for (const v of views) v.el.hidden = v.id !== id;
  for (const b of nav.querySelectorAll('button'))
    b.setAttribute('aria-current', b.dataset.view === id ? 'page' : 'false');
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
  if (focus)
    views
      .find((v) => v.id === id)
      ?.el.querySelector('h2')
      ?.focus();
  app.emit('view');
}

const views: View[] = [
  { id: 'doc', label: 'Document', el: docView() },
  { id: 'setup', label: 'Set up', el: setupView(() => show('run', true)) },
  { id: 'run', label: 'Run', el: runView(() => show('results', true)) },
  { id: 'results', label: 'Results', el: resultsView() },
  { id: 'review', label: 'Review & export', el: reviewView(() => show('results', true)) },
  { id: 'evaluate', label: 'Evaluate', el: evaluateView() },
];
for (const v of views) v.el.querySelector('h2')?.setAttribute('tabindex', '-1');

// Once the user has picked a view, restoring a saved run in the background never takes them away from it.
let userPicked = false;
replace(
  nav,
  views.map((v) =>
    h(
      'button',
      {
        type: 'button',
        'data-view': v.id,
        onclick: () => {
          userPicked = true;
          show(v.id);
        },
      },
      v.label,
    ),
  ),
);
replace(
  main,
  views.map((v) => v.el),
);
show(views.some((v) => `#${v.id}` === location.hash) ? location.hash.slice(1) : 'doc');
loadRememberedSecrets();

app.engine.ready.then(
  (r) => {
    app.ready = r;
    engineStatus.textContent = `engine ${r.version}`;
    app.emit('ready');
  },
  (e: Error) => {
    engineStatus.textContent = 'engine failed to load';
    main.prepend(
      errorBox({
        title: 'The tooldraft engine (WebAssembly) failed to load',
        message: `${e.name}: ${e.message}`,
        hints: [
          'Reload the page. If it persists, rebuild the package (make build) and serve the app with node www/server.mjs, which sends .wasm as application/wasm.',
        ],
      }),
    );
  },
);

// A run interrupted by a reload is put back on screen, ready to resume; a finished run
// served by `server.mjs --state` (make demo) is opened when there is nothing else.
void (async () => {
  try {
    const interrupted = await recoverRuns();
    if (interrupted) {
      if (!userPicked) show('run');
      return;
    }
    // Only when the server said it has a run file (server.mjs --state adds the meta tag).
    const stateUrl = document.querySelector<HTMLMetaElement>('meta[name="tooldraft-state"]')?.content;
    if (!stateUrl) return;
    const res = await fetch(stateUrl, { cache: 'no-store' });
    if (!res.ok) return;
    const { record, events } = parseRunFile(await res.text());
    if (await getRun(record.id)) await openRun(record.id);
    else await importRun(record, events);
    if (!userPicked) show('results');
  } catch (e) {
    main.prepend(errorBox({ title: 'A saved run could not be opened', message: (e as Error).message, hints: [] }));
  }
})();

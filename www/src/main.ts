// Boots the app: the worker starts loading the wasm at once while the shell paints.

import './style.css';
import { app, loadRememberedSecrets } from './app';
import { h, replace } from './dom';
import { errorBox } from './errors';
import { docView } from './views/doc';

interface View {
  id: string;
  label: string;
  el: HTMLElement;
}

const main = document.getElementById('main')!;
const nav = document.getElementById('nav')!;
const engineStatus = document.getElementById('engine-status')!;

const views: View[] = [{ id: 'doc', label: 'Document', el: docView() }];

export function show(id: string): void {
  for (const v of views) v.el.hidden = v.id !== id;
  for (const b of nav.querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.view === id ? 'page' : 'false');
  if (location.hash !== `#${id}`) history.replaceState(null, '', `#${id}`);
}

replace(nav, views.map((v) => h('button', { type: 'button', 'data-view': v.id, onclick: () => show(v.id) }, v.label)));
replace(main, views.map((v) => v.el));
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
    main.prepend(errorBox({ title: 'The tooldraft engine (WebAssembly) failed to load', message: `${e.name}: ${e.message}`, hints: ['Reload the page. If it persists, rebuild the package (make build) and serve the app with node www/server.mjs, which sends .wasm as application/wasm.'] }));
  },
);

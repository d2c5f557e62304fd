// The shell (issue 2 item 6): open a document by paste, file, drag-and-drop, URL or an MCP
// server; see its format, tools → operations → parameters and smells; export it.

import { app, type Loaded } from '../app';
import type { WorkerError } from '../client';
import { codeBlock, counts, download, field, h, pretty, replace } from '../dom';
import { errorBox, explainDoc, explainFetch, type Explained } from '../errors';
import { SAMPLE, SAMPLE_NAME } from '../sample';
import { FORMATS, type FormatName, type Operation, type Parameter, type Smell, type ToolDoc } from '../types';

const EXT: Record<string, string> = { json: 'json', yaml: 'yaml' };

export function safetyLabel(op: Operation): string {
  const s = op.safety ?? {};
  if (s.readOnly) return 'read-only';
  if (s.destructive === false) return 'write';
  return s.destructive ? 'destructive' : 'write (unknown if destructive)';
}

export function typeOf(p: Parameter): string {
  const s = p.schema as Record<string, unknown> | null;
  if (!s || typeof s !== 'object') return '—';
  const t = s.type;
  if (Array.isArray(t)) return t.join(' | ');
  if (typeof t === 'string')
    return t === 'array' && s.items && typeof (s.items as Record<string, unknown>).type === 'string'
      ? `${(s.items as Record<string, string>).type}[]`
      : t;
  if (s.enum) return 'enum';
  if (s.$ref) return String(s.$ref).split('/').pop() ?? 'object';
  if (s.oneOf || s.anyOf) return 'union';
  return '—';
}

/** Context lines around a position, with a caret under the column. */
export function snippet(text: string, line: number, column: number): string {
  const lines = text.split('\n');
  const from = Math.max(0, line - 3);
  const to = Math.min(lines.length, line + 2);
  const width = String(to).length;
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const l = lines[i].length > 200 ? `${lines[i].slice(0, 200)}…` : lines[i];
    out.push(`${String(i + 1).padStart(width)} | ${l}`);
    if (i + 1 === line) out.push(`${' '.repeat(width)} | ${' '.repeat(Math.max(0, Math.min(column - 1, 200)))}^`);
  }
  return out.join('\n');
}

function baseName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? 'document';
  return last.replace(/\.(json|ya?ml)$/i, '').replace(/[^\w.-]+/g, '_') || 'document';
}

export function docView(): HTMLElement {
  const status = h('div', { class: 'status', role: 'status', 'aria-live': 'polite' });
  const errors = h('div', { class: 'errors' });
  const summary = h('div', { class: 'summary' });

  const formatSel = h(
    'select',
    { id: 'doc-format', name: 'format' },
    h('option', { value: '' }, 'detect automatically'),
    FORMATS.map((f) => h('option', { value: f }, f)),
  );
  const text = h('textarea', {
    id: 'doc-text',
    rows: 12,
    spellcheck: 'false',
    placeholder:
      'Paste an OpenAPI / Swagger document, an MCP tools/list result, OpenAI or Anthropic tools, ToolBench or RestBench JSON — or drop a file here.',
    'aria-label': 'Document text',
  });
  const fileInput = h('input', { type: 'file', id: 'doc-file', accept: '.json,.yaml,.yml,application/json,text/yaml' });
  const urlInput = h('input', { type: 'url', id: 'doc-url', placeholder: 'http://127.0.0.1:8081/spec.json' });
  const mcpInput = h('input', { type: 'url', id: 'mcp-url', placeholder: 'http://127.0.0.1:3001/mcp' });
  const mcpHeaders = h('textarea', {
    id: 'mcp-headers',
    rows: 2,
    spellcheck: 'false',
    placeholder: 'Authorization: Bearer …',
  });

  const showError = (x: Explained, source?: string) => {
    const actions: HTMLElement[] = [];
    if (x.position && source !== undefined) {
      if (text.value === source) {
        actions.push(
          h(
            'button',
            { type: 'button', onclick: () => selectLine(text, x.position!.line, x.position!.column) },
            `Show line ${x.position.line} in the editor`,
          ),
        );
      }
      replace(
        errors,
        errorBox(x, actions),
        h(
          'pre',
          { class: 'code snippet', 'aria-label': 'Where the error is' },
          snippet(source, x.position.line, x.position.column),
        ),
      );
    } else {
      replace(errors, errorBox(x, actions));
    }
    status.textContent = '';
  };

  const open = async (source: string, name: string) => {
    replace(errors);
    status.textContent = `Reading ${name}…`;
    try {
      const format = (formatSel.value || undefined) as FormatName | undefined;
      const { doc, report } = await app.engine.call('inspect', { text: source, format });
      setLoaded({ doc, report, name });
      status.textContent = `Opened ${name}.`;
    } catch (e) {
      showError(explainDoc(e as WorkerError), source);
    }
  };

  const openFile = async (file: File) => {
    if (file.size > 60 * 1024 * 1024) {
      showError({
        title: 'The file is too large',
        message: `${file.name} is ${(file.size / 1e6).toFixed(0)} MB; the limit is 60 MB.`,
        hints: [],
      });
      return;
    }
    const source = await file.text();
    if (source.length < 2_000_000) text.value = source;
    await open(source, file.name);
  };

  fileInput.addEventListener('change', () => {
    const f = fileInput.files?.[0];
    if (f) void openFile(f);
  });

  const drop = h(
    'div',
    { class: 'dropzone', 'data-testid': 'dropzone' },
    field('Document text', text),
    h(
      'div',
      { class: 'row' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          id: 'open-pasted',
          onclick: () => void open(text.value, 'pasted document'),
        },
        'Open',
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            text.value = SAMPLE;
            void open(SAMPLE, SAMPLE_NAME);
          },
        },
        'Try a sample',
      ),
    ),
  );
  drop.addEventListener('dragover', (ev) => {
    ev.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (ev) => {
    ev.preventDefault();
    drop.classList.remove('over');
    const f = ev.dataTransfer?.files?.[0];
    if (f) void openFile(f);
  });

  const openUrl = async () => {
    const url = urlInput.value.trim();
    if (!url) return;
    replace(errors);
    status.textContent = `Fetching ${url}…`;
    let source: string;
    try {
      const res = await fetch(url);
      if (!res.ok)
        throw Object.assign(new Error(`${url} answered ${res.status} ${res.statusText}`), {
          name: `HTTP ${res.status}`,
        });
      source = await res.text();
    } catch (e) {
      showError(await explainFetch(url, e, 'document server'));
      return;
    }
    if (source.length < 2_000_000) text.value = source;
    await open(source, url);
  };

  const readMcp = async () => {
    const url = mcpInput.value.trim();
    if (!url) return;
    replace(errors);
    status.textContent = `Reading tools from ${url}…`;
    try {
      const headers = parseHeaders(mcpHeaders.value);
      const { doc, report } = await app.engine.call('listMcpTools', { url, headers });
      if (Object.keys(headers).length) app.secrets.toolHeaders = headers;
      setLoaded({ doc, report, name: url, mcpUrl: url });
      status.textContent = `Read ${report.operations} tools from ${url}.`;
    } catch (e) {
      const err = e as WorkerError;
      showError(
        err.name === 'NetworkError' || err.name === 'TypeError' || /fetch|network/i.test(err.message)
          ? await explainFetch(url, err, 'MCP server')
          : explainDoc(err),
      );
    }
  };

  const sources = h(
    'div',
    { class: 'sources' },
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'src-paste' },
      h('h3', { id: 'src-paste' }, 'Paste or drop'),
      drop,
    ),
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'src-other' },
      h('h3', { id: 'src-other' }, 'Open a file or URL'),
      field('File', fileInput),
      h(
        'form',
        {
          class: 'inline',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            void openUrl();
          },
        },
        field('URL of a document', urlInput),
        h('button', { type: 'submit', id: 'open-url' }, 'Fetch'),
      ),
      field('Format', formatSel, 'Leave on "detect" unless detection picks the wrong one.'),
      h('h3', null, 'Connect to an MCP server'),
      h(
        'form',
        {
          class: 'stack',
          onsubmit: (ev: Event) => {
            ev.preventDefault();
            void readMcp();
          },
        },
        field('MCP server URL (Streamable HTTP)', mcpInput),
        field('Headers (one "Name: value" a line)', mcpHeaders, 'Kept in memory only; sent to this server alone.'),
        h('button', { type: 'submit', id: 'read-mcp' }, 'Read tools'),
      ),
    ),
  );

  app.on('doc', () => renderSummary(summary));
  return h(
    'section',
    { id: 'view-doc', class: 'view', 'aria-labelledby': 'h-doc' },
    h('h2', { id: 'h-doc' }, 'Document'),
    sources,
    status,
    errors,
    summary,
  );
}

export function parseHeaders(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  return out;
}

function selectLine(ta: HTMLTextAreaElement, line: number, column: number) {
  const lines = ta.value.split('\n');
  let start = 0;
  for (let i = 0; i < line - 1 && i < lines.length; i++) start += lines[i].length + 1;
  const len = lines[line - 1]?.length ?? 0;
  ta.focus();
  ta.setSelectionRange(start + Math.min(column - 1, len), start + len);
}

export function setLoaded(l: Loaded): void {
  app.loaded = l;
  app.emit('doc');
}

function renderSummary(root: HTMLElement) {
  const l = app.loaded;
  if (!l) return replace(root);
  const { doc, report } = l;
  const smellsByOp = new Map<string, Smell[]>();
  for (const s of report.smells ?? []) {
    const k = s.operation ?? '';
    if (!smellsByOp.has(k)) smellsByOp.set(k, []);
    smellsByOp.get(k)!.push(s);
  }
  const exportSel = h(
    'select',
    { id: 'export-format' },
    FORMATS.map((f) => h('option', { value: f, selected: f === (doc.format ?? report.format) }, f)),
  );
  const lost = h('div', { class: 'lost', role: 'status' });
  const doExport = async () => {
    const to = exportSel.value as FormatName;
    try {
      const out = await app.engine.call('exportDoc', { doc, to });
      const syntax = to === doc.format ? doc.syntax : 'json';
      download(
        `${baseName(l.name)}.${to}.${EXT[syntax] ?? 'json'}`,
        out.text,
        syntax === 'yaml' ? 'application/yaml' : 'application/json',
      );
      replace(
        lost,
        out.lost.length
          ? [
              h('p', null, `${to} cannot carry ${out.lost.length} thing(s):`),
              h(
                'ul',
                null,
                out.lost.map((x) => h('li', null, x)),
              ),
            ]
          : h('p', null, `Exported as ${to}.`),
      );
    } catch (e) {
      replace(lost, errorBox(explainDoc(e as WorkerError)));
    }
  };

  replace(
    root,
    h(
      'div',
      { class: 'card', 'data-testid': 'doc-summary' },
      h('h3', null, l.name),
      counts([
        [
          'format',
          `${report.format}${doc.version ? ` ${doc.version}` : ''}${doc.syntax === 'yaml' ? ' (YAML)' : ''}`,
          'format',
        ],
        ['tools', String(report.tools), 'count-tools'],
        ['operations', String(report.operations), 'count-operations'],
        ['parameters', String(report.parameters), 'count-parameters'],
        ['smells', String(report.smells?.length ?? 0), 'count-smells'],
      ]),
      [...(report.warnings ?? []), ...(doc.warnings ?? [])].length
        ? h(
            'details',
            { class: 'warnings' },
            h('summary', null, 'Warnings'),
            h(
              'ul',
              null,
              [...new Set([...(report.warnings ?? []), ...(doc.warnings ?? [])])].map((w) => h('li', null, w)),
            ),
          )
        : null,
      h(
        'div',
        { class: 'row' },
        h('label', { for: 'export-format' }, 'Export as'),
        exportSel,
        h('button', { type: 'button', id: 'export-doc', onclick: () => void doExport() }, 'Download'),
      ),
      lost,
    ),
    smellsByOp.get('')?.length
      ? h('div', { class: 'card' }, h('h3', null, 'Document smells'), smellList(smellsByOp.get('')!))
      : null,
    h(
      'div',
      { class: 'tools', 'data-testid': 'tools' },
      doc.tools.map((t, i) => toolBlock(t, i, doc, smellsByOp)),
    ),
  );
}

function smellList(smells: Smell[]): HTMLElement {
  return h(
    'ul',
    { class: 'smells' },
    smells.map((s) =>
      h(
        'li',
        null,
        h('span', { class: 'badge warn' }, s.kind),
        ' ',
        s.parameter ? h('code', null, s.parameter) : null,
        s.parameter ? ': ' : '',
        s.message,
      ),
    ),
  );
}

function toolBlock(t: ToolDoc['tools'][number], i: number, _doc: ToolDoc, smells: Map<string, Smell[]>): HTMLElement {
  const list = h('div', { class: 'ops' });
  const details = h(
    'details',
    { class: 'tool', open: i === 0 },
    h(
      'summary',
      null,
      h('strong', null, t.name || '(unnamed tool)'),
      ` — ${t.operations.length} operation(s)`,
      t.baseUrl ? h('span', { class: 'muted' }, ` · ${t.baseUrl}`) : null,
    ),
    t.description ? h('p', { class: 'desc' }, t.description) : null,
    list,
  );
  // Large documents: operations are rendered when their tool is opened.
  const fill = () => {
    if (list.childElementCount === 0)
      replace(
        list,
        t.operations.map((op) => operationBlock(op, smells.get(op.id) ?? smells.get(op.name) ?? [])),
      );
  };
  if (i === 0) fill();
  details.addEventListener('toggle', fill);
  return details;
}

export function operationBlock(op: Operation, smells: Smell[]): HTMLElement {
  return h(
    'details',
    { class: 'op', 'data-op': op.id },
    h(
      'summary',
      null,
      op.http ? h('span', { class: `method m-${op.http.method.toLowerCase()}` }, op.http.method) : null,
      ' ',
      h('code', { class: 'op-name' }, op.http ? op.http.path : op.name),
      op.http ? h('span', { class: 'muted' }, ` ${op.name}`) : null,
      ' ',
      h('span', { class: `badge safety-${safetyLabel(op).split(' ')[0]}` }, safetyLabel(op)),
      smells.length ? h('span', { class: 'badge warn' }, `${smells.length} smell(s)`) : null,
    ),
    op.description ? h('p', { class: 'desc' }, op.description) : h('p', { class: 'desc muted' }, 'No description.'),
    op.parameters.length
      ? h(
          'table',
          { class: 'params' },
          h('caption', { class: 'sr-only' }, `Parameters of ${op.name}`),
          h(
            'thead',
            null,
            h(
              'tr',
              null,
              ['name', 'in', 'type', 'required', 'description'].map((c) => h('th', { scope: 'col' }, c)),
            ),
          ),
          h(
            'tbody',
            null,
            op.parameters.map((p) =>
              h(
                'tr',
                null,
                h('td', null, h('code', null, p.name)),
                h('td', null, p.location),
                h('td', null, typeOf(p)),
                h('td', null, p.required ? 'yes' : 'no'),
                h('td', null, p.description || h('span', { class: 'muted' }, '—')),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No parameters.'),
    op.responseSchema
      ? h('details', null, h('summary', null, 'Response schema'), codeBlock(pretty(op.responseSchema)))
      : null,
    smells.length ? smellList(smells) : null,
  );
}

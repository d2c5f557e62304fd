// Progress of `tooldraft refine`, on stderr. On a terminal: a bar per operation and one in
// total, with model calls, tool calls and tokens, redrawn in place with plain ANSI cursor
// movement (no dependency). Elsewhere: one plain line per notable event. The run model is the
// shared one (run-report.mjs), folded from the same events the web app folds.
//
// Every string that came from a document, a tool or a model is stripped of control
// characters before it is printed, so a hostile name cannot drive the terminal.
import { applyEvent, describeTermination, describeVerification, newRunModel } from './run-report.mjs';

const ESC = '\x1b[';
/** Where within an episode each phase is, for the bars. */
const PHASE_AT = { explore: 0.1, call: 0.35, analyze: 0.6, rewrite: 0.85, verify: 0.9, summarize: 0.95, done: 1 };

/** Text safe for a terminal: control characters (C0, DEL, C1) become spaces. */
export function clean(text) {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters before they reach a terminal is the point
  return String(text ?? '').replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');
}

function cut(text, width) {
  const t = clean(text);
  if (width <= 1) return '';
  return t.length <= width ? t : `${t.slice(0, width - 1)}…`;
}

/** 12345 → 12.3k */
export function compact(n) {
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`;
  return `${(n / 1_000_000).toFixed(1)}M`;
}

function bar(fraction, width) {
  const f = Math.max(0, Math.min(1, fraction));
  const full = Math.round(f * width);
  return `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

/**
 * Shows a run's progress.
 * `mode`: 'bars' (a terminal), 'lines' (plain lines) or 'none'.
 */
export class Progress {
  /**
   * @param {NodeJS.WritableStream & {columns?: number, rows?: number}} stream
   * @param {{mode: 'bars'|'lines'|'none', doc: object, only?: string[], maxEpisodes?: number, now?: () => number, intervalMs?: number}} options
   */
  constructor(stream, options) {
    this.stream = stream;
    this.mode = options.mode;
    this.model = newRunModel(options.doc, options.only, options.maxEpisodes ?? 5);
    this.now = options.now ?? (() => Date.now());
    this.started = this.now();
    this.intervalMs = options.intervalMs ?? 100;
    this.drawn = 0; // lines of the block on screen
    this.timer = null;
    this.closed = false;
    this.names = new Map();
    for (const t of options.doc.tools) for (const o of t.operations) this.names.set(o.id, o.name);
    if (this.mode === 'bars') this.stream.write(`${ESC}?25l`);
  }

  name(id) {
    return this.names.get(id) ?? id;
  }

  /** Folds an event and shows it. */
  event(e) {
    applyEvent(this.model, e);
    if (this.mode === 'lines') {
      const line = this.describe(e);
      if (line) this.stream.write(`${line}\n`);
    } else if (this.mode === 'bars') {
      const line = e.type === 'error' || e.type === 'warning' ? this.describe(e) : null;
      if (line) this.message(line);
      else this.schedule();
    }
  }

  /** A line for a notable event (plain mode), or null. */
  describe(e) {
    const op = (id) => `[${clean(this.name(id))}]`;
    const ep = (n) => `episode ${n + 1}`;
    switch (e.type) {
      case 'runStarted':
        return `${e.resumed ? 'resuming' : 'refining'} ${e.operations.length} operation${e.operations.length === 1 ? '' : 's'} (at most ${e.maxEpisodes} episode${e.maxEpisodes === 1 ? '' : 's'} each)`;
      case 'operationStarted':
        return `${op(e.operation)} started`;
      case 'query':
        return `${op(e.operation)} ${ep(e.episode)}: query "${cut(e.query, 100)}"`;
      case 'argumentsRejected':
        return `${op(e.operation)} ${ep(e.episode)}: arguments rejected: ${cut(e.reason, 160)}`;
      case 'toolResult': {
        const o = e.observation ?? {};
        const status = o.status === undefined || o.status === null ? 'answered' : `HTTP ${o.status}`;
        return `${op(e.operation)} ${ep(e.episode)}: called the tool: ${status}${o.isError ? ' (error)' : ''}`;
      }
      case 'revisionAccepted':
        return `${op(e.operation)} ${ep(e.episode)}: revision ${e.revision} accepted${typeof e.delta === 'number' ? ` (Δ ${e.delta.toFixed(2)})` : ''}`;
      case 'verification':
        return `${op(e.operation)} ${ep(e.episode)}: revision ${e.revision}: ${cut(describeVerification(e), 200)}`;
      case 'revisionRejected':
        return `${op(e.operation)} ${ep(e.episode)}: revision ${e.revision} rejected: ${cut(e.reason, 160)}`;
      case 'terminated':
        return `${op(e.operation)} done: ${cut(describeTermination(e.reason), 200)}`;
      case 'toolSummary':
        return `[${clean(e.tool)}] tool summary ${e.accepted === false ? `rejected${e.reason ? `: ${cut(e.reason, 160)}` : ''}` : 'rewritten'}`;
      case 'warning':
        return `warning: ${e.operation ? `${op(e.operation)} ` : ''}${cut(e.message, 300)}`;
      case 'error':
        return `error: ${e.operation ? `${op(e.operation)} ` : ''}${clean(e.code)}: ${cut(e.message, 300)}`;
      default:
        return null;
    }
  }

  /** Prints a line (above the bars on a terminal). */
  message(line) {
    if (this.mode === 'none' || this.closed) return;
    if (this.mode === 'bars') {
      this.clear();
      this.stream.write(`${clean(line)}\n`);
      this.draw();
    } else {
      this.stream.write(`${clean(line)}\n`);
    }
  }

  schedule() {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.redraw();
    }, this.intervalMs);
    this.timer.unref?.();
  }

  clear() {
    if (this.drawn > 0) this.stream.write(`${ESC}${this.drawn}F${ESC}J`);
    this.drawn = 0;
  }

  redraw() {
    if (this.closed || this.mode !== 'bars') return;
    this.clear();
    this.draw();
  }

  draw() {
    const lines = this.lines();
    if (lines.length === 0) return;
    this.stream.write(`${lines.join('\n')}\n`);
    this.drawn = lines.length;
  }

  /** The block of bar lines (exported for tests through `lines()`). */
  lines() {
    const m = this.model;
    const width = Math.max(40, (this.stream.columns || 80) - 1);
    const rows = Math.max(4, (this.stream.rows || 24) - 2);
    const ops = m.order.map((id) => m.ops.get(id));
    const fraction = (o) =>
      o.status === 'done'
        ? 1
        : o.status === 'queued'
          ? 0
          : Math.min(0.99, (o.episode + (PHASE_AT[o.phase] ?? 0)) / Math.max(1, m.maxEpisodes));
    const nameWidth = Math.min(28, Math.max(8, ...ops.map((o) => clean(o.name).length)));
    const barWidth = width >= 100 ? 20 : 12;
    const opLine = (o) => {
      const state =
        o.status === 'done'
          ? 'done'
          : o.status === 'queued'
            ? 'queued'
            : `ep ${o.episode + 1}/${m.maxEpisodes} ${o.phase ?? ''}`.trim();
      const text = `${cut(o.name, nameWidth).padEnd(nameWidth)} ${bar(fraction(o), barWidth)} ${state.padEnd(17)} ${compact(o.modelCalls)} model · ${o.calls} tool · ${compact(o.tokens)} tok`;
      return cut(text, width);
    };
    const done = ops.filter((o) => o.status === 'done').length;
    const total = ops.length ? ops.reduce((n, o) => n + fraction(o), 0) / ops.length : 0;
    const tokens = m.tokens.prompt + m.tokens.completion;
    const summary = cut(
      `${'total'.padEnd(nameWidth)} ${bar(total, barWidth)} ${`${done}/${ops.length} done`.padEnd(17)} ${compact(m.modelCalls)} model · ${m.toolCalls} tool · ${compact(tokens)} tok · ${duration(this.now() - this.started)}`,
      width,
    );
    let shown = ops;
    let more = '';
    if (ops.length > rows - 2) {
      const running = ops.filter((o) => o.status === 'running');
      shown = running.slice(0, rows - 2);
      const queued = ops.filter((o) => o.status === 'queued').length;
      more = cut(`… ${ops.length - shown.length} more (${done} done, ${queued} queued)`, width);
    }
    return [...shown.map(opLine), ...(more ? [more] : []), summary];
  }

  /** Stops redrawing; leaves the last block on screen and the cursor visible. */
  finish() {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.mode === 'bars') {
      this.redraw();
      this.stream.write(`${ESC}?25h`);
    }
    this.closed = true;
  }
}

/** The mode for a stream and the CLI's flags. */
export function progressMode(stream, { quiet, json }) {
  if (quiet) return 'none';
  if (stream.isTTY && process.env.TERM !== 'dumb') return 'bars';
  return json ? 'none' : 'lines';
}

// The package's API as this app uses it (JS_API.md). The worker reads the package through
// this interface so that the app builds against any stage of the package and says plainly
// which function is missing instead of failing to load.

import type { CheckOptions, CheckReport } from '../../pkg/index';
import type {
  DiffChunk,
  Exported,
  FormatName,
  InspectReport,
  RefinerConfig,
  RunEvent,
  RunResult,
  RunState,
  ToolDoc,
} from './types';

export interface RunOptions {
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  onCheckpoint?: (state: RunState) => void;
  resume?: RunState;
}

export interface RefinerInstance {
  run(doc: string | ToolDoc, opts?: RunOptions): Promise<RunResult>;
}

export interface TooldraftApi {
  default: (input?: unknown) => Promise<unknown>;
  /** Loads the engine's wasm module now (the package's async engine functions do it themselves). */
  loadEngine?: () => Promise<void>;
  version(): string;
  parseDoc(text: string, format?: FormatName): ToolDoc;
  inspect(text: string, format?: FormatName): InspectReport;
  convert(text: string, to: FormatName, from?: FormatName): Exported;
  exportDoc(doc: ToolDoc, to: FormatName): Exported;
  listMcpTools(url: string, opts?: { headers?: Record<string, string>; signal?: AbortSignal }): Promise<ToolDoc>;
  /** The chunk's field names are normalised by the worker (see `normaliseDiff`). */
  diffText(before: string, after: string): unknown[];
  Refiner: new (config: RefinerConfig) => RefinerInstance;
  check(doc: ToolDoc, options: Pick<CheckOptions, 'tools' | 'only'>): Promise<CheckReport>;
}

/** Turns whatever chunk shape the package returns into `{tag, text}`. */
export function normaliseDiff(raw: unknown[]): DiffChunk[] {
  const out: DiffChunk[] = [];
  for (const c of raw) {
    if (c === null || typeof c !== 'object') continue;
    const o = c as Record<string, unknown>;
    const tagRaw = String(o.tag ?? o.op ?? o.kind ?? o.type ?? 'equal').toLowerCase();
    const tag =
      tagRaw.startsWith('ins') || tagRaw === 'add' || tagRaw === 'added'
        ? 'insert'
        : tagRaw.startsWith('del') || tagRaw === 'remove' || tagRaw === 'removed'
          ? 'delete'
          : 'equal';
    const text = String(o.text ?? o.value ?? o.content ?? '');
    const last = out[out.length - 1];
    if (last && last.tag === tag) last.text += text;
    else out.push({ tag, text });
  }
  return out;
}

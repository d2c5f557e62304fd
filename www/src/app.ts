// Shared page state: the engine (worker), the loaded document, the current run, and the
// secrets held in memory. Views subscribe to changes.

import { Engine } from './client';
import type { Ready } from './protocol';
import type { RunModel } from './runmodel';
import type { RunRecord } from './store';
import type { InspectReport, ToolDoc } from './types';

export interface Loaded {
  doc: ToolDoc;
  report: InspectReport;
  /** File name, URL or "pasted document". */
  name: string;
  /** Set when the tools came from an MCP server: the run calls that server. */
  mcpUrl?: string;
}

export interface CurrentRun {
  record: RunRecord;
  model: RunModel;
  running: boolean;
}

export interface Secrets {
  apiKey: string;
  toolHeaders: Record<string, string>;
}

type Topic = 'doc' | 'run' | 'view' | 'ready';

class App {
  engine = new Engine();
  ready: Ready | null = null;
  loaded: Loaded | null = null;
  run: CurrentRun | null = null;
  /** In memory only, unless the user ticks "remember on this device". */
  secrets: Secrets = { apiKey: '', toolHeaders: {} };
  private listeners = new Map<Topic, Set<() => void>>();

  on(topic: Topic, f: () => void): void {
    if (!this.listeners.has(topic)) this.listeners.set(topic, new Set());
    this.listeners.get(topic)!.add(f);
  }

  emit(topic: Topic): void {
    for (const f of this.listeners.get(topic) ?? []) f();
  }
}

export const app = new App();

const REMEMBER_KEY = 'tooldraft.secrets';

export function loadRememberedSecrets(): boolean {
  try {
    const raw = localStorage.getItem(REMEMBER_KEY);
    if (!raw) return false;
    const s = JSON.parse(raw) as Partial<Secrets>;
    app.secrets = { apiKey: String(s.apiKey ?? ''), toolHeaders: s.toolHeaders ?? {} };
    return true;
  } catch {
    return false;
  }
}

export function rememberSecrets(remember: boolean): void {
  try {
    if (remember) localStorage.setItem(REMEMBER_KEY, JSON.stringify(app.secrets));
    else localStorage.removeItem(REMEMBER_KEY);
  } catch {
    // Storage may be disabled; the secrets stay in memory.
  }
}

export function isRemembered(): boolean {
  try {
    return localStorage.getItem(REMEMBER_KEY) !== null;
  } catch {
    return false;
  }
}

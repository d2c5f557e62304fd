//! The extension's settings and secrets. Endpoints and limits live in the `tooldraft.*`
//! settings; API keys and tool headers live only in the editor's SecretStorage (never in
//! settings, never in a report or event), each stored for one origin
//! (`tooldraft.model.apiKey@https://api.example.com`, `tooldraft.target.headers@…`, the headers
//! as a JSON object): a workspace whose settings point the model or the tool elsewhere never
//! receives a key stored for another endpoint.

import { editorModelLlm, selectEditorModel } from './vscode-model.mjs';

/** The secret storage key of the model API key for an origin. */
export const modelKeySecret = (origin) => `tooldraft.model.apiKey@${origin}`;
/** The secret storage key of the tool headers for an origin. */
export const headersSecret = (origin) => `tooldraft.target.headers@${origin}`;

/** `https://host:port` of a URL, or null. */
export function originOf(url) {
  try {
    const u = new URL(String(url ?? '').trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

/** The origin the configured model endpoint is at (null for the editor's model or no URL). */
export function modelOrigin(vscode) {
  const cfg = section(vscode);
  const provider = cfg.get('model.provider') ?? 'vscode';
  const baseUrl = (cfg.get('model.baseUrl') ?? '').trim();
  if (provider === 'anthropic') return baseUrl ? originOf(baseUrl) : 'https://api.anthropic.com';
  return provider === 'openai' ? originOf(baseUrl) : null;
}

/** A user-facing configuration problem (shown as is, with nothing to report). */
export class SetupError extends Error {
  constructor(message) {
    super(message);
    this.name = 'SetupError';
  }
}

const section = (vscode) => vscode.workspace.getConfiguration('tooldraft');

/** The tool headers stored for the target's origin (an object; malformed storage reads as none). */
export async function toolHeaders(secrets, target) {
  const origin = originOf(target?.mcpUrl ?? target?.baseUrl);
  const raw = origin ? await secrets.get(headersSecret(origin)) : undefined;
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([, x]) => typeof x === 'string'))
      : {};
  } catch {
    return {};
  }
}

/**
 * Reads `Name: value` lines into headers; throws SetupError naming a bad line (without its value).
 * @param {string} text lines separated by newlines or `;`
 */
export function parseHeaderLines(text) {
  const headers = {};
  for (const [i, line] of text.split(/[\n;]/).entries()) {
    if (!line.trim()) continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) throw new SetupError(`header ${i + 1} is not "Name: value"`);
    headers[name] = line.slice(colon + 1).trim();
  }
  return headers;
}

/**
 * The model the run uses, from the settings: the editor's own (default) or an endpoint.
 * @param {typeof import('vscode')} vscode
 * @param {import('vscode').SecretStorage} secrets
 * @returns {Promise<{llm: object, label: string, secrets: string[]}>}
 */
export async function modelConfig(vscode, secrets) {
  const cfg = section(vscode);
  const provider = cfg.get('model.provider') ?? 'vscode';
  const name = (cfg.get('model.name') ?? '').trim();
  if (provider === 'vscode') {
    let model;
    try {
      model = await selectEditorModel(vscode, (cfg.get('model.family') ?? '').trim());
    } catch (e) {
      throw new SetupError(e.message);
    }
    return {
      llm: editorModelLlm(vscode, model),
      label: `${model.vendor ?? 'editor'} ${model.name ?? model.id ?? ''}`.trim(),
      secrets: [],
    };
  }
  const origin = modelOrigin(vscode);
  const apiKey = (origin ? await secrets.get(modelKeySecret(origin)) : undefined) ?? undefined;
  if (provider === 'openai') {
    const baseUrl = (cfg.get('model.baseUrl') ?? '').trim();
    if (!baseUrl || !name) {
      throw new SetupError(
        'the model provider is "openai": set tooldraft.model.baseUrl (e.g. http://127.0.0.1:11434/v1) and tooldraft.model.name, and the key (if it needs one) with "tooldraft: Set Model API Key"',
      );
    }
    return {
      llm: { provider: 'openai', baseUrl, model: name, ...(apiKey ? { apiKey } : {}) },
      label: `${name} at ${baseUrl}`,
      secrets: apiKey ? [apiKey] : [],
    };
  }
  if (provider === 'anthropic') {
    if (!name || !apiKey)
      throw new SetupError(
        'the model provider is "anthropic": set tooldraft.model.name and store the key with "tooldraft: Set Model API Key"',
      );
    const baseUrl = (cfg.get('model.baseUrl') ?? '').trim();
    return {
      llm: { provider: 'anthropic', model: name, apiKey, ...(baseUrl ? { baseUrl } : {}) },
      label: name,
      secrets: [apiKey],
    };
  }
  throw new SetupError(`tooldraft.model.provider is "${provider}": use "vscode", "openai" or "anthropic"`);
}

/** The saved tool target: `{mcpUrl}` or `{baseUrl}` or null. */
export function savedTarget(vscode) {
  const cfg = section(vscode);
  const mcpUrl = (cfg.get('target.mcpUrl') ?? '').trim();
  const baseUrl = (cfg.get('target.baseUrl') ?? '').trim();
  if (mcpUrl) return { mcpUrl };
  if (baseUrl) return { baseUrl };
  return null;
}

/** Keeps the tool target in the workspace's settings (URLs only: headers are secrets). */
export async function saveTarget(vscode, target) {
  const cfg = section(vscode);
  await cfg.update('target.mcpUrl', target.mcpUrl ?? '', vscode.ConfigurationTarget.Workspace);
  await cfg.update('target.baseUrl', target.baseUrl ?? '', vscode.ConfigurationTarget.Workspace);
}

/** Checks a URL the user typed: http(s) only. Returns an error text or null (showInputBox's contract). */
export function checkUrl(value) {
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? null : 'use an http:// or https:// URL';
  } catch {
    return 'not a URL';
  }
}

/** Safety and limits from the settings. */
export function runLimits(vscode) {
  const cfg = section(vscode);
  const positive = (v, d) => (Number.isInteger(v) && v > 0 ? v : d);
  return {
    safety: { allowWrites: cfg.get('safety.allowWrites') === true },
    limits: {
      maxEpisodes: positive(cfg.get('limits.maxEpisodes'), 3),
      concurrency: positive(cfg.get('limits.concurrency'), 2),
    },
  };
}

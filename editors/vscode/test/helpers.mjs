// Shared by the extension's tests: the repository's paths, an extension folder holding the
// package's real wasm (as the .vsix does), and the scripted OpenAI-compatible model server
// (tests/servers/scripted-llm.mjs) on 127.0.0.1.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export const EXTENSION = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(EXTENSION, '..', '..');
export const FIXTURES = join(EXTENSION, 'test', 'fixtures');

/** A folder laid out like the installed extension: dist/'s two wasm modules are the package's. */
export function extensionFolder() {
  const dir = mkdtempSync(join(tmpdir(), 'tooldraft-vscode-'));
  mkdirSync(join(dir, 'dist'));
  for (const wasm of ['tooldraft_document_bg.wasm', 'tooldraft_bg.wasm']) {
    symlinkSync(join(REPO, 'pkg', 'gen', wasm), join(dir, 'dist', wasm));
  }
  return dir;
}

/** Starts the scripted model server; `url` ends in /v1. */
export async function startScriptedModel() {
  const child = spawn(
    process.execPath,
    [join(REPO, 'tests/servers/scripted-llm.mjs'), '--port', '0', '--exit-on-stdin-close'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const line = await new Promise((ok, fail) => {
    readline.createInterface({ input: child.stdout }).once('line', ok);
    child.once('exit', (code) => fail(new Error(`scripted-llm exited with ${code}`)));
  });
  const { url } = JSON.parse(line);
  return { url, stop: () => child.kill() };
}

/**
 * A Language Model API model (what `vscode.lm.selectChatModels` resolves with) whose answers
 * come from the scripted model server: each request's messages are sent as a chat completion.
 */
export function scriptedEditorModel(url, hooks = {}) {
  const requests = [];
  return {
    id: 'scripted',
    name: 'Scripted',
    vendor: 'test',
    family: 'scripted',
    requests,
    async sendRequest(messages, _options, token) {
      requests.push(messages);
      await hooks.onRequest?.(requests.length);
      if (token?.isCancellationRequested) throw Object.assign(new Error('cancelled'), { name: 'Canceled' });
      const r = await fetch(`${url}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'scripted',
          messages: messages.map((m) => ({ role: m.role, content: m.content })),
        }),
      });
      const body = await r.json();
      const text = body.choices[0].message.content;
      return {
        text: (async function* chunks() {
          yield text.slice(0, 5);
          yield text.slice(5);
        })(),
      };
    },
  };
}

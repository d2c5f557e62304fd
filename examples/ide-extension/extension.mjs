// An example of embedding tooldraft in a web IDE extension host (VS Code for the Web, Theia,
// a custom editor): the extension has no network of its own. The host hands in
//   - its own model API (here `host.languageModel.chat`), forwarded as `llm: {provider: 'host', call}`;
//   - its own way of calling tools (here `host.tools.invoke`), forwarded as `tools: {callTool}`.
// tooldraft is initialised from the wasm bytes (`initSync`), which works in CommonJS bundles
// and extension hosts where `import.meta.url` is empty or fetch of package files is not allowed.
//
// activate(host) registers a "refine tool docs" command; the command returns the refined
// document text and streams progress through host.window.progress.

import { initSync, parseDoc, Refiner } from 'tooldraft';

/**
 * @param {{
 *   wasmBytes: Uint8Array,
 *   languageModel: { chat(messages: {role: string, content: string}[], options: {schema?: object, signal: AbortSignal}): Promise<{text: string, inputTokens?: number, outputTokens?: number}> },
 *   tools: { invoke(name: string, args: object, options: {signal: AbortSignal}): Promise<{ok: boolean, result: unknown}> },
 *   window: { progress(message: string): void },
 *   commands: { register(name: string, fn: (docText: string, signal: AbortSignal) => Promise<string>): void },
 * }} host
 */
export function activate(host) {
  initSync(host.wasmBytes);
  host.commands.register('tooldraft.refine', async (docText, signal) => {
    const doc = parseDoc(docText);
    const refiner = new Refiner({
      llm: {
        provider: 'host',
        // tooldraft's ChatRequest → the editor's model API → tooldraft's ChatResponse.
        call: async (request, { signal: runSignal }) => {
          const answer = await host.languageModel.chat(request.messages, { schema: request.schema?.schema, signal: runSignal });
          return { content: answer.text, usage: { promptTokens: answer.inputTokens ?? 0, completionTokens: answer.outputTokens ?? 0 } };
        },
      },
      tools: {
        // The editor calls the tool however it does (its MCP client, a sandbox…).
        callTool: async (operation, args, { signal: runSignal }) => {
          const r = await host.tools.invoke(operation.name, args, { signal: runSignal });
          return { json: r.result, isError: !r.ok };
        },
      },
      limits: { maxEpisodes: 2, concurrency: 2 },
      // No fetch of tooldraft's own: any attempt would fail loudly.
      fetch: () => Promise.reject(new Error('this extension host allows no direct network access')),
    });
    const result = await refiner.run(doc, {
      signal,
      onEvent: (e) => {
        if (e.type === 'revisionAccepted') host.window.progress(`${e.operation}: revision ${e.revision}`);
        if (e.type === 'terminated') host.window.progress(`${e.operation}: done (${e.reason.kind})`);
      },
    });
    return result.text;
  });
}

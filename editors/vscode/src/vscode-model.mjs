//! The editor's own model (the Language Model API, `vscode.lm`) as tooldraft's host LLM: each
//! chat request of the engine becomes one `sendRequest` to the model the user's editor offers.
//! The API has no system role and no structured output, so the system text leads the first user
//! message and the JSON Schema the answer must fit is written into the prompt (in the form the
//! engine's own instructions use); the engine parses, validates and repairs the JSON.

/** The model requested by the settings, or an Error saying what to configure. */
export async function selectEditorModel(vscode, family) {
  const selector = family ? { family } : {};
  let models = [];
  if (vscode.lm?.selectChatModels) models = await vscode.lm.selectChatModels(selector);
  if (!models.length) {
    const e = new Error(
      `no language model is available in this editor${family ? ` for the family "${family}"` : ''}. ` +
        'Install and sign in to an extension that provides chat models (the Language Model API), or set ' +
        '"tooldraft.model.provider" to "openai" (any OpenAI-compatible endpoint: set tooldraft.model.baseUrl and ' +
        'tooldraft.model.name) or "anthropic", and store the key with the command "tooldraft: Set Model API Key". ' +
        'Inspect works without a model.',
    );
    e.name = 'NoModel';
    throw e;
  }
  return models[0];
}

/** The schema instruction appended to the last user message. */
export function schemaInstruction(schema) {
  return `\n\nAnswer with only one JSON object, no prose and no code fences. It must fit this JSON Schema (named "${schema.name}"):\n\`\`\`json\n${JSON.stringify(schema.schema)}\n\`\`\``;
}

/** tooldraft's chat messages as Language Model API messages. */
export function toEditorMessages(vscode, request) {
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  const rest = request.messages.filter((m) => m.role !== 'system');
  const out = [];
  rest.forEach((m, i) => {
    let text = m.content;
    if (i === 0 && system.length) text = `${system.join('\n\n')}\n\n${text}`;
    if (i === rest.length - 1 && request.schema) text += schemaInstruction(request.schema);
    out.push(
      m.role === 'assistant'
        ? vscode.LanguageModelChatMessage.Assistant(text)
        : vscode.LanguageModelChatMessage.User(text),
    );
  });
  if (!rest.length && system.length)
    out.push(
      vscode.LanguageModelChatMessage.User(
        system.join('\n\n') + (request.schema ? schemaInstruction(request.schema) : ''),
      ),
    );
  return out;
}

/**
 * The host LLM config for `Refiner`: `{provider: 'host', call}` backed by `model`.
 * @param {typeof import('vscode')} vscode
 */
export function editorModelLlm(vscode, model) {
  return {
    provider: 'host',
    call: (request, { signal }) => {
      const answer = ask(vscode, model, request, signal);
      // The engine stops listening once the run is cancelled; a late rejection is not an error.
      answer.catch(() => {});
      return answer;
    },
  };
}

/** One chat request to the editor's model, cancelled when the run's signal aborts. */
async function ask(vscode, model, request, signal) {
  const cancel = new vscode.CancellationTokenSource();
  const onAbort = () => cancel.cancel();
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const messages = toEditorMessages(vscode, request);
    const response = await model.sendRequest(
      messages,
      { justification: 'tooldraft refines tool documentation with your model.' },
      cancel.token,
    );
    let content = '';
    for await (const chunk of response.text) content += chunk;
    return { content, model: model.id ?? model.name ?? null };
  } finally {
    signal?.removeEventListener('abort', onAbort);
    cancel.dispose?.();
  }
}

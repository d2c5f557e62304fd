// The Set up view's Similarity fieldset (issue 12): which embeddings measure query diversity
// (φ) and convergence (Δ).
import { app } from '../app';
import { field, h } from '../dom';
import type { RefinerConfig } from '../types';

/**
 * The Similarity fieldset (issue 12): which embeddings measure φ and Δ. Local (the default:
 * hashed n-grams, no network) or an OpenAI-compatible /v1/embeddings endpoint (Ollama,
 * tooldraft serve-llm, …); the model's API key is sent to it only when it has the model
 * endpoint's origin (runs.ts adds it back on resume the same way).
 */
export function embeddingsFieldset(): {
  fieldset: HTMLElement;
  problems: () => string[];
  config: (chatUrl: string) => RefinerConfig['embeddings'];
} {
  const kind = h(
    'select',
    { id: 'embeddings-kind' },
    h('option', { value: 'local', selected: true }, 'Local (hashed n-grams, no network)'),
    h('option', { value: 'openai' }, 'OpenAI-compatible endpoint (/v1/embeddings)'),
  );
  const url = h('input', { type: 'url', id: 'embeddings-url', placeholder: "empty: the model's base URL" });
  const model = h('input', {
    type: 'text',
    id: 'embeddings-model',
    autocomplete: 'off',
    placeholder: 'nomic-embed-text',
  });
  const remote = h('div', { hidden: true }, field('Embeddings base URL', url), field('Embedding model', model));
  kind.addEventListener('change', () => (remote.hidden = kind.value !== 'openai'));
  return {
    fieldset: h(
      'fieldset',
      null,
      h('legend', null, 'Similarity'),
      field(
        'Embeddings',
        kind,
        'What measures query diversity (φ) and convergence (Δ). The report names the embedder each operation used; if the endpoint fails, operations that have not measured yet use the local one.',
      ),
      remote,
    ),
    problems: () =>
      kind.value === 'openai' && !model.value.trim() ? ['Name the embedding model (or choose local embeddings).'] : [],
    config: (chatUrl) => {
      if (kind.value !== 'openai') return undefined;
      const baseUrl = url.value.trim() || chatUrl;
      const c: NonNullable<RefinerConfig['embeddings']> = { baseUrl, model: model.value.trim() };
      if (app.secrets.apiKey && sameOrigin(baseUrl, chatUrl)) c.apiKey = app.secrets.apiKey;
      return c;
    },
  };
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

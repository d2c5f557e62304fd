// The configs and options JavaScript passes in are declared from the Rust types that read them
// (src/typescript.rs): the fields they accept, by the names serde reads, and nothing else.
import {
  Refiner,
  calibrate,
  check,
  diffText,
  exploreHeldOut,
  type CalibrationSet,
  type ChatResponse,
  type DiffChunk,
  type HeldOutResult,
  type LlmConfig,
  type RefinerConfig,
  type RunState,
} from '../../index.js';

const call = async (): Promise<ChatResponse> => ({ content: 'x', model: null });
const tools = { baseUrl: 'http://127.0.0.1:8081' };

export const configs: RefinerConfig[] = [
  {
    llm: {
      provider: 'openai',
      baseUrl: 'http://127.0.0.1:8080/v1',
      model: 'm',
      topP: 0.9,
      timeoutMs: 1000,
      structured: 'jsonObject',
      retry: { maxAttempts: 2, statuses: 'overloaded' },
    },
    tools,
    embeddings: { baseUrl: 'http://127.0.0.1:11434/v1', model: 'e', batchSize: 8, retry: {} },
  },
  { llm: { provider: 'anthropic', model: 'claude', headers: { 'x-api-key': 'k' } }, tools },
  { llm: { provider: 'anthropic', model: 'claude', apiKey: 'k', anthropicVersion: '2023-06-01' } },
  { llm: { provider: 'host', call }, embeddings: { provider: 'local' } },
  {
    llm: { provider: 'host', call },
    tools: { mcpUrl: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer x' } },
    safety: { allowDestructive: true, allowDestructiveOperations: ['deletePet'] },
    limits: { budgetTokens: 10_000, schemaRepair: false, schemaProbes: 0 },
    thresholds: { deltaText: 'descriptionAndParameters', diversityRetries: 1 },
  },
];

export async function more(set: CalibrationSet, llm: LlmConfig): Promise<void> {
  const c = await calibrate({ texts: ['a', 'b'], pairs: [[0, 1, 'query:sameApi']] });
  const again = await calibrate(set, { embeddings: { provider: 'host', embed: async (t) => t.map(() => [1]) } });
  const held: HeldOutResult = await exploreHeldOut({ llm, tools }, '{}', { perOperation: 1 });
  const jsonl: string = held.jsonl + held.exploredJsonl + String(held.items.length + held.modelCalls);
  const chunks: DiffChunk[] = diffText('a', 'b');
  const ops: ('equal' | 'insert' | 'delete')[] = chunks.map((x) => x.op);
  const state: RunState | undefined = undefined as RunState | undefined;
  const stages: string[] = state ? state.operations.map((o) => o.stage.stage) : [];
  console.log(c.thresholds.phi, again.pairs, jsonl, ops, stages);
}

// @ts-expect-error: a misnamed field of the model's config (`maxToken` for `maxTokens`)
new Refiner({ llm: { provider: 'openai', baseUrl: 'u', model: 'm', maxToken: 5 } });
// @ts-expect-error: a misnamed field of the retry policy (`maxAttempt`)
new Refiner({ llm: { provider: 'openai', baseUrl: 'u', model: 'm', retry: { maxAttempt: 2 } } });
// @ts-expect-error: a misnamed embeddings field (`batchsize`)
new Refiner({ llm: { provider: 'host', call }, embeddings: { baseUrl: 'u', model: 'm', batchsize: 8 } });
// @ts-expect-error: an embeddings endpoint needs a model
new Refiner({ llm: { provider: 'host', call }, embeddings: { baseUrl: 'u' } });
// @ts-expect-error: a label calibration does not know
void calibrate({ texts: [], pairs: [[0, 1, 'query:same']] });
// @ts-expect-error: a chat answer has content
export const empty: ChatResponse = { usage: { promptTokens: 1, completionTokens: 1 } };
// @ts-expect-error: diff runs are equal, insert or delete
export const replaced: DiffChunk = { op: 'replace', text: '' };
// @ts-expect-error: a misnamed limit (`maxEpisode`)
new Refiner({ llm: { provider: 'host', call }, limits: { maxEpisode: 2 } });
// @ts-expect-error: a misnamed safety switch (`allowWrite`)
new Refiner({ llm: { provider: 'host', call }, safety: { allowWrite: true } });
// @ts-expect-error: Δ compares the description, or it and the parameters
new Refiner({ llm: { provider: 'host', call }, thresholds: { deltaText: 'parameters' } });
// @ts-expect-error: a misnamed tool target (`mcpURL`)
void check('{}', { tools: { mcpURL: 'http://127.0.0.1:3001/mcp' } });

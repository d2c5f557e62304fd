// A small consumer of the public types: it must compile under `tsc --strict` (types.test.mjs).
import init, {
  check,
  convert,
  diffText,
  exportDoc,
  initSync,
  inspect,
  isEngineLoaded,
  loadEngine,
  listMcpTools,
  parseDoc,
  Refiner,
  version,
  type ChatRequest,
  type CheckReport,
  type CheckVerdict,
  type OperationCheck,
  type ChatResponse,
  type DiffChunk,
  type Exported,
  type FormatName,
  type InspectReport,
  type JsonObject,
  type Operation,
  type RefinerConfig,
  type RunEvent,
  type RunResult,
  type RunState,
  type ToolCallResult,
  type ToolDoc,
} from '../../index.js';

export async function main(bytes: ArrayBuffer, text: string): Promise<void> {
  await init();
  await init(new URL('./gen/tooldraft_document_bg.wasm', 'https://example.test/'));
  initSync(bytes);
  await init({ document: new URL('./gen/tooldraft_document_bg.wasm', 'https://example.test/'), engine: () => bytes });
  initSync({ document: bytes, engine: () => bytes });
  await loadEngine();
  const engineLoaded: boolean = isEngineLoaded();
  const v: string = version();

  const doc: ToolDoc = parseDoc(text, 'openapi');
  const ops: Operation[] = doc.tools.flatMap((t) => t.operations);
  const firstParam = ops[0]?.parameters[0];
  const where: 'path' | 'query' | 'header' | 'cookie' | 'body' | undefined = firstParam?.location;
  const method = ops[0]?.http?.method;

  const report: InspectReport = inspect(text);
  const counts: number = report.tools + report.operations + report.parameters;
  const kinds: string[] = report.smells.map((s) => s.kind);

  const to: FormatName = 'anthropic';
  const out: Exported = convert(text, to, 'openapi');
  const again: Exported = exportDoc(doc, 'mcp');
  const lost: string[] = [...out.lost, ...again.lost];

  const chunks: DiffChunk[] = diffText('a', 'b');
  const inserted = chunks.filter((c) => c.op === 'insert').map((c) => c.text);

  const listed: ToolDoc = await listMcpTools('http://127.0.0.1:3001/mcp', {
    headers: { Authorization: 'Bearer x' },
    signal: AbortSignal.timeout(1000),
  });

  const call = async (request: ChatRequest): Promise<ChatResponse> => ({
    content: request.messages.map((m) => m.content).join('\n'),
    usage: { promptTokens: 1, completionTokens: 1 },
  });
  const callTool = async (operation: Operation, args: JsonObject): Promise<ToolCallResult> => ({
    json: { operation: operation.id, args },
  });
  const config: RefinerConfig = {
    llm: { provider: 'host', call },
    tools: { callTool },
    safety: { allowWrites: false, allow: ['listPets'] },
    limits: { maxEpisodes: 2, concurrency: 1, only: ['listPets'] },
    thresholds: { diversity: 0.9, convergence: 0.75 },
    regression: { enabled: true, minRetention: 0.4, echoNgram: 4 },
    timeoutMs: 10_000,
    fetch: (input, initArg) => fetch(input, initArg),
  };
  const openai: RefinerConfig = {
    llm: { provider: 'openai', baseUrl: 'http://127.0.0.1:8080/v1', model: 'm', temperature: 0 },
    tools: { baseUrl: 'http://127.0.0.1:8081' },
  };
  const refiner = new Refiner(config);
  const controller = new AbortController();
  let saved: RunState | undefined;
  const events: string[] = [];
  const result: RunResult = await refiner.run(doc, {
    signal: controller.signal,
    onEvent: (e: RunEvent) => {
      events.push(e.type);
      if (e.type === 'toolResult') events.push(String(e.observation.status ?? 0));
      if (e.type === 'terminated' && e.reason.kind === 'converged') events.push(e.reason.delta.toFixed(2));
      if (e.type === 'revisionAccepted') events.push(String(e.delta ?? 'none'));
    },
    onCheckpoint: (state) => {
      saved = state;
    },
  });
  if (saved) await new Refiner(openai).run(text, { resume: saved });
  refiner.cancel();
  const running: boolean = refiner.running;
  refiner.free();
  const seen: OperationCheck[] = [];
  const checked: CheckReport = await check(text, {
    tools: { mcpUrl: 'http://127.0.0.1:3001/mcp', headers: { Authorization: 'Bearer x' } },
    safety: { allowWrites: false },
    only: ['listPets'],
    signal: controller.signal,
    onOperation: (o) => seen.push(o),
  });
  const verdicts: CheckVerdict[] = checked.operations.map((o) => o.verdict);
  const findings: string[] = checked.operations.flatMap((o) =>
    o.items.filter((i) => i.verdict === 'drift').map((i) => `${i.kind} ${i.subject}`),
  );
  console.log(
    v,
    engineLoaded,
    ops.length,
    where,
    method,
    counts,
    kinds,
    lost,
    inserted,
    listed.tools.length,
    result.text,
    running,
    verdicts,
    findings,
    checked.totals.calls,
  );
}

// @ts-expect-error: an unknown format name is a type error
parseDoc('{}', 'wsdl');
// @ts-expect-error: the host provider needs `call`
new Refiner({ llm: { provider: 'host' } });
// @ts-expect-error: Anthropic needs an apiKey
new Refiner({ llm: { provider: 'anthropic', model: 'claude' } });
// @ts-expect-error: check needs a tool target
void check('{}', {});

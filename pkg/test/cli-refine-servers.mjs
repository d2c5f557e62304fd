// Shared setup of the `tooldraft refine` end-to-end tests (cli-refine.test.mjs,
// cli-refine-errors.test.mjs): REAL tools (MCP server-everything, httpbin) and the scripted
// model (tests/servers/scripted-llm.mjs), all on 127.0.0.1; a temp folder holding
// server-everything's tools as an MCP doc; the echo script the runs use.
//
// `useRefineServers()` registers the file's before/after hooks; `bed`, `llm`, `dir` and
// `mcpDoc` are live bindings, set once the hook has run (each test file is its own process).
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { exportDoc, listMcpTools } from '../node.js';
import { startTestbed } from '../../tests/servers/testbed.mjs';
import { tempDir } from './helpers.mjs';
import { ROOT, startScriptedLlm } from './cli-run-helpers.mjs';

export const HOSTILE = '<img src=x onerror=alert(1)>';
// The rewriter is scripted too: the gate refuses the auto mode's words picked from the
// prompt (off-topic), as it should.
export const ECHO_SCRIPT = {
  steps: [
    {
      match: 'explore one operation',
      json: {
        query: `Please repeat 'blue harbour at dawn' back to me ${HOSTILE}`,
        arguments: { message: 'blue harbour at dawn' },
      },
      times: 100000,
    },
    {
      match: 'rewrite the documentation of one operation',
      json: {
        description: "Echoes back the input string: the answer is one text block, 'Echo: ' followed by the message.",
        parameters: { message: "The string to echo back, e.g. 'blue harbour at dawn'." },
        nextDirection: 'Try an empty message.',
      },
      times: 100000,
    },
  ],
};

export const SWAGGER = join(ROOT, 'tests', 'fixtures', 'openapi', 'httpbin.swagger.json');

/** The testbed (server-everything, httpbin). */
export let bed;
/** The scripted model server (see cli-run-helpers.mjs's startScriptedLlm). */
export let llm;
/** The temp folder the runs write into. */
export let dir;
/** server-everything's tools as an MCP doc, in `dir`. */
export let mcpDoc;
let cleanup;

/** Starts the servers and the temp folder before the file's tests and stops them after. */
export function useRefineServers() {
  before(async () => {
    [bed, llm, { dir, cleanup }] = await Promise.all([
      startTestbed(['everything', 'httpbin']),
      startScriptedLlm(),
      tempDir(),
    ]);
    mcpDoc = join(dir, 'everything.json');
    await writeFile(mcpDoc, exportDoc(await listMcpTools(bed.urls.everything), 'mcp').text);
  });

  after(async () => {
    await Promise.all([bed?.stop(), llm?.stop(), cleanup?.()]);
  });
}

/** The CLI options that point a run at the scripted model. */
export const model = () => ['--llm-url', llm.url, '--model', 'scripted'];
/** `refine` of the echo operation over server-everything into `out`, with the scripted model. */
export const refineEcho = (out) => [
  'refine',
  mcpDoc,
  '-o',
  out,
  ...model(),
  '--mcp-url',
  bed.urls.everything,
  '--only',
  'echo',
];
export const readJson = async (p) => JSON.parse(await readFile(p, 'utf8'));

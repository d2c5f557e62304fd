// Refine through the extension: the real package's engine, a real tool (httpbin on
// 127.0.0.1), the scripted model server answering either as the editor's own model (the
// Language Model API, supplied by the double) or as an OpenAI-compatible endpoint from the
// settings; the editor surface is the double (vscode-double.mjs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { activateWith } from '../src/main.mjs';
import { startTestbed } from '../../../tests/servers/testbed.mjs';
import { createVscodeDouble } from './vscode-double.mjs';
import { extensionFolder, FIXTURES, scriptedEditorModel, startScriptedModel } from './helpers.mjs';

const YAML = readFileSync(join(FIXTURES, 'httpbin.yaml'), 'utf8');
const pickIds = (ids) => async (items) => items.filter((i) => ids.includes(i.id));

describe('Refine', () => {
  let llm;
  let testbed;
  before(async () => {
    llm = await startScriptedModel();
    testbed = await startTestbed(['httpbin']);
  });
  after(async () => {
    llm?.stop();
    await testbed?.stop();
  });

  function start({ models = [], settings = {}, answers = {}, trusted = true } = {}) {
    const double = createVscodeDouble({
      models,
      settings: { 'tooldraft.limits.maxEpisodes': 2, ...settings },
      answers,
      trusted,
    });
    activateWith(double.vscode, double.context(extensionFolder()));
    return double;
  }

  test("two operations with the editor's model: progress, diff, results view, apply as one edit, undo", async () => {
    const model = scriptedEditorModel(llm.url);
    const double = start({
      models: [model],
      answers: { quickPick: [pickIds(['uuid', 'anything'])], inputBox: [async () => testbed.urls.httpbin] },
    });
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    const stored = await double.vscode.commands.executeCommand('tooldraft.refine');
    assert.ok(stored, `refine finished: ${double.shown.errors.join('\n')}`);
    assert.deepEqual(double.shown.errors, []);
    // The quick pick offered every operation; the target was asked once and kept in settings.
    assert.deepEqual(
      double.shown.quickPicks[0].items.map((i) => i.id),
      ['uuid', 'decodeBase64', 'anything'],
    );
    assert.deepEqual(
      double.shown.settingsWrites.find((w) => w.key === 'tooldraft.target.baseUrl'),
      {
        key: 'tooldraft.target.baseUrl',
        value: testbed.urls.httpbin,
        target: double.vscode.ConfigurationTarget.Workspace,
      },
    );
    assert.ok(model.requests.length >= 3, 'the editor model answered the explorer, analyzer and rewriter');
    const reports = double.shown.progress[0].reports.map((r) => r.message);
    assert.ok(
      reports.includes('uuid: started') && reports.some((m) => m.startsWith('anything: done')),
      reports.join('\n'),
    );
    assert.equal(double.shown.progress[0].options.cancellable, true);
    // The diff: original ↔ refined, both virtual documents.
    const [left, right, title] = double.shown.diffs[0];
    assert.equal(left.scheme, 'tooldraft');
    assert.equal(double.virtualText(left), YAML);
    assert.equal(double.virtualText(right), stored.refined);
    assert.notEqual(stored.refined, YAML);
    assert.match(title, /httpbin\.yaml: original ↔ refined/);
    // Only the two picked operations changed.
    const engine = await import('../../../pkg/index.js');
    const changes = engine.compareDocs(YAML, stored.refined);
    assert.ok(
      changes.changed.every((c) => ['uuid', 'anything'].includes(c.operation)),
      JSON.stringify(changes.changed.map((c) => c.operation)),
    );
    // The results view: the report, scripts off, the report's strict CSP.
    const panel = double.shown.panels[0];
    assert.equal(panel.options.enableScripts, false);
    assert.match(
      panel.webview.html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'/,
    );
    assert.ok(!/<script/i.test(panel.webview.html));
    assert.match(panel.webview.html, /uuid/);
    assert.match(panel.webview.html, /anything/);
    // Apply: one edit; undo restores the original.
    const applied = await double.vscode.commands.executeCommand('tooldraft.apply', right);
    assert.deepEqual(applied, { applied: true });
    assert.equal(doc.getText(), stored.refined);
    double.undo();
    assert.equal(doc.getText(), YAML);
    // A document changed since the run is never overwritten.
    await double.save(doc, `${YAML}# edited\n`);
    const refused = await double.vscode.commands.executeCommand('tooldraft.apply');
    assert.equal(refused.applied, false);
    assert.match(double.shown.warnings.at(-1), /changed since the run started/);
    assert.equal(doc.getText(), `${YAML}# edited\n`);
  });

  test('an OpenAI-compatible model from the settings; key and tool headers stay in the secret storage', async () => {
    const KEY = 'sk-test-KEY-424242';
    // A header whose name and value do not look secret: httpbin echoes it in every response,
    // so only the extension's own scrubbing keeps it out of the report and the refined text.
    const TOKEN = 'blue-team-777777';
    const double = start({
      settings: {
        'tooldraft.model.provider': 'openai',
        'tooldraft.model.baseUrl': llm.url,
        'tooldraft.model.name': 'scripted',
        'tooldraft.target.baseUrl': testbed.urls.httpbin,
      },
      answers: { inputBox: [async () => KEY, async () => `X-Team: ${TOKEN}`] },
    });
    await double.vscode.commands.executeCommand('tooldraft.setModelApiKey');
    await double.vscode.commands.executeCommand('tooldraft.setToolHeaders');
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    const stored = await double.vscode.commands.executeCommand('tooldraft.refine', doc.uri, ['anything']);
    assert.ok(stored, `refine finished: ${double.shown.errors.join('\n')}`);
    assert.equal(double.shown.quickPicks.length, 0, 'the operations came with the command');
    assert.equal(double.shown.inputBoxes.filter((b) => !b.password).length, 0, 'the saved target was used');
    const op = stored.file.operations.find((o) => o.id === 'anything');
    assert.ok(op.calls >= 1, 'httpbin was called');
    // The report page is scrubbed of every secret of the run even when the engine's own
    // redaction let one through (here planted in a trail's response).
    const { resultsHtml } = await import('../src/results-panel.mjs');
    const engine = await import('../../../pkg/index.js');
    const planted = structuredClone(stored.file);
    const trail = planted.operations.find((o) => o.trails.some((t) => t.observation)).trails.find((t) => t.observation);
    trail.observation.json = { echo: TOKEN, key: KEY };
    trail.observation.body = JSON.stringify(trail.observation.json);
    const page = resultsHtml(engine, planted, [KEY, TOKEN]);
    assert.ok(page.includes('[redacted]') && !page.includes(TOKEN) && !page.includes(KEY));
    const everything = JSON.stringify({
      settings: [...double.settings.values()],
      shown: double.shown,
      html: stored.html,
      refined: stored.refined,
      file: stored.file,
    });
    for (const secret of [KEY, TOKEN]) assert.ok(!everything.includes(secret), `${secret} leaked`);
  });

  test('a key and headers stored for one endpoint are never sent to another the settings name', async () => {
    const KEY = 'sk-test-KEY-bound-1111';
    const TOKEN = 'tok-SECRET-bound-2222';
    const double = start({
      settings: {
        'tooldraft.model.provider': 'openai',
        'tooldraft.model.baseUrl': llm.url,
        'tooldraft.model.name': 'scripted',
        'tooldraft.target.baseUrl': testbed.urls.httpbin,
      },
      answers: { inputBox: [async () => KEY, async () => `X-Test-Token: ${TOKEN}`] },
    });
    await double.vscode.commands.executeCommand('tooldraft.setModelApiKey');
    await double.vscode.commands.executeCommand('tooldraft.setToolHeaders');
    const secrets = double.context.lastSecrets;
    const { modelConfig, toolHeaders } = await import('../src/settings.mjs');
    assert.equal((await modelConfig(double.vscode, secrets)).llm.apiKey, KEY);
    assert.deepEqual(await toolHeaders(secrets, { baseUrl: testbed.urls.httpbin }), { 'X-Test-Token': TOKEN });
    // A workspace that points the endpoints elsewhere (same server, another origin).
    double.settings.set('tooldraft.model.baseUrl', llm.url.replace('127.0.0.1', 'localhost'));
    assert.equal((await modelConfig(double.vscode, secrets)).llm.apiKey, undefined);
    assert.deepEqual(
      await toolHeaders(secrets, { baseUrl: testbed.urls.httpbin.replace('127.0.0.1', 'localhost') }),
      {},
    );
  });

  test('in an untrusted workspace Refine does not run (its endpoints come from the settings); Inspect does', async () => {
    const double = start({
      models: [scriptedEditorModel(llm.url)],
      trusted: false,
      answers: { quickPick: [pickIds(['uuid'])] },
    });
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    assert.ok(double.diagnostics.get(doc.uri.toString()).length > 0);
    await double.vscode.commands.executeCommand('tooldraft.refine');
    assert.match(double.shown.errors[0], /trust this workspace first/);
    assert.equal(double.shown.quickPicks.length + double.shown.progress.length, 0);
  });

  test('with no model available, Refine says what to configure and Inspect still works', async () => {
    const double = start({ answers: { quickPick: [pickIds(['uuid'])] } });
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    assert.ok(double.diagnostics.get(doc.uri.toString()).length > 0, 'Inspect works');
    const stored = await double.vscode.commands.executeCommand('tooldraft.refine');
    assert.equal(stored, null);
    assert.match(double.shown.errors[0], /no language model is available/);
    assert.match(double.shown.errors[0], /tooldraft\.model\.provider/);
    assert.equal(double.shown.progress.length, 0, 'no run was started');
    assert.equal(doc.getText(), YAML);
  });

  test('cancel stops the run; nothing is shown or applied', async () => {
    let double;
    const model = scriptedEditorModel(llm.url, { onRequest: (n) => n === 2 && double.cancelProgress() });
    double = start({
      models: [model],
      settings: { 'tooldraft.target.baseUrl': testbed.urls.httpbin },
      answers: { quickPick: [pickIds(['uuid', 'anything'])] },
    });
    const doc = await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    const stored = await double.vscode.commands.executeCommand('tooldraft.refine');
    assert.equal(stored, null);
    assert.match(double.shown.infos.at(-1), /cancelled; the document is unchanged/);
    assert.deepEqual(double.shown.diffs, []);
    assert.ok(
      model.requests.length <= 3,
      `the run stopped soon after the cancel (${model.requests.length} model requests)`,
    );
    assert.equal(doc.getText(), YAML);
  });

  test('a document tooldraft cannot read, and no document, end in a clear message', async () => {
    const double = start({ models: [scriptedEditorModel(llm.url)] });
    assert.equal(await double.vscode.commands.executeCommand('tooldraft.refine'), undefined);
    assert.match(double.shown.errors[0], /open an OpenAPI, Swagger, MCP, OpenAI or Anthropic tool document first/);
    await double.open('/ws/package.json', 'json', '{"name": "x"}');
    await double.vscode.commands.executeCommand('tooldraft.refine');
    assert.match(double.shown.errors[1], /package\.json cannot be refined: UnknownFormat/);
  });

  test('a tool target that is down ends in a message naming the failure, not a crash', async () => {
    const double = start({
      models: [scriptedEditorModel(llm.url)],
      settings: { 'tooldraft.target.baseUrl': 'http://127.0.0.1:9/' },
      answers: { quickPick: [pickIds(['uuid'])] },
    });
    await double.open('/ws/httpbin.yaml', 'yaml', YAML);
    const stored = await double.vscode.commands.executeCommand('tooldraft.refine');
    const said = [...double.shown.errors, ...double.shown.infos].join('\n');
    if (stored) {
      assert.match(stored.html, /NetworkError|could not|refused|failed/i, 'the results say the calls failed');
    } else {
      assert.match(said, /NetworkError|could not|refused|failed/i, said);
    }
  });
});

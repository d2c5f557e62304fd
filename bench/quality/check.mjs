#!/usr/bin/env node
// check.mjs: every planted defect is discoverable by calling the tool. Starts the testbed on
// 127.0.0.1, checks each defect against the live document (the planted change applies and
// the original value is there to restore), makes the defect's probe call directly (our own
// small MCP and HTTP clients, not tooldraft) and shows the behaviour that reveals it.
// Exit 0 when every probe reveals its defect, 1 otherwise.
//   node bench/quality/check.mjs [--json]
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { DEFECTS } from './defects.mjs';
import { SOURCES, loadSources, plant } from './docs.mjs';
import { httpCall, mcpSession } from './probe.mjs';
import { startTestbed } from '../../tests/servers/testbed.mjs';

/** Seeds server-memory so that reads return something (idempotent: existing names are skipped). */
export async function seedMemory(url) {
  const s = await mcpSession(url);
  await s.call('create_entities', {
    entities: [
      { name: 'ada', entityType: 'person', observations: ['wrote the first program', 'lives in London'] },
      { name: 'grace', entityType: 'person', observations: ['built a compiler'] },
    ],
  });
  await s.call('create_relations', { relations: [{ from: 'grace', to: 'ada', relationType: 'admires' }] });
}

/** Runs every probe; resolves with [{id, class, ok, call, answer}]. */
export async function checkAll(urls, defects = DEFECTS) {
  const sources = await loadSources(urls);
  plant(sources, defects); // throws when a defect no longer fits the real document
  const sessions = {};
  const results = [];
  for (const d of defects) {
    const server = SOURCES[d.source].server;
    let answer;
    let call;
    if (d.probe.http) {
      const { method, path, query } = d.probe.http;
      call = `${method} ${path}${query ? `?${new URLSearchParams(query)}` : ''}`;
      const r = await httpCall(urls[server], method, path, { query });
      answer = {
        text: `${r.status} ${r.json ? JSON.stringify(r.json) : r.text.trim()}`,
        body: r.json ? JSON.stringify(r.json) : r.text.trim(),
        json: r.json,
      };
    } else {
      sessions[server] ??= await mcpSession(urls[server]);
      call = `${d.op} ${JSON.stringify(d.probe.args)}`;
      const r = await sessions[server].call(d.op, d.probe.args);
      const body = r.structured ? JSON.stringify(r.structured) : r.text.replace(/\s*\n\s*/g, '');
      answer = { text: `${r.isError ? 'isError ' : ''}${body}`, body, json: r.structured };
    }
    const reveals = d.probe.reveals;
    const ok = typeof reveals === 'function' ? reveals(answer) : reveals.test(answer.body);
    results.push({
      id: d.id,
      class: d.class,
      ok,
      call,
      answer: answer.text.slice(0, 160),
      expects: typeof reveals === 'function' ? d.probe.shows : String(reveals),
    });
  }
  return results;
}

async function main() {
  const bed = await startTestbed([...new Set(Object.values(SOURCES).map((s) => s.server))]);
  try {
    await seedMemory(bed.urls.memory);
    const results = await checkAll(bed.urls);
    if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else {
      for (const r of results)
        process.stdout.write(
          `${r.ok ? 'revealed' : 'NOT REVEALED'}  ${r.id} ${r.class}: ${r.call}\n    -> ${r.answer}\n`,
        );
      const bad = results.filter((r) => !r.ok);
      process.stdout.write(
        `${results.length - bad.length} of ${results.length} defects revealed by a call${bad.length ? `; not: ${bad.map((r) => r.id).join(', ')}` : ''}\n`,
      );
    }
    process.exitCode = results.every((r) => r.ok) ? 0 : 1;
  } finally {
    await bed.stop();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();

// The facts a run adds to a document besides its texts: examples of real calls (schema
// changes have their own review, see runmodel's applySchemaDecisions). Review shows each one
// with accept/reject; the export, the JSON report's reviewed document and the Evaluate view's
// comparison all read the document through `reviewedWithFacts`, so they count the same thing.

import { operationsById, reviewedDoc } from './runmodel';
import type { RunRecord } from './store';
import type { Example, FormatName, Operation, ToolDoc } from './types';

/** One example the run added to an operation; `id` is stable across reloads. */
export interface AddedExample {
  id: string;
  example: Example;
}

function key(e: Example): string {
  return JSON.stringify([e.query, e.arguments]);
}

/** The examples `after` has that `before` had not (by query and arguments), with ids. */
export function addedExamples(before: Operation | undefined, after: Operation): AddedExample[] {
  const had = new Set((before?.examples ?? []).map(key));
  const out: AddedExample[] = [];
  (after.examples ?? []).forEach((example, i) => {
    if (!had.has(key(example))) out.push({ id: `example-${i}-${key(example).length}`, example });
  });
  return out;
}

/** The reviewed document with rejected examples left out. */
export function reviewedWithFacts(record: RunRecord): ToolDoc {
  const doc = reviewedDoc(record.original, record.result, record.review ?? {}, record.schemaReview);
  const decisions = record.factReview ?? {};
  if (Object.keys(decisions).length === 0) return doc;
  const orig = operationsById(record.original);
  for (const tool of doc.tools) {
    for (const op of tool.operations) {
      const rejected = new Set(
        Object.entries(decisions[op.id] ?? {})
          .filter(([, d]) => d === 'reject')
          .map(([id]) => id),
      );
      if (rejected.size === 0) continue;
      const drop = new Set(
        addedExamples(orig.get(op.id), op)
          .filter((a) => rejected.has(a.id))
          .map((a) => a.example),
      );
      op.examples = (op.examples ?? []).filter((e) => !drop.has(e));
    }
  }
  return doc;
}

let exportFormat: FormatName | null = null;

/** Remembers the format the user exports the reviewed document in (Review's format list). */
export function setExportFormat(f: FormatName): void {
  exportFormat = f;
}

/**
 * The format a run's documents are written in for the Evaluate view's comparison: the one the
 * user exports in, else the document's own, so that what is counted is what the export writes
 * (MCP, for one, has no field for examples).
 */
export function exportFormatFor(doc: ToolDoc): FormatName {
  return exportFormat ?? ((doc.format ?? 'openapi') as FormatName);
}

// Types of schema-changes.mjs: structural schema changes in words, and review decisions
// applied to a document's operation.

import type { SchemaChangeLike } from './run-report.d.mts';

export function describeSchemaChange(c: SchemaChangeLike): string;
export function schemaChangeLines(report: {
  operations?: { id: string; schemaChanges?: SchemaChangeLike[] }[];
}): string[];
export function applySchemaDecisions<O extends object>(
  op: O,
  changes: SchemaChangeLike[] | undefined,
  decisions: Record<string, 'accept' | 'reject'>,
): O;

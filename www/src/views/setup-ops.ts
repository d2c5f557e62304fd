// Which operations a run refines by default (issue 15): a safe start, read-only ones only, at
// most a handful, none that may expose secrets or run long, with the reason for each flag
// shown beside the operation. Pure functions over the document model: no DOM.

import type { Operation } from '../types';
import { safetyLabel } from './doc';

/** At most this many operations are ticked by default. */
export const DEFAULT_PICKS = 5;

/** Words in an operation's name or description that mean its answer may hold secrets. */
const SECRET =
  /\b(env|environment|environ|secrets?|tokens?|passwords?|passwd|credentials?|api[-_ ]?keys?|private[-_ ]?keys?|cookies?|session)\b/i;
/** Words that mean a call may run long (or wait on purpose). */
const LONG = /\b(long[-_ ]?running|sleep|delay|wait(ing)?|duration|slow|progress)\b/i;

/** Operation names split into words ("get-env" → "get env", "printEnv" → "print Env"). */
function words(s: string): string {
  return s.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[-_./]+/g, ' ');
}

/** Why an operation is not ticked by default; empty when it is safe to start with. */
export function flagsOf(op: Operation): string[] {
  const flags: string[] = [];
  const cls = safetyLabel(op);
  if (cls !== 'read-only')
    flags.push(`${cls}: not marked read-only, so it is not called unless you tick "may call" or allow writes`);
  const text = `${words(op.name)} ${op.description ?? ''}`;
  const secret = SECRET.exec(text);
  if (secret) flags.push(`may expose secrets: its name or description mentions “${secret[0]}”`);
  const long = LONG.exec(`${text} ${op.parameters.map((p) => words(p.name)).join(' ')}`);
  if (long) flags.push(`may run long: it mentions “${long[0]}”`);
  return flags;
}

/** The ids ticked by default: the first few read-only operations with no flag. */
export function safeDefault(ops: Operation[]): Set<string> {
  return new Set(
    ops
      .filter((op) => flagsOf(op).length === 0)
      .slice(0, DEFAULT_PICKS)
      .map((op) => op.id),
  );
}

// Errors are typed by their stable names.
import { parseDoc, type ErrorCode, type TooldraftError } from '../../index.js';

export function where(text: string): string {
  try {
    parseDoc(text);
    return 'ok';
  } catch (e) {
    const err = e as TooldraftError;
    const code: ErrorCode = err.name;
    if (code === 'SyntaxError') return `${err.line ?? 0}:${err.column ?? 0}`;
    if (code === 'StructureError') return err.pointer ?? '';
    return code;
  }
}

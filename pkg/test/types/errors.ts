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

// The codes come from the core's table (src/error.rs, generated): the six the CLI once missed
// are codes, and a misspelt one is not.
export const lateCodes: ErrorCode[] = [
  'LlmInvalidOutput',
  'PolicyDenied',
  'PromptError',
  'LlmHostError',
  'ToolHostError',
  'EmbeddingsError',
  'NotInitialized',
];
// @ts-expect-error: codes are spelt as the core spells them
export const misspelt: ErrorCode = 'LLMInvalidOutput';

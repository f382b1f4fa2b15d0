import type { Span } from '../text';

/**
 * Something wrong with the text itself rather than with its content: a syntax error, a
 * duplicate key, a file too large to analyse. A fatal problem stops the kind's rules (the
 * model cannot be trusted); the text-level rules such as the secret scanner still run.
 */
export interface ParseProblem {
  message: string;
  span: Span;
  severity: 'error' | 'warning' | 'info';
  fatal: boolean;
}

/** Deep nesting makes recursive parsers overflow the stack; say so instead of crashing. */
export function problemFromException(error: unknown, textLength: number): ParseProblem {
  const tooDeep = error instanceof RangeError && /call stack/i.test(error.message);
  return {
    message: tooDeep
      ? 'The document is nested too deeply to analyse.'
      : `The document could not be read: ${error instanceof Error ? error.message : String(error)}`,
    span: { start: 0, end: Math.min(textLength, 1) },
    severity: 'error',
    fatal: true,
  };
}

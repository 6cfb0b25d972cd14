/**
 * A source file that cannot be read as an article. The message names the file, the line where
 * there is one, and what was expected, so an operator can fix the file without reading code.
 */
export class ParseError extends Error {
  override readonly name = 'ParseError';

  constructor(
    readonly file: string,
    readonly line: number | null,
    readonly expected: string,
  ) {
    super(`${file}${line === null ? '' : `:${line}`}: expected ${expected}`);
  }
}

/** The message of anything thrown: an Error's message, or the thrown value as text. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

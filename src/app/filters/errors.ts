/** A mistake in a filter expression, with where it is, and its rendering with a caret under that place. */
import { UserError } from '../../core/errors.ts';

export class FilterSyntaxError extends UserError {
  override readonly name = 'FilterSyntaxError';
  constructor(
    /** 1-based column of the mistake in the expression as typed. */
    readonly column: number,
    /** What is wrong there, in plain words. */
    readonly reason: string,
    readonly expression: string,
  ) {
    super('bad-option', `filter: column ${column}: ${reason}`);
  }
}

/** The 1-based column of UTF-16 offset `offset` in `text`, counting characters (an emoji is one). */
export function columnOf(text: string, offset: number): number {
  return Array.from(text.slice(0, offset)).length + 1;
}

/** Characters of the expression shown on each side of the mistake; a longer one is cut with `…`. */
const AROUND = 40;

/**
 * The expression on one line, a caret under the mistake, then the reason, for a code block in a
 * command's answer or a terminal:
 *
 * ```
 * title contains and source = AP
 *                ^
 * column 16: expected a value after `contains`
 * ```
 */
export function describeError(e: FilterSyntaxError): string {
  const chars = Array.from(e.expression.replace(/[\t\n\r]/g, ' '));
  const at = Math.min(Math.max(e.column - 1, 0), chars.length);
  const from = Math.max(at - AROUND, 0);
  const to = Math.min(at + AROUND, chars.length);
  const head = from > 0 ? '…' : '';
  const line = `${head}${chars.slice(from, to).join('')}${to < chars.length ? '…' : ''}`;
  const caret = `${' '.repeat(head.length + at - from)}^`;
  return `${line}\n${caret}\ncolumn ${e.column}: ${e.reason}`;
}

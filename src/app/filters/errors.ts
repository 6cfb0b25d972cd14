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

/**
 * The 1-based column of UTF-16 offset `offset` in `text`, counting characters (an emoji is one): how
 * every column told to a user is counted (filters, settings, templates).
 */
export function columnOf(text: string, offset: number): number {
  return Array.from(text.slice(0, offset)).length + 1;
}

/** Characters of a long text shown around a caret: a line that fits a phone screen in a code block. */
const WINDOW = 60;

/** A text shown on one line: control characters (a newline typed in the CLI) as spaces, so columns stay put. */
function oneLine(text: string): string {
  let out = '';
  for (const ch of text) out += ch < ' ' || ch === '\u007f' ? ' '.repeat(ch.length) : ch;
  return out;
}

/**
 * `text` and a caret under its 1-based `column` (in characters), cut to WINDOW characters around it
 * (with … marks) when longer. Backticks become ˋ so the lines can sit inside a Discord code block.
 * The one caret renderer: filter errors, settings errors and template errors all draw with it.
 */
export function caretLines(text: string, column: number): [string, string] {
  const chars = Array.from(oneLine(text).replaceAll('`', 'ˋ'));
  const at = Math.min(Math.max(column - 1, 0), chars.length);
  if (chars.length <= WINDOW) return [chars.join(''), `${' '.repeat(at)}^`];
  const start = Math.max(0, Math.min(at - WINDOW / 2, chars.length - WINDOW));
  const end = Math.min(chars.length, start + WINDOW);
  const head = start > 0 ? '…' : '';
  const line = `${head}${chars.slice(start, end).join('')}${end < chars.length ? '…' : ''}`;
  return [line, `${' '.repeat(head.length + at - start)}^`];
}

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
  return [...caretLines(e.expression, e.column), `column ${e.column}: ${e.reason}`].join('\n');
}

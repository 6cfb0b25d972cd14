/**
 * A test's value, checked against its field and operator when the expression is compiled: text
 * (folded once), a regular expression compiled by RE2, a number, or a date (fixed or relative).
 */
import { DateTime } from 'luxon';
import type { RE2JS } from 're2js';
import { PatternError, compileUserPattern, programSize } from './user-pattern.ts';
import { FilterSyntaxError } from './errors.ts';
import type { FieldName } from './fields.ts';
import { fold, foldWhole, wordsOf } from './fold.ts';
import type { Token } from './lexer.ts';

export type Op = 'contains' | 'has' | '=' | '!=' | 'matches' | '<' | '<=' | '>' | '>=';

export type Value =
  | { readonly kind: 'text'; readonly folded: string; readonly whole: string; readonly words: readonly string[] }
  /** `steps`: RE2's instructions for the pattern, what its time per character grows with (cost.ts). */
  | { readonly kind: 'regex'; readonly pattern: RE2JS; readonly steps: number }
  | { readonly kind: 'number'; readonly n: number }
  /** `from`..`to` (ms): a day or a minute as written; `ago` (ms) is relative to the time of the test. */
  | { readonly kind: 'date'; readonly from: number; readonly to: number }
  | { readonly kind: 'ago'; readonly ms: number };

const DAY_OR_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/i;
const AGO = /^(\d{1,6})([mhdw])$/i;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const UNIT_NAMES: Readonly<Record<string, string>> = { m: 'minute', h: 'hour', d: 'day', w: 'week' };

/** `op`'s value for `field` from `token`; throws FilterSyntaxError naming what is wrong with it. */
export function valueFor(field: FieldName, kind: 'text' | 'number' | 'date', op: Op, opWritten: string, token: Token, expression: string): Value {
  const fail = (reason: string): never => {
    throw new FilterSyntaxError(token.column, reason, expression);
  };
  if (op === 'matches') {
    if (token.kind !== 'regex') fail(`\`matches\` takes a regular expression written /…/flags, such as /bitcoin|btc/i`);
    try {
      const pattern = compileUserPattern(token.value, token.flags);
      return { kind: 'regex', pattern, steps: programSize(pattern) };
    } catch (error) {
      if (error instanceof PatternError) fail(`regular expression refused: ${error.message}`);
      throw error;
    }
  }
  if (token.kind === 'regex') fail(`a /regular expression/ goes with \`matches\`, not \`${opWritten}\``);
  if (kind === 'number') {
    if (!/^\d{1,9}$/.test(token.value)) fail(`\`${field}\` compares with a whole number such as 10, not \`${token.value}\``);
    return { kind: 'number', n: Number(token.value) };
  }
  if (kind === 'date') return dateValue(token, fail);
  const words = wordsOf(fold(token.value)).map((w) => w.text);
  if (op === 'has' && words.length === 0)
    fail(`\`has\` looks for whole words, and \`${token.value}\` has no letters or digits (use \`contains\` for other characters)`);
  const dropped = op === 'has' ? droppedMark(token.value) : null;
  if (dropped !== null)
    fail(
      `\`has\` compares whole words and drops \`${dropped}\`, so \`${token.value}\` would match \`${words.join(' ')}\`: use \`contains ${JSON.stringify(token.value)}\` to find it as written`,
    );
  if (token.value.trim() === '') fail(`the text after \`${opWritten}\` is empty`);
  return { kind: 'text', folded: fold(token.value), whole: foldWhole(token.value), words };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const SPACE = /\s/u;
/** Punctuation that ends or starts a word in a sentence (`severing, ties`, `(breaking)`): harmless to drop. */
const AFTER_WORD = new Set([',', '.', ';', ':', '!', '?', ')', ']', '"', "'", '’', '”', '»']);
const BEFORE_WORD = new Set(['(', '[', '"', "'", '‘', '“', '«']);

/**
 * The first punctuation or symbol in `value` that `has` would drop and that changes what it means
 * (`C++`, `C#`, `#tag`, `$5`, `.NET`, an emoji): one neither inside a word (`it's`, `e-mail`, split
 * the same way in the text) nor sentence punctuation at a word's edge (`U.S.`, `severing, ties`).
 */
function droppedMark(value: string): string | null {
  const chars = Array.from(value);
  const word = (i: number): boolean => i >= 0 && i < chars.length && WORD_CHAR.test(chars[i]!);
  const edge = (i: number): boolean => i < 0 || i >= chars.length || SPACE.test(chars[i]!);
  for (const [i, c] of chars.entries()) {
    if (WORD_CHAR.test(c) || SPACE.test(c)) continue;
    if (word(i - 1) && word(i + 1)) continue;
    if (AFTER_WORD.has(c) && (word(i - 1) || AFTER_WORD.has(chars[i - 1] ?? '')) && (edge(i + 1) || AFTER_WORD.has(chars[i + 1] ?? ''))) continue;
    if (BEFORE_WORD.has(c) && edge(i - 1) && (word(i + 1) || BEFORE_WORD.has(chars[i + 1] ?? ''))) continue;
    return c;
  }
  return null;
}

function dateValue(token: Token, fail: (reason: string) => never): Value {
  // Luxon reads only upper-case T and Z.
  const text = token.value.trim().toUpperCase();
  const ago = AGO.exec(text);
  if (ago) return { kind: 'ago', ms: Number(ago[1]) * UNIT_MS[ago[2]!.toLowerCase()]! };
  const usage = 'a date such as 2026-11-30 or 2026-11-30T08:00Z (UTC unless an offset is given), or a time ago such as 7d or 12h';
  if (!DAY_OR_TIME.test(text)) fail(`\`published\` compares with ${usage}, not \`${token.value}\``);
  const at = DateTime.fromISO(text, { zone: 'utc' });
  if (!at.isValid) fail(`\`${token.value}\` is not a date that exists (${at.invalidExplanation ?? at.invalidReason ?? 'out of range'})`);
  const from = at.toMillis();
  // As precise as written: a day is the whole day, a minute the whole minute, a second the whole second.
  const precision = text.length === 10 ? { days: 1 } : text.includes('.') ? { milliseconds: 1 } : /T\d{2}:\d{2}:/i.test(text) ? { seconds: 1 } : { minutes: 1 };
  return { kind: 'date', from, to: at.plus(precision).toMillis() };
}

/** How a relative date reads in an explanation: `7d` → `7 days ago`. */
export function agoText(written: string): string {
  const m = AGO.exec(written.trim());
  if (!m) return written;
  const n = Number(m[1]);
  const unit = UNIT_NAMES[m[2]!.toLowerCase()] ?? '';
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`;
}

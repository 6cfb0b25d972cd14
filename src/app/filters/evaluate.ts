/**
 * Runs a parsed filter on one article, saying which test decided and what the article had there.
 * `and` stops at the first test that fails, `or` at the first that passes; either way the test
 * that settled it is the one named.
 */
import { type Reading, LONG_FIELDS, type TextFieldName } from './fields.ts';
import { type Word, findPhrase, fold, foldWhole, foldWithMap, wordsOf } from './fold.ts';
import type { Node, TestNode } from './parse.ts';
import { agoText } from './values.ts';

export interface Outcome {
  readonly pass: boolean;
  /** The deciding test as typed with what the article had: `source = "Reuters" (source is "AP News")`. */
  readonly detail: string;
}

export interface TestResult {
  readonly matched: boolean;
  /** What the article had, in a few words. */
  readonly had: string;
}

/** Characters quoted on each side of a match; the longest value quoted whole. */
const CONTEXT = 30;
const SHOWN = 80;

export function evaluate(node: Node, reading: Reading, now: number): Outcome {
  switch (node.kind) {
    case 'test': {
      const r = runTest(node, reading, now);
      return { pass: r.matched, detail: `${node.written} (${r.had})` };
    }
    case 'and':
    case 'or': {
      // Decided by the first child whose verdict settles the group; else by the last one tried.
      const settles = node.kind === 'or';
      let last: Outcome = { pass: !settles, detail: '' };
      for (const child of node.children) {
        last = evaluate(child, reading, now);
        if (last.pass === settles) return last;
      }
      return last;
    }
    case 'not': {
      const inner = evaluate(node.child, reading, now);
      return { pass: !inner.pass, detail: `${node.written}: ${inner.pass ? 'it matched' : 'it did not match'}, ${inner.detail}` };
    }
  }
}

/** Every test of `node` in the order written. */
export function testsOf(node: Node): TestNode[] {
  if (node.kind === 'test') return [node];
  if (node.kind === 'not') return testsOf(node.child);
  return node.children.flatMap(testsOf);
}

export function runTest(test: TestNode, reading: Reading, now: number): TestResult {
  const v = test.value;
  if (v.kind === 'number') {
    const n = reading.comments();
    return { matched: compare(n, test.op, v.n, v.n + 1), had: `${n} comment${n === 1 ? '' : 's'}` };
  }
  if (v.kind === 'date' || v.kind === 'ago') {
    const p = reading.published();
    if (!p) return { matched: false, had: 'no date' };
    const [from, to] = v.kind === 'date' ? [v.from, v.to] : [now - v.ms, now - v.ms + 1];
    const when = `${p.stored ? 'no publication date; stored' : 'published'} ${p.iso}`;
    return {
      matched: compare(p.at, test.op, from, to),
      had: v.kind === 'ago' ? `${when}, ${age(now - p.at)}; ${test.valueWritten} is ${agoText(test.valueWritten)}` : when,
    };
  }
  return textTest(test, test.field as TextFieldName, reading);
}

/** `x op` a value spanning [from, to): a day, a minute, a number (to = from + 1). */
function compare(x: number, op: TestNode['op'], from: number, to: number): boolean {
  switch (op) {
    case '<':
      return x < from;
    case '<=':
      return x < to;
    case '>':
      return x >= to;
    case '>=':
      return x >= from;
    case '=':
      return x >= from && x < to;
    default:
      return !(x >= from && x < to);
  }
}

function age(ms: number): string {
  if (ms < 0) return 'in the future';
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return `${hours} hour${hours === 1 ? '' : 's'} ago`;
  return `${Math.floor(hours / 24)} days ago`;
}

function textTest(test: TestNode, field: TextFieldName, reading: Reading): TestResult {
  const { pieces, wholes } = reading.text(field);
  const v = test.value;
  if (pieces.length === 0) return { matched: test.op === '!=', had: field === 'category' ? 'no categories' : `no ${field}` };
  if (test.op === '=' || test.op === '!=') {
    if (v.kind !== 'text') return { matched: false, had: '' };
    const equal = wholes.some((w) => {
      const whole = foldWhole(w);
      // A language tag is equal to its primary language too: `language = en` holds for en-GB.
      return whole === v.whole || (field === 'language' && whole.startsWith(`${v.whole}-`));
    });
    return { matched: equal === (test.op === '='), had: describeValue(field, wholes) };
  }
  // A pattern reads the field's pieces in order up to the filter's budget (cost.ts); the rest reads them whole.
  let left = v.kind === 'regex' ? reading.regexChars : Number.POSITIVE_INFINITY;
  let cut = false;
  for (const [i, whole] of pieces.entries()) {
    cut = whole.length > left;
    if (left <= 0) break;
    const piece = cut ? whole.slice(0, left) : whole;
    left -= piece.length;
    const span = find(
      test,
      piece,
      () => folded(reading, field, i, piece),
      () => words(reading, field, i, piece),
    );
    if (span) return { matched: true, had: LONG_FIELDS.has(field) ? `found: "${around(piece, span[0], span[1])}"` : describeValue(field, wholes) };
  }
  const where = field === 'text' ? 'title or body' : field;
  if (cut)
    return {
      matched: false,
      had: `not in the first ${reading.regexChars.toLocaleString('en-US')} characters of the ${where} (what this filter's patterns read)`,
    };
  return { matched: false, had: LONG_FIELDS.has(field) ? `not in the ${where}` : describeValue(field, wholes) };
}

/** Where in `piece` (original offsets) the test's value is, or null. */
function find(test: TestNode, piece: string, foldedPiece: () => string, wordsOfPiece: () => Word[]): [number, number] | null {
  const v = test.value;
  if (v.kind === 'regex') {
    const m = v.pattern.matcher(piece);
    return m.find() ? [m.start(), m.end()] : null;
  }
  if (v.kind !== 'text') return null;
  if (test.op === 'contains') {
    const at = foldedPiece().indexOf(v.folded);
    return at < 0 ? null : original(piece, foldedPiece(), at, at + v.folded.length);
  }
  const ws = wordsOfPiece();
  const at = findPhrase(ws, v.words);
  return at < 0 ? null : original(piece, foldedPiece(), ws[at]!.start, ws[at + v.words.length - 1]!.end);
}

/** Folded offsets back in the original, worked out only for a match (the map costs more than the search). */
function original(piece: string, folded: string, start: number, end: number): [number, number] {
  const mapped = foldWithMap(piece);
  // The two foldings agree (fold.ts); should they ever not, quote from the start rather than misplace.
  if (mapped.text !== folded) return [0, Math.min(piece.length, end - start)];
  return [mapped.map[start]!, mapped.map[end]!];
}

function folded(reading: Reading, field: string, i: number, piece: string): string {
  return reading.once(`folded:${field}:${i}`, () => fold(piece));
}

function words(reading: Reading, field: string, i: number, piece: string): Word[] {
  return reading.once(`words:${field}:${i}`, () => wordsOf(folded(reading, field, i, piece)));
}

/** `title is "…"`, `categories are "a", "b"`: a field's value as an explanation shows it. */
function describeValue(field: TextFieldName, wholes: readonly string[]): string {
  if (field === 'category') {
    const shown = wholes.slice(0, 5).map((c) => `"${cut(c)}"`);
    const more = wholes.length > 5 ? ` and ${wholes.length - 5} more` : '';
    return `${wholes.length === 1 ? 'category is' : 'categories are'} ${shown.join(', ')}${more}`;
  }
  const value = wholes.at(-1) ?? '';
  return LONG_FIELDS.has(field) ? `${field === 'text' ? 'body' : field} starts "${cut(value)}"` : `${field} is "${cut(value)}"`;
}

function cut(text: string): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  return flat.length > SHOWN ? `${flat.slice(0, SHOWN - 1)}…` : flat;
}

/** The match with a little of the text on each side. */
function around(text: string, start: number, end: number): string {
  const from = Math.max(0, start - CONTEXT);
  const to = Math.min(text.length, end + CONTEXT);
  const inner = text.slice(from, to).replace(/\s+/gu, ' ');
  return `${from > 0 ? '…' : ''}${inner.length > SHOWN + 2 * CONTEXT ? `${inner.slice(0, SHOWN + 2 * CONTEXT)}…` : inner}${to < text.length ? '…' : ''}`;
}

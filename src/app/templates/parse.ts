/**
 * A template field's text read into literal text and placeholders: `{title|upper|max:80}`,
 * `{title:80}` (a length), `{summary:2}`, `{published:yyyy-LL-dd}`; `{{` and `}}` are literal braces. Every mistake is kept
 * with its column (1-based, in characters as every column told to a user is: an emoji is one), so an
 * operator is told `column 7: unknown placeholder {titel}` and not just "invalid".
 */
import { columnOf } from '../filters/errors.ts';
import { editDistance } from '../filters/distance.ts';
import { argumentProblem, isCuttable, isPlaceholder, PLACEHOLDERS, type PlaceholderName } from './placeholders.ts';
import { parseTransform, type Transform } from './transforms.ts';

export interface Placeholder {
  readonly kind: 'placeholder';
  readonly name: PlaceholderName;
  readonly arg: string | null;
  readonly transforms: readonly Transform[];
}

export type Piece = { readonly kind: 'text'; readonly text: string } | Placeholder;

export interface ParseProblem {
  /** 1-based column in the field's text. */
  readonly column: number;
  readonly reason: string;
}

export interface Parsed {
  readonly pieces: readonly Piece[];
  readonly problems: readonly ParseProblem[];
}

/** A placeholder longer than this is a brace left open, not a placeholder. */
const MAX_PLACEHOLDER = 200;
/** Mistakes reported per field: enough to fix a few at once, never a wall of them. */
const MAX_PROBLEMS = 5;

export function parseTemplate(source: string): Parsed {
  const pieces: Piece[] = [];
  const problems: ParseProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < source.length && problems.length < MAX_PROBLEMS) {
    const c = source.charAt(i);
    const next = source.charAt(i + 1);
    if ((c === '{' && next === '{') || (c === '}' && next === '}')) {
      literal += c;
      i += 2;
      continue;
    }
    if (c === '}') {
      problems.push({ column: i + 1, reason: '`}` closes no placeholder; write `}}` for a literal brace' });
      i++;
      continue;
    }
    if (c !== '{') {
      literal += c;
      i++;
      continue;
    }
    const end = closingBrace(source, i);
    if (end < 0) {
      problems.push({ column: i + 1, reason: '`{` is not closed by `}`; write `{{` for a literal brace' });
      i++;
      continue;
    }
    const read = readPlaceholder(source.slice(i + 1, end), i + 1);
    if ('column' in read) problems.push(read);
    else {
      if (literal) pieces.push({ kind: 'text', text: literal });
      literal = '';
      pieces.push(read);
    }
    i = end + 1;
  }
  if (literal) pieces.push({ kind: 'text', text: literal });
  // Worked out in UTF-16 offsets above; told in characters, as the caret line counts them.
  return { pieces, problems: problems.map((p) => ({ ...p, column: columnOf(source, p.column - 1) })) };
}

/** The index of the `}` closing the `{` at `open`, or -1 when another `{`, a line end or the length cap comes first. */
function closingBrace(source: string, open: number): number {
  const stop = Math.min(source.length, open + 1 + MAX_PLACEHOLDER);
  for (let j = open + 1; j < stop; j++) {
    const c = source.charAt(j);
    if (c === '}') return j;
    if (c === '{' || c === '\n') return -1;
  }
  return -1;
}

/**
 * `inner` (between the braces; the `{` is at column `column`) as a placeholder, or its first problem:
 * a wrong name at the brace, a wrong argument or transform where it starts.
 */
function readPlaceholder(inner: string, column: number): Placeholder | ParseProblem {
  const [head = '', ...specs] = inner.split('|');
  const colon = head.indexOf(':');
  const name = colon < 0 ? head : head.slice(0, colon);
  const arg = colon < 0 ? null : head.slice(colon + 1);
  if (!isPlaceholder(name)) return { column, reason: unknownPlaceholder(name) };
  const bad = argumentProblem(name, arg);
  if (bad) return { column: arg === null ? column : column + colon + 2 + bad.offset, reason: bad.reason };
  // `{title:100}` is a length: the same cut as a first `|max:100`.
  const length = arg !== null && isCuttable(name);
  const transforms: Transform[] = length ? [{ kind: 'max', n: Number(arg) }] : [];
  let at = column + head.length + 2;
  for (const spec of specs) {
    const t = parseTransform(spec);
    if (typeof t === 'string') return { column: at, reason: t };
    transforms.push(t);
    at += spec.length + 1;
  }
  return { kind: 'placeholder', name, arg: length ? null : arg, transforms };
}

function unknownPlaceholder(name: string): string {
  if (name === '') return 'empty placeholder {}; write `{{` for a literal brace';
  const shown = `{${name.slice(0, 40)}}`;
  const near = PLACEHOLDERS.find((p) => name.length < 30 && editDistance(name.toLowerCase(), p) <= 2);
  return `unknown placeholder ${shown}${near ? `; did you mean {${near}}?` : `; known: ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`}`;
}

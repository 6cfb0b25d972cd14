/**
 * An article's blocks and a comment's paragraphs, stored once: the text lives in `body_text` and
 * `comments.text` (which full-text search needs), and the `blocks` and `paragraphs` columns keep
 * only how that text splits back into them. Holding the JSON as well stored every text twice, half
 * of a library's file (issue 18).
 *
 * A layout column is one of:
 * - JSON (starts with `[`): every row written before layouts, and any text SQLite cannot hold
 *   exactly (a lone surrogate comes back as three U+FFFD characters), whose JSON escapes keep it;
 * - `#` and lengths: each part's length in UTF-16 code units, for text whose parts hold "\n\n";
 * - otherwise the text split at every "\n\n" gives the parts back; articles keep one letter per
 *   block to say what each piece is, comments nothing.
 * The split form is taken only after it was read back to exactly the parts it came from, and the
 * lengths cut the text at the places it was joined, so no form loses anything, whatever the text holds.
 *
 * Rows in JSON are read as they are and never rewritten when a library is opened: a 3 GB library
 * would be rewritten at start for no change in what it holds. A row gets a layout when it is next
 * written for a change of its own.
 */
import { type Block, bodyText, commentText } from '../../core/model.ts';

const SEPARATOR = '\n\n';
/** A UTF-16 surrogate without its pair: SQLite stores it as U+FFFD, so a text holding one is kept in JSON. */
const LONE_SURROGATE = /\p{Cs}/u;

/** Letters of the block kinds. A quote's letter says what its attribution is: none, empty, or text after it. */
const PARAGRAPH = 'p';
const HEADING = 'h';
const QUOTE = 'q';
const QUOTE_EMPTY = 'e';
const QUOTE_ATTRIBUTED = 'a';

/** A layout that does not fit its text: the row was changed outside Paperboy or damaged. */
export class LayoutMismatch extends Error {
  override readonly name = 'LayoutMismatch';
}

/** The `blocks` column for `body` stored as `text` (its bodyText). */
export function blocksLayout(body: readonly Block[], text: string): string {
  if (LONE_SURROGATE.test(text)) return JSON.stringify(body);
  const letters = body.map(letterOf).join('');
  if (sameBlocks(split(letters, text), body)) return letters;
  return `#${body.map((b) => `${letterOf(b)}${b.text.length}${b.type === 'quote' && b.attribution ? `,${b.attribution.length}` : ''}`).join('')}`;
}

/** The blocks a `blocks` column gives back over `text`; a LayoutMismatch when they do not fit. */
export function blocksFrom(layout: string, text: string): Block[] {
  if (layout.startsWith('[')) return JSON.parse(layout) as Block[];
  return layout.startsWith('#') ? measured(layout, text) : (split(layout, text) ?? mismatch('its blocks do not fit its body text'));
}

/** The `paragraphs` column for `paragraphs` stored as `text` (their commentText). */
export function paragraphsLayout(paragraphs: readonly string[], text: string): string {
  if (LONE_SURROGATE.test(text)) return JSON.stringify(paragraphs);
  if (paragraphs.length > 0 && sameStrings(text.split(SEPARATOR), paragraphs)) return '';
  return `#${paragraphs.map((p) => p.length).join(',')}`;
}

/** The paragraphs a `paragraphs` column gives back over `text`; a LayoutMismatch when they do not fit. */
export function paragraphsFrom(layout: string, text: string): string[] {
  if (layout.startsWith('[')) return JSON.parse(layout) as string[];
  if (layout === '') return text.split(SEPARATOR);
  if (!layout.startsWith('#')) return mismatch('its paragraphs column is not a layout');
  const cut = cutter(text);
  const out =
    layout === '#'
      ? []
      : layout
          .slice(1)
          .split(',')
          .map((n, i) => cut.take(lengthOf(n), i > 0));
  cut.end(out.length > 0);
  return out;
}

/** A column in JSON made again as it would be written now, so that a merge does not take an old row's form for a change. */
export function blocksNow(layout: string, text: string): string {
  if (!layout.startsWith('[')) return layout;
  // The text made again from the JSON: the stored one lost any lone surrogate the JSON kept.
  const body = blocksFrom(layout, text);
  return blocksLayout(body, bodyText({ body }));
}

export function paragraphsNow(layout: string, text: string): string {
  if (!layout.startsWith('[')) return layout;
  const paragraphs = paragraphsFrom(layout, text);
  return paragraphsLayout(paragraphs, commentText({ paragraphs }));
}

function letterOf(b: Block): string {
  if (b.type === 'paragraph') return PARAGRAPH;
  if (b.type === 'heading') return HEADING;
  return b.attribution === null ? QUOTE : b.attribution === '' ? QUOTE_EMPTY : QUOTE_ATTRIBUTED;
}

/** The blocks `letters` name over `text` split at "\n\n", or null when the pieces and the letters do not pair up. */
function split(letters: string, text: string): Block[] | null {
  if (letters === '') return text === '' ? [] : null;
  const pieces = text.split(SEPARATOR);
  const blocks: Block[] = [];
  let i = 0;
  for (const letter of letters) {
    const piece = pieces[i++];
    if (piece === undefined) return null;
    if (letter !== QUOTE_ATTRIBUTED) {
      blocks.push(blockOf(letter, piece, null));
      continue;
    }
    const attribution = pieces[i++];
    if (attribution === undefined) return null;
    blocks.push(blockOf(letter, piece, attribution));
  }
  return i === pieces.length ? blocks : null;
}

/** The blocks of a `#` layout: a letter and the text's length for each, and the attribution's after a comma. */
function measured(layout: string, text: string): Block[] {
  const cut = cutter(text);
  const blocks: Block[] = [];
  let at = 1;
  const number = (): number => {
    const start = at;
    while (at < layout.length && layout[at]! >= '0' && layout[at]! <= '9') at++;
    return lengthOf(layout.slice(start, at));
  };
  while (at < layout.length) {
    const letter = layout[at++]!;
    const part = cut.take(number(), blocks.length > 0);
    const attribution = letter === QUOTE_ATTRIBUTED && layout[at++] === ',' ? cut.take(number(), true) : null;
    if (letter === QUOTE_ATTRIBUTED && attribution === null) mismatch('its blocks column names an attribution without its length');
    blocks.push(blockOf(letter, part, attribution));
  }
  cut.end(blocks.length > 0);
  return blocks;
}

function blockOf(letter: string, text: string, attribution: string | null): Block {
  if (letter === PARAGRAPH) return { type: 'paragraph', text };
  if (letter === HEADING) return { type: 'heading', text };
  if (letter === QUOTE) return { type: 'quote', text, attribution: null };
  if (letter === QUOTE_EMPTY) return { type: 'quote', text, attribution: '' };
  if (letter === QUOTE_ATTRIBUTED && attribution !== null) return { type: 'quote', text, attribution };
  return mismatch(`its blocks column has an unknown block kind ${JSON.stringify(letter)}`);
}

/** Takes parts of `text` in order, each after a "\n\n" but the first, and checks that they cover it all. */
function cutter(text: string): { take(length: number, afterSeparator: boolean): string; end(any: boolean): void } {
  let at = 0;
  return {
    take(length, afterSeparator) {
      if (afterSeparator) {
        if (!text.startsWith(SEPARATOR, at)) mismatch('its layout does not fit its text');
        at += SEPARATOR.length;
      }
      if (at + length > text.length) mismatch('its layout is longer than its text');
      const part = text.slice(at, at + length);
      at += length;
      return part;
    },
    end(any) {
      // No parts at all stand for the empty text.
      if (at !== text.length || (!any && text !== '')) mismatch('its layout is shorter than its text');
    },
  };
}

function lengthOf(digits: string): number {
  if (!/^\d{1,9}$/.test(digits)) mismatch('its layout has a part without a length');
  return Number(digits);
}

function mismatch(problem: string): never {
  throw new LayoutMismatch(problem);
}

function sameBlocks(a: readonly Block[] | null, b: readonly Block[]): boolean {
  return (
    a !== null &&
    a.length === b.length &&
    a.every((x, i) => {
      const y = b[i]!;
      return x.type === y.type && x.text === y.text && (x.type !== 'quote' || (y.type === 'quote' && x.attribution === y.attribution));
    })
  );
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * Snippets for search hits, made from the stored text. FTS5's snippet() would evaluate the whole
 * query again for each hit, and a prefix query re-expands its prefix every time: several
 * milliseconds a hit on a large library. Matching a few kilobytes of text here costs microseconds.
 */
import { stemmer } from 'stemmer';
import { type Term, wordForms } from './query.ts';

/** Lower case, accents removed: how the index's unicode61 tokenizer with remove_diacritics 2 sees a word. */
export function fold(word: string): string {
  return ASCII.test(word) ? word.toLowerCase() : word.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}
const ASCII = /^[\w]*$/;

/** Finds the words of a text that match a query, as the index would decide it. Build once per query. */
export interface Matcher {
  /** Runs of letters and digits starting like a query term, a cheap first pass (not only at a word's start: see makeSnippet), or null when the query has no terms to find. */
  readonly candidates: RegExp | null;
  /** Which term a word matches, or -1. */
  term(word: string): number;
}

export function tokenMatcher(terms: readonly Term[]): Matcher {
  const stems = new Map<string, number>();
  const prefixes: [string, number][] = [];
  terms.forEach((term, i) => {
    if (term.exclude) return;
    term.tokens.forEach((token, k) => {
      const last = k === term.tokens.length - 1;
      if (term.prefix && last) prefixes.push([fold(token), i]);
      else for (const form of wordForms(fold(token))) stems.set(stemmer(form), i);
    });
  });
  // A stem keeps its word's first two letters, so words starting otherwise need no stemming.
  const heads = [...new Set([...stems.keys(), ...prefixes.map(([p]) => p)].map((w) => w.slice(0, 2)))];
  const escape = (h: string) => h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // No lookbehind for the word's start here: it made the regex test every position of the text
  // (a third of the scan). makeSnippet checks the letter before each match instead.
  const candidates = heads.length === 0 ? null : new RegExp(`(?:${heads.map(escape).join('|')})[\\p{L}\\p{N}]*`, 'giu');
  const cache = new Map<string, number>();
  return {
    candidates,
    term(word) {
      const folded = fold(word);
      let hit = cache.get(folded);
      if (hit === undefined) {
        hit = stems.get(stemmer(folded)) ?? prefixes.find(([p]) => folded.startsWith(p))?.[1] ?? -1;
        cache.set(folded, hit);
      }
      return hit;
    },
  };
}

export interface Snippet {
  snippet: string;
  highlights: [number, number][];
}

/** The text with accents dropped letter by letter, so that offsets in it are offsets in the text. */
function accentless(text: string): string {
  // eslint-disable-next-line no-control-regex -- every non-ASCII code unit, from U+0080 up
  return text.replace(/[^\u0000-\u007f]/g, (c) => c.normalize('NFD')[0] ?? c);
}

/** Matches where a letter or digit comes just before lastIndex (a whole code point, surrogate pairs too). */
const LETTER_BEFORE = /(?<=[\p{L}\p{N}])/uy;

/** Anything but the white space trim() removes. */
const NOT_SPACE = /\S/g;

/** About 24 words, as FTS5's snippet() would be asked for; in characters, to find the best stretch cheaply. */
const SNIPPET_WORDS = 24;
const SNIPPET_SPAN = 160;
const WORDS_BEFORE = 4;

/**
 * The stretch of `text` of about 24 words that holds the most different query terms (then the
 * most matches), verbatim, with `…` where it was cut and the matching words' offsets.
 */
export function makeSnippet(text: string, matcher: Matcher): Snippet {
  const found: { start: number; end: number; term: number }[] = [];
  const candidates = matcher.candidates;
  if (candidates) {
    const plain = accentless(text);
    candidates.lastIndex = 0;
    for (let m = candidates.exec(plain); m; m = candidates.exec(plain)) {
      // A match inside a word runs to the word's end, so no word's start is skipped by leaving it out.
      LETTER_BEFORE.lastIndex = m.index;
      if (LETTER_BEFORE.test(plain)) continue;
      const end = m.index + m[0].length;
      const term = matcher.term(text.slice(m.index, end));
      if (term >= 0) found.push({ start: m.index, end, term });
    }
  }
  let anchor = 0;
  let bestScore = -1;
  for (let i = 0; i < found.length; i++) {
    const terms = new Set<number>();
    let n = 0;
    for (let j = i; j < found.length && found[j]!.end - found[i]!.start <= SNIPPET_SPAN; j++, n++) terms.add(found[j]!.term);
    const score = terms.size * 1000 + n;
    if (score > bestScore) {
      bestScore = score;
      anchor = found[i]!.start;
    }
  }
  // Start a few words before the first match, at a word boundary.
  let from = anchor;
  for (let k = 0; k < WORDS_BEFORE && from > 0; k++) {
    const space = text.lastIndexOf(' ', from - 2);
    from = space < 0 ? 0 : space + 1;
  }
  const words = /\S+/g;
  words.lastIndex = from;
  let to = from;
  for (let k = 0; k < SNIPPET_WORDS; k++) {
    const m = words.exec(text);
    if (!m) break;
    to = m.index + m[0].length;
  }
  const head = from > 0 ? '…' : '';
  NOT_SPACE.lastIndex = to;
  const tail = NOT_SPACE.test(text) ? '…' : '';
  const highlights = found
    .filter((f) => f.start >= from && f.end <= to)
    .map((f): [number, number] => [f.start - from + head.length, f.end - from + head.length]);
  return { snippet: `${head}${text.slice(from, to)}${tail}`, highlights };
}

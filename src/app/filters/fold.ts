/**
 * Case- and accent-folded text with a map back to the original, and its words. `contains` and `has`
 * compare folded text; the map lets an explanation quote the original around a match. Everything
 * here is one pass over the text: no regular expression is ever built from what a user typed.
 */

export interface Folded {
  /** Lower case, accents and other combining marks removed, compatibility forms (ligatures, widths) decomposed. */
  readonly text: string;
  /** `map[i]` is the offset in the original of folded character `i`; one extra entry for the end. */
  readonly map: readonly number[];
}

export interface Word {
  readonly text: string;
  /** Offsets in the folded text. */
  readonly start: number;
  readonly end: number;
}

const MARK = /\p{M}/gu;
/** One letter or digit; a word is a run of them (the same as today's keyword filter). */
const WORD = /[\p{L}\p{N}]+/gu;

/** One code point folded. Final sigma folds as sigma, so `ΟΔΟΣ` and `οδος` meet. */
function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 128) return code >= 65 && code <= 90 ? String.fromCharCode(code + 32) : c;
  return c.normalize('NFKD').replace(MARK, '').toLowerCase().replaceAll('ς', 'σ');
}

/** `text` folded code point by code point, with where each folded character came from. */
export function foldWithMap(text: string): Folded {
  // Plain ASCII (most URLs, many titles) folds in place.
  if (!/[^ -~\t\n\r]/.test(text)) return { text: text.toLowerCase(), map: Array.from({ length: text.length + 1 }, (_, i) => i) };
  let out = '';
  const map: number[] = [];
  let i = 0;
  for (const c of text) {
    const f = foldChar(c);
    out += f;
    for (let k = 0; k < f.length; k++) map.push(i);
    i += c.length;
  }
  map.push(text.length);
  return { text: out, map };
}

/**
 * `text` folded, without the map: the same text as foldWithMap gives (decomposing a whole string or
 * each code point differs only in the order of marks, which are dropped), in a few native passes.
 */
export function fold(text: string): string {
  return text.normalize('NFKD').replace(MARK, '').toLowerCase().replaceAll('ς', 'σ');
}

/** `text` folded, trimmed, with runs of spaces as one: what `=` compares. */
export function foldWhole(text: string): string {
  return fold(text).split(/\s+/u).filter(Boolean).join(' ');
}

/** The words of folded text, in order. */
export function wordsOf(folded: string): Word[] {
  return [...folded.matchAll(WORD)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Where `phrase` (words) first occurs as consecutive whole words in `words`, as the index of its first
 * word, or -1. Knuth–Morris–Pratt over words: linear in the text whatever the phrase.
 */
export function findPhrase(words: readonly Word[], phrase: readonly string[]): number {
  if (phrase.length === 0) return -1;
  const fail = new Array<number>(phrase.length).fill(0);
  for (let i = 1, k = 0; i < phrase.length; i++) {
    while (k > 0 && phrase[i] !== phrase[k]) k = fail[k - 1]!;
    if (phrase[i] === phrase[k]) k++;
    fail[i] = k;
  }
  for (let i = 0, k = 0; i < words.length; i++) {
    while (k > 0 && words[i]!.text !== phrase[k]) k = fail[k - 1]!;
    if (words[i]!.text === phrase[k]) k++;
    if (k === phrase.length) return i - phrase.length + 1;
  }
  return -1;
}

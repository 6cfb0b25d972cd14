/**
 * Title suggestions for autocomplete: what a person has typed so far, matched against stored
 * titles with the last word taken as a prefix. Answers must come well inside Discord's 3 s, so
 * everything here is one bounded index lookup.
 */
import type { Db } from './db.ts';
import { type Term, toMatchExpression } from './query.ts';

export interface Suggestion {
  id: string;
  title: string;
}

/** A one-letter prefix would expand to a large share of the vocabulary; wait for the second letter. */
const MIN_PREFIX = 2;
const MAX_WORDS = 8;
const WORD = /[\p{L}\p{N}]+/gu;
/**
 * A one-letter last word after others ("John t") is the start of the next word. As an FTS5 prefix it
 * would merge the postings of every word with that letter ("t*": the, to, that…): up to 90 ms at
 * 100,000 articles. Instead the newest titles holding the words before it are read this far back
 * and kept when one of their words starts with the letter: on the bench's typing (1,200 starts of
 * titles, 193 of them ending so) 13 answers were empty against 158 when the letter was a whole
 * word, for a p99 of 19 ms either way (500 titles back found no more and took p99 58 ms).
 */
export const ONE_LETTER_WINDOW = 100;

/** A title's words as the letter is compared with them: lower case, accents dropped as FTS5 drops them. */
export const titleWords = (title: string): string[] => title.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().match(WORD) ?? [];

/**
 * The titles among `rows` with a word starting with `letter` (folded as their words are, so that "é"
 * finds "écoles") other than the words typed before it: in "tom t", Tom is not the next word.
 */
export function nextWordStarts<R extends Suggestion>(rows: readonly R[], before: readonly string[], letter: string): R[] {
  const [start] = titleWords(letter);
  if (start === undefined) return [];
  const typed = new Set(before.flatMap(titleWords));
  return rows.filter((r) => titleWords(r.title).some((w) => w.startsWith(start) && !typed.has(w)));
}

/** Up to `limit` titles for what was typed (newest articles when nothing was). Statements are prepared once. */
export function titleSuggester(db: Db): (typed: string, limit: number) => Suggestion[] {
  const byIdPrefix = db.prepare<[string, string, number], Suggestion>("SELECT id, title FROM articles WHERE id >= ? AND id < ? || 'g' ORDER BY id LIMIT ?");
  // Newest first rather than by BM25: every suggestion holds every typed word anyway, and ranking
  // all titles that contain a common word ("the") measured 24 ms at 20,000 articles against 2.6 ms.
  const byWords = db.prepare<[string, number], Suggestion>(
    `SELECT a.id, a.title FROM titles_fts JOIN articles a ON a.rowid = titles_fts.rowid
     WHERE titles_fts MATCH ? ORDER BY titles_fts.rowid DESC LIMIT ?`,
  );
  const newest = db.prepare<[number], Suggestion>('SELECT id, title FROM articles ORDER BY coalesce(published_at, ingested_at) DESC, rowid DESC LIMIT ?');

  return (typed, limit) => {
    const words = (typed.normalize('NFKC').toLowerCase().match(WORD) ?? []).slice(0, MAX_WORDS).map((w) => w.slice(0, 64));
    const byId = new Map<string, Suggestion>();
    const add = (rows: Suggestion[]): void => {
      for (const r of rows) if (byId.size < limit && !byId.has(r.id)) byId.set(r.id, r);
    };
    // An id, or the start of one, pasted in.
    const trimmed = typed.trim();
    if (/^[0-9a-f]{4,16}$/.test(trimmed)) add(byIdPrefix.all(trimmed, trimmed, limit));
    const last = words.at(-1) ?? '';
    const terms = (list: string[], prefixLast: boolean): Term[] =>
      list.map((w, i) => ({ tokens: [w], prefix: prefixLast && i === list.length - 1, exclude: false }));
    // A lone one-letter word is not worth a lookup.
    if (words.length === 0 || (words.length === 1 && last.length < MIN_PREFIX)) add(newest.all(limit));
    else if (last.length < MIN_PREFIX) {
      const match = toMatchExpression(terms(words.slice(0, -1), false));
      if (match !== null) add(nextWordStarts(byWords.all(match, ONE_LETTER_WINDOW), words.slice(0, -1), last));
    } else {
      const match = toMatchExpression(terms(words, true));
      if (match !== null) add(byWords.all(match, limit));
    }
    return [...byId.values()];
  };
}

/**
 * Title suggestions for autocomplete on PostgreSQL, as SQLite's (../suggest.ts): an id prefix
 * pasted in, else titles holding every typed word with the last one as a prefix (newest stored
 * first, as there), else the newest articles. Each is one bounded index lookup.
 */
import type { Term } from '../query.ts';
import { ONE_LETTER_WINDOW, type Suggestion, nextWordStarts } from '../suggest.ts';
import { onGinIndex } from './gin.ts';
import type { Pool } from './pool.ts';
import { toTsqueryText } from './tsquery.ts';

/** A one-letter prefix would expand to a large share of the vocabulary; wait for the second letter. */
const MIN_PREFIX = 2;
const MAX_WORDS = 8;
const WORD = /[\p{L}\p{N}]+/gu;

async function byWords(pool: Pool, text: string, limit: number): Promise<Suggestion[]> {
  const { rows: configs } = await pool.query<{ config: string }>('SELECT config::text AS config FROM search_configs ORDER BY 1');
  if (configs.length === 0) return [];
  const params: unknown[] = [text, limit];
  const match = configs
    .map((c) => {
      params.push(c.config);
      return `(ts_config = $${params.length}::regconfig AND title_search @@ to_tsquery($${params.length}::regconfig, $1))`;
    })
    .join(' OR ');
  // On the titles' GIN index: walking positions newest first would test every title for a rare word.
  const { rows } = await onGinIndex(pool, (client) =>
    client.query<Suggestion>(`SELECT id, title FROM articles WHERE ${match} ORDER BY position DESC LIMIT $2`, params),
  );
  return rows;
}

/** Up to `limit` titles for what was typed (newest articles when nothing was). */
export async function suggest(pool: Pool, typed: string, limit: number): Promise<Suggestion[]> {
  const count = Math.max(Math.trunc(limit), 0);
  const words = (typed.normalize('NFKC').toLowerCase().match(WORD) ?? []).slice(0, MAX_WORDS).map((w) => w.slice(0, 64));
  const byId = new Map<string, Suggestion>();
  const add = (rows: Suggestion[]): void => {
    for (const r of rows) if (byId.size < count && !byId.has(r.id)) byId.set(r.id, r);
  };
  // An id, or the start of one, pasted in.
  const trimmed = typed.trim();
  if (/^[0-9a-f]{4,16}$/.test(trimmed)) {
    const { rows } = await pool.query<Suggestion>("SELECT id, title FROM articles WHERE id >= $1 AND id < $1 || 'g' ORDER BY id LIMIT $2", [trimmed, count]);
    add(rows);
  }
  const last = words.at(-1) ?? '';
  const terms = (list: string[], prefixLast: boolean): Term[] =>
    list.map((w, i) => ({ tokens: [w], prefix: prefixLast && i === list.length - 1, exclude: false }));
  // A lone one-letter word is not worth a lookup. After other words it starts the next word ("John t"):
  // as a prefix it would expand to much of the vocabulary, so the newest titles holding the words
  // before it are read instead and kept when a word of theirs starts with it (as SQLite's).
  if (words.length === 0 || (words.length === 1 && last.length < MIN_PREFIX)) {
    const { rows } = await pool.query<Suggestion>('SELECT id, title FROM articles ORDER BY coalesce(published_at, ingested_at) DESC, position DESC LIMIT $1', [
      count,
    ]);
    add(rows);
  } else if (last.length < MIN_PREFIX) {
    const text = toTsqueryText(terms(words.slice(0, -1), false));
    if (text !== null) add(nextWordStarts(await byWords(pool, text, ONE_LETTER_WINDOW), words.slice(0, -1), last));
  } else {
    const text = toTsqueryText(terms(words, true));
    if (text !== null) add(await byWords(pool, text, count));
  }
  return [...byId.values()];
}

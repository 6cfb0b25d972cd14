/**
 * Phrase search's prefilter (migration 8). The GIN index on `search` holds no positions, so for a
 * phrase it finds the articles holding every word and each one's whole tsvector is then read to
 * check that the words are adjacent. An article's vector is ~7.6 KB, kept out of line (TOAST), so
 * a phrase of two common words read tens of thousands of them to find a handful (`"however
 * scored"`: 5,040 candidates at 20,000 articles for 8 matches, 294 ms).
 *
 * `articles_pairs` indexes the pairs of lexemes at adjacent positions of each article's vector
 * ("howev score"), made from the vector itself, so it can only ever say what the vector says: an
 * article matching the phrase `a <-> b` holds a at some position p and b at p + 1, hence the pair
 * "a b". The pairs are therefore a necessary condition, never a sufficient one: the exact check
 * (`ts_match_vq`, the function behind @@) still runs, on the few articles holding every pair.
 *
 * The query side stems each phrase word with the article's configuration as to_tsquery does (the
 * same parser and dictionaries). A word that is not exactly one lexeme at one position (something
 * a dictionary splits, or drops) gives the phrase no pairs, and the search falls back to the plain
 * GIN condition: the prefilter may only be left out, never be wrong.
 */
import type { Params } from './search-params.ts';

/** Bytes of a pair's two lexemes below which it is indexed (a GIN key holds at most ~2,700 bytes). */
const MAX_PAIR_BYTES = 1000;

export const pairsMigration = `
  -- COST: the planner must never choose to compute this per row as a filter when it can read the index.
  -- Pairs of ${MAX_PAIR_BYTES} bytes or more are left out (a GIN key holds at most ~2,700: two long adjacent
  -- words would make the article's write fail); paperboy_phrase_pairs leaves them out alike.
  CREATE FUNCTION paperboy_pairs(v tsvector) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
    SELECT coalesce(array_agg(a.lexeme || ' ' || b.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) a
    JOIN (SELECT lexeme, unnest(positions) AS pos FROM unnest(v)) b ON b.pos = a.pos + 1
    WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < ${MAX_PAIR_BYTES}
  $$;
  -- The pairs a phrase of these words needs, or none ('{}') when a word is not exactly one lexeme at one position.
  CREATE FUNCTION paperboy_phrase_pairs(c regconfig, words text[]) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN bool_and(n = 1) THEN coalesce(array_agg(pair ORDER BY i) FILTER (WHERE pair IS NOT NULL), '{}') ELSE '{}' END
    FROM (
      SELECT i, n, CASE WHEN octet_length(lexeme) + octet_length(lead(lexeme) OVER (ORDER BY i)) < ${MAX_PAIR_BYTES}
        THEN lexeme || ' ' || lead(lexeme) OVER (ORDER BY i) END AS pair
      FROM (
        SELECT w.i,
          (SELECT count(*) FROM unnest(to_tsvector(c, w.word)) u, unnest(u.positions) p) AS n,
          (SELECT min(u.lexeme) FROM unnest(to_tsvector(c, w.word)) u) AS lexeme
        FROM unnest(words) WITH ORDINALITY AS w(word, i)
      ) x
    ) y
  $$;
  CREATE INDEX articles_pairs ON articles USING gin (paperboy_pairs(search));
  -- ANALYZE computes the pairs of every sampled row: 3,000 rows rather than 30,000.
  ALTER INDEX articles_pairs ALTER COLUMN 1 SET STATISTICS 10;
`;

/**
 * The match of `vector` against `tsquery` for one configuration, with the pairs prefilter when the
 * query has phrases. Every part is constant once the parameters are bound, so the planner folds
 * the pairs and keeps one of the two branches: the pairs index and the exact check when there are
 * pairs (ts_match_vq is @@ written as a function, which no index serves: the check runs on the
 * pairs' few candidates instead of rechecking a second bitmap), the plain GIN condition when not.
 */
/** `phrases` must not be empty. */
export function pairsMatch(vector: string, tsquery: string, config: string, phrases: readonly (readonly string[])[], p: Params): string {
  const pairs = `(${phrases.map((words) => `paperboy_phrase_pairs(${config}, ${p.add(words)}::text[])`).join(' || ')})`;
  return `((cardinality(${pairs}) > 0 AND paperboy_pairs(${vector}) @> ${pairs} AND ts_match_vq(${vector}, ${tsquery}))
    OR (cardinality(${pairs}) = 0 AND ${vector} @@ ${tsquery}))`;
}

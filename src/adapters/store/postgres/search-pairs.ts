/**
 * Phrase search's prefilter (migrations 8 and 15). The GIN index on `search` holds no positions, so for a
 * phrase it finds the articles holding every word and each one's whole tsvector is then read to
 * check that the words are adjacent. An article's vector is ~7.6 KB, kept out of line (TOAST), so
 * a phrase of two common words read tens of thousands of them to find a handful (`"however
 * scored"`: 5,040 candidates at 20,000 articles for 8 matches, 294 ms).
 *
 * `articles_pairs` indexed the pairs of lexemes at adjacent positions of each article's vector
 * ("howev score"), made from the vector itself, so it can only ever say what the vector says: an
 * article matching the phrase `a <-> b` holds a at some position p and b at p + 1, hence the pair
 * "a b". Migration 15 replaced it with `articles_section_pairs`, the pairs within one weight (title
 * or body), which is exactly what a two-word phrase asks: such phrases are decided by the index,
 * and for longer ones the pairs are a necessary condition, the exact check (`ts_match_vq`, the
 * function behind @@) running on the few articles holding every pair.
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
 * Migration 15: the pairs of adjacent lexemes of one weight only (title A or body B), so that a
 * pair is exactly a phrase within the title or within the body, as search asks for it (a title's
 * last word and the body's first are adjacent positions, but no phrase). The two-word phrases of a
 * query without exclusions are then decided by the index alone (articleParts' pairsSuffice): at
 * 38,000 articles "Rodgers thinks it's" read 4,982 vectors from TOAST to count its first 1,001
 * matches. A new function and index replace migration 8's (the old index's meaning cannot change
 * under it); building it reads every article's vector once (about two minutes at 100,000).
 */
export const sectionPairsMigration = `
  CREATE FUNCTION paperboy_section_pairs(v tsvector) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 100000 AS $$
    SELECT coalesce(array_agg(a.lexeme || ' ' || b.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS pos, unnest(weights) AS weight FROM unnest(v)) a
    JOIN (SELECT lexeme, unnest(positions) AS pos, unnest(weights) AS weight FROM unnest(v)) b ON b.pos = a.pos + 1 AND b.weight = a.weight
    WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < ${MAX_PAIR_BYTES}
  $$;
  CREATE INDEX articles_section_pairs ON articles USING gin (paperboy_section_pairs(search));
  ALTER INDEX articles_section_pairs ALTER COLUMN 1 SET STATISTICS 10;
  -- The planner knows nothing of a new expression index's values until the table is analysed, and
  -- creating an index does not prompt autovacuum to: without it, it guesses how many articles hold a
  -- pair. Before the DROP, whose lock stops every search until the commit; searches may still run
  -- while this computes the pairs of its sampled articles (tens of seconds at 100,000: ANALYZE
  -- computes an index's expression for the table's whole sample, 30,000 rows at the default
  -- statistics target; the index's own target of 10, here and in migration 8, does not shrink it).
  ANALYZE articles;
  -- An older Paperboy still running fails its phrase searches from here until it is upgraded.
  DROP INDEX articles_pairs;
  DROP FUNCTION paperboy_pairs(tsvector);
`;

/** What pairsMatch needs of one configuration's query on an article's vector. */
export interface PairsQuery {
  readonly vector: string;
  /** The whole query, to_tsquery(config, …) with sections. */
  readonly tsquery: string;
  readonly config: string;
  /** phraseWords': must not be empty. */
  readonly phrases: readonly (readonly string[])[];
  /**
   * The query's single words as a condition on `vector` that the GIN index answers exactly (no
   * positions, no weights), or null: the planner may then read both indexes, so that a phrase of
   * common words beside a rare one ("Rodgers thinks it's": the pair "it s" is in 60% of articles)
   * looks only at the articles holding both. Only exact conditions may join the pairs' bitmap: one
   * needing a recheck (a phrase's @@) made PostgreSQL recompute every candidate's pairs (5.8 s).
   */
  readonly plain: string | null;
  /** articleParts' pairsSuffice: the pairs and `plain` decide the match, no vector is read. */
  readonly suffice: boolean;
}

/**
 * The match for one configuration, with the pairs prefilter. Every part is constant once the
 * parameters are bound, so the planner folds the pairs and keeps one branch: the pairs (and the
 * plain words) alone when they decide; else with the exact check (ts_match_vq is @@ written as a
 * function, which no index serves: it runs on the candidates instead of rechecking a second
 * bitmap); the plain GIN condition when a phrase has no pairs (a word that is not one lexeme).
 * The pairs decide only when every phrase has its pair: `a || b` with one of them empty holds
 * the other's pair alone.
 */
export function pairsMatch(q: PairsQuery, p: Params): string {
  const each = q.phrases.map((words) => `paperboy_phrase_pairs(${q.config}, ${p.add(words)}::text[])`);
  const pairs = `(${each.join(' || ')})`;
  const found = `paperboy_section_pairs(${q.vector}) @> ${pairs}${q.plain ? ` AND ${q.plain}` : ''}`;
  const checked = `${found} AND ts_match_vq(${q.vector}, ${q.tsquery})`;
  const plainGin = `(cardinality(${pairs}) = 0 AND ${q.vector} @@ ${q.tsquery})`;
  if (!q.suffice) return `((cardinality(${pairs}) > 0 AND ${checked}) OR ${plainGin})`;
  const all = each.map((e) => `cardinality(${e}) > 0`).join(' AND ');
  return `((${all} AND ${found}) OR (NOT (${all}) AND cardinality(${pairs}) > 0 AND ${checked}) OR ${plainGin})`;
}

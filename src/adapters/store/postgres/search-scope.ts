/** What the search SQL needs to know of a scope (articles or comments): its tables, columns and indexes. */

export interface ScopeSql {
  /** Row id column (the hit's key), its table with what the filters need. */
  readonly key: string;
  readonly from: string;
  /** The scope's own table, without what the filters join. */
  readonly table: string;
  /** The identity sequence of `key`. */
  readonly sequence: string;
  readonly vector: string;
  /** `vector` is an article's title (A) and body (B), with the phrase pairs' index (search-pairs.ts). */
  readonly article?: boolean;
  readonly config: string;
  /** ts_rank's weights {D, C, B, A}: titles are A, bodies B; comments are all D. */
  readonly weights: string;
  readonly date: string;
  /**
   * A column with an index whose value is `date` wherever it is not null (articles_date, the
   * comments' posted_at): newest-first order reads the newest stretch of it. Rows where it is null
   * (a comment without a time) are read apart, all of them.
   */
  readonly newestBy: string;
  readonly detail: string;
  /**
   * The relevance window's stretches are sized by how densely the matches lie among the keys
   * (comments: their tsvectors are in the row, so a stretch of keys is checked row by row without
   * the GIN index), rather than by a fixed number of keys (articles: checking a row there reads its
   * tsvector from the TOAST table, so the GIN index does the checking).
   */
  readonly densityWindow?: boolean;
  /** Titles alone, searched whatever the window leaves out. */
  readonly titles?: string;
  /**
   * A table of the newest rows' keys (`position`), configurations and vectors, holding every row
   * from its lowest key up (search-tuning.ts): the relevance window comes from it when it holds
   * enough matches.
   */
  readonly recent?: string;
}

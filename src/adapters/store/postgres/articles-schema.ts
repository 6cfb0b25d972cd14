/**
 * The article tables in PostgreSQL (migration 2), with the columns and meaning of SQLite's
 * (../migrations.ts), so that both backends store the same articles and answer the same searches.
 *
 * - `position` is SQLite's rowid: the order an article was first stored in, kept on update.
 * - Times are ISO text, as in SQLite, in the "C" collation so that they (and the hex ids) compare
 *   byte by byte exactly as SQLite compares them, whatever the database's locale.
 * - Full-text search: each article's text search configuration comes from its language
 *   (postgres/languages.ts). The configurations made here are PostgreSQL's Snowball stemmers with
 *   two changes that make them behave like SQLite's FTS5 index: no stop words (FTS5 has none, so
 *   "the who" is searchable on both) and accents folded (unaccent, like remove_diacritics 2).
 *   The tsvector columns are generated, so no write can leave them stale; GIN indexes serve @@.
 *   `title_search` is titles alone, so that every title match can be found cheaply however common
 *   the word is in bodies (SQLite's titles_fts).
 * - toast_tuple_target = 128 keeps texts, blocks and tsvectors out of the row, so a row is a few
 *   hundred bytes: a search's bitmap heap scan then reads a page per few dozen matches, not one
 *   page per match (at 100,000 articles the heap measured 21 MB this way against 158 MB).
 *   `title_search` alone stays in the row (STORAGE MAIN), see below.
 */
import { CONFIGURATIONS } from './languages.ts';

const TOKEN_TYPES = 'asciiword, hword_asciipart, word, hword_part, numword, hword_numpart';
/**
 * A hyphenated word ("set-up") is indexed as its parts only, as SQLite's tokenizer splits it: the
 * whole compound would take a position of its own before its parts, so the phrase "youth set"
 * would not match "youth set-up" (measured: 72 articles on SQLite, 1 on PostgreSQL, before).
 */
const COMPOUNDS = 'asciihword, hword, numhword';

/**
 * The text as SQLite's tokenizer sees it: ASCII punctuation is a word break. PostgreSQL's parser
 * would otherwise keep "example.com/comment", "a@b.de" or "1.5" as one token (a URL, an email, a
 * number), so a search for "comment" would not find it there while SQLite does. Only ASCII is
 * replaced: letters of every script stay as they are, whatever the database's locale.
 */
const words = (column: string): string => `regexp_replace(${column}, '[!-/:-@[-\`{-~]+', ' ', 'g')`;

function configuration(name: string, snowball: string | null): string {
  const dictionary = snowball === null ? 'simple' : `${name}_stem`;
  const makeDictionary = snowball === null ? '' : `CREATE TEXT SEARCH DICTIONARY ${name}_stem (TEMPLATE = snowball, LANGUAGE = ${snowball});\n`;
  return `${makeDictionary}CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR ${TOKEN_TYPES} WITH unaccent, ${dictionary};
ALTER TEXT SEARCH CONFIGURATION ${name} DROP MAPPING FOR ${COMPOUNDS};\n`;
}

export const articleTables = `
  CREATE EXTENSION IF NOT EXISTS unaccent;
  ${CONFIGURATIONS.map((c) => configuration(c.name, c.snowball)).join('')}

  CREATE TABLE articles (
    position BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id TEXT COLLATE "C" NOT NULL UNIQUE,
    title TEXT NOT NULL,
    url TEXT,
    source TEXT,
    author TEXT,
    published_at TEXT COLLATE "C",
    language TEXT,
    blocks TEXT NOT NULL,
    body_text TEXT NOT NULL,
    declared_comment_count INTEGER,
    comments_url TEXT,
    ingested_at TEXT COLLATE "C" NOT NULL,
    updated_at TEXT COLLATE "C" NOT NULL,
    ts_config REGCONFIG NOT NULL,
    search TSVECTOR GENERATED ALWAYS AS (setweight(to_tsvector(ts_config, ${words('title')}), 'A') || setweight(to_tsvector(ts_config, ${words('body_text')}), 'B')) STORED,
    title_search TSVECTOR GENERATED ALWAYS AS (to_tsvector(ts_config, ${words('title')})) STORED
  ) WITH (toast_tuple_target = 128);
  -- Titles' vectors stay in the row (compressed if need be): relevance ranks up to TITLE_WINDOW of
  -- them by title for a common word, and fetching each from the TOAST table cost four buffer reads
  -- a title (84 ms for 5,000); in the row they add ~150 bytes to it.
  ALTER TABLE articles ALTER COLUMN title_search SET STORAGE MAIN;
  CREATE INDEX articles_source ON articles (lower(source));
  CREATE INDEX articles_date ON articles ((coalesce(published_at, ingested_at)));
  CREATE INDEX articles_updated ON articles (updated_at);
  CREATE INDEX articles_search ON articles USING gin (search);
  CREATE INDEX articles_title_search ON articles USING gin (title_search);

  CREATE TABLE comments (
    rowid BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_position BIGINT NOT NULL REFERENCES articles (position) ON DELETE CASCADE,
    id TEXT NOT NULL,
    position INTEGER NOT NULL,
    number INTEGER,
    author TEXT,
    author_id TEXT,
    posted_at TEXT COLLATE "C",
    rating INTEGER,
    paragraphs TEXT NOT NULL,
    quotes TEXT NOT NULL,
    reply_to TEXT,
    text TEXT NOT NULL,
    -- The article's configuration, copied: a generated column cannot read another table.
    ts_config REGCONFIG NOT NULL,
    search TSVECTOR GENERATED ALWAYS AS (to_tsvector(ts_config, ${words('text')})) STORED,
    UNIQUE (article_position, id)
  ) WITH (toast_tuple_target = 128);
  CREATE INDEX comments_search ON comments USING gin (search);
  -- Newest-first search reads the newest stretch of comment times from it (search-sql.ts).
  CREATE INDEX comments_posted ON comments (posted_at);

  -- The configurations articles use, so that a search builds one tsquery per configuration in use
  -- (each one an index condition) instead of calling to_tsquery for every row.
  CREATE TABLE search_configs (config REGCONFIG PRIMARY KEY);
`;

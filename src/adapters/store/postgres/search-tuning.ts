/**
 * The newest articles' vectors in a table of their own (migration 14), for relevance search's
 * window: the newest RANK_WINDOW matches (search-sql.ts). Over the whole table the planner chose a
 * different plan per word for "the newest 500 matches", some reading tens of thousands of rows;
 * over this table one GIN bitmap scan reads at most its few thousand rows, so for every word
 * common enough to have RANK_WINDOW matches among the newest articles the window costs the same
 * plan, and only rarer words (whose full GIN scan is cheap) go on to the whole table.
 *
 * `articles_recent` always holds every article from its lowest position up (a suffix of the
 * articles by position), which is what makes its newest matches the newest of all: the triggers
 * add an article only above its lowest position (or to an empty table when nothing higher
 * exists), drop the lowest ones, never others, update the vectors with the articles', and the
 * foreign key deletes a row with its article. Article writes take ARTICLE_WRITES (articles.ts)
 * already; the triggers take it too, so that no other writer can interleave.
 */

/** Articles the table keeps at least. */
export const RECENT_ARTICLES = 10_000;
/** How far past RECENT_ARTICLES it grows before the oldest are dropped, so that dropping is one statement per this many articles. */
const RECENT_SLACK = 1_000;
/** articles.ts's ARTICLE_WRITES ('pbaw'), repeated rather than imported: articles.ts imports the search. */
const ARTICLE_WRITES = 0x70626177;

export const searchTuning = `
  -- No article may be stored between the copy below and the triggers (another process, perhaps an
  -- older Paperboy mid-upgrade): it would be missing from the suffix for good.
  SELECT pg_advisory_xact_lock(${ARTICLE_WRITES});
  -- A database that ran this as migration 12, during the hour it was numbered so, starts afresh.
  DROP TRIGGER IF EXISTS articles_recent_insert ON articles;
  DROP TRIGGER IF EXISTS articles_recent_update ON articles;
  DROP FUNCTION IF EXISTS paperboy_recent_insert();
  DROP FUNCTION IF EXISTS paperboy_recent_update();
  DROP TABLE IF EXISTS articles_recent;
  CREATE TABLE articles_recent (
    position BIGINT PRIMARY KEY REFERENCES articles (position) ON DELETE CASCADE,
    ts_config REGCONFIG NOT NULL,
    search TSVECTOR NOT NULL
  ) WITH (toast_tuple_target = 128);
  INSERT INTO articles_recent (position, ts_config, search)
    SELECT position, ts_config, search FROM articles ORDER BY position DESC LIMIT ${RECENT_ARTICLES};
  CREATE INDEX articles_recent_search ON articles_recent USING gin (search);

  CREATE FUNCTION paperboy_recent_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    lowest bigint;
  BEGIN
    PERFORM pg_advisory_xact_lock(${ARTICLE_WRITES});
    SELECT position INTO lowest FROM articles_recent ORDER BY position LIMIT 1;
    IF lowest IS NULL THEN
      -- Empty: the new article starts it only if nothing above it would be left out.
      IF EXISTS (SELECT 1 FROM articles WHERE position > NEW.position) THEN
        RETURN NULL;
      END IF;
      lowest := NEW.position;
    ELSIF NEW.position < lowest THEN
      RETURN NULL;
    END IF;
    INSERT INTO articles_recent (position, ts_config, search) VALUES (NEW.position, NEW.ts_config, NEW.search);
    IF NEW.position - lowest >= ${RECENT_ARTICLES + RECENT_SLACK} THEN
      DELETE FROM articles_recent WHERE position <= NEW.position - ${RECENT_ARTICLES};
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER articles_recent_insert AFTER INSERT ON articles FOR EACH ROW EXECUTE FUNCTION paperboy_recent_insert();

  CREATE FUNCTION paperboy_recent_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE articles_recent SET ts_config = NEW.ts_config, search = NEW.search WHERE position = NEW.position;
    RETURN NULL;
  END $$;
  CREATE TRIGGER articles_recent_update AFTER UPDATE ON articles FOR EACH ROW
    WHEN (OLD.search IS DISTINCT FROM NEW.search OR OLD.ts_config IS DISTINCT FROM NEW.ts_config)
    EXECUTE FUNCTION paperboy_recent_update();
`;

/**
 * Migration 14 (postgres/search-tuning.ts) on a database in use: it waits for an article being
 * stored (the article-writes lock) so that no article lands between its copy and its triggers, and
 * it runs again cleanly on a database that already has the table (as those that ran it as 12 do).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStore, type PostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { searchTuning } from '../src/adapters/store/postgres/search-tuning.ts';
import { article } from './helpers/articles.ts';
import { type TestDatabase, createTestDatabase } from './helpers/postgres.ts';

/** articles.ts's ARTICLE_WRITES, the advisory lock every article write takes. */
const ARTICLE_WRITES = 0x70626177;

describe('GIVEN a PostgreSQL library of 30 articles, migrated', () => {
  let database: TestDatabase;
  let store: PostgresStore;
  beforeAll(async () => {
    database = await createTestDatabase();
    store = await openPostgresStore(database.url, { max: 2 });
    await store.upsertMany(Array.from({ length: 30 }, (_, i) => article({ title: `Tide table ${i}`, text: `High water at ${i} o'clock.` })));
  });
  afterAll(async () => {
    await store.close();
    await database.drop();
  });

  const client = async (): Promise<pg.Client> => {
    const c = new pg.Client({ connectionString: database.url });
    await c.connect();
    return c;
  };

  it('THEN running it again rebuilds the table with every article, and it waits while an article is being stored', async () => {
    const writer = await client();
    const migrator = await client();
    try {
      // Another process in the middle of storing an article holds the article-writes lock.
      await writer.query('BEGIN');
      await writer.query('SELECT pg_advisory_xact_lock($1)', [ARTICLE_WRITES]);
      const { rows: pid } = await migrator.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await migrator.query('BEGIN');
      const running = migrator.query(searchTuning);
      // The migration is seen waiting on that lock before it has copied anything.
      for (;;) {
        const { rows } = await writer.query<{ waiting: boolean }>(
          "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = $1 AND locktype = 'advisory' AND NOT granted) AS waiting",
          [pid[0]!.pid],
        );
        if (rows[0]!.waiting) break;
      }
      await writer.query('COMMIT');
      await running;
      await migrator.query('COMMIT');
      const { rows } = await migrator.query<{ n: number }>('SELECT count(*)::int AS n FROM articles_recent');
      expect(rows[0]!.n).toBe(30);
      // And the triggers are back: a new article joins the table.
      await store.upsert(article({ title: 'Tide table 30', text: 'High water at noon.' }));
      const after = await migrator.query<{ n: number }>('SELECT count(*)::int AS n FROM articles_recent');
      expect(after.rows[0]!.n).toBe(31);
    } finally {
      await writer.end();
      await migrator.end();
    }
  });
});

/**
 * PostgreSQL's schema is brought up to date at open, once, however many processes open the
 * database at the same moment (four pools here, as four processes starting together); a database
 * that cannot be reached is an error naming its host, never its password.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS, migrate } from '../src/adapters/store/postgres/migrations.ts';
import { openPool, type Pool } from '../src/adapters/store/postgres/pool.ts';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';

let database: TestDatabase | undefined;
const pools: Pool[] = [];
afterEach(async () => {
  await Promise.all(pools.splice(0).map((p) => p.end()));
  await database?.drop();
  database = undefined;
});

describe('GIVEN four processes opening one new PostgreSQL database at once', () => {
  it('THEN each migration is applied once, by one of them, and recorded with its version', async () => {
    database = await createTestDatabase();
    const url = database.url;
    pools.push(...Array.from({ length: 4 }, () => openPool(url, { max: 2 })));
    const applied = await Promise.all(pools.map((p) => migrate(p)));
    expect(applied.flat()).toEqual(MIGRATIONS.map((m) => m.version));
    expect(applied.filter((a) => a.length > 0)).toHaveLength(1);
    const [first] = pools;
    const { rows } = await first!.query<{ version: number }>('SELECT version FROM paperboy_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    const tables = await first!.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
    expect(tables.rows.map((r) => r.name)).toEqual([
      'article_threads',
      'articles',
      'articles_recent',
      'comments',
      'delivery_messages',
      'delivery_progress',
      'discussions',
      'feeds',
      'guild_settings',
      'kv',
      'leases',
      'paperboy_migrations',
      'search_configs',
      'subscriptions',
    ]);
    // Opened again later, nothing is left to apply.
    expect(await migrate(first!)).toEqual([]);
  });

  it('THEN a migration that fails leaves nothing of itself and no version, and the lock is free for the next process', async () => {
    database = await createTestDatabase();
    const pool = openPool(database.url, { max: 2 });
    pools.push(pool);
    const broken = [...MIGRATIONS, { version: 99, name: 'broken', sql: 'CREATE TABLE half (id INTEGER); SELECT no_such_function()' }];
    await expect(migrate(pool, broken)).rejects.toThrow(/^postgres: migration 99 \(broken\) failed: function no_such_function\(\) does not exist/);
    const { rows } = await pool.query<{ version: number }>('SELECT version FROM paperboy_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(MIGRATIONS.map((m) => m.version));
    expect((await pool.query("SELECT 1 FROM pg_tables WHERE tablename = 'half'")).rowCount).toBe(0);
    expect(await migrate(pool)).toEqual([]);
  });
});

describe('GIVEN a pool size that is not a whole number from 1 up', () => {
  it('THEN opening the pool is refused, naming the option and the value', () => {
    expect(() => openPool('postgres://127.0.0.1/news', { max: 0 })).toThrow('postgres: expected `max` to be a whole number from 1 and up, got `0`');
  });
});

describe('GIVEN a PostgreSQL URL nothing answers at', () => {
  it('THEN opening is an error naming the host and database, not the password', async () => {
    const error = await openPostgresBotState('postgres://paperboy:s3cret@127.0.0.1:1/news').then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/^PostgreSQL at 127\.0\.0\.1:1\/news: \S/);
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('GIVEN a database a newer Paperboy has migrated (a version beyond those this one knows)', () => {
  it('THEN opening it is refused, naming the versions, the host and the database, never the password, and nothing is applied', async () => {
    database = await createTestDatabase();
    const pool = openPool(database.url, { max: 2 });
    pools.push(pool);
    await migrate(pool);
    const newer = Math.max(...MIGRATIONS.map((m) => m.version)) + 1;
    await pool.query('INSERT INTO paperboy_migrations (version, name) VALUES ($1, $2)', [newer, 'from the future']);
    await expect(migrate(pool)).rejects.toThrow(
      `postgres: this database was written by a newer Paperboy (schema version ${newer}; this one knows up to ${newer - 1}): upgrade Paperboy`,
    );

    const url = new URL(database.url);
    url.password = 's3cret';
    const error = await openPostgresBotState(url.toString()).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    const message = (error as Error).message;
    expect(message).toContain(`PostgreSQL at 127.0.0.1:5432${url.pathname}: postgres: this database was written by a newer Paperboy`);
    expect(message).not.toContain('s3cret');
    // The lock was let go: a migration with the newer version known runs again.
    expect(await migrate(pool, [...MIGRATIONS, { version: newer, name: 'from the future', sql: 'SELECT 1' }])).toEqual([]);
  });
});

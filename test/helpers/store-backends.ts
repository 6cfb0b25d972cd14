/**
 * The two article stores behind the one Store interface, opened fresh for a test: SQLite in memory,
 * and PostgreSQL in a database of its own on the real server (dropped after).
 */
import type { Store } from '../../src/adapters/store/contract.ts';
import { openPostgresStore, type PostgresStore } from '../../src/adapters/store/postgres/articles.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.ts';
import { ArticleStore } from '../../src/adapters/store/store.ts';
import { createTestDatabase } from './postgres.ts';

export interface OpenedStore {
  readonly store: Store;
  close(): Promise<void>;
}

export interface OpenedPostgres extends OpenedStore {
  readonly store: PostgresStore;
  readonly url: string;
}

export async function openPostgres(): Promise<OpenedPostgres> {
  const database = await createTestDatabase();
  const store = await openPostgresStore(database.url, { max: 4 });
  return {
    store,
    url: database.url,
    close: async () => {
      await store.close();
      await database.drop();
    },
  };
}

export const storeBackends: Record<'SQLite' | 'PostgreSQL', () => Promise<OpenedStore>> = {
  SQLite: () => {
    const store = new SqliteStore(ArticleStore.open(':memory:'));
    return Promise.resolve({ store, close: () => store.close() });
  },
  PostgreSQL: openPostgres,
};

export const backendNames = Object.keys(storeBackends) as (keyof typeof storeBackends)[];

/** Every article the store holds, through all(). */
export async function everything(store: Store): Promise<string[]> {
  const ids: string[] = [];
  for await (const a of store.all()) ids.push(a.id);
  return ids;
}

/**
 * One database opened as several processes open it, for the lease tests: each `open()` is a handle
 * of its own (a SQLite connection on one file, or a PostgreSQL pool on one database), with the
 * article store and the bot's state (subscriptions, progress, feeds, leases) on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Store } from '../src/adapters/store/contract.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../src/adapters/store/state.ts';
import { createTestDatabase } from './helpers/postgres.ts';

export interface Handle {
  readonly store: Store;
  readonly state: BotState;
}

export interface SharedDatabase {
  /** Another handle on the same database, as another process would open it. */
  open(): Promise<Handle>;
  close(): Promise<void>;
}

export const sharedBackends: Record<'SQLite' | 'PostgreSQL', () => Promise<SharedDatabase>> = {
  SQLite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-shared-'));
    const path = join(dir, 'paperboy.db');
    const opened: SqliteStore[] = [];
    return Promise.resolve({
      open: () => {
        const store = SqliteStore.open(path);
        opened.push(store);
        return Promise.resolve({ store, state: openBotState(store.db) });
      },
      close: async () => {
        for (const store of opened) await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    });
  },
  PostgreSQL: async () => {
    const database = await createTestDatabase();
    const opened: Awaited<ReturnType<typeof openPostgresStore>>[] = [];
    return {
      open: async () => {
        const store = await openPostgresStore(database.url, { max: 4 });
        opened.push(store);
        return { store, state: postgresBotState(store.pool) };
      },
      close: async () => {
        for (const store of opened) await store.close();
        await database.drop();
      },
    };
  },
};

export const sharedBackendNames = Object.keys(sharedBackends) as (keyof typeof sharedBackends)[];

/**
 * The bot's state on both backends, for tests that run the same cases against each: SQLite (a file,
 * two handles standing for two processes) and PostgreSQL (a database of its own, two pools). Each
 * opening makes its own file or database, and close() removes it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../src/adapters/store/db.ts';
import { type BotState, openBotState } from '../../src/adapters/store/state.ts';
import { ArticleStore } from '../../src/adapters/store/store.ts';
import { openPostgresBotState } from '../../src/adapters/store/postgres/state.ts';
import type { DeliveryProgressRepository } from '../../src/adapters/store/delivery-progress.ts';
import { createTestDatabase } from './postgres.ts';

export interface OpenedState {
  readonly state: BotState;
  /** The same database through another connection, as another process sees it. */
  readonly other: BotState;
  /** Runs SQL on the database as an operator would by hand; parameters written $1, $2… */
  readonly exec: (sql: string, params: unknown[]) => Promise<void>;
  close(): Promise<void>;
}

export const stateBackends: Record<string, () => Promise<OpenedState>> = {
  SQLite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-backends-'));
    const store = ArticleStore.open(join(dir, 'paperboy.db'));
    const second = openDatabase(join(dir, 'paperboy.db'));
    return Promise.resolve({
      state: openBotState(store.db),
      other: openBotState(second),
      exec: (sql, params) => {
        store.db.prepare(sql.replaceAll(/\$\d+/g, '?')).run(...params);
        return Promise.resolve();
      },
      close: () => {
        second.close();
        store.close();
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
  PostgreSQL: async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 4 });
    const other = await openPostgresBotState(database.url, { max: 4 });
    return {
      state,
      other,
      exec: async (sql, params) => {
        await state.pool.query(sql, params);
      },
      close: async () => {
        await Promise.all([state.close(), other.close()]);
        await database.drop();
      },
    };
  },
};

/** Delivery progress alone on each backend: SQLite in memory, PostgreSQL in a database of its own. */
export interface ProgressBackend {
  readonly progress: DeliveryProgressRepository;
  close(): Promise<void>;
}

export const progressBackends: Record<string, () => Promise<ProgressBackend>> = {
  SQLite: () => {
    const store = ArticleStore.open(':memory:');
    return Promise.resolve({ progress: openBotState(store.db).progress, close: () => Promise.resolve(store.close()) });
  },
  PostgreSQL: async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 4 });
    return {
      progress: state.progress,
      close: async () => {
        await state.close();
        await database.drop();
      },
    };
  },
};

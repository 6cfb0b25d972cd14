/** The article store and the bot's state on one database, for the discussion tests: SQLite in memory, or PostgreSQL of its own. */
import type { Store } from '../../src/adapters/store/contract.ts';
import { openPostgresStore } from '../../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../../src/adapters/store/postgres/state.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../../src/adapters/store/state.ts';
import { ArticleStore } from '../../src/adapters/store/store.ts';
import { createTestDatabase } from './postgres.ts';

export interface Opened {
  readonly store: Store;
  readonly state: BotState;
  close(): Promise<void>;
}

export const discussionBackends: Record<'SQLite' | 'PostgreSQL', () => Promise<Opened>> = {
  SQLite: () => {
    const store = new SqliteStore(ArticleStore.open(':memory:'));
    return Promise.resolve({ store, state: openBotState(store.engine.db), close: () => store.close() });
  },
  PostgreSQL: async () => {
    const database = await createTestDatabase();
    const store = await openPostgresStore(database.url, { max: 4 });
    return {
      store,
      state: postgresBotState(store.pool),
      close: async () => {
        await store.close();
        await database.drop();
      },
    };
  },
};

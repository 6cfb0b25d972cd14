/**
 * One database opened as several processes open it, for the lease tests: each `open()` is a handle
 * of its own (a SQLite connection on one file, or a PostgreSQL pool on one database), with the
 * article store and the bot's state (subscriptions, progress, feeds, leases) on it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST } from 'discord.js';
import { FakeDiscord } from '@paperboy/fake-discord';
import { afterEach } from 'vitest';
import { createLogger } from '../src/core/log.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { DeliveryEngine } from '../src/app/delivery/engine-types.ts';
import type { Store } from '../src/adapters/store/contract.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../src/adapters/store/state.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { TOKEN } from './helpers/bot.ts';
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

/** What the delivery processes of these tests log: nothing. */
export const log = createLogger({ level: 'silent' });

export interface Started {
  /** The local Discord, its rate limits out of the way. */
  readonly f: FakeDiscord;
  readonly db: SharedDatabase;
  /** A guild on it, for the tests' channels. */
  readonly guildId: string;
}

/**
 * For a test file's tests (call it at the file's top): starts the local Discord and one shared
 * database on `backend` for a test, and closes both after it.
 */
export function sharedDiscordAndDatabase(): (backend: (typeof sharedBackendNames)[number]) => Promise<Started> {
  let fake: FakeDiscord | undefined;
  let db: SharedDatabase | undefined;
  afterEach(async () => {
    await fake?.close();
    await db?.close();
    fake = undefined;
    db = undefined;
  });
  return async (backend) => {
    db = await sharedBackends[backend]();
    const fast = { limit: 10_000, windowMs: 1000 };
    fake = await FakeDiscord.start({ botToken: TOKEN, rateLimits: { channelMessages: fast, global: fast, default: fast } });
    return { f: fake, db, guildId: fake.createGuild({ name: 'Harbour' }).id };
  };
}

/** The delivery engine one process builds on its handle: its own REST client to the local Discord. */
export function engineOf(f: FakeDiscord, h: Handle): DeliveryEngine {
  const rest = new REST({ api: f.apiUrl, globalRequestsPerSecond: 10_000 }).setToken(TOKEN);
  return createDeliveryEngine({ poster: discordPoster(rest, () => f.botUser.id, TOKEN), progress: h.state.progress, log });
}

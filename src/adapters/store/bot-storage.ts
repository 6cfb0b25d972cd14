/**
 * The bot's storage in SQLite, in the article database's file: the four repositories of its lasting
 * state, and keyv for its short-lived state (or keyv on Redis, redisBotStorage). The bot opens no
 * storage itself; its composition (src/main.ts, the playground, a test) picks this or another
 * backend of the same shape.
 */
import type Keyv from 'keyv';
import type { Logger } from '../../core/log.ts';
import type { Store } from './contract.ts';
import type { Db } from './db.ts';
import { openKeyv } from './kv.ts';
import { openPostgresKeyv } from './postgres/kv.ts';
import { describeUrl, type Pool } from './postgres/pool.ts';
import { postgresBotState } from './postgres/state.ts';
import { connectRedisKeyv, type RedisKeyv, type RedisOptions } from './redis-kv.ts';
import { type BotState, openBotState } from './state.ts';
import type { SqliteStore } from './sqlite-store.ts';

export { redisHost } from './redis-kv.ts';

/** The namespaces of earlier releases: another name would forget every live button and cooldown. */
const BUTTONS = 'bot';
const COOLDOWNS = 'cooldowns';

export interface SqliteBotStorage {
  readonly state: BotState;
  readonly keyv: { readonly buttons: Keyv; readonly cooldowns: Keyv };
}

/** With `log`, each record of an older Paperboy's state that could not be migrated is named in a warning (openBotState). */
export function sqliteBotStorage(store: SqliteStore, log?: Logger): SqliteBotStorage {
  return {
    state: openBotState(store.db, log),
    keyv: { buttons: openKeyv(store.db, BUTTONS), cooldowns: openKeyv(store.db, COOLDOWNS) },
  };
}

export interface RedisBotStorage extends SqliteBotStorage {
  /** Ends the Redis connection; after the bot has stopped. */
  close(): Promise<void>;
}

/**
 * The lasting state in SQLite as above, the short-lived state (buttons, cooldowns) on Redis, shared
 * by every process on it. Rejects, naming REDIS_URL and the host, when Redis cannot be reached.
 */
export async function redisBotStorage(store: SqliteStore, redisUrl: string, options: RedisOptions = {}): Promise<RedisBotStorage> {
  const redis = await connectRedisKeyv(redisUrl, options);
  return {
    state: openBotState(store.db, options.log),
    keyv: { buttons: redis.open(BUTTONS), cooldowns: redis.open(COOLDOWNS) },
    close: () => redis.close(),
  };
}

/** Where a process keeps everything: the settings that choose it (DATABASE_URL, DATABASE_PATH, REDIS_URL, DATABASE_POOL_MAX). */
export interface StorageSettings {
  /** PostgreSQL when set; else the SQLite file at `databasePath`. May hold a password: never put in a message whole. */
  readonly databaseUrl: string | null;
  readonly databasePath: string;
  readonly redisUrl: string | null;
  readonly poolMax: number;
  readonly log?: Logger;
  /** Redis keys' prefix (tests); default redis-kv's. */
  readonly redisKeyPrefix?: string;
}

/** What a backend down keeps from working, for the health check: each handle is the one the process uses. */
export type StorageHandles =
  | { readonly kind: 'postgres'; readonly pool: Pool; readonly redisPing: (() => Promise<string>) | null }
  | { readonly kind: 'sqlite'; readonly db: Db; readonly redisPing: (() => Promise<string>) | null };

export interface OpenedStorage {
  readonly store: Store;
  readonly state: BotState;
  readonly keyv: { readonly buttons: Keyv; readonly cooldowns: Keyv };
  readonly handles: StorageHandles;
  /** Closes Redis, then the database (the pool, or the SQLite file). After the process has stopped using them. */
  close(): Promise<void>;
}

/**
 * A backend that cannot be reached at start: the message names the setting and the host (never the
 * password), so an operator sees at once which of several URLs is wrong.
 */
export class UnreachableBackend extends Error {
  override readonly name = 'UnreachableBackend';
}

/**
 * Opens the storage the settings choose: the PostgreSQL store with the bot's state on its pool
 * (migrated first), or the SQLite file; keyv on Redis when REDIS_URL is set, else on the database.
 * One pool per process: the state shares the store's. Rejects with an UnreachableBackend naming
 * DATABASE_URL or REDIS_URL and the host when one does not answer; whatever was opened is closed.
 */
export async function openStorage(settings: StorageSettings): Promise<OpenedStorage> {
  const { log } = settings;
  let store: Store;
  let state: BotState;
  let local: { kind: 'postgres'; pool: Pool } | { kind: 'sqlite'; db: Db; keyv: SqliteBotStorage['keyv'] };
  if (settings.databaseUrl !== null) {
    const url = settings.databaseUrl;
    const { openPostgresStore } = await import('./postgres/articles.ts');
    const opened = await openPostgresStore(url, { max: settings.poolMax, log }).catch((error: unknown) => {
      throw new UnreachableBackend(`DATABASE_URL: cannot use PostgreSQL at ${describeUrl(url)}: ${causeOf(error, url)}`, { cause: error });
    });
    store = opened;
    state = postgresBotState(opened.pool);
    local = { kind: 'postgres', pool: opened.pool };
  } else {
    const { SqliteStore } = await import('./sqlite-store.ts');
    const opened = SqliteStore.open(settings.databasePath);
    const sqlite = sqliteBotStorage(opened, log);
    store = opened;
    state = sqlite.state;
    local = { kind: 'sqlite', db: opened.db, keyv: sqlite.keyv };
  }
  let redis: RedisKeyv | null = null;
  if (settings.redisUrl !== null) {
    redis = await connectRedisKeyv(settings.redisUrl, { log, ...(settings.redisKeyPrefix !== undefined && { keyPrefix: settings.redisKeyPrefix }) }).catch(
      async (error: unknown) => {
        await store.close();
        throw new UnreachableBackend((error as Error).message, { cause: error });
      },
    );
  }
  const keyv = redis
    ? { buttons: redis.open(BUTTONS), cooldowns: redis.open(COOLDOWNS) }
    : local.kind === 'postgres'
      ? { buttons: openPostgresKeyv(local.pool, BUTTONS), cooldowns: openPostgresKeyv(local.pool, COOLDOWNS) }
      : local.keyv;
  const connected = redis;
  const redisPing = connected ? () => connected.ping() : null;
  return {
    store,
    state,
    keyv,
    handles: local.kind === 'postgres' ? { kind: 'postgres', pool: local.pool, redisPing } : { kind: 'sqlite', db: local.db, redisPing },
    async close() {
      await redis?.close();
      await store.close();
    },
  };
}

/** The driver's reason, on one line: pg's errors name the host and port, never the password. */
function causeOf(error: unknown, url: string): string {
  const message = error instanceof Error ? error.message : String(error);
  // openPostgresStore's own prefix names the host again.
  const prefix = `PostgreSQL at ${describeUrl(url)}: `;
  return (message.startsWith(prefix) ? message.slice(prefix.length) : message).split('\n')[0] ?? '';
}

/**
 * The bot's storage in SQLite, in the article database's file: the four repositories of its lasting
 * state, and keyv for its short-lived state (or keyv on Redis, redisBotStorage). The bot opens no
 * storage itself; its composition (src/main.ts, the playground, a test) picks this or another
 * backend of the same shape.
 */
import type Keyv from 'keyv';
import type { Logger } from '../../core/log.ts';
import { openKeyv } from './kv.ts';
import { connectRedisKeyv, type RedisOptions } from './redis-kv.ts';
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

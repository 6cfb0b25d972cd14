/**
 * keyv on Redis (REDIS_URL), for the bot's short-lived state when several processes share it:
 * button state and its signing secret, answer cooldowns. One connection serves every namespace;
 * each namespace's keys are `<keyPrefix><namespace>:<key>`, so two deployments (or two tests) on one
 * Redis keep apart by prefix. State that lasts stays in its tables (state.ts).
 */
import KeyvRedis, { createClient, Keyv, type RedisClientType } from '@keyv/redis';
import type { Logger } from '../../core/log.ts';
import type { ClaimingStore } from './kv.ts';

/** What goes before every key unless told otherwise. */
export const DEFAULT_KEY_PREFIX = 'paperboy:';

/** Waits this long for the first connection before start-up gives up. */
const CONNECT_TIMEOUT_MS = 5000;

/** Between attempts to reconnect after a connection was lost: doubling from 50 ms, at most 5 s. */
const reconnectDelay = (retries: number): number => Math.min(50 * 2 ** retries, 5000);

export interface RedisOptions {
  /**
   * Put before every key, so several deployments or tests can share one Redis.
   * @default 'paperboy:'
   */
  readonly keyPrefix?: string;
  /** Where a lost or regained connection is reported. */
  readonly log?: Logger;
}

/** The address with no password, for messages and logs. */
export function redisHost(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return 'an unparsable address';
  }
}

/** A keyv store on Redis that can also take a key atomically (SET NX PX). */
export class RedisKeyvStore extends KeyvRedis<string> implements ClaimingStore {
  /**
   * Takes `key` for `ttlMs` when no one holds it; true for exactly one caller across every process
   * on this Redis until it expires. One SET NX PX, never a read and then a write. The value is in
   * Keyv's own form, so Keyv reads a claim like any other entry.
   */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    const client = (await this.getClient()) as RedisClientType;
    const value = JSON.stringify({ value: true, expires: Date.now() + ttlMs });
    const reply = await client.set(this.createKeyPrefix(key, this.namespace), value, { condition: 'NX', expiration: { type: 'PX', value: ttlMs } });
    return reply === 'OK';
  }

  /** Stores `value` with no expiry only when `key` is absent: one SET NX. */
  async add(key: string, value: unknown): Promise<boolean> {
    const client = (await this.getClient()) as RedisClientType;
    const reply = await client.set(this.createKeyPrefix(key, this.namespace), JSON.stringify({ value }), { condition: 'NX' });
    return reply === 'OK';
  }
}

export interface RedisKeyv {
  /** A Keyv whose keys live under `<keyPrefix><namespace>:`. */
  open<T = unknown>(namespace: string): Keyv<T>;
  /** PING on the shared connection: `PONG` when Redis answers (the health check's redisCheck). */
  ping(): Promise<string>;
  /** Ends the connection (pending commands finish first). */
  close(): Promise<void>;
}

/**
 * Connects to Redis and gives Keyvs over that one connection. An unreachable address stops here with
 * an error naming REDIS_URL and the host (never the password). Later, while the connection is down,
 * every operation fails at once with an error instead of waiting or reading as a miss: a cooldown or
 * a button state that cannot be read must not pass for absent. The client reconnects by itself.
 */
export async function connectRedisKeyv(url: string, options: RedisOptions = {}): Promise<RedisKeyv> {
  const keyPrefix = options.keyPrefix ?? DEFAULT_KEY_PREFIX;
  const { log } = options;
  let connected = false;
  const client = createClient({
    url,
    // Commands sent while the connection is down are refused, not queued until it is back.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: CONNECT_TIMEOUT_MS,
      // The first connection gets one try (start-up reports it); a lost one is retried for good.
      reconnectStrategy: (retries: number, cause: Error) => (connected ? reconnectDelay(retries) : cause),
    },
  });
  let down = false;
  client.on('error', (error: unknown) => {
    if (!connected || down) return;
    down = true;
    log?.warn({ err: error, redis: redisHost(url) }, 'Redis connection lost: short-lived state fails until it is back (retrying)');
  });
  client.on('ready', () => {
    if (down) log?.info({ redis: redisHost(url) }, 'Redis connection back');
    down = false;
  });
  try {
    await client.connect();
    connected = true;
  } catch (error) {
    // Already closed when the strategy gave up; destroy only stops a connection left half-made.
    if (client.isOpen) client.destroy();
    throw new Error(`REDIS_URL: cannot reach Redis at ${redisHost(url)}: ${(error as Error).message}`, { cause: error });
  }
  const typed = client as unknown as RedisClientType;
  return {
    open<T>(namespace: string): Keyv<T> {
      const store = new RedisKeyvStore(typed, {
        namespace: `${keyPrefix}${namespace}`,
        keyPrefixSeparator: ':',
        throwOnErrors: true,
        throwOnConnectError: true,
      });
      // The store prefixes keys itself (useKeyPrefix off), so Keyv must not add its own too.
      return new Keyv<T>({ store, namespace: `${keyPrefix}${namespace}`, useKeyPrefix: false, throwOnErrors: true });
    },
    ping: () => typed.ping(),
    async close() {
      if (client.isOpen) await client.close();
    },
  };
}

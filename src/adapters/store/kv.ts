/**
 * keyv storage in the article database's `kv` table, for the bot's short-lived state with an expiry
 * (button state, cooldowns), in the same file by default. With REDIS_URL set the same Keyvs live on
 * Redis instead (redis-kv.ts); callers only see Keyv, and claimKey, which each store does atomically
 * its own way. State that lasts (subscriptions, feeds, delivery progress, article threads) has
 * tables of its own (state.ts).
 */
import { EventEmitter } from 'node:events';
import Keyv, { type KeyvStoreAdapter, type StoredData } from 'keyv';
import type { Db } from './db.ts';

/** A keyv store that can take a key atomically: what claimKey needs from whichever store holds the keys. */
export interface ClaimingStore {
  /**
   * Takes `key` (in the store's namespace) for `ttlMs` when no one holds it or its hold has expired;
   * resolves whether this caller took it. Two callers, in one process or several, never both get true.
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Stores `value` under `key`, with no expiry, only when the key is absent; resolves whether it did. */
  add(key: string, value: unknown): Promise<boolean>;
}

export class SqliteKeyvStore extends EventEmitter implements KeyvStoreAdapter, ClaimingStore {
  // Nothing lists keyv's keys, so this adapter offers no iteration (Keyv would want a dialect it knows for that).
  opts = {};
  namespace?: string | undefined;
  private readonly stmts;

  constructor(db: Db) {
    super();
    this.stmts = {
      get: db.prepare<[string], { value: string }>('SELECT value FROM kv WHERE key = ?'),
      set: db.prepare<[string, string]>('INSERT INTO kv (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      delete: db.prepare<[string]>('DELETE FROM kv WHERE key = ?'),
      // Keys starting with the prefix sort between it and it followed by the highest code point.
      clearPrefix: db.prepare<[{ prefix: string }]>('DELETE FROM kv WHERE key >= @prefix AND key < @prefix || char(1114111)'),
      clearAll: db.prepare('DELETE FROM kv'),
      // One statement, so SQLite's write lock makes it atomic across connections and processes. The
      // value is in Keyv's own form ({value, expires}), so Keyv reads a claim like any other entry;
      // an entry with no expiry (or not Keyv's JSON) is held for good.
      claim: db.prepare<[{ key: string; value: string; now: number }]>(
        `INSERT INTO kv (key, value) VALUES (@key, @value)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value
         WHERE (CASE WHEN json_valid(kv.value) THEN json_extract(kv.value, '$.expires') END) < @now`,
      ),
      add: db.prepare<[{ key: string; value: string }]>('INSERT INTO kv (key, value) VALUES (@key, @value) ON CONFLICT (key) DO NOTHING'),
    };
  }

  /** One statement under SQLite's write lock, so two processes on the same file never both win. */
  claim(key: string, ttlMs: number): Promise<boolean> {
    const now = Date.now();
    const value = JSON.stringify({ value: true, expires: now + ttlMs });
    return Promise.resolve(this.stmts.claim.run({ key: this.namespace ? `${this.namespace}:${key}` : key, value, now }).changes > 0);
  }

  add(key: string, value: unknown): Promise<boolean> {
    // Keyv's own form, so Keyv reads it like any other entry.
    const stored = JSON.stringify({ value });
    return Promise.resolve(this.stmts.add.run({ key: this.namespace ? `${this.namespace}:${key}` : key, value: stored }).changes > 0);
  }

  get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    return Promise.resolve(this.stmts.get.get(key)?.value as StoredData<Value> | undefined);
  }

  set(key: string, value: unknown): Promise<boolean> {
    // Keyv hands over values already serialized (with their expiry inside), so a string is stored as is.
    this.stmts.set.run(key, typeof value === 'string' ? value : JSON.stringify(value));
    return Promise.resolve(true);
  }

  delete(key: string): Promise<boolean> {
    return Promise.resolve(this.stmts.delete.run(key).changes > 0);
  }

  clear(): Promise<void> {
    if (this.namespace) this.stmts.clearPrefix.run({ prefix: `${this.namespace}:` });
    else this.stmts.clearAll.run();
    return Promise.resolve();
  }

  has(key: string): Promise<boolean> {
    return Promise.resolve(this.stmts.get.get(key) !== undefined);
  }
}

/** A Keyv over the article database. `namespace` keeps one feature's keys apart from another's. */
export function openKeyv<T = unknown>(db: Db, namespace = 'paperboy'): Keyv<T> {
  // keyv would otherwise answer a refused write with `false`, which no caller checks: button state
  // that was never recorded would pass for recorded, and fail only when the button is pressed.
  return new Keyv<T>({ store: new SqliteKeyvStore(db), namespace, throwOnErrors: true });
}

/**
 * Atomically claims `key` in a Keyv's namespace for `ttlMs` (a cooldown, a lease): true for exactly
 * one caller until the claim expires. Read-then-write through Keyv would let two handlers both win.
 */
export function claimKey(keyv: Keyv, key: string, ttlMs: number): Promise<boolean> {
  const store: unknown = keyv.store;
  if (!isClaimingStore(store))
    return Promise.reject(new Error('kv: claimKey needs the SQLite keyv store, the PostgreSQL one or the Redis one; this store has no atomic claim'));
  return store.claim(key, ttlMs);
}

/**
 * Stores `value` under `key` in a Keyv's namespace only when no one has: of several processes
 * setting a shared value at once (a signing secret), exactly one wins and all read the winner's.
 */
export function addKey(keyv: Keyv, key: string, value: unknown): Promise<boolean> {
  const store: unknown = keyv.store;
  if (!isClaimingStore(store))
    return Promise.reject(new Error('kv: addKey needs the SQLite keyv store, the PostgreSQL one or the Redis one; this store has no atomic add'));
  return store.add(key, value);
}

function isClaimingStore(store: unknown): store is ClaimingStore {
  return typeof store === 'object' && store !== null && typeof (store as Partial<ClaimingStore>).claim === 'function';
}

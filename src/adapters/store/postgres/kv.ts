/**
 * keyv on PostgreSQL's `kv` table (leases-schema.ts), for a deployment with DATABASE_URL and no
 * REDIS_URL: button state and its signing secret, answer cooldowns, shared by every process on the
 * database. Like the SQLite and Redis stores (../kv.ts, ../redis-kv.ts) it claims and adds keys
 * atomically, one statement each. Expiry is kept in a column of its own and compared with the
 * database's clock, which every process shares; keyv's own `expires` inside the value is written too,
 * so Keyv reads a claim like any other entry.
 */
import { EventEmitter } from 'node:events';
import Keyv, { type KeyvStoreAdapter, type StoredData } from 'keyv';
import type { ClaimingStore } from '../kv.ts';
import type { Logger } from '../../../core/log.ts';
import type { Pool } from './pool.ts';

const LIVE = '(expires_at IS NULL OR expires_at > statement_timestamp())';
const EXPIRY = `statement_timestamp() + $3::double precision * interval '1 millisecond'`;

function checkTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs < 1) throw new Error(`postgres kv: expected \`ttlMs\` to be a whole number from 1 and up, got \`${ttlMs}\``);
}

export class PostgresKeyvStore extends EventEmitter implements KeyvStoreAdapter, ClaimingStore {
  // Nothing lists keyv's keys, so this adapter offers no iteration, as the SQLite one.
  opts = {};
  namespace?: string | undefined;

  constructor(private readonly pool: Pool) {
    super();
  }

  private prefixed(key: string): string {
    return this.namespace ? `${this.namespace}:${key}` : key;
  }

  /**
   * Takes `key` for `ttlMs` when it is absent or its expiry has passed: one INSERT … ON CONFLICT DO
   * UPDATE … WHERE expired, which PostgreSQL runs against the newest row, so exactly one of several
   * claimers at once wins. An entry with no expiry is held for good.
   */
  async claim(key: string, ttlMs: number): Promise<boolean> {
    checkTtl(ttlMs);
    const value = JSON.stringify({ value: true, expires: Date.now() + ttlMs });
    const result = await this.pool.query(
      `INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, ${EXPIRY})
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at
       WHERE kv.expires_at <= statement_timestamp()`,
      [this.prefixed(key), value, ttlMs],
    );
    return result.rowCount === 1;
  }

  /** Stores `value` with no expiry when `key` is absent (or has expired): one statement. */
  async add(key: string, value: unknown): Promise<boolean> {
    const result = await this.pool.query(
      `INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, NULL)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = NULL
       WHERE kv.expires_at <= statement_timestamp()`,
      [this.prefixed(key), JSON.stringify({ value })],
    );
    return result.rowCount === 1;
  }

  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const { rows } = await this.pool.query<{ value: string }>(`SELECT value FROM kv WHERE key = $1 AND ${LIVE}`, [key]);
    return rows[0]?.value as StoredData<Value> | undefined;
  }

  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    // Keyv hands over values already serialized (their expiry inside), so a string is stored as is.
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    const expires = typeof ttl === 'number' && ttl > 0 ? Math.ceil(ttl) : null;
    await this.pool.query(
      `INSERT INTO kv (key, value, expires_at) VALUES ($1, $2, CASE WHEN $3::double precision IS NULL THEN NULL ELSE ${EXPIRY} END)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, expires_at = excluded.expires_at`,
      [key, text, expires],
    );
    return true;
  }

  async delete(key: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM kv WHERE key = $1', [key]);
    return result.rowCount === 1;
  }

  async clear(): Promise<void> {
    if (this.namespace) await this.pool.query('DELETE FROM kv WHERE starts_with(key, $1)', [`${this.namespace}:`]);
    else await this.pool.query('DELETE FROM kv');
  }

  async has(key: string): Promise<boolean> {
    const { rows } = await this.pool.query(`SELECT 1 FROM kv WHERE key = $1 AND ${LIVE}`, [key]);
    return rows.length > 0;
  }

  /**
   * Deletes the entries whose expiry has passed, in every namespace; resolves how many. Reads never
   * return them, but nothing else removes them: a periodic job may call this.
   */
  async deleteExpired(): Promise<number> {
    const result = await this.pool.query('DELETE FROM kv WHERE expires_at <= statement_timestamp()');
    return result.rowCount ?? 0;
  }
}

/** A Keyv over PostgreSQL's `kv` table. `namespace` keeps one feature's keys apart from another's. */
export function openPostgresKeyv<T = unknown>(pool: Pool, namespace = 'paperboy'): Keyv<T> {
  // As the SQLite one: a refused write throws rather than answering a `false` no caller checks.
  return new Keyv<T>({ store: new PostgresKeyvStore(pool), namespace, throwOnErrors: true });
}

/** How often a process sweeps the expired keys: the table only has to stay small, not exact. */
export const KV_SWEEP_EVERY_MS = 10 * 60 * 1000;

export interface KvSweepOptions {
  /** Where a failed sweep is told (the next one tries again). */
  readonly log?: Logger;
  /**
   * Time between sweeps.
   * @default KV_SWEEP_EVERY_MS (10 minutes)
   */
  readonly everyMs?: number;
}

/** A sweep running on a timer, until stopped. */
export interface KvSweep {
  /** Sweeps once now; resolves how many keys went, or null when it failed (and was logged). */
  sweepNow(): Promise<number | null>;
  /** No sweep starts after this; one under way finishes by itself. */
  stop(): void;
}

/**
 * Deletes the kv table's expired keys every `everyMs`, so that button states and cooldowns that
 * nobody reads again do not pile up: reads skip them, but nothing else removes them. Every process
 * may run one; the DELETE is the same whoever runs it. The timer never keeps the process alive, and
 * a sweep's failure (database unreachable for a while) is logged, never thrown.
 */
export function sweepExpiredKeys(pool: Pool, options: KvSweepOptions = {}): KvSweep {
  const everyMs = options.everyMs ?? KV_SWEEP_EVERY_MS;
  if (!Number.isInteger(everyMs) || everyMs < 1) throw new Error(`postgres kv: expected \`everyMs\` to be a whole number from 1 and up, got \`${everyMs}\``);
  const store = new PostgresKeyvStore(pool);
  let running = false;
  const sweepNow = async (): Promise<number | null> => {
    try {
      const deleted = await store.deleteExpired();
      if (deleted > 0) options.log?.debug({ deleted }, 'expired short-lived keys deleted');
      return deleted;
    } catch (error) {
      options.log?.warn({ err: error }, 'expired short-lived keys could not be deleted; the next sweep tries again');
      return null;
    }
  };
  const timer = setInterval(() => {
    // A sweep still hanging on a dead connection is not joined by another.
    if (running) return;
    running = true;
    void sweepNow().finally(() => {
      running = false;
    });
  }, everyMs);
  timer.unref();
  return { sweepNow, stop: () => clearInterval(timer) };
}

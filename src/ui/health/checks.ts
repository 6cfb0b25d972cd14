/**
 * Ready-made health checks for startHealthServer. Each takes the handle the process already holds
 * (a pool, a database, a client), so the check sees what the process sees; none opens a connection
 * of its own.
 */
import type { Client } from 'discord.js';
import { shardsNotReady } from '../discord/shards.ts';
import type { HealthCheck } from './server.ts';

/** `SELECT 1` on one of the pool's connections: fails when PostgreSQL is down, refuses, or does not answer in time. */
export function postgresCheck(pool: { query(sql: string): Promise<unknown> }): HealthCheck {
  return async () => {
    await pool.query('SELECT 1');
  };
}

/**
 * Reads the schema list of the SQLite file: fails when the handle was closed or the file cannot be
 * read. better-sqlite3 is synchronous, so this never waits on anything but the disk.
 */
export function sqliteCheck(db: { prepare(sql: string): { get(): unknown } }): HealthCheck {
  return () => {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  };
}

/** Redis answers a PING with PONG; `ping` is the client's own (node-redis `client.ping()`, or keyv's store client). */
export function redisCheck(ping: () => Promise<unknown>): HealthCheck {
  return async () => {
    const answer = await ping();
    if (answer !== 'PONG') throw new Error(`expected PONG to a PING, got ${JSON.stringify(answer)?.slice(0, 40) ?? String(answer)}`);
  };
}

/**
 * Every shard this process runs is READY. `expected` defaults to the client's own `shards` option,
 * which clientShardOptions makes an explicit list; before login none has started, which fails.
 */
export function shardsCheck(client: Pick<Client, 'ws' | 'options'>, expected?: readonly number[]): HealthCheck {
  return () => {
    const ids = expected ?? (Array.isArray(client.options.shards) ? client.options.shards : []);
    if (ids.length === 0) throw new Error('no shard ids to check: pass the client clientShardOptions');
    const notReady = shardsNotReady(client, ids);
    if (notReady.length > 0) throw new Error(notReady.map((s) => `shard ${s.id}: ${s.status}`).join(', '));
  };
}

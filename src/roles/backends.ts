/** What `start` and `worker` open from the settings: the storage, the leases (PostgreSQL only), the kv sweep. */
import type { Logger } from '../core/log.ts';
import type { Config } from '../config.ts';
import type { OpenedStorage, StorageHandles } from '../adapters/store/bot-storage.ts';
import { processHolderId } from '../adapters/store/leases.ts';
import type { KvSweep } from '../adapters/store/postgres/kv.ts';
import type { LeaseOptions } from '../app/lease-options.ts';

export type Backends = OpenedStorage;

export async function openBackends(config: Config, log: Logger): Promise<Backends> {
  const { openStorage } = await import('../adapters/store/bot-storage.ts');
  const storage = await openStorage({
    databaseUrl: config.databaseUrl,
    databasePath: config.databasePath,
    redisUrl: config.redisUrl,
    redisKeyPrefix: config.redisPrefix,
    poolMax: config.poolMax,
    log,
  });
  log.info(
    { state: storage.handles.kind, redis: storage.handles.redisPing !== null },
    storage.handles.redisPing
      ? 'short-lived state (buttons, cooldowns) kept in Redis'
      : `short-lived state (buttons, cooldowns) kept in the ${storage.handles.kind === 'postgres' ? 'PostgreSQL database' : 'SQLite file'}`,
  );
  return storage;
}

/** Leases only on PostgreSQL: on SQLite the file lock already keeps every other process out. */
export function leaseFor(config: Config, repo: LeaseOptions['repo']): LeaseOptions | null {
  if (config.databaseUrl === null) return null;
  return { repo, holder: processHolderId(), ttlMs: config.leaseMs };
}

/**
 * On PostgreSQL, the short-lived keys (button states, cooldowns) that expired are deleted every ten
 * minutes: reads skip them, but nothing else would, and the kv table would grow for ever. Every
 * `start` and `worker` sweeps; the DELETE is the same whoever runs it. (Redis expires its own keys;
 * SQLite's kv store deletes an expired key when it is read.)
 */
export async function sweepKeys(handles: StorageHandles, log: Logger): Promise<KvSweep | null> {
  if (handles.kind !== 'postgres') return null;
  const { sweepExpiredKeys } = await import('../adapters/store/postgres/kv.ts');
  return sweepExpiredKeys(handles.pool, { log });
}

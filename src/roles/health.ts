/** Each role serves /healthz when HEALTH_PORT is set, checking what that role depends on. */
import type { Logger } from '../core/log.ts';
import type { Config } from '../config.ts';
import type { StorageHandles } from '../adapters/store/bot-storage.ts';
import { postgresCheck, redisCheck, sqliteCheck } from '../ui/health/checks.ts';
import type { HealthCheck, HealthServer, Role } from '../ui/health/server.ts';

/** What the health check asks of the storage: the database the process uses, and Redis when it uses it. */
export function backendChecks(handles: StorageHandles): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = handles.kind === 'postgres' ? { postgres: postgresCheck(handles.pool) } : { sqlite: sqliteCheck(handles.db) };
  if (handles.redisPing) checks.redis = redisCheck(handles.redisPing);
  return checks;
}

export async function serveHealth(config: Config, role: Role, checks: Record<string, HealthCheck>, log: Logger): Promise<HealthServer | null> {
  if (config.health === null) return null;
  const { startHealthServer } = await import('../ui/health/server.ts');
  const health = await startHealthServer({ host: config.health.host, port: config.health.port, role, checks, log });
  log.info({ url: health.url, checks: Object.keys(checks) }, 'health check listening');
  return health;
}

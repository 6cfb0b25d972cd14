/**
 * `paperboy worker`: delivery, feed polls and the inbox over REST, no gateway (needs DATABASE_URL).
 * Any number run beside `start` processes; leases share the scheduled work between them.
 */
import { UserError } from '../core/errors.ts';
import { type Config, requireDiscord } from '../config.ts';
import type { HealthServer } from '../ui/health/server.ts';
import { leaseFor, openBackends, sweepKeys } from './backends.ts';
import { backendChecks, serveHealth } from './health.ts';
import { drain, exitSoon, untilStop } from './shutdown.ts';

/** `paperboy worker`: refused on SQLite, whose file lock would keep it from running beside a bot. */
export async function worker(config: Config): Promise<void> {
  const discord = requireDiscord(config);
  if (config.databaseUrl === null)
    throw new UserError(
      'unavailable',
      'worker: needs DATABASE_URL (PostgreSQL): a worker runs beside other Paperboy processes, and several processes need PostgreSQL; on one machine with SQLite, `paperboy start` delivers by itself',
    );
  const [{ createLogger }, { startWorker }, { deliveryOptions }, { describeStart }] = await Promise.all([
    import('../core/log.ts'),
    import('../ui/worker.ts'),
    import('../ui/discord/delivery-wiring.ts'),
    import('../ui/health/describe.ts'),
  ]);
  const log = createLogger({ level: config.logLevel });
  log.info({ ...describeStart(config, 'worker'), api: discord.apiUrl }, 'starting: worker (delivery without a gateway)');
  const stopping = untilStop(log, null, config.databasePath);
  const storage = await openBackends(config, log);
  const lease = leaseFor(config, storage.state.leases);
  const sweep = await sweepKeys(storage.handles, log);
  let health: HealthServer | null = null;
  try {
    // A worker exists to deliver: DELIVERY=off is for `start` processes.
    const delivery = { ...deliveryOptions(config), cron: config.deliveryCron, collect: true };
    const running = await startWorker({ discord, store: storage.store, state: storage.state, log, delivery, ...(lease && { lease }) });
    try {
      health = await serveHealth(config, 'worker', backendChecks(storage.handles), log);
      await stopping;
    } finally {
      await running.stop();
    }
  } finally {
    await drain(storage, lease, health, log, sweep);
  }
  exitSoon();
}

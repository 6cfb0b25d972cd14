/**
 * `paperboy start`: the gateway shards, the commands, and delivery unless DELIVERY=off. Like every
 * role it logs one start line (describeStart), serves /healthz with HEALTH_PORT, and drains at
 * SIGTERM: the schedule stops, a run stops between messages, the leases are released, connections close.
 */
import { type Config, requireDiscord } from '../config.ts';
import { shardsCheck } from '../ui/health/checks.ts';
import type { HealthServer } from '../ui/health/server.ts';
import { leaseFor, openBackends, sweepKeys } from './backends.ts';
import { backendChecks, serveHealth } from './health.ts';
import { type HeldShards, holdShards } from './shard-leases.ts';
import { drain, exitSoon, untilStop } from './shutdown.ts';

async function loadBot() {
  const [{ commands }, { createLogger }, { lockDatabaseFile }] = await Promise.all([
    import('../../commands/index.ts'),
    import('../core/log.ts'),
    import('../adapters/store/lock.ts'),
  ]);
  return { commands, createLogger, lockDatabaseFile };
}

/**
 * Runs until SIGINT or SIGTERM: against Discord with DISCORD_TOKEN set, else against the local
 * Discord with the playground page, so a fresh install does something useful at once.
 *
 * On SQLite it first takes the database file's lock: a second bot on the same file would deliver
 * everything twice and answer every interaction twice, so it does not start at all (a DatabaseError
 * naming the running one). The playground keeps its own file, so it runs beside a bot. On
 * PostgreSQL several processes are the point: leases share the scheduled work instead, and each
 * shard is held under a lease of its own, so that two processes given the same SHARD_IDS do not
 * both connect it (holdShards).
 */
export async function start(config: Config): Promise<void> {
  const { commands, createLogger, lockDatabaseFile } = await loadBot();
  const log = createLogger({ level: config.logLevel });
  if (config.discord.token === null) {
    const database = config.playground.databasePath;
    const lock = lockDatabaseFile(database, { log });
    // Listening from here on: a SIGTERM while starting stops it once started, and releases the lock.
    const stopping = untilStop(log, lock, database);
    try {
      log.info({ database }, 'starting: no DISCORD_TOKEN, so running the playground (a local Discord in this process)');
      const { startPlayground } = await import('../ui/playground/start.ts');
      const playground = await startPlayground({ config, log, commands });
      log.info({ url: playground.url }, `playground ready: open ${playground.url}`);
      const lost = await stopping;
      await playground.stop();
      if (lost) throw lost;
      return;
    } finally {
      lock.release();
    }
  }
  const discord = requireDiscord(config);
  const [{ ingestShipped }, { startBot, deliveryOptions }, shards, { restFor }, { describeStart }] = await Promise.all([
    import('../app/library/shipped.ts'),
    import('../ui/discord/bot.ts'),
    import('../ui/discord/shards.ts'),
    import('../ui/worker.ts'),
    import('../ui/health/describe.ts'),
  ]);
  const database = config.databasePath;
  // Before anything is logged or opened: a second bot on the same SQLite file stops here, in one line.
  const lock = config.databaseUrl === null ? lockDatabaseFile(database, { log }) : null;
  const stopping = untilStop(log, lock, database);
  try {
    // SHARD_COUNT=auto asks Discord (through the proxy when set); SHARD_IDS outside the count is a ConfigError.
    const resolved = await shards.resolveShards(config.shards, () => shards.recommendedShards(restFor(discord)));
    const storage = await openBackends(config, log);
    const lease = leaseFor(config, storage.state.leases);
    const sweep = await sweepKeys(storage.handles, log);
    let health: HealthServer | null = null;
    let held: HeldShards | null = null;
    try {
      // Before the start line and before connecting: a shard another live process holds refuses
      // the start here, in one line, and the log never says it was connecting.
      held = lease && (await holdShards(lease, resolved, log, stopping));
      // SIGINT or SIGTERM while waiting for a shard: nothing was connected.
      if (lease && !held) return;
      log.info(
        { ...describeStart(config, 'start', resolved), api: discord.apiUrl, ...(config.databaseUrl === null && { database }) },
        'starting: connecting to Discord',
      );
      await ingestShipped(storage.store, log);
      const bot = await startBot({ discord, ...storage, commands, log, delivery: deliveryOptions(config), shards: resolved, ...(lease && { lease }) });
      let lost: Error | null;
      try {
        health = await serveHealth(config, 'start', { ...backendChecks(storage.handles), shards: shardsCheck(bot.client, resolved.ids) }, log);
        lost = await (held ? Promise.race([stopping, held.lost]) : stopping);
      } finally {
        // The schedule stops, a run stops between two messages, the gateway closes; then drain releases the leases.
        await bot.stop();
      }
      if (lost) throw lost;
    } finally {
      // Only once the gateway has closed: the shards go back before the other leases.
      await held?.stop();
      await drain(storage, lease, health, log, sweep);
    }
    exitSoon();
  } finally {
    lock?.release();
  }
}

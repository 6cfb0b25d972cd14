/**
 * The composition root's roles (split from src/main.ts, which parses the command line): each wires
 * the adapters the settings choose into one front end and runs it until SIGINT or SIGTERM.
 *   start       the gateway shards, the commands, and delivery unless DELIVERY=off
 *   worker      delivery, feed polls and the inbox over REST, no gateway (needs DATABASE_URL)
 *   rest-proxy  one Discord rate-limit budget for every process of the bot
 * Each logs one start line (describeStart), serves /healthz with HEALTH_PORT, and drains at SIGTERM:
 * the schedule stops, a run stops between messages, the leases are released, connections close.
 */
import { UserError } from './core/errors.ts';
import type { Logger } from './core/log.ts';
import { type Config, requireDiscord } from './config.ts';
import { DatabaseError } from './adapters/store/errors.ts';
import type { ProcessLock } from './adapters/store/lock.ts';
import type { OpenedStorage, StorageHandles } from './adapters/store/bot-storage.ts';
import { processHolderId } from './adapters/store/leases.ts';
import { postgresCheck, redisCheck, shardsCheck, sqliteCheck } from './ui/health/checks.ts';
import type { LeaseOptions } from './app/lease-options.ts';
import type { HealthCheck, HealthServer, Role } from './ui/health/server.ts';

async function loadBot() {
  const [{ commands }, { createLogger }, { lockDatabaseFile }] = await Promise.all([
    import('../commands/index.ts'),
    import('./core/log.ts'),
    import('./adapters/store/lock.ts'),
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
 * PostgreSQL several processes are the point: leases share the scheduled work instead.
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
      const { startPlayground } = await import('./ui/playground/start.ts');
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
  const [{ ingestShipped }, { startBot, deliveryOptions }, shards, { restFor }] = await Promise.all([
    import('./app/library/shipped.ts'),
    import('./ui/discord/bot.ts'),
    import('./ui/discord/shards.ts'),
    import('./ui/worker.ts'),
  ]);
  const database = config.databasePath;
  // Before anything is logged or opened: a second bot on the same SQLite file stops here, in one line.
  const lock = config.databaseUrl === null ? lockDatabaseFile(database, { log }) : null;
  const stopping = untilStop(log, lock, database);
  try {
    // SHARD_COUNT=auto asks Discord (through the proxy when set); SHARD_IDS outside the count is a ConfigError.
    const resolved = await shards.resolveShards(config.shards, () => shards.recommendedShards(restFor(discord)));
    const { describeStart } = await import('./ui/health/describe.ts');
    log.info(
      { ...describeStart(config, 'start', resolved), api: discord.apiUrl, ...(config.databaseUrl === null && { database }) },
      'starting: connecting to Discord',
    );
    const storage = await openBackends(config, log);
    const lease = leaseFor(config, storage.state.leases);
    let health: HealthServer | null = null;
    try {
      await ingestShipped(storage.store, log);
      const bot = await startBot({ discord, ...storage, commands, log, delivery: deliveryOptions(config), shards: resolved, ...(lease && { lease }) });
      let lost: DatabaseError | null;
      try {
        health = await serveHealth(config, 'start', { ...backendChecks(storage.handles), shards: shardsCheck(bot.client, resolved.ids) }, log);
        lost = await stopping;
      } finally {
        // The schedule stops, a run stops between two messages, the gateway closes; then drain releases the leases.
        await bot.stop();
      }
      if (lost) throw lost;
    } finally {
      await drain(storage, lease, health, log);
    }
    exitSoon();
  } finally {
    lock?.release();
  }
}

/** `paperboy worker`: refused on SQLite, whose file lock would keep it from running beside a bot. */
export async function worker(config: Config): Promise<void> {
  const discord = requireDiscord(config);
  if (config.databaseUrl === null)
    throw new UserError(
      'unavailable',
      'worker: needs DATABASE_URL (PostgreSQL): a worker runs beside other Paperboy processes, and several processes need PostgreSQL; on one machine with SQLite, `paperboy start` delivers by itself',
    );
  const [{ createLogger }, { startWorker }, { deliveryOptions }, { describeStart }] = await Promise.all([
    import('./core/log.ts'),
    import('./ui/worker.ts'),
    import('./ui/discord/delivery-wiring.ts'),
    import('./ui/health/describe.ts'),
  ]);
  const log = createLogger({ level: config.logLevel });
  log.info({ ...describeStart(config, 'worker'), api: discord.apiUrl }, 'starting: worker (delivery without a gateway)');
  const stopping = untilStop(log, null, config.databasePath);
  const storage = await openBackends(config, log);
  const lease = leaseFor(config, storage.state.leases);
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
    await drain(storage, lease, health, log);
  }
  exitSoon();
}

/** `paperboy rest-proxy`: forwards every bot process's REST calls within one budget until stopped. */
export async function restProxy(config: Config): Promise<void> {
  const discord = requireDiscord(config);
  const [{ createLogger }, { startRestProxy, isLoopback }, { describeStart }] = await Promise.all([
    import('./core/log.ts'),
    import('./ui/rest-proxy/server.ts'),
    import('./ui/health/describe.ts'),
  ]);
  const log = createLogger({ level: config.logLevel });
  const { host, port } = config.restProxy;
  log.info(describeStart(config, 'rest-proxy'), 'starting: REST proxy');
  const remote = !isLoopback(host);
  if (remote)
    log.warn(
      { host },
      'REST_PROXY_HOST is not a loopback address: anyone who reaches the proxy can use the bot token it is sent; keep it behind a firewall or a private network',
    );
  const stopping = untilStop(log, null, '');
  const proxy = await startRestProxy({ apiUrl: discord.apiUrl, host, port, allowRemote: remote, token: discord.token, log });
  let health: HealthServer | null = null;
  try {
    health = await serveHealth(config, 'rest-proxy', {}, log);
    await stopping;
  } finally {
    await health?.close();
    await proxy.stop();
  }
  exitSoon();
}

type Backends = OpenedStorage;

async function openBackends(config: Config, log: Logger): Promise<Backends> {
  const { openStorage } = await import('./adapters/store/bot-storage.ts');
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
function leaseFor(config: Config, repo: LeaseOptions['repo']): LeaseOptions | null {
  if (config.databaseUrl === null) return null;
  return { repo, holder: processHolderId(), ttlMs: config.leaseMs };
}

/** What the health check asks of the storage: the database the process uses, and Redis when it uses it. */
function backendChecks(handles: StorageHandles): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = handles.kind === 'postgres' ? { postgres: postgresCheck(handles.pool) } : { sqlite: sqliteCheck(handles.db) };
  if (handles.redisPing) checks.redis = redisCheck(handles.redisPing);
  return checks;
}

async function serveHealth(config: Config, role: Role, checks: Record<string, HealthCheck>, log: Logger): Promise<HealthServer | null> {
  if (config.health === null) return null;
  const { startHealthServer } = await import('./ui/health/server.ts');
  const health = await startHealthServer({ host: config.health.host, port: config.health.port, role, checks, log });
  log.info({ url: health.url, checks: Object.keys(checks) }, 'health check listening');
  return health;
}

/** After the work has stopped: the leases this process holds go back at once (not at their expiry), then the connections close. */
async function drain(storage: Backends, lease: LeaseOptions | null, health: HealthServer | null, log: Logger): Promise<void> {
  if (lease) {
    try {
      const released = await lease.repo.releaseAll(lease.holder);
      log.info({ released, holder: lease.holder }, 'leases released');
    } catch (error) {
      log.warn({ err: error }, 'leases not released: they expire by themselves');
    }
  }
  await health?.close();
  await storage.close();
  log.info('stopped');
}

/** How long the process may linger once it has stopped and closed what it owns. */
const EXIT_GRACE_MS = 1000;

/**
 * Once the bot has stopped and closed everything it owns, a message it abandoned at shutdown can
 * still sit in discord.js's rate-limit wait (a timer no one can cancel: up to a window, or a 429's
 * Retry-After) and keep the process alive, sending nothing. The timer is unref'd: a process with
 * nothing left ends at once; otherwise it ends after the grace, with the exit code already set.
 */
function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

/**
 * Resolves with null on SIGINT or SIGTERM; with the reason to stop when another process took the
 * database lock over (this one was unresponsive past the stale bound), so that only one runs.
 */
function untilStop(log: Logger, lock: ProcessLock | null, database: string): Promise<DatabaseError | null> {
  const signalled = new Promise<null>((done) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      done(null);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (!lock) return signalled;
  const lost = lock.lost.then(
    (holder) =>
      new DatabaseError(
        database,
        `${database}: this Paperboy stopped: it was unresponsive for longer than its database lock allows, and pid ${holder.pid} on ${holder.hostname} took the lock over at ${holder.startedAt}`,
      ),
  );
  return Promise.race([signalled, lost]);
}

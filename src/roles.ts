/**
 * The composition root's roles (split from src/main.ts, which parses the command line): each wires
 * the adapters the settings choose into one front end and runs it until SIGINT or SIGTERM.
 *   start       the gateway shards, the commands, and delivery unless DELIVERY=off
 *   worker      delivery, feed polls and the inbox over REST, no gateway (needs DATABASE_URL)
 *   rest-proxy  one Discord rate-limit budget for every process of the bot
 * Each logs one start line (describeStart), serves /healthz with HEALTH_PORT, and drains at SIGTERM:
 * the schedule stops, a run stops between messages, the leases are released, connections close.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError } from './core/errors.ts';
import type { Logger } from './core/log.ts';
import { type Config, requireDiscord } from './config.ts';
import { DatabaseError } from './adapters/store/errors.ts';
import type { ProcessLock } from './adapters/store/lock.ts';
import type { OpenedStorage, StorageHandles } from './adapters/store/bot-storage.ts';
import { type KeptLease, keepLease, processHolderId } from './adapters/store/leases.ts';
import type { KvSweep } from './adapters/store/postgres/kv.ts';
import type { ResolvedShards } from './ui/discord/shards.ts';
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
    const sweep = await sweepKeys(storage.handles, log);
    let health: HealthServer | null = null;
    let held: HeldShards | null = null;
    try {
      // Before connecting: a shard another live process holds refuses the start here, in one line.
      held = lease && (await holdShards(lease, resolved, log, stopping));
      // SIGINT or SIGTERM while waiting for a shard: nothing was connected.
      if (lease && !held) return;
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

/**
 * On PostgreSQL, the short-lived keys (button states, cooldowns) that expired are deleted every ten
 * minutes: reads skip them, but nothing else would, and the kv table would grow for ever. Every
 * `start` and `worker` sweeps; the DELETE is the same whoever runs it. (Redis expires its own keys;
 * SQLite's kv store deletes an expired key when it is read.)
 */
async function sweepKeys(handles: StorageHandles, log: Logger): Promise<KvSweep | null> {
  if (handles.kind !== 'postgres') return null;
  const { sweepExpiredKeys } = await import('./adapters/store/postgres/kv.ts');
  return sweepExpiredKeys(handles.pool, { log });
}

/** The shards this process connects, each held under its lease for as long as the process runs. */
interface HeldShards {
  /** Resolves with the reason to stop when another process has taken one of them over. */
  readonly lost: Promise<UserError>;
  /** Stops renewing and releases every shard's lease. */
  stop(): Promise<void>;
}

/** Past a lease's ttl, how much longer a shard found held is waited for before the start is refused. */
const SHARD_FREE_MARGIN_MS = 1000;

/** The lease of one shard: with the count, since shard 0 of 2 and shard 0 of 4 are different connections. */
function shardLeaseName(id: number, count: number): string {
  return `shard:${id}/${count}`;
}

function aborted(signal: AbortSignal): Promise<void> {
  return new Promise((done) => (signal.aborted ? done() : signal.addEventListener('abort', () => done(), { once: true })));
}

/**
 * Takes the lease of every shard this process runs, in ascending order (two processes given the same
 * SHARD_IDS meet at the first), and keeps them. A shard another live process holds is a UserError
 * naming the shard and that process's holder id (host:pid:…): two processes on one shard would both
 * get every interaction, and the second answer fails. Resolves null when `signalled` (SIGINT or
 * SIGTERM) came while it waited for a shard. Renewal is keepLease's; when it gives up (the
 * database unreachable for two thirds of the ttl, or the row changed), the lease is claimed again:
 * only a live lease of another holder means the shard is lost, and then `lost` resolves. An outage of
 * the database alone does not stop the bot.
 */
async function holdShards(lease: LeaseOptions, resolved: ResolvedShards, log: Logger, signalled: Promise<unknown>): Promise<HeldShards | null> {
  const { repo, holder, ttlMs } = lease;
  const kept = new Map<string, KeptLease>();
  let stopped = false;
  let stopAsked = false;
  void signalled.then(() => (stopAsked = true));
  let tellLost: (error: UserError) => void = () => undefined;
  const lost = new Promise<UserError>((done) => (tellLost = done));
  const stop = async (): Promise<void> => {
    stopped = true;
    await Promise.all([...kept.values()].map((k) => k.stop()));
  };
  const taken = async (id: number, name: string): Promise<string> => {
    const other = await repo.holderOf(name).catch(() => null);
    return `shard ${id} of ${resolved.count} is connected by another Paperboy (${other?.holder ?? 'a process that has let it go since'})`;
  };

  const keep = async (id: number, name: string): Promise<void> => {
    for (;;) {
      const current = kept.get(name);
      if (current) await aborted(current.signal);
      if (stopped) return;
      log.warn({ shard: id, lease: name }, 'the lease on a shard lapsed (not renewed in time, or changed); claiming it again');
      let again: KeptLease | null = null;
      while (!stopped) {
        try {
          again = await keepLease(repo, name, holder, ttlMs, { log });
          break;
        } catch (error) {
          log.warn({ err: error, shard: id }, 'the lease on a shard could not be claimed again; retrying');
          await sleep(Math.max(1, Math.floor(ttlMs / 3)), undefined, { ref: false });
        }
      }
      if (stopped) return void (await again?.stop());
      if (again) {
        kept.set(name, again);
        continue;
      }
      const why = await taken(id, name);
      log.error({ shard: id, lease: name }, `${why}: it took the shard over while this one was unresponsive; stopping`);
      kept.delete(name);
      return tellLost(new UserError('unavailable', `start: this Paperboy stopped: ${why}, which took it over while this one was unresponsive`));
    }
  };

  // A holder that is alive renews its lease; one that died (SIGKILL, a crash) leaves it to run out
  // within a ttl. So a shard found held is claimed again until a ttl has passed before refusing: a
  // restart right after a crash starts, a second process beside a live one is refused.
  const claimFirst = async (id: number, name: string): Promise<KeptLease | null> => {
    const until = Date.now() + ttlMs + SHARD_FREE_MARGIN_MS;
    let told = false;
    for (;;) {
      const first = await keepLease(repo, name, holder, ttlMs, { log });
      if (first || stopAsked) return first;
      const why = await taken(id, name);
      if (Date.now() >= until)
        throw new UserError(
          'unavailable',
          `start: ${why}: two processes on one shard would both answer every interaction; give each process its own SHARD_IDS, or stop the other one first`,
        );
      if (!told)
        log.warn(
          { shard: id, lease: name },
          `${why}; waiting up to ${Math.ceil((until - Date.now()) / 1000)} s for its lease to run out, in case that process has died`,
        );
      told = true;
      await Promise.race([sleep(Math.min(1000, Math.max(1, Math.floor(ttlMs / 4)))), signalled]);
    }
  };
  for (const id of resolved.ids) {
    const name = shardLeaseName(id, resolved.count);
    const first = await claimFirst(id, name).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    if (!first) {
      await stop();
      return null;
    }
    kept.set(name, first);
  }
  for (const id of resolved.ids) void keep(id, shardLeaseName(id, resolved.count));
  return { lost, stop };
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
async function drain(storage: Backends, lease: LeaseOptions | null, health: HealthServer | null, log: Logger, sweep: KvSweep | null): Promise<void> {
  sweep?.stop();
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

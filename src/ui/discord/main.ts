/**
 * `paperboy start` and `paperboy deploy-commands`: the bot's two entry points. Configuration is
 * checked before anything else, so a missing key stops start-up with one line naming it.
 */
import { commands } from '../../../commands/index.ts';
import { ingestShipped } from '../../app/library/shipped.ts';
import { type Config, loadConfig, requireDiscord } from '../../config.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { startPlayground } from '../playground/start.ts';
import { DatabaseError } from '../../adapters/store/errors.ts';
import { type ProcessLock, lockDatabaseFile } from '../../adapters/store/lock.ts';
import { ArticleStore } from '../../adapters/store/store.ts';
import { createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import { startBot } from './bot.ts';
import { deployCommands } from './deploy.ts';

/**
 * Runs until SIGINT or SIGTERM: against Discord with DISCORD_TOKEN set, else against the local
 * Discord with the playground page, so a fresh install does something useful at once.
 *
 * First it takes the database file's lock: a second bot on the same file would deliver everything
 * twice and answer every interaction twice, so it does not start at all (a DatabaseError naming
 * the running one). The playground keeps its own file, so it runs beside a bot.
 */
export async function start(config: Config = loadConfig()): Promise<void> {
  const log = createLogger({ level: config.logLevel });
  const database = config.discord.token === null ? config.playground.databasePath : config.databasePath;
  const lock = lockDatabaseFile(database, { log });
  // Listening from here on: a SIGTERM while starting stops the bot once started, and releases the
  // lock, instead of killing the process with the lock held.
  const stopping = untilStop(log, lock, database);
  try {
    if (config.discord.token === null) {
      log.info({ database }, 'starting: no DISCORD_TOKEN, so running the playground (a local Discord in this process)');
      const playground = await startPlayground({ config, log, commands });
      log.info({ url: playground.url }, `playground ready: open ${playground.url}`);
      const lost = await stopping;
      await playground.stop();
      if (lost) throw lost;
      return;
    }
    const discord = requireDiscord(config);
    log.info({ api: discord.apiUrl, database }, 'starting: connecting to Discord');
    const store = ArticleStore.open(database);
    await ingestShipped(store, log);
    const bot = await startBot({ discord, store, commands, log, delivery: { cron: config.deliveryCron, inboxDir: config.inboxDir, inboxMaxBytes: config.maxInputBytes, feedParser: createFeedParser(), feedFetch: { allow: config.feedAllow } } });
    const lost = await stopping;
    await bot.stop();
    store.close();
    exitSoon();
    if (lost) throw lost;
  } finally {
    lock.release();
  }
}

/** How long the process may linger once the bot has stopped and closed what it owns. */
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
function untilStop(log: Logger, lock: ProcessLock, database: string): Promise<DatabaseError | null> {
  const signalled = new Promise<null>((done) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      done(null);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  const lost = lock.lost.then(
    (holder) =>
      new DatabaseError(
        database,
        `${database}: this Paperboy stopped: it was unresponsive for longer than its database lock allows, and pid ${holder.pid} on ${holder.hostname} took the lock over at ${holder.startedAt}`,
      ),
  );
  return Promise.race([signalled, lost]);
}

export async function deploy(config: Config = loadConfig(), out: (line: string) => void = console.log): Promise<void> {
  const discord = requireDiscord(config, { applicationId: true });
  const result = await deployCommands(discord, commands);
  const where = result.scope === 'guild' ? `guild ${discord.guildId}` : 'all guilds (global commands can take up to an hour to show)';
  out(result.changed ? `registered ${result.count} commands for ${where}` : `${result.count} commands already registered for ${where}; nothing changed`);
}

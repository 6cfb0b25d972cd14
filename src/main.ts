/**
 * The composition root: the `paperboy` executable. It reads the settings, picks the front end
 * (the bot on Discord, or the playground without a token, or one of the CLI's commands), and wires
 * the adapters into it. Nothing else in src/ chooses an implementation or the slash command set.
 */
import type { Command } from 'commander';
import { type Config, ConfigError, loadConfig, requireDiscord } from './config.ts';
import type { Logger } from './core/log.ts';
import { type Io, processIo } from './ui/cli/context.ts';
import { UserError, errorMessage } from './core/errors.ts';
import { DatabaseError } from './adapters/store/errors.ts';
import type { ProcessLock } from './adapters/store/lock.ts';
import { run } from './ui/cli/main.ts';

type BotCommand = 'start' | 'deploy-commands';

/**
 * The bot's modules load only when one of these runs, so the CLI stays quick; and commander answers
 * `--help` before any action runs, so help never starts the bot nor asks for a token.
 */
async function runBot(command: BotCommand, cmd: Command, io: Io, setExitCode: (code: number) => void): Promise<void> {
  const db = cmd.optsWithGlobals<{ db?: string }>().db;
  // A ConfigError propagates: the CLI prints it as one line and exits 1.
  const config = loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
  try {
    await (command === 'start' ? start(config) : deploy(config, (line) => io.out(line)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A database that cannot be used as it is, or one another bot holds: one line, exit 1.
    if (error instanceof DatabaseError) throw new UserError('unavailable', error.message);
    // discord.js errors name the route and Discord's message; none of them carries the token.
    io.err(`paperboy: ${command} failed: ${errorMessage(error)}`);
    setExitCode(2);
  }
}

// One line each in \`paperboy --help\`; the rest shows in the command's own help. Wrapped by hand:
// commander wraps descriptions to the terminal, but not text added after them.
const START_HELP = `
Runs until Ctrl-C or SIGTERM: on Discord when DISCORD_TOKEN is set, else the
playground, a local Discord shown in your browser. Settings come from the
environment or a .env file here (see .env.example). --db sets the bot's
database (else DATABASE_PATH); the playground keeps its own database
(PLAYGROUND_DATABASE_PATH).`;
const DEPLOY_HELP = `
Registers them in the server DISCORD_GUILD_ID when set (they show at once),
else globally (Discord can take up to an hour to show them). Needs
DISCORD_TOKEN and DISCORD_APPLICATION_ID, from the environment or a .env file
here (see .env.example). Running it again changes nothing unless the commands
changed.`;

function registerBotCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('start')
    .description('run the bot, or the playground without a token')
    .addHelpText('after', START_HELP)
    .action((_opts: unknown, cmd: Command) => runBot('start', cmd, io, setExitCode));
  program
    .command('deploy-commands')
    .description('register the slash commands with Discord')
    .addHelpText('after', DEPLOY_HELP)
    .action((_opts: unknown, cmd: Command) => runBot('deploy-commands', cmd, io, setExitCode));
}

/** Resolves to the exit status. */
export function main(argv: readonly string[]): Promise<number> {
  return run(argv, processIo, [registerBotCommands]);
}

/**
 * The bot's modules load only when the bot or the playground starts, so the CLI stays quick.
 */
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
 * First it takes the database file's lock: a second bot on the same file would deliver everything
 * twice and answer every interaction twice, so it does not start at all (a DatabaseError naming
 * the running one). The playground keeps its own file, so it runs beside a bot.
 */
async function start(config: Config): Promise<void> {
  const { commands, createLogger, lockDatabaseFile } = await loadBot();
  const log = createLogger({ level: config.logLevel });
  const database = config.discord.token === null ? config.playground.databasePath : config.databasePath;
  const lock = lockDatabaseFile(database, { log });
  // Listening from here on: a SIGTERM while starting stops the bot once started, and releases the
  // lock, instead of killing the process with the lock held.
  const stopping = untilStop(log, lock, database);
  try {
    if (config.discord.token === null) {
      log.info({ database }, 'starting: no DISCORD_TOKEN, so running the playground (a local Discord in this process)');
      const { startPlayground } = await import('./ui/playground/start.ts');
      const playground = await startPlayground({ config, log, commands });
      log.info({ url: playground.url }, `playground ready: open ${playground.url}`);
      const lost = await stopping;
      await playground.stop();
      if (lost) throw lost;
      return;
    }
    const discord = requireDiscord(config);
    log.info({ api: discord.apiUrl, database }, 'starting: connecting to Discord');
    const [{ SqliteStore }, { sqliteBotStorage, redisBotStorage, redisHost }, { ingestShipped }, { startBot, deliveryOptions }] = await Promise.all([
      import('./adapters/store/sqlite-store.ts'),
      import('./adapters/store/bot-storage.ts'),
      import('./app/library/shipped.ts'),
      import('./ui/discord/bot.ts'),
    ]);
    // The storage is chosen here, not in the Discord front end: SQLite, all in the one database file,
    // with the short-lived state (buttons, cooldowns) on Redis when REDIS_URL is set.
    const store = SqliteStore.open(database);
    const { redisUrl } = config;
    const storage =
      redisUrl === null
        ? { ...sqliteBotStorage(store, log), close: () => Promise.resolve() }
        : await redisBotStorage(store, redisUrl, { log }).catch(async (error: unknown) => {
            await store.close();
            throw error;
          });
    if (redisUrl === null) log.info({ database }, 'short-lived state (buttons, cooldowns) kept in the SQLite file');
    else log.info({ redis: redisHost(redisUrl) }, 'short-lived state (buttons, cooldowns) kept in Redis');
    await ingestShipped(store, log);
    const bot = await startBot({ discord, store, state: storage.state, keyv: storage.keyv, commands, log, delivery: deliveryOptions(config) }).catch(
      async (error: unknown) => {
        // An open Redis connection would keep the process alive after a failed start.
        await storage.close();
        throw error;
      },
    );
    const lost = await stopping;
    await bot.stop();
    await storage.close();
    await store.close();
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

async function deploy(config: Config, out: (line: string) => void): Promise<void> {
  const discord = requireDiscord(config, { applicationId: true });
  const [{ commands }, { deployCommands }] = await Promise.all([import('../commands/index.ts'), import('./ui/discord/deploy.ts')]);
  const result = await deployCommands(discord, commands);
  const where = result.scope === 'guild' ? `guild ${discord.guildId}` : 'all guilds (global commands can take up to an hour to show)';
  out(result.changed ? `registered ${result.count} commands for ${where}` : `${result.count} commands already registered for ${where}; nothing changed`);
}

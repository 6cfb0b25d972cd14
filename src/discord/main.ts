/**
 * `paperboy start` and `paperboy deploy-commands`: the bot's two entry points. Configuration is
 * checked before anything else, so a missing key stops start-up with one line naming it.
 */
import { commands } from '../../commands/index.ts';
import { ingestShipped } from '../articles/shipped.ts';
import { type Config, loadConfig, requireDiscord } from '../config.ts';
import { createLogger, type Logger } from '../log.ts';
import { startPlayground } from '../playground/start.ts';
import { ArticleStore } from '../store/store.ts';
import { parseFeedOffThread } from '../feeds/parse-worker.ts';
import { startBot } from './bot.ts';
import { deployCommands } from './deploy.ts';

/**
 * Runs until SIGINT or SIGTERM: against Discord with DISCORD_TOKEN set, else against the local
 * Discord with the playground page, so a fresh install does something useful at once.
 */
export async function start(config: Config = loadConfig()): Promise<void> {
  const log = createLogger({ level: config.logLevel });
  if (config.discord.token === null) {
    log.info({ database: config.playground.databasePath }, 'starting: no DISCORD_TOKEN, so running the playground (a local Discord in this process)');
    const playground = await startPlayground({ config, log, commands });
    log.info({ url: playground.url }, `playground ready: open ${playground.url}`);
    await untilSignal(log);
    await playground.stop();
    return;
  }
  const discord = requireDiscord(config);
  log.info({ api: discord.apiUrl, database: config.databasePath }, 'starting: connecting to Discord');
  const store = ArticleStore.open(config.databasePath);
  await ingestShipped(store, log);
  const bot = await startBot({ discord, store, commands, log, delivery: { cron: config.deliveryCron, inboxDir: config.inboxDir, inboxMaxBytes: config.maxInputBytes, parseFeed: parseFeedOffThread, feedFetch: { allow: config.feedAllow } } });
  await untilSignal(log);
  await bot.stop();
  store.close();
}

function untilSignal(log: Logger): Promise<void> {
  return new Promise<void>((done) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export async function deploy(config: Config = loadConfig(), out: (line: string) => void = console.log): Promise<void> {
  const discord = requireDiscord(config, { applicationId: true });
  const result = await deployCommands(discord, commands);
  const where = result.scope === 'guild' ? `guild ${discord.guildId}` : 'all guilds (global commands can take up to an hour to show)';
  out(result.changed ? `registered ${result.count} commands for ${where}` : `${result.count} commands already registered for ${where}; nothing changed`);
}

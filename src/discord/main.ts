/**
 * `paperboy start` and `paperboy deploy-commands`: the bot's two entry points. Configuration is
 * checked before anything else, so a missing key stops start-up with one line naming it.
 */
import { resolve } from 'node:path';
import { commands } from '../../commands/index.ts';
import { collectFiles, emptyReport, ingestSources, readFiles } from '../articles/ingest.ts';
import { type Config, PROJECT_ROOT, loadConfig, requireDiscord } from '../config.ts';
import { createLogger, type Logger } from '../log.ts';
import { ArticleStore } from '../store/store.ts';
import { parseFeed } from '../feeds/parse.ts';
import { startBot } from './bot.ts';
import { deployCommands } from './deploy.ts';

/** Files under data/articles are stored on start, so a fresh install has something to serve. */
async function ingestShipped(store: ArticleStore, log: Logger): Promise<void> {
  const report = emptyReport();
  const files = await collectFiles([resolve(PROJECT_ROOT, 'data', 'articles')], report);
  await ingestSources(readFiles(files, report), store, { source: null }, report);
  log.info({ added: report.added, updated: report.updated, unchanged: report.unchanged, failed: report.failed }, 'ingested data/articles');
  for (const f of report.failures) log.warn({ file: f.file }, f.error);
}

/** Runs the bot until SIGINT or SIGTERM. */
export async function start(config: Config = loadConfig()): Promise<void> {
  const discord = requireDiscord(config);
  const log = createLogger({ level: config.logLevel });
  log.info({ api: discord.apiUrl, database: config.databasePath }, 'starting: connecting to Discord');
  const store = ArticleStore.open(config.databasePath);
  await ingestShipped(store, log);
  const bot = await startBot({ discord, store, commands, log, delivery: { cron: config.deliveryCron, inboxDir: config.inboxDir, parseFeed } });
  await new Promise<void>((done) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await bot.stop();
  store.close();
}

export async function deploy(config: Config = loadConfig(), out: (line: string) => void = console.log): Promise<void> {
  const discord = requireDiscord(config, { applicationId: true });
  const result = await deployCommands(discord, commands);
  const where = result.scope === 'guild' ? `guild ${discord.guildId}` : 'all guilds (global commands can take up to an hour to show)';
  out(result.changed ? `registered ${result.count} commands for ${where}` : `${result.count} commands already registered for ${where}; nothing changed`);
}

/**
 * `npm start` without a Discord token: the local Discord in this process, the real bot logged into
 * it with delivery on, and the page that shows it. Everything the bot does here it does exactly as
 * on Discord; only the Discord is local.
 */
import type { Config } from '../../config.ts';
import { ingestShipped } from '../../app/library/shipped.ts';
import { type Bot, deliveryOptions, startBot } from '../discord/bot.ts';
import { clientOptionsFor, type FakeDiscordOptions } from '@paperboy/fake-discord';
import type { Logger } from '../../core/log.ts';
import { sqliteBotStorage } from '../../adapters/store/bot-storage.ts';
import { clearDiscordState } from '../../adapters/store/state.ts';
import { SqliteStore } from '../../adapters/store/sqlite-store.ts';
import type { SlashCommand } from '../discord/command.ts';
import { PlaygroundApi } from './api.ts';
import { loadAssets } from './assets.ts';
import { EventHub } from './events.ts';
import { startServer } from './server.ts';
import { createWorld } from './world.ts';

export interface PlaygroundOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly commands: readonly SlashCommand[];
  /** Where shipped articles are read from; default data/articles. */
  readonly articlesDir?: string;
  /** The local Discord's settings (tests loosen its rate limits). */
  readonly fake?: FakeDiscordOptions;
}

export interface Playground {
  readonly url: string;
  readonly bot: Bot;
  readonly store: SqliteStore;
  stop(): Promise<void>;
}

/**
 * A composition of its own, beside src/main.ts's: the playground picks its own storage (SQLite, in
 * its own database file, so it runs beside a bot) and its own Discord, the local one.
 */
export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { config, log } = options;
  const store = SqliteStore.open(config.playground.databasePath);
  const stack: Array<() => Promise<void> | void> = [() => store.close()];
  const stop = async (): Promise<void> => {
    for (const undo of stack.splice(0).reverse()) await undo();
  };
  try {
    const storage = sqliteBotStorage(store, log);
    // What the bot kept about the last playground's channels, threads, buttons and cooldowns: its
    // Discord lived in memory and is gone, so these would only point at channels that no longer
    // exist. Articles and feeds stay.
    clearDiscordState(store.db);
    for (const kv of Object.values(storage.keyv)) await kv.clear();
    await ingestShipped(store, log, options.articlesDir);
    const assets = await loadAssets();
    const world = await createWorld(options.commands, { logger: (line) => log.trace(line), ...options.fake });
    stack.push(() => world.fake.close());
    // The point of a preview: anything real Discord would refuse is said out loud.
    world.fake.on('violation', (v) =>
      log.warn({ request: `${v.method} ${v.path}`, status: v.status, code: v.code }, `Discord would refuse this: ${v.message}`),
    );
    const bot = await startBot({
      discord: world.discord,
      store,
      ...storage,
      commands: options.commands,
      log,
      client: clientOptionsFor(world.fake),
      delivery: deliveryOptions(config),
    });
    stack.push(() => bot.stop());
    const hub = new EventHub(world.fake, world.me.id);
    stack.push(() => hub.close());
    const server = await startServer({ host: config.playground.host, port: config.playground.port, api: new PlaygroundApi(world, hub), hub, assets, log });
    stack.push(() => server.close());
    return { url: server.url, bot, store, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * `npm start` without a Discord token: the local Discord in this process, the real bot logged into
 * it with delivery on, and the page that shows it. Everything the bot does here it does exactly as
 * on Discord; only the Discord is local.
 */
import type { Config } from '../../config.ts';
import { ingestShipped } from '../../app/library/shipped.ts';
import { type Bot, startBot } from '../discord/bot.ts';
import { clientOptionsFor, type FakeDiscordOptions } from '@paperboy/fake-discord';
import { createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import type { Logger } from '../../core/log.ts';
import { openKeyv } from '../../adapters/store/kv.ts';
import { clearDiscordState } from '../../adapters/store/state.ts';
import { ArticleStore } from '../../adapters/store/store.ts';
import type { SlashCommand } from '../discord/command.ts';
import { PlaygroundApi } from './api.ts';
import { loadAssets } from './assets.ts';
import { EventHub } from './events.ts';
import { startServer } from './server.ts';
import { createWorld } from './world.ts';

/**
 * What the bot keeps about channels, threads and buttons of the last playground: its Discord lived
 * in memory and is gone, so these would only point at channels that no longer exist. Articles and
 * feeds stay. Subscriptions, delivery progress and threads are cleared by clearDiscordState.
 */
const WORLD_NAMESPACES = ['cooldowns', 'bot'];

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
  readonly store: ArticleStore;
  stop(): Promise<void>;
}

export async function startPlayground(options: PlaygroundOptions): Promise<Playground> {
  const { config, log } = options;
  const store = ArticleStore.open(config.playground.databasePath);
  const stack: Array<() => Promise<void> | void> = [() => store.close()];
  const stop = async (): Promise<void> => {
    for (const undo of stack.splice(0).reverse()) await undo();
  };
  try {
    clearDiscordState(store.db);
    for (const ns of WORLD_NAMESPACES) await openKeyv(store.db, ns).clear();
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
      commands: options.commands,
      log,
      client: clientOptionsFor(world.fake),
      delivery: {
        cron: config.deliveryCron,
        inboxDir: config.inboxDir,
        inboxMaxBytes: config.maxInputBytes,
        feedParser: createFeedParser(),
        feedFetch: { allow: config.feedAllow },
      },
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

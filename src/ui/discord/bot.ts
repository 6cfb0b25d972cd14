/**
 * The bot process: a discord.js client logged in with the configured token, answering
 * interactions through the router. Nothing is registered here; commands are deployed separately.
 */
import { Client, type ClientOptions, Events, GatewayIntentBits, Partials } from 'discord.js';
import type Keyv from 'keyv';
import type { Config, DiscordConfig } from '../../config.ts';
import type { Logger } from '../../core/log.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { SlashCommand } from './command.ts';
import { createCodec } from './custom-id.ts';
import { createRouter } from './router.ts';
import { createDeliveryEngine } from '../../app/delivery/engine.ts';
import { DeliveryRunner } from '../../app/delivery/run.ts';
import { scheduleDelivery } from '../../app/delivery/schedule.ts';
import { Subscriptions } from '../../app/delivery/subscriptions.ts';
import { discordPoster } from './discord-poster.ts';
import { watchThreads } from './threads.ts';
import { type ArticleThread, ThreadIndex } from '../../app/discussion/threads.ts';
import { processInbox } from '../../app/library/inbox.ts';
import type { FetchLimits } from '../../adapters/feeds/fetch.ts';
import { type PollResult, pollFeeds, pollOne } from '../../app/feeds/poll.ts';
import { type FeedParser, createFeedParser } from '../../adapters/feeds/parse-worker.ts';
import { FeedRegistry } from '../../app/feeds/registry.ts';

function logPolls(results: readonly PollResult[], log: Logger): void {
  for (const r of results) {
    if (r.outcome === 'cut-off') log.info({ feed: r.url }, 'feed read cut off by shutdown; read again on the next run');
    else if (r.outcome === 'stored') log.info({ feed: r.url, items: r.items, added: r.added, updated: r.updated }, 'feed read');
    else if (r.outcome === 'failed') log.warn({ feed: r.url, reason: r.error }, 'feed failed; backing off');
    for (const w of r.warnings) log.warn({ feed: r.url }, w);
  }
}

/**
 * Logs what became of each inbox file. One that could not be moved out stays in the inbox, held
 * (not read again until it changes): that is said when it happens (processInbox gives the reason),
 * and by a bot that finds a file held before it started (a restart in the same process), once per
 * file until it changes. `toldHeld` is the files this bot has said so of.
 */
async function collectInbox(dir: string, store: Store, log: Logger, maxBytes: number | undefined, signal: AbortSignal, toldHeld: Set<string>): Promise<void> {
  for (const f of await processInbox(dir, store, { maxBytes, signal })) {
    if (f.outcome === 'held') {
      if (f.error !== null)
        log.warn({ file: f.file, error: f.error }, 'inbox: could not be moved out of the inbox; it stays there, held, and is not read again until it changes');
      else if (!toldHeld.has(f.file))
        log.warn({ file: f.file }, 'inbox: held: it could not be moved out of the inbox on an earlier run, and is not read again until it changes');
      toldHeld.add(f.file);
      continue;
    }
    toldHeld.delete(f.file);
    if (f.outcome === 'processed') log.info({ file: f.file, added: f.added, updated: f.updated, unchanged: f.unchanged }, 'inbox: stored');
    else if (f.outcome === 'failed') log.warn({ file: f.file, error: f.error }, 'inbox: failed; moved to failed/ with the reason');
  }
}

/**
 * Run subscriptions and delivery; `cron` null means only /deliver runs it. `inboxDir` is read before
 * each run, then the feeds are polled, parsed by `feedParser` (createFeedParser). The bot owns it
 * from then on: stop() closes it, under a parse if need be.
 */
export interface DeliveryOptions {
  readonly cron: string | null;
  readonly inboxDir?: string;
  readonly inboxMaxBytes?: number;
  readonly feedParser: FeedParser;
  readonly feedFetch?: FetchLimits;
}

/** Delivery as the settings ask for it, on Discord and in the playground alike; with a feed parser of its own, which the bot closes. */
export function deliveryOptions(config: Config): DeliveryOptions {
  return {
    cron: config.deliveryCron,
    inboxDir: config.inboxDir,
    inboxMaxBytes: config.maxInputBytes,
    feedParser: createFeedParser(),
    feedFetch: { allow: config.feedAllow },
  };
}

export interface BotOptions {
  readonly discord: DiscordConfig;
  /**
   * The articles. With `state` and `keyv`, the storage its caller chose (src/main.ts for the bot;
   * see sqliteBotStorage): the bot opens none itself, so another backend is picked where it is composed.
   */
  readonly store: Store;
  /** What the bot keeps for good: subscriptions, feeds, delivery progress, article threads. */
  readonly state: BotState;
  /**
   * Short-lived state with an expiry: `buttons` keeps button state and the secret that signs it,
   * `cooldowns` the thread answers' cooldowns (taken with claimKey, which needs an atomic claim).
   */
  readonly keyv: { readonly buttons: Keyv; readonly cooldowns: Keyv };
  readonly commands: readonly SlashCommand[];
  readonly log: Logger;
  /** Extra client options (tests pass the local Discord's gateway settings). */
  readonly client?: Partial<ClientOptions>;
  readonly now?: () => Date;
  /** How long buttons keep working; default STATE_TTL_MS. */
  readonly stateTtlMs?: number;
  /** One answer per person per thread in this time; default ANSWER_COOLDOWN_MS. */
  readonly answerCooldownMs?: number;
  /** Milliseconds since the epoch, for button expiry; default Date.now. */
  readonly clock?: () => number;
  /** Run subscriptions and delivery (deliveryOptions gives them from the settings); without it, neither runs. */
  readonly delivery?: DeliveryOptions;
}

export interface Bot {
  readonly client: Client<true>;
  readonly runner: DeliveryRunner;
  stop(): Promise<void>;
}

export async function startBot(options: BotOptions): Promise<Bot> {
  const { discord, store, state, log } = options;
  const client = new Client({
    ...options.client,
    // Guild messages for live threads; their text needs Message Content, except messages that mention the bot.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...(discord.messageContent ? [GatewayIntentBits.MessageContent] : [])],
    partials: [Partials.Message],
    rest: { ...options.client?.rest, api: discord.apiUrl },
    // A default for every message, on top of the explicit one in each payload.
    allowedMentions: { parse: [] },
  });
  const codec = createCodec({ keyv: options.keyv.buttons, ttlMs: options.stateTtlMs, now: options.clock });
  const now = options.now ?? (() => new Date());
  const subscriptions = new Subscriptions(state.subscriptions);
  const index = new ThreadIndex(state.threads);
  const onThread = async (t: ArticleThread): Promise<void> => {
    if (!(await index.get(t.threadId))) await index.put(t);
  };
  const engine = createDeliveryEngine({
    poster: discordPoster(client.rest, () => client.user?.id ?? '', discord.token),
    progress: state.progress,
    log,
    onThread,
  });
  const threads = watchThreads({ client, store, index, cooldowns: options.keyv.cooldowns, log, cooldownMs: options.answerCooldownMs });
  const delivering = options.delivery;
  // Shutdown stops an inbox file between two batches rather than waiting out a large one, and a feed's parse at once.
  const stopping = new AbortController();
  const registry = new FeedRegistry(state.feeds);
  const toldHeld = new Set<string>();
  const collect = async (): Promise<void> => {
    if (!delivering) return;
    if (delivering.inboxDir) await collectInbox(delivering.inboxDir, store, log, delivering.inboxMaxBytes, stopping.signal, toldHeld);
    if (stopping.signal.aborted) return;
    logPolls(await pollFeeds(registry, store, { parse: delivering.feedParser.parse, now, limits: delivering.feedFetch, signal: stopping.signal }), log);
  };
  const runner = new DeliveryRunner({ store, subscriptions, engine, log, now, collect });
  const delivery = delivering && {
    subscriptions,
    runner,
    cron: delivering.cron,
    feeds: {
      registry,
      async pollNow(url: string) {
        const feed = await registry.get(url);
        if (!feed) throw new Error(`feed ${url} is not registered`);
        const result = await pollOne(feed, registry, store, {
          parse: delivering.feedParser.parse,
          now,
          force: true,
          limits: delivering.feedFetch,
          signal: stopping.signal,
        });
        logPolls([result], log);
        return result;
      },
    },
  };
  const route = createRouter({ commands: options.commands, context: { store, now, delivery }, codec, log });
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.Warn, (message) => log.warn(message));
  client.on(Events.ShardDisconnect, (event, shard) => log.warn({ shard, code: event.code }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard, replayed) => log.info({ shard, replayed }, 'gateway resumed'));
  client.rest.on('rateLimited', (info) => log.debug({ route: info.route, retryAfter: info.retryAfter, global: info.global }, 'rate limited'));

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(discord.token);
  } catch (error) {
    await client.destroy();
    throw error;
  }
  const c = await ready;
  log.info({ user: c.user.tag, guilds: c.guilds.cache.size, api: discord.apiUrl, messageContent: discord.messageContent ?? false }, 'bot connected');
  const caught = await threads.catchUp();
  if (caught > 0) log.info({ replies: caught }, 'stored thread replies written while the bot was away');
  const job = options.delivery?.cron ? scheduleDelivery(options.delivery.cron, runner, log) : null;
  return {
    client: c,
    runner,
    async stop() {
      await job?.stop();
      stopping.abort();
      // A parse in hand ends now (its feed is left to be read again), not at the worker's time limit.
      await delivering?.feedParser.close();
      await runner.stop();
      await client.destroy();
    },
  };
}

/**
 * The bot process: a discord.js client logged in with the configured token, answering
 * interactions through the router. Nothing is registered here; commands are deployed separately.
 */
import { Client, type ClientOptions, Events, GatewayIntentBits, Partials } from 'discord.js';
import type Keyv from 'keyv';
import type { DiscordConfig } from '../../config.ts';
import type { Logger } from '../../core/log.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { DeliveryRunner } from '../../app/delivery/run.ts';
import type { LeaseOptions } from '../../app/lease-options.ts';
import type { SlashCommand } from './command.ts';
import { attachmentReader } from './attachments.ts';
import { createCodec } from './custom-id.ts';
import { type DeliveryOptions, wireDelivery } from './delivery-wiring.ts';
import { discordPoster } from './discord-poster.ts';
import { createRouter } from './router.ts';
import { type ResolvedShards, clientShardOptions } from './shards.ts';
import { watchThreads } from './threads.ts';
import { restOptionsFor } from '../rest-proxy/rest-options.ts';

export { type DeliveryOptions, deliveryOptions } from './delivery-wiring.ts';

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
  /** The gateway shards this client connects (resolveShards); without it, discord.js's default: one shard, 0 of 1. */
  readonly shards?: ResolvedShards;
  /** Shares delivery runs, feed polls and the inbox with the other processes on this database. */
  readonly lease?: LeaseOptions;
  /** How long a slow command works before its answer is deferred; default DEFER_AFTER_MS (router.ts). */
  readonly deferAfterMs?: number;
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
    // Always explicit: discord.js would otherwise read SHARD_COUNT and SHARDS from the environment.
    ...(options.shards && clientShardOptions(options.shards)),
    // Guild messages for live threads; their text needs Message Content, except messages that mention the bot.
    intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, ...(discord.messageContent ? [GatewayIntentBits.MessageContent] : [])],
    partials: [Partials.Message],
    // Through the REST proxy when one is set, so every process of the bot shares one rate-limit budget.
    rest: { ...options.client?.rest, ...restOptionsFor(discord.restProxy ?? null, discord.apiUrl) },
    // A default for every message, on top of the explicit one in each payload.
    allowedMentions: { parse: [] },
  });
  const codec = createCodec({ keyv: options.keyv.buttons, ttlMs: options.stateTtlMs, now: options.clock });
  const now = options.now ?? (() => new Date());
  const delivery = wireDelivery({
    store,
    state,
    poster: discordPoster(client.rest, () => client.user?.id ?? '', discord.token),
    log,
    now,
    delivery: options.delivery,
    lease: options.lease,
  });
  const threads = watchThreads({ client, store, index: delivery.index, cooldowns: options.keyv.cooldowns, log, cooldownMs: options.answerCooldownMs });
  // Attachments come from Discord's CDN, or from the Discord at apiUrl itself (the local one in tests and the playground).
  const attachments = attachmentReader(discord.apiUrl);
  const route = createRouter({
    commands: options.commands,
    context: { store, now, delivery: delivery.context, attachments },
    codec,
    log,
    deferAfterMs: options.deferAfterMs,
  });
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
    await delivery.stop();
    await client.destroy();
    throw error;
  }
  const c = await ready;
  log.info(
    { user: c.user.tag, guilds: c.guilds.cache.size, api: discord.apiUrl, messageContent: discord.messageContent ?? false, shards: options.shards?.ids },
    'bot connected',
  );
  const caught = await threads.catchUp();
  if (caught > 0) log.info({ replies: caught }, 'stored thread replies written while the bot was away');
  delivery.schedule();
  return {
    client: c,
    runner: delivery.runner,
    async stop() {
      await delivery.stop();
      await client.destroy();
    },
  };
}

/**
 * `paperboy worker`: delivery, feed polls and the inbox on the schedule, with no gateway connection.
 * It posts over REST alone (through the REST proxy when one is set), with the same engine, runner
 * and collecting as the bot (delivery-wiring.ts); the leases share the work with every other process
 * on the database, so several workers and bots deliver each article once.
 */
import { REST, Routes, type APIUser } from 'discord.js';
import type { DiscordConfig } from '../config.ts';
import type { Logger } from '../core/log.ts';
import type { BotState } from '../adapters/store/state.ts';
import type { Store } from '../adapters/store/contract.ts';
import type { DeliveryRunner } from '../app/delivery/run.ts';
import type { LeaseOptions } from '../app/lease-options.ts';
import { type DeliveryOptions, wireDelivery } from './discord/delivery-wiring.ts';
import { discordPoster } from './discord/discord-poster.ts';
import { restOptionsFor } from './rest-proxy/rest-options.ts';

export interface WorkerOptions {
  readonly discord: DiscordConfig;
  readonly store: Store;
  readonly state: BotState;
  readonly log: Logger;
  /** The schedule and what is collected before each run (deliveryOptions); the worker closes its feed parser. */
  readonly delivery: DeliveryOptions;
  readonly lease?: LeaseOptions;
  readonly now?: () => Date;
}

export interface Worker {
  /** The bot's own user id, from GET /users/@me (the poster tells its own messages by it). */
  readonly botId: string;
  readonly runner: DeliveryRunner;
  stop(): Promise<void>;
}

/** A REST client with the token, to Discord or through DISCORD_REST_PROXY: what every process without a gateway uses. */
export function restFor(discord: DiscordConfig): REST {
  return new REST(restOptionsFor(discord.restProxy ?? null, discord.apiUrl)).setToken(discord.token);
}

/**
 * Asks Discord who the bot is (a wrong token fails here, before anything is scheduled), then
 * schedules delivery. Resolves once scheduled.
 */
export async function startWorker(options: WorkerOptions): Promise<Worker> {
  const { discord, log } = options;
  const rest = restFor(discord);
  const me = (await rest.get(Routes.user('@me'))) as Partial<APIUser> | null;
  const botId = me?.id;
  if (typeof botId !== 'string') throw new Error('discord: GET /users/@me answered without the bot’s id');
  const delivery = wireDelivery({
    store: options.store,
    state: options.state,
    poster: discordPoster(rest, () => botId, discord.token),
    log,
    now: options.now ?? (() => new Date()),
    delivery: options.delivery,
    lease: options.lease,
  });
  delivery.schedule();
  log.info({ user: me?.username, id: botId, cron: options.delivery.cron }, 'worker ready: delivering on the schedule, no gateway connection');
  return {
    botId,
    runner: delivery.runner,
    stop: () => delivery.stop(),
  };
}

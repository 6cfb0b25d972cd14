/**
 * Delivery throughput against the local Discord with Discord's own limits (5 messages per 5 s per
 * channel or thread, 50 requests per second in all): messages per second into one channel, and
 * into ten channels at once, next to those limits. Prints one JSON line. Run alone:
 *   node --import tsx bench/delivery.ts
 */
import { REST } from 'discord.js';
import { councilNotices } from './articles.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { FakeDiscord } from '@paperboy/fake-discord';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';

const CHANNEL_LIMIT = { limit: 5, windowMs: 5000 };
const GLOBAL_LIMIT = { limit: 50, windowMs: 1000 };
const token = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-bench-token-0123456789';

async function measure(channels: number, perChannel: number, comments: number): Promise<{ messages: number; seconds: number; limited: number }> {
  const fake = await FakeDiscord.start({ botToken: token, rateLimits: { channelMessages: CHANNEL_LIMIT, global: GLOBAL_LIMIT } });
  const guildId = fake.createGuild({ name: 'Bench' }).id;
  const store = ArticleStore.open(':memory:');
  const rest = new REST({ api: fake.apiUrl }).setToken(token);
  const engine = createDeliveryEngine({
    poster: discordPoster(rest, () => fake.botUser.id, token),
    progress: openBotState(store.db).progress,
    log: createLogger({ level: 'silent' }),
  });
  const targets: Target[] = Array.from({ length: channels }, (_, i) => ({
    guildId,
    channelId: fake.createChannel(guildId, { name: `news-${i}` }).id,
    kind: 'text',
  }));
  const started = performance.now();
  const reports = await Promise.all(targets.map((t, i) => engine.deliver(t, councilNotices(`c${i} article`, 'article', perChannel, comments))));
  const seconds = (performance.now() - started) / 1000;
  const failed = reports.flatMap((r) => r.results).filter((r) => r.error !== null);
  if (failed.length > 0) throw new Error(`bench/delivery: ${failed.length} articles failed: ${failed[0]?.error}`);
  const messages = reports.flatMap((r) => r.results).reduce((n, r) => n + r.created, 0);
  const limited = fake.requests.filter((r) => r.status === 429).length;
  await fake.close();
  store.close();
  return { messages, seconds, limited };
}

const one = await measure(1, 20, 10);
const ten = await measure(10, 8, 10);
console.log(
  JSON.stringify({
    delivery_one_channel_messages: one.messages,
    delivery_one_channel_msgs_per_s: +(one.messages / one.seconds).toFixed(1),
    delivery_one_channel_429s: one.limited,
    delivery_ten_channels_messages: ten.messages,
    delivery_ten_channels_msgs_per_s: +(ten.messages / ten.seconds).toFixed(1),
    delivery_ten_channels_429s: ten.limited,
    // The limits themselves: one channel (or thread) takes 1 message/s; all requests together 50/s.
    channel_limit_msgs_per_s: CHANNEL_LIMIT.limit / (CHANNEL_LIMIT.windowMs / 1000),
    global_limit_requests_per_s: GLOBAL_LIMIT.limit / (GLOBAL_LIMIT.windowMs / 1000),
  }),
);

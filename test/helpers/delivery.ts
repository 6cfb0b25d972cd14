/** The delivery engine on its own against the local Discord: a discord.js REST client, delivery progress in its SQLite table, a store. */
import { REST } from 'discord.js';
import type { Article } from '../../src/core/model.ts';
import { createDeliveryEngine, type EngineDeps } from '../../src/app/delivery/engine.ts';
import type { DeliveryEngine, Target } from '../../src/app/delivery/engine-types.ts';
import { articleViews } from '../../src/app/delivery/messages.ts';
import type { Poster } from '../../src/app/delivery/poster.ts';
import { discordPoster } from '../../src/ui/discord/discord-poster.ts';
import { FakeDiscord, type FakeDiscordOptions } from '@paperboy/fake-discord';
import { createLogger } from '../../src/core/log.ts';
import { openBotState } from '../../src/adapters/store/state.ts';
import { SqliteStore } from '../../src/adapters/store/sqlite-store.ts';
import { TOKEN } from './bot.ts';

export interface EngineHarness {
  readonly fake: FakeDiscord;
  readonly store: SqliteStore;
  readonly engine: DeliveryEngine;
  /** The real discord.js poster the engine uses, for tests that build an engine of their own. */
  readonly poster: Poster;
  readonly guildId: string;
  target(kind?: 'text' | 'forum'): Target;
  close(): Promise<void>;
}

export async function startEngine(
  options: {
    fake?: FakeDiscordOptions;
    globalPerSecond?: number;
    dbPath?: string;
    /** How long discord.js waits for an answer (its default is 15 s). */
    restTimeoutMs?: number;
    engine?: Partial<Pick<EngineDeps, 'commentsPerRun' | 'log'>>;
  } = {},
): Promise<EngineHarness> {
  const fake = await FakeDiscord.start({ botToken: TOKEN, ...options.fake });
  const guildId = fake.createGuild({ name: 'Readers' }).id;
  const store = SqliteStore.open(options.dbPath ?? ':memory:');
  const rest = new REST({
    api: fake.apiUrl,
    globalRequestsPerSecond: options.globalPerSecond ?? 50,
    ...(options.restTimeoutMs !== undefined && { timeout: options.restTimeoutMs }),
  }).setToken(TOKEN);
  const poster = discordPoster(rest, () => fake.botUser.id, TOKEN);
  const engine = createDeliveryEngine({ poster, progress: openBotState(store.db).progress, log: createLogger({ level: 'silent' }), ...options.engine });
  return {
    fake,
    store,
    engine,
    poster,
    guildId,
    target(kind = 'text') {
      const channel = fake.createChannel(guildId, { name: kind === 'forum' ? 'articles' : 'news', type: kind });
      return { guildId, channelId: channel.id, kind };
    },
    async close() {
      await fake.close();
      await store.close();
    },
  };
}

/**
 * Checks what the local Discord holds for a target against the plan of every article: each post
 * once, in order, with a thread holding exactly the planned comment messages in order. Returns the
 * problems found (none is success), so a failure says what is wrong.
 */
export function checkDelivered(fake: FakeDiscord, target: Target, articles: readonly Article[]): string[] {
  const problems: string[] = [];
  const posts = target.kind === 'forum' ? fake.threads(target.channelId).map((t) => fake.messages(t.id)[0]) : fake.messages(target.channelId);
  const footers = posts.map((m) => m?.embeds[0]?.footer?.text ?? '');
  const wanted = articles.map((a) => `Paperboy · article ${a.id}`);
  if (JSON.stringify(footers) !== JSON.stringify(wanted)) problems.push(`posts: got ${footers.length} [${footers.join(', ')}], wanted ${wanted.length}`);
  for (const a of articles) {
    const post = posts.find((m) => m?.embeds[0]?.footer?.text === `Paperboy · article ${a.id}`);
    if (!post) continue;
    const thread = fake.channel(post.id);
    if (!thread) {
      problems.push(`${a.title}: no thread`);
      continue;
    }
    const got = fake
      .messages(thread.id)
      .map((m) => m.content)
      .slice(target.kind === 'forum' ? 1 : 0);
    const plan = articleViews(a).comments.map((s) => s.message.content);
    if (JSON.stringify(got) !== JSON.stringify(plan)) problems.push(`${a.title}: thread has ${got.length} messages, planned ${plan.length}`);
  }
  return problems;
}

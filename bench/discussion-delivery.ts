/**
 * An imported discussion delivered as a tree: a 1,500-comment tree built from the real Reddit thread
 * in /work/shared/datasets/discussions (its 485 comments copied with new ids until there are 1,500,
 * each copy keeping the thread's shape, 9 levels deep) is stored, then delivered into one channel's
 * thread through the local Discord, run after run (100 comment messages a run, each run ending with
 * its "N more replies" note) until done. Measures the time to the article's post and the thread's
 * messages per second. A thread takes 5 messages per 5 s on Discord, which alone would make this
 * 25 minutes; the local Discord is given 50 per second per channel here so that the figure shows
 * Paperboy's own cost per message (recording each message and its reply target), not Discord's.
 * Run alone (prints one JSON line):
 *   node --import tsx bench/discussion-delivery.ts
 */
import { readFileSync } from 'node:fs';
import { REST } from 'discord.js';
import { FakeDiscord, type RequestRecord } from '@paperboy/fake-discord';
import type { Article, Comment } from '../src/core/model.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { discordPoster } from '../src/ui/discord/discord-poster.ts';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { parseRedditListing } from '../src/adapters/discussions/reddit.ts';

export const REDDIT_LISTING = '/work/shared/datasets/discussions/reddit_n49rw_announcements_were_back.listing.json';
const token = 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-bench-token-0123456789';

/** The Reddit thread as an Article with its comment tree, read by the Reddit parser. */
export function redditArticle(path = REDDIT_LISTING): Article {
  const discussion = parseRedditListing(path, JSON.parse(readFileSync(path, 'utf8')) as unknown);
  return discussion.article;
}

/** `total` comments: copies of `comments` (parents before replies), each copy's ids (and its replies' targets) renamed. */
export function grownTree(comments: readonly Comment[], total: number): Comment[] {
  const out: Comment[] = [];
  for (let copy = 0; out.length < total; copy++) {
    const rename = (id: string): string => (copy === 0 ? id : id.replace(/^([a-z]+:)/u, `$1c${copy}-`));
    for (const c of comments) {
      if (out.length >= total) break;
      out.push({ ...c, id: rename(c.id), replyTo: c.replyTo === null ? null : rename(c.replyTo), ...(c.url && { url: `${c.url}?copy=${copy}` }) });
    }
  }
  return out;
}

export interface DiscussionDeliveryFigures {
  readonly discussion_delivery_comments: number;
  readonly discussion_delivery_thread_messages: number;
  readonly discussion_delivery_runs: number;
  readonly discussion_delivery_first_post_ms: number;
  readonly discussion_delivery_first_comment_ms: number;
  readonly discussion_delivery_thread_msgs_per_s: number;
  readonly discussion_delivery_429s: number;
  readonly discussion_delivery_thread_limit_msgs_per_s: number;
}

const isCreate = (r: RequestRecord): boolean => r.method === 'POST' && r.status === 200 && /\/channels\/\d+\/messages$/u.test(r.path);

/** Delivers a `comments`-comment tree into one thread, run after run, and measures it. */
export async function runDiscussionDeliveryBench(comments = 1500): Promise<DiscussionDeliveryFigures> {
  const threadLimit = { limit: 50, windowMs: 1000 };
  const fake = await FakeDiscord.start({ botToken: token, rateLimits: { channelMessages: threadLimit, global: { limit: 50, windowMs: 1000 } } });
  const store = ArticleStore.open(':memory:');
  try {
    const guildId = fake.createGuild({ name: 'Bench' }).id;
    const target = { guildId, channelId: fake.createChannel(guildId, { name: 'news' }).id, kind: 'text' as const };
    const source = redditArticle();
    store.upsert({ ...source, comments: grownTree(source.comments, comments), declaredCommentCount: comments });
    const article = store.get(source.id);
    if (!article) throw new Error('bench/discussion-delivery: the article was not stored');
    const engine = createDeliveryEngine({
      poster: discordPoster(new REST({ api: fake.apiUrl }).setToken(token), () => fake.botUser.id, token),
      progress: openBotState(store.db).progress,
      log: createLogger({ level: 'silent' }),
    });
    const made: number[] = [];
    fake.on('request', (r: RequestRecord) => {
      if (isCreate(r)) made.push(performance.now());
    });
    const started = performance.now();
    let runs = 0;
    for (; runs < 100;) {
      runs++;
      const { results } = await engine.deliver(target, [article]);
      const r = results[0];
      if (r?.error) throw new Error(`bench/discussion-delivery: run ${runs} failed: ${r.error}`);
      if (!r?.commentsLeft) break;
    }
    const seconds = (performance.now() - started) / 1000;
    const threadMessages = fake.messages(fake.threads(target.channelId)[0]?.id ?? '').length;
    return {
      discussion_delivery_comments: article.comments.length,
      discussion_delivery_thread_messages: threadMessages,
      discussion_delivery_runs: runs,
      discussion_delivery_first_post_ms: +((made[0] ?? started) - started).toFixed(1),
      discussion_delivery_first_comment_ms: +((made[1] ?? started) - started).toFixed(1),
      discussion_delivery_thread_msgs_per_s: +(threadMessages / seconds).toFixed(1),
      discussion_delivery_429s: fake.requests.filter((r) => r.status === 429).length,
      discussion_delivery_thread_limit_msgs_per_s: threadLimit.limit / (threadLimit.windowMs / 1000),
    };
  } finally {
    await fake.close();
    store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await runDiscussionDeliveryBench()));

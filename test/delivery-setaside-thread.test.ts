/**
 * A set-aside article retried with a long thread, while the unfinished list is full: its thread goes
 * on over the next runs to the end (the set-aside entry keeps it due), against the local Discord.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { MAX_UNFINISHED } from '../src/app/delivery/due.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { setAsideOf, type Subscription, Subscriptions, unfinishedOf } from '../src/app/delivery/subscriptions.ts';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const log = createLogger({ level: 'silent' });
const fast = { limit: 10_000, windowMs: 1000 };
const SLICE = 4;

function thread(title: string, comments: number): Article {
  return article({
    title,
    text: `${title}: the council met.`,
    publishedAt: '2026-11-01T06:00',
    comments: Array.from({ length: comments }, (_, c) => comment(c + 1, `Point ${c} on ${title}.`)),
  });
}

describe('GIVEN a set-aside article with a long thread retried while the unfinished list is full', () => {
  it('THEN its thread is posted to the end over the next runs, each comment once', async () => {
    const e = await startEngine({
      engine: { commentsPerRun: SLICE },
      fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } },
      globalPerSecond: 10_000,
    });
    h = e;
    const retried = thread('Harbour budget', 10);
    const carried = Array.from({ length: MAX_UNFINISHED }, (_, i) => thread(`Ferry debate ${i}`, 10));
    await e.store.upsert(retried);
    await e.store.upsertMany(carried);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    const now = new Date().toISOString();
    // The retried article is behind the cursor (set aside earlier), and the list carries as many threads as it can.
    const sub: Subscription = {
      ...t,
      channelName: 'news',
      source: null,
      keywords: null,
      backfill: { kind: 'none' },
      cursor: await e.store.positions.last(),
      checkedAt: now,
      createdAt: now,
      createdBy: 'test',
      paused: null,
      posted: 0,
      lastPostedAt: null,
      lastRunAt: null,
      lastError: null,
      setAside: [{ articleId: retried.id, title: retried.title, reason: 'Discord refused it: 400', at: now, retry: true }],
      unfinished: carried.map((a) => ({ articleId: a.id, title: a.title, left: 10, at: now })),
    };
    await subs.put(sub);
    for (let run = 0; run < 6; run++) await runner.run();
    const after = await subs.get(t.guildId, t.channelId);
    expect(unfinishedOf(after ?? {})).toEqual([]);
    expect(setAsideOf(after ?? {})).toEqual([]);
    const posts = e.fake.messages(t.channelId).map((m) => m.embeds[0]?.footer?.text);
    const inOrder = [retried, ...carried].sort((a, b) => posts.indexOf(`Paperboy · article ${a.id}`) - posts.indexOf(`Paperboy · article ${b.id}`));
    expect(checkDelivered(e.fake, t, inOrder)).toEqual([]);
  }, 60_000);
});

/**
 * A long thread posted a slice of comments per run, against the local Discord: the articles stored
 * after it go out meanwhile (the cursor moves past it, and the subscription carries it until its
 * thread is complete), every comment is posted once, and /subscriptions and /deliver show the
 * leftovers as progress, not as an error.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deliverView } from '../commands/deliver.ts';
import { subscriptionsView } from '../commands/subscriptions.ts';
import type { Article } from '../src/core/model.ts';
import { MAX_NEW_PER_RUN, MAX_SCANNED_PER_RUN, MAX_UNFINISHED, backfillCursor } from '../src/app/delivery/due.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { parseFilter } from '../src/app/delivery/filter.ts';
import { DeliveryRunner, type SubscriptionRun } from '../src/app/delivery/run.ts';
import { type Subscription, Subscriptions, unfinishedOf } from '../src/app/delivery/subscriptions.ts';
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

async function fastEngine(): Promise<EngineHarness> {
  h = await startEngine({
    engine: { commentsPerRun: SLICE },
    fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } },
    globalPerSecond: 10_000,
  });
  return h;
}

function longThread(comments: number, source: string | null = null): Article {
  return article({
    title: 'Budget debate',
    source,
    text: 'The council debated the budget.',
    publishedAt: '2026-11-01T06:00',
    comments: Array.from({ length: comments }, (_, c) => comment(c + 1, `Point ${c} about the budget.`)),
  });
}

function notice(i: number, source: string | null = null): Article {
  return article({
    title: `Ferry notice ${i}`,
    source,
    text: `Notice ${i}.`,
    publishedAt: `2026-11-02T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
    comments: [comment(1, `Thanks for notice ${i}.`)],
  });
}

async function subscribe(e: EngineHarness, subs: Subscriptions, target: Target, source: string | null = null): Promise<Subscription> {
  const now = new Date().toISOString();
  const base = { source, keywords: null, backfill: { kind: 'all' } as const };
  const sub: Subscription = {
    ...target,
    channelName: 'news',
    ...base,
    cursor: await backfillCursor(e.store, base, parseFilter(null)),
    checkedAt: now,
    createdAt: now,
    createdBy: 'test',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
  };
  await subs.put(sub);
  return sub;
}

/** What /subscriptions shows for the one subscription. */
async function shown(subs: Subscriptions, t: Target): Promise<string> {
  const sub = await subs.get(t.guildId, t.channelId);
  return subscriptionsView(sub ? [sub] : [], null).embeds?.[0]?.fields?.[0]?.value ?? '';
}

describe('GIVEN a long thread followed by more new articles than one run takes', () => {
  it('THEN the new articles all go out in the first two runs while the thread goes on a slice per run to the end, each comment once, shown as progress', async () => {
    const e = await fastEngine();
    const long = longThread(30);
    const newer = Array.from({ length: MAX_NEW_PER_RUN + 5 }, (_, i) => notice(i));
    await e.store.upsert(long);
    await e.store.upsertMany(newer);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    await subscribe(e, subs, t);
    const planned = (await e.engine.plan(t, [long]))[0]?.messages ?? 0;
    const comments = planned - 1;
    expect(comments).toBe(30);

    const [first] = await runner.run();
    // The long thread's leftovers are progress: no error, and the cursor went past it.
    expect(first).toMatchObject({ error: null, paused: null, posting: [{ articleId: long.id, title: long.title, left: comments - SLICE }] });
    const afterFirst = await subs.get(t.guildId, t.channelId);
    expect(afterFirst?.lastError).toBeNull();
    expect(unfinishedOf(afterFirst ?? {})).toMatchObject([{ articleId: long.id, left: comments - SLICE }]);
    expect(afterFirst?.cursor).toBeGreaterThan((await e.store.positions.after(0, 1))[0]?.position ?? Infinity);
    const view = await shown(subs, t);
    expect(view).toContain(`⏳ Posting the comments of “Budget debate”: ${comments - SLICE} left.`);
    expect(view).not.toContain('⚠');
    const said = deliverView(first ? [first] : [], false).embeds?.[0]?.description ?? '';
    expect(said).toContain(`⏳ posting the comments of “Budget debate”: ${comments - SLICE} left`);
    expect(said).not.toContain('⚠');

    const [second] = await runner.run();
    expect(second).toMatchObject({ error: null, posting: [{ articleId: long.id, left: comments - 2 * SLICE }] });
    // Every new article is out, each with its whole thread; only the long thread is still going.
    expect(checkDelivered(e.fake, t, [long, ...newer])).toEqual([`Budget debate: thread has ${2 * SLICE} messages, planned ${comments}`]);

    const runs: SubscriptionRun[] = [first, second].filter((r) => r !== undefined);
    while (runs.length < 20 && (runs.at(-1)?.posting?.length ?? 0) > 0) {
      const [run] = await runner.run();
      if (run) runs.push(run);
      expect(await shown(subs, t)).not.toContain('⚠');
    }
    expect(runs).toHaveLength(Math.ceil(comments / SLICE));
    expect(runs.map((r) => r.error).filter((error) => error !== null)).toEqual([]);
    // Run 1: the long post and a slice, and the rest of the window (posts and their one comment); run 2: the
    // remaining new articles and a slice; then a slice a run.
    const rest = newer.length - (MAX_NEW_PER_RUN - 1);
    expect(runs.map((r) => r.created)).toEqual([
      1 + SLICE + 2 * (MAX_NEW_PER_RUN - 1),
      2 * rest + SLICE,
      ...Array.from({ length: runs.length - 3 }, () => SLICE),
      comments % SLICE || SLICE,
    ]);
    // Each comment exactly once, in order.
    expect(checkDelivered(e.fake, t, [long, ...newer])).toEqual([]);
    const done = await subs.get(t.guildId, t.channelId);
    expect(done).toMatchObject({ lastError: null, posted: 1 + newer.length, unfinished: [] });
    expect(await shown(subs, t)).not.toContain('⏳');
    const [idle] = await runner.run();
    expect(idle).toMatchObject({ articles: 0, created: 0, posting: [] });
  }, 60_000);
});

describe('GIVEN a busy store: a long thread, then a full scan of other sources’ articles, then one for this subscription', () => {
  it('THEN the later article goes out in the second run, not once the long thread is done', async () => {
    const e = await fastEngine();
    const long = longThread(30, 'Coast Gazette');
    const wire = Array.from({ length: MAX_SCANNED_PER_RUN }, (_, i) => article({ title: `Wire item ${i}`, source: 'Wire Service', text: `Item ${i}.` }));
    const later = notice(1, 'Coast Gazette');
    await e.store.upsert(long);
    await e.store.upsertMany(wire);
    await e.store.upsert(later);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    await subscribe(e, subs, t, 'Coast Gazette');

    await runner.run();
    await runner.run();
    // Before, the long thread held the cursor, every run scanned the same positions after it, and this
    // article waited for all 8 runs of the thread.
    expect(e.fake.messages(t.channelId).map((m) => m.embeds[0]?.footer?.text)).toEqual([`Paperboy · article ${long.id}`, `Paperboy · article ${later.id}`]);
    expect(checkDelivered(e.fake, t, [long, later])).toEqual([`Budget debate: thread has ${2 * SLICE} messages, planned 30`]);
    for (let i = 0; i < 10 && unfinishedOf((await subs.get(t.guildId, t.channelId)) ?? {}).length > 0; i++) await runner.run();
    expect(checkDelivered(e.fake, t, [long, later])).toEqual([]);
    expect((await subs.get(t.guildId, t.channelId))?.lastError).toBeNull();
  }, 60_000);
});

describe('GIVEN more long threads at once than a subscription carries', () => {
  it('THEN the carried list stays within its bound, the rest hold the cursor until a place frees up, and every comment goes out once', async () => {
    const e = await fastEngine();
    // Three slices each: a second run finds the list full of threads still going.
    const threads = Array.from({ length: 2 * MAX_UNFINISHED }, (_, i) =>
      article({
        title: `Hearing ${i}`,
        text: `Hearing ${i}.`,
        publishedAt: `2026-11-03T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
        comments: Array.from({ length: 3 * SLICE }, (_, c) => comment(c + 1, `Remark ${c} on hearing ${i}.`)),
      }),
    );
    await e.store.upsertMany(threads);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    await subscribe(e, subs, t);
    let most = 0;
    for (let run = 0; run < 20; run++) {
      const [r] = await runner.run();
      expect(r?.error).toBeNull();
      const sub = await subs.get(t.guildId, t.channelId);
      most = Math.max(most, unfinishedOf(sub ?? {}).length);
      if (r?.articles === 0) break;
    }
    expect(most).toBe(MAX_UNFINISHED);
    expect(checkDelivered(e.fake, t, threads)).toEqual([]);
    expect(await subs.get(t.guildId, t.channelId)).toMatchObject({ lastError: null, posted: threads.length, unfinished: [] });
  }, 60_000);
});

describe('GIVEN a posted article that gets more new comments than one run posts', () => {
  it('THEN the check time moves on, the thread is carried to the end over the next runs, and nothing shows as an error', async () => {
    const e = await fastEngine();
    const posted = notice(1);
    await e.store.upsert(posted);
    let clock = Date.now();
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, now: () => new Date(clock) });
    const t = e.target();
    await subscribe(e, subs, t);
    await runner.run();
    expect(checkDelivered(e.fake, t, [posted])).toEqual([]);

    const busy = { ...posted, comments: [...posted.comments, ...Array.from({ length: 10 }, (_, c) => comment(c + 2, `Late reply ${c}.`))] };
    await e.store.upsert(busy, new Date(clock + 60_000));
    clock += 120_000;
    const [first] = await runner.run();
    expect(first).toMatchObject({ error: null, created: SLICE, posting: [{ articleId: posted.id, left: 10 - SLICE }] });
    // Carried by the list, the article does not keep the check time (and every change since) back.
    expect(await subs.get(t.guildId, t.channelId)).toMatchObject({
      checkedAt: new Date(clock).toISOString(),
      lastError: null,
      unfinished: [{ articleId: posted.id, left: 10 - SLICE }],
    });
    clock += 1000;
    const [second] = await runner.run();
    expect(second).toMatchObject({ error: null, created: SLICE, posting: [{ left: 10 - 2 * SLICE }] });
    clock += 1000;
    const [third] = await runner.run();
    expect(third).toMatchObject({ error: null, created: 10 - 2 * SLICE, posting: [] });
    expect(checkDelivered(e.fake, t, [busy])).toEqual([]);
    expect(await subs.get(t.guildId, t.channelId)).toMatchObject({ lastError: null, posted: 1, unfinished: [] });
    clock += 1000;
    expect((await runner.run())[0]).toMatchObject({ articles: 0, created: 0 });
  });
});

/**
 * Delivery shared by several processes (issue 15 point 5): two runners, each with its own handle
 * on one database (a SQLite file, or a PostgreSQL database) and its own discord.js client, run at
 * the same moment against the local Discord. Each subscription is delivered by one of them, every
 * article exactly once; a runner whose lease is taken over stops before its next message, and the
 * new holder finishes the half-posted article from its delivery progress without a duplicate.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeDiscord } from '@paperboy/fake-discord';
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { deliveryLeaseName } from '../src/app/delivery/claim.ts';
import { DeliveryRunner, type SubscriptionRun } from '../src/app/delivery/run.ts';
import type { LeaseRepository } from '../src/adapters/store/leases.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered } from './helpers/delivery.ts';
import { subscriptionToAll } from './helpers/subscribed.ts';
import { type Handle, engineOf, log, sharedBackendNames, sharedDiscordAndDatabase } from './delivery-leases-backends.ts';

const start = sharedDiscordAndDatabase();

/**
 * The lease repository as a frozen process sees it once `frozen()` says so: its renewals hang (a
 * connection that no longer answers), so its lease runs out while it waits. Everything else is the
 * real repository.
 */
function freezable(repo: LeaseRepository, frozen: () => boolean): LeaseRepository {
  return {
    claim: (name, holder, ttlMs) => repo.claim(name, holder, ttlMs),
    renew: (name, holder, ttlMs) => (frozen() ? new Promise<boolean>(() => undefined) : repo.renew(name, holder, ttlMs)),
    release: (name, holder) => repo.release(name, holder),
    releaseAll: (holder) => repo.releaseAll(holder),
    holderOf: (name) => repo.holderOf(name),
  };
}

/** A runner as one process builds it: its own REST client, engine and lease holder id. */
function runnerOf(f: FakeDiscord, h: Handle, holder: string, ttlMs: number, leases: LeaseRepository = h.state.leases): DeliveryRunner {
  return new DeliveryRunner({
    store: h.store,
    subscriptions: new Subscriptions(h.state.subscriptions),
    engine: engineOf(f, h),
    log,
    lease: { repo: leases, holder, ttlMs },
  });
}

async function subscribeAll(h: Handle, target: Target, name: string): Promise<void> {
  await h.state.subscriptions.put(await subscriptionToAll(h.store, target, new Date().toISOString(), name));
}

/** Two processes on one new database, `posted` stored and a channel subscribed to everything by the first. */
async function twoProcesses(backend: (typeof sharedBackendNames)[number], posted: Article) {
  const { f, db, guildId } = await start(backend);
  const first = await db.open();
  const second = await db.open();
  await first.store.upsert(posted);
  const target: Target = { guildId, channelId: f.createChannel(guildId, { name: 'news', type: 'text' }).id, kind: 'text' };
  await subscribeAll(first, target, 'news');
  return { f, guildId, first, second, target };
}

/** Runners on both, with `ttlMs` leases; the first's renewals hang once `freeze()` is called (a frozen process). */
function freezableRunners(f: FakeDiscord, first: Handle, second: Handle, ttlMs: number) {
  let frozen = false;
  return {
    a: runnerOf(
      f,
      first,
      'process-a',
      ttlMs,
      freezable(first.state.leases, () => frozen),
    ),
    b: runnerOf(f, second, 'process-b', ttlMs),
    freeze: () => {
      frozen = true;
    },
  };
}

function notice(i: number, comments = 2): Article {
  return article({
    title: `Harbour notice ${i}`,
    text: `Berth ${i} closes for dredging.`,
    publishedAt: `2026-11-${String(1 + i).padStart(2, '0')}T06:00`,
    comments: Array.from({ length: comments }, (_, n) => comment(n + 1, `Reply ${n + 1} to notice ${i}.`)),
  });
}

/** Resolves once the first comment has reached the thread of the first post in `target`. */
async function firstComment(f: FakeDiscord, target: Target): Promise<void> {
  for (let waited = 0; ; waited += 20) {
    const post = f.messages(target.channelId)[0];
    if (post && f.messages(post.id).length > 0) return;
    if (waited > 10_000) throw new Error('the first comment never reached the thread');
    await sleep(20);
  }
}

/** Resolves once no one holds `target`'s delivery lease, as `h` reads it. */
async function leaseRunsOut(h: Handle, target: Target): Promise<void> {
  for (let waited = 0; (await h.state.leases.holderOf(deliveryLeaseName(target))) !== null; waited += 20) {
    if (waited > 10_000) throw new Error('the lease never ran out');
    await sleep(20);
  }
}

function channelRun(runs: readonly SubscriptionRun[], channelId: string): SubscriptionRun | undefined {
  return runs.find((r) => r.channelId === channelId);
}

describe.each(sharedBackendNames)('GIVEN two delivery processes on one %s database', (backend) => {
  it('THEN run at the same moment over 3 subscriptions × 10 articles, every article is posted exactly once per channel, each subscription by one of them', async () => {
    const { f: fake, db, guildId } = await start(backend);
    const first = await db.open();
    const second = await db.open();
    const articles = Array.from({ length: 10 }, (_, i) => notice(i));
    await first.store.upsertMany(articles);
    const targets: Target[] = [];
    for (let i = 0; i < 3; i++) {
      const target: Target = { guildId, channelId: fake.createChannel(guildId, { name: `news-${i}`, type: 'text' }).id, kind: 'text' };
      await subscribeAll(first, target, `news-${i}`);
      targets.push(target);
    }
    const a = runnerOf(fake, first, 'process-a', 10_000);
    const b = runnerOf(fake, second, 'process-b', 10_000);

    const [runsA, runsB] = await Promise.all([a.run(), b.run()]);

    // Per article: the post, its thread and 2 comments; 3 messages made (a thread is not a message).
    for (const t of targets) {
      expect(checkDelivered(fake, t, articles)).toEqual([]);
      const mine = [channelRun(runsA, t.channelId), channelRun(runsB, t.channelId)];
      // One of them delivered it; the other either found it held or, claiming after, nothing left to do.
      expect(mine.filter((r) => (r?.articles ?? 0) > 0)).toHaveLength(1);
      expect(mine.reduce((n, r) => n + (r?.created ?? 0), 0)).toBe(30);
      expect(mine.every((r) => r?.error == null)).toBe(true);
      const stored = await second.state.subscriptions.get({ guildId, channelId: t.channelId });
      expect(stored?.posted).toBe(10);
      expect(await first.state.leases.holderOf(deliveryLeaseName(t))).toBeNull();
    }
    // A second round finds nothing to do, whoever runs it.
    const again = await Promise.all([a.run(), b.run()]);
    expect(again.flat().reduce((n, r) => n + r.created, 0)).toBe(0);
    for (const t of targets) expect(checkDelivered(fake, t, articles)).toEqual([]);
  }, 60_000);

  it('THEN a runner whose lease is taken over mid-article stops before its next message, and the new holder finishes the article with no duplicate', async () => {
    const long = notice(1, 4);
    const { f, guildId, first, second, target } = await twoProcesses(backend, long);
    const { a, b, freeze } = freezableRunners(f, first, second, 600);

    // The first comment (a message in the thread, not in the channel) is made at once and its answer
    // is held back: the first holder is frozen mid-article with a message it has not recorded.
    f.faults.slowNext({ count: 1, ms: 3000, route: new RegExp(`^POST /channels/(?!${target.channelId}/)\\d+/messages$`) });
    const runA = a.run();
    await firstComment(f, target);
    // It can no longer renew its lease (a frozen process): its work is told to stop two thirds of
    // the ttl after its last renewal, before the lease runs out and the second runner takes it over.
    freeze();
    const [ranA] = await runA;
    await leaseRunsOut(second, target);
    const [runB] = await b.run();

    expect(checkDelivered(f, target, [long])).toEqual([]);
    expect(ranA).toMatchObject({ heldElsewhere: true, created: 1, error: null });
    // The second made the other 3 comments and adopted the one the first left unrecorded.
    expect(runB).toMatchObject({ created: 3, error: null, articles: 1 });
    expect(runB?.heldElsewhere).toBeUndefined();
    const stored = await first.state.subscriptions.get({ guildId, channelId: target.channelId });
    expect(stored?.posted).toBe(1);
    expect(await first.state.leases.holderOf(deliveryLeaseName(target))).toBeNull();
  }, 60_000);

  it('THEN a runner whose lease is taken over while its post waits for an answer leaves it unrecorded, and the new holder finds that post rather than posting again', async () => {
    const posted = notice(3, 2);
    const { f, first, second, target } = await twoProcesses(backend, posted);
    const { a, b, freeze } = freezableRunners(f, first, second, 600);

    // The post is made at once and its answer held back: the first holder never learns its id.
    f.faults.slowNext({ count: 1, ms: 3000, route: `POST /channels/${target.channelId}/messages` });
    const runA = a.run();
    for (let waited = 0; f.messages(target.channelId).length < 1; waited += 20) {
      if (waited > 10_000) throw new Error('the post never reached the channel');
      await sleep(20);
    }
    freeze();
    const [ranA] = await runA;
    await leaseRunsOut(second, target);
    const [runB] = await b.run();

    expect(ranA).toMatchObject({ heldElsewhere: true, created: 0, error: null });
    // The post found by its footer, then its 2 comments.
    expect(runB).toMatchObject({ created: 2, error: null, articles: 1 });
    expect(checkDelivered(f, target, [posted])).toEqual([]);
  }, 60_000);

  it('THEN a runner stopped mid-article (SIGTERM) releases its lease at once, and another process finishes the article with no duplicate', async () => {
    const long = notice(2, 4);
    const { f, guildId, first, second, target } = await twoProcesses(backend, long);
    // A long ttl: the second process gets the lease only because the first gave it up.
    const a = runnerOf(f, first, 'process-a', 60_000);
    const b = runnerOf(f, second, 'process-b', 60_000);
    f.faults.slowNext({ count: 1, ms: 3000, route: new RegExp(`^POST /channels/(?!${target.channelId}/)\\d+/messages$`) });
    const runA = a.run();
    await firstComment(f, target);
    await a.stop();
    const [ranA] = await runA;
    expect(ranA).toMatchObject({ created: 1, error: null });
    expect(await second.state.leases.holderOf(deliveryLeaseName(target))).toBeNull();
    const [runB] = await b.run();
    expect(runB).toMatchObject({ created: 3, error: null, articles: 1 });
    expect(checkDelivered(f, target, [long])).toEqual([]);
    expect((await first.state.subscriptions.get({ guildId, channelId: target.channelId }))?.posted).toBe(1);
  }, 60_000);
});

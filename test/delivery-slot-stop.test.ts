/**
 * An article waiting for a thread slot when the run is told to stop, or its subscription pauses:
 * once the slot frees, it is not posted (no post, no thread, no progress recorded), it is left
 * unreported like the articles after it, and the next run posts it exactly once. Seen from the
 * local Discord's request log, with every answer slowed so that the 20 busy threads outlast the wait.
 */
import { getEventListeners, setMaxListeners } from 'node:events';
import { PermissionFlagsBits } from 'discord-api-types/v10';
import { afterEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import type { RequestRecord } from '@paperboy/fake-discord';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const SLOTS = 20;
const fast = { limit: 100_000, windowMs: 1000 };
/** Articles past the slots: the first of them waits for one when the stop comes. */
const WAITING = 3;

/**
 * The stop signal the tests hand the run. Each send in flight listens on it twice until it settles
 * (unlessAborted in delivery/poster.ts, withOwnSignal in the Discord poster), and here 20 threads and
 * a post send at once: past Node's warning at 11 listeners, as on the runner's own signal, where
 * delivery/run.ts lifts it. Lifted here to that bound only, so that a leak of a listener a message
 * (1,800 messages here) still warns; `expectNoListenersLeft` checks that none is left after the run.
 */
function stopSignal(): AbortController {
  const stop = new AbortController();
  setMaxListeners(2 * (SLOTS + 1), stop.signal);
  return stop;
}

function expectNoListenersLeft(stop: AbortController): void {
  expect(getEventListeners(stop.signal, 'abort'), 'abort listeners left on the stop signal after the run').toEqual([]);
}

async function busyEngine(): Promise<EngineHarness> {
  const harness = await startEngine({ fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } }, globalPerSecond: 100_000 });
  // A thread of 80 messages outlasts 20 posts (see delivery-thread-slots), so every slot is busy when the 20th thread starts.
  harness.fake.faults.latency(15);
  return harness;
}

function longThreads(): Article[] {
  return Array.from({ length: SLOTS + WAITING }, (_, i) =>
    article({
      title: `Tide table ${i}`,
      text: `High water on day ${i}.`,
      publishedAt: `2026-11-02T07:${String(i).padStart(2, '0')}`,
      comments: Array.from({ length: 80 }, (_, c) => comment(c + 1, `Measured at the quay, ${i}.${c}.`)),
    }),
  );
}

/** The path a target's posts are made on: a text channel's messages, or a forum's threads. */
function postsPath(t: Target): string {
  return t.kind === 'forum' ? `/channels/${t.channelId}/threads` : `/channels/${t.channelId}/messages`;
}

/**
 * Calls `act` when the 20th article's thread gets its first comment. By then the run has put the
 * 21st article in line for a slot (it does so as soon as the 20th post is made), and no thread has
 * finished: `firstThreadSent` says how far the first one got, so the premise is seen, not assumed.
 */
function whenAllSlotsBusy(harness: EngineHarness, t: Target, articles: readonly Article[], act: () => void): Promise<{ firstThreadSent: number }> {
  const threadOf = (a: Article | undefined): string | undefined => harness.fake.threads(t.channelId).find((th) => th.name === a?.title)?.id;
  return new Promise((resolve) => {
    const listener = (r: RequestRecord): void => {
      const last = threadOf(articles[SLOTS - 1]);
      if (last === undefined || r.method !== 'POST' || r.status !== 200 || r.path !== `/channels/${last}/messages`) return;
      harness.fake.off('request', listener);
      act();
      resolve({ firstThreadSent: harness.fake.messages(threadOf(articles[0]) ?? '').length });
    };
    harness.fake.on('request', listener);
  });
}

/** Checks the first run stopped at the slots: 20 posts, nothing asked of Discord or recorded for the rest, none of them reported. */
async function expectStoppedAtSlots(harness: EngineHarness, t: Target, articles: readonly Article[], reported: readonly string[]): Promise<void> {
  const posts = harness.fake.requests.filter((r) => r.method === 'POST' && r.path === postsPath(t));
  expect(posts, 'posts asked of Discord in the stopped run').toHaveLength(SLOTS);
  expect(harness.fake.threads(t.channelId).map((th) => th.name)).toEqual(articles.slice(0, SLOTS).map((a) => a.title));
  const progress = openBotState(harness.store.db).progress;
  const waiting = articles.slice(SLOTS);
  const records = await Promise.all(waiting.map((a) => progress.get(t.channelId, a.id)));
  expect(records, 'progress recorded for the articles that waited for a slot').toEqual(waiting.map(() => null));
  expect(reported.filter((id) => waiting.some((a) => a.id === id))).toEqual([]);
}

/** The next run posts every article exactly once, in order, with all its comments. */
async function expectNextRunCompletes(harness: EngineHarness, t: Target, articles: readonly Article[]): Promise<void> {
  const report = await harness.engine.deliver(t, articles);
  expect(report.pause).toBeNull();
  expect(report.results.filter((r) => r.error !== null)).toEqual([]);
  expect(checkDelivered(harness.fake, t, articles)).toEqual([]);
  const made = harness.fake.requests.filter((r) => r.method === 'POST' && r.path === postsPath(t) && r.status < 300);
  expect(made, 'posts made over both runs').toHaveLength(articles.length);
}

describe('GIVEN a forum run with all 20 thread slots busy and the 21st article waiting for one', () => {
  it('THEN a stop while it waits means it is never posted, and the next run posts it exactly once', async () => {
    h = await busyEngine();
    const t = h.target('forum');
    const articles = longThreads();
    const stop = stopSignal();
    const busy = whenAllSlotsBusy(h, t, articles, () => stop.abort());
    const report = await h.engine.deliver(t, articles, { signal: stop.signal });
    expect((await busy).firstThreadSent, 'the first thread was still posting at the stop').toBeLessThan(80);
    expectNoListenersLeft(stop);
    expect(report.pause).toBeNull();
    expect(report.results.filter((r) => r.error !== null)).toEqual([]);
    await expectStoppedAtSlots(
      h,
      t,
      articles,
      report.results.map((r) => r.articleId),
    );
    await expectNextRunCompletes(h, t, articles);
  }, 60_000);
});

describe('GIVEN a text channel run with all 20 thread slots busy and the 21st article waiting for one', () => {
  it('THEN a stop while it waits records no attempt to post it, and the next run posts it exactly once', async () => {
    h = await busyEngine();
    const t = h.target();
    const articles = longThreads();
    const stop = stopSignal();
    const busy = whenAllSlotsBusy(h, t, articles, () => stop.abort());
    const report = await h.engine.deliver(t, articles, { signal: stop.signal });
    expect((await busy).firstThreadSent, 'the first thread was still posting at the stop').toBeLessThan(80);
    expectNoListenersLeft(stop);
    expect(report.pause).toBeNull();
    expect(report.results.filter((r) => r.error !== null)).toEqual([]);
    await expectStoppedAtSlots(
      h,
      t,
      articles,
      report.results.map((r) => r.articleId),
    );
    await expectNextRunCompletes(h, t, articles);
  }, 60_000);

  it('THEN losing the right to post while it waits pauses the run without trying to post it, and the next run posts it exactly once', async () => {
    h = await busyEngine();
    const harness = h;
    const t = h.target();
    const articles = longThreads();
    const noPosting = PermissionFlagsBits.SendMessages | PermissionFlagsBits.SendMessagesInThreads;
    const busy = whenAllSlotsBusy(h, t, articles, () => harness.fake.setBotPermissions(t.channelId, 0n, noPosting));
    const report = await h.engine.deliver(t, articles);
    expect((await busy).firstThreadSent, 'the first thread was still posting when the right was lost').toBeLessThan(80);
    expect(report.pause?.reason).toMatch(/Missing Permissions/);
    await expectStoppedAtSlots(
      h,
      t,
      articles,
      report.results.map((r) => r.articleId),
    );
    // The right given back, as an admin would before resuming the subscription.
    h.fake.setBotPermissions(t.channelId, 0n, 0n);
    await expectNextRunCompletes(h, t, articles);
  }, 60_000);
});

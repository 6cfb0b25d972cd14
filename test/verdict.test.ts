/**
 * Verdicts (src/app/delivery/verdict.ts): each one on real articles, then the runs and the preview
 * that read them, with subscriptions and delivery progress on SQLite and PostgreSQL. The runs post
 * through a small in-memory poster: what is under test is which articles go and what is stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { Subscription } from '../src/core/state.ts';
import type { SubscriptionOptions } from '../src/core/subscription-options.ts';
import type { MessageView } from '../src/core/view.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { type Poster, snowflakeAt } from '../src/app/delivery/poster.ts';
import { previewSubscription } from '../src/app/delivery/preview.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { countersOf, countPost, rulesOf, verdictOf } from '../src/app/delivery/verdict.ts';
import { nextTally } from '../src/app/delivery/after-run.ts';
import type { ArticleResult } from '../src/app/delivery/engine-types.ts';
import { article } from './helpers/articles.ts';
import { capturedLogger } from './helpers/log.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';
import { sampleArticle } from './text-sample.ts';

const NOON = new Date('2026-12-01T12:00:00Z');

function harbour(i: number, publishedAt: string | null = `2026-12-01T0${i}:00:00Z`): Article {
  return article({ title: `Harbour news ${i}`, source: 'Coast Gazette', text: `The harbour opened berth ${i} on Monday.`, publishedAt });
}

function subscription(options: SubscriptionOptions = {}, extra: Partial<Subscription> = {}): Subscription {
  return {
    guildId: '100',
    channelId: '200',
    kind: 'text',
    channelName: 'news',
    source: null,
    keywords: null,
    backfill: { kind: 'all' },
    cursor: 0,
    checkedAt: '2026-12-01T00:00:00Z',
    createdAt: '2026-12-01T00:00:00Z',
    createdBy: 'test',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
    options,
    ...extra,
  };
}

describe('GIVEN the seed article (no publication date, stored 2026-11-28) and a dated harbour article', () => {
  const nato = sampleArticle();
  const fresh = harbour(1);
  const none = countersOf(undefined, NOON);

  it('THEN with no rules both would post', () => {
    const rules = rulesOf(subscription(), NOON);
    expect(verdictOf(rules, nato, none, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
  });

  it('THEN keywords and the filter expression must both pass, and the verdict names the test that blocked it', () => {
    const keywords = rulesOf(subscription({}, { keywords: 'harbour' }), NOON);
    expect(verdictOf(keywords, nato, none, NOON)).toEqual({ kind: 'filtered', because: 'keywords harbour: none found' });
    expect(verdictOf(keywords, fresh, none, NOON)).toEqual({ kind: 'post' });
    const both = rulesOf(subscription({ filter: 'title contains "berth"' }, { keywords: 'harbour' }), NOON);
    expect(verdictOf(both, fresh, none, NOON)).toMatchObject({ kind: 'filtered', because: expect.stringContaining('title contains "berth"') as unknown });
    const expression = rulesOf(subscription({ filter: 'title contains "NATO"' }), NOON);
    expect(verdictOf(expression, nato, none, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(expression, fresh, none, NOON)).toMatchObject({ kind: 'filtered', because: expect.stringMatching(/^title contains "NATO"/) as unknown });
  });

  it('THEN a time ago in the expression counts from the run’s clock, not the machine’s', () => {
    const rules = rulesOf(subscription({ filter: 'published > 12h' }), NOON);
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
    const later = new Date('2026-12-02T12:00:00Z');
    expect(verdictOf(rulesOf(subscription({ filter: 'published > 12h' }), later), fresh, none, later)).toMatchObject({
      kind: 'filtered',
      because: expect.stringMatching(/^published > 12h/) as unknown,
    });
  });

  it('THEN max age reads the publication date, else the time it was stored', () => {
    const rules = rulesOf(subscription({ maxAgeHours: 48 }), NOON);
    expect(verdictOf(rules, nato, none, NOON)).toEqual({ kind: 'too-old', at: '2026-11-28T00:00:00.000Z', maxAgeHours: 48 });
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'post' });
    // Published four days ago though stored today: too old.
    expect(verdictOf(rules, { ...fresh, publishedAt: '2026-11-27T12:00', ingestedAt: NOON.toISOString() }, none, NOON)).toMatchObject({ kind: 'too-old' });
  });

  it('THEN a digest-only subscription posts no single article, after its filter', () => {
    const rules = rulesOf(subscription({ digest: { every: 'daily', at: '08:00', only: true } }, { keywords: 'harbour' }), NOON);
    expect(verdictOf(rules, fresh, none, NOON)).toEqual({ kind: 'digest' });
    expect(verdictOf(rules, nato, none, NOON).kind).toBe('filtered');
  });

  it('THEN the daily cap counts the posts of the UTC day, this run’s included, and a new day starts from 0', () => {
    const rules = rulesOf(subscription({ dailyCap: 2 }), NOON);
    const tally = { day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T09:00:00Z' };
    const counters = countersOf(tally, NOON);
    expect(verdictOf(rules, fresh, counters, NOON)).toEqual({ kind: 'post' });
    expect(verdictOf(rules, nato, countPost(counters, NOON), NOON)).toEqual({ kind: 'cap', cap: 2, day: '2026-12-01' });
    const tomorrow = new Date('2026-12-02T00:05:00Z');
    expect(verdictOf(rules, nato, countersOf({ ...tally, postedToday: 2 }, tomorrow), tomorrow)).toEqual({ kind: 'post' });
  });

  it('THEN spacing says when the next post may go', () => {
    const rules = rulesOf(subscription({ minSpacingMinutes: 90 }), NOON);
    const counters = countersOf({ day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T11:00:00.000Z' }, NOON);
    expect(verdictOf(rules, fresh, counters, NOON)).toEqual({ kind: 'spacing', nextAt: '2026-12-01T12:30:00.000Z' });
    expect(verdictOf(rules, fresh, counters, new Date('2026-12-01T12:30:00Z'))).toEqual({ kind: 'post' });
  });

  it('THEN a stored filter that no longer compiles is refused with its column', () => {
    expect(() => rulesOf(subscription({ filter: 'title contains' }), NOON)).toThrow(/column \d+/);
  });
});

describe('GIVEN what a run reports', () => {
  const made = (over: Partial<ArticleResult> = {}): ArticleResult => ({ articleId: 'a', action: 'post', created: 2, edited: 0, error: null, ...over });

  it('THEN the tally counts the posts it made on the UTC day of the run, and a new day starts again from them', () => {
    const tally = { day: '2026-12-01', postedToday: 3, lastPostAt: '2026-12-01T09:00:00.000Z', digestThrough: '2026-12-01T08:00:00.000Z' };
    const results = [
      made(),
      // Its post was made and its thread then failed: a post all the same.
      made({ created: 1, error: 'thread refused' }),
      // Refused outright, found after a crash (made by a run that never counted it), comments added: no new post.
      made({ created: 0, error: 'Discord refused it: 400', setAside: true }),
      made({ created: 0 }),
      made({ action: 'append', created: 4 }),
    ];
    expect(nextTally(tally, results, '2026-12-01T12:00:00.000Z')).toEqual({ ...tally, postedToday: 5, lastPostAt: '2026-12-01T12:00:00.000Z' });
    expect(nextTally(tally, [made()], '2026-12-02T00:01:00.000Z')).toEqual({
      ...tally,
      day: '2026-12-02',
      postedToday: 1,
      lastPostAt: '2026-12-02T00:01:00.000Z',
    });
    expect(nextTally(undefined, [made({ action: 'append' })], '2026-12-02T00:01:00.000Z')).toBeUndefined();
  });
});

/** Posts into memory; ids are Discord-like (their time is `clock`'s), so the preview can tell when a post was made. */
function memoryPoster(clock: () => Date): Poster & { sent: { channelId: string; message: MessageView }[] } {
  let n = 0;
  const sent: { channelId: string; message: MessageView }[] = [];
  const id = (): string => (BigInt(snowflakeAt(clock().getTime())) + BigInt(++n)).toString();
  // Built apart from the return, so the webhook methods are checked against Poster only where it has them.
  const poster = {
    sent,
    botId: () => '1',
    digest: (m: MessageView) => createHash('sha256').update(JSON.stringify(m)).digest('base64url').slice(0, 16),
    send: (channelId: string, message: MessageView) => {
      sent.push({ channelId, message });
      return Promise.resolve(id());
    },
    startThread: (_c: string, messageId: string) => Promise.resolve(messageId),
    forumPost: (forumId: string, _name: string, message: MessageView) => {
      sent.push({ channelId: forumId, message });
      return Promise.resolve(id());
    },
    findForumPost: () => Promise.resolve(null),
    webhookId: () => Promise.reject(new Error('these subscriptions post as the bot')),
    sendAs: () => Promise.reject(new Error('these subscriptions post as the bot')),
    editAs: () => Promise.reject(new Error('these subscriptions post as the bot')),
    edit: () => Promise.resolve(),
    after: () => Promise.resolve([]),
    checkChannel: () => Promise.resolve(),
  };
  return poster;
}

describe.each(Object.keys(stateBackends))('GIVEN subscriptions and delivery progress on %s', (backend) => {
  let opened: OpenedState;
  beforeAll(async () => {
    opened = await stateBackends[backend]!();
  });
  afterAll(async () => {
    await opened.close();
  });

  async function world(options: SubscriptionOptions, articles: readonly Article[], channelId: string, keywords: string | null = null) {
    const store = SqliteStore.open(':memory:');
    for (const a of articles) await store.upsert(a);
    let now = NOON;
    const poster = memoryPoster(() => now);
    const { log, lines: logs } = capturedLogger('info');
    const subs = new Subscriptions(opened.state.subscriptions);
    const engine = createDeliveryEngine({ poster, progress: opened.state.progress, log });
    const runner = new DeliveryRunner({ store, subscriptions: subs, engine, log, now: () => now });
    const guildId = `9${channelId}`;
    // A guild of its own per test: each run reads only its own subscription from the shared tables.
    await subs.put(subscription(options, { guildId, channelId, keywords }));
    const titles = (): (string | undefined)[] => poster.sent.filter((s) => s.channelId === channelId).map((s) => s.message.embeds?.[0]?.title);
    return {
      store,
      subs,
      logs,
      run: () => runner.run({ guildId }),
      titles,
      at: (iso: string) => void (now = new Date(iso)),
      sub: async () => (await subs.get(guildId, channelId))!,
      preview: async (count = 10) => previewSubscription({ store, progress: opened.state.progress, now }, (await subs.get(guildId, channelId))!, count),
    };
  }

  it('THEN a daily cap holds across runs, counted in the tally, and the next UTC day goes on in order; blocked and too-old articles are passed for good', async () => {
    const old = harbour(9, '2026-11-20T06:00:00Z');
    const ferry = article({ title: 'Ferry strike', source: 'Coast Gazette', text: 'No ferries today.', publishedAt: '2026-12-01T05:30:00Z' });
    const w = await world({ dailyCap: 2, maxAgeHours: 72 }, [harbour(1), old, ferry, harbour(2), harbour(3), harbour(4)], '201', 'harbour');
    const before = await w.preview();
    expect(before.items.map((i) => [i.title, i.verdict.kind])).toEqual([
      ['Harbour news 4', 'cap'],
      ['Harbour news 3', 'cap'],
      ['Harbour news 2', 'post'],
      ['Ferry strike', 'filtered'],
      ['Harbour news 9', 'too-old'],
      ['Harbour news 1', 'post'],
    ]);
    expect(before.next).toMatchObject({ title: 'Harbour news 1', sample: false });
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2']);
    expect((await w.sub()).tally).toEqual({ day: '2026-12-01', postedToday: 2, lastPostAt: '2026-12-01T12:00:00.000Z' });
    w.at('2026-12-01T18:00:00Z');
    await w.run();
    expect(w.titles()).toHaveLength(2);
    expect(w.logs.filter((l) => l.msg === 'daily cap reached: new articles wait for the next UTC day').map((l) => [l.kind, l.cap, l.day])).toEqual([
      ['cap', 2, '2026-12-01'],
      ['cap', 2, '2026-12-01'],
    ]);
    const after = await w.preview(3);
    expect(after.items.map((i) => i.verdict)).toEqual([
      { kind: 'cap', cap: 2, day: '2026-12-01' },
      { kind: 'cap', cap: 2, day: '2026-12-01' },
      { kind: 'posted', at: '2026-12-01T12:00:00.000Z', link: expect.stringMatching(/^https:\/\/discord\.com\/channels\/9201\/201\/\d+$/) as unknown },
    ]);
    w.at('2026-12-02T00:10:00Z');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2', 'Harbour news 3', 'Harbour news 4']);
    const last = await w.sub();
    expect(last.tally).toMatchObject({ day: '2026-12-02', postedToday: 2 });
    expect(last.cursor).toBe(await w.store.positions.last());
    await w.store.close();
  });

  it('THEN spacing lets one post a run through until the time it named', async () => {
    const w = await world({ minSpacingMinutes: 60 }, [harbour(1), harbour(2)], '202');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1']);
    w.at('2026-12-01T12:30:00Z');
    expect((await w.preview()).items[0]?.verdict).toEqual({ kind: 'spacing', nextAt: '2026-12-01T13:00:00.000Z' });
    await w.run();
    expect(w.titles()).toHaveLength(1);
    w.at('2026-12-01T13:00:00Z');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2']);
    await w.store.close();
  });

  it('THEN a digest-only subscription posts no single article and its cursor moves over them', async () => {
    const w = await world({ digest: { every: 'daily', at: '08:00', only: true } }, [harbour(1), harbour(2)], '203');
    expect((await w.preview()).items.map((i) => i.verdict.kind)).toEqual(['digest', 'digest']);
    await w.run();
    expect(w.titles()).toEqual([]);
    expect((await w.sub()).cursor).toBe(await w.store.positions.last());
    await w.store.close();
  });

  it('THEN a stored filter that no longer compiles pauses the subscription with the reason, and the preview says so', async () => {
    const w = await world({ filter: 'title contains' }, [harbour(1)], '204');
    await expect(w.preview()).rejects.toThrow(/filter is no longer accepted/);
    const [run] = await w.run();
    expect(run?.paused).toMatch(/^filter no longer accepted: title contains \(.*column \d+/);
    expect((await w.sub()).paused?.reason).toBe(run?.paused);
    expect(w.titles()).toEqual([]);
    await w.store.close();
  });
});

/**
 * Delivery runs and /preview reading the verdicts (verdict.ts), with subscriptions and delivery
 * progress on SQLite and PostgreSQL: the daily cap across runs and days, spacing, digests, a filter
 * that no longer compiles; a retried set-aside article waits for the cap like a new one, and a post
 * found made after a crash counts toward it. The runs post through a small in-memory poster: what
 * is under test is which articles go and what is stored.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import type { SetAside, Subscription } from '../src/core/state.ts';
import type { SubscriptionOptions } from '../src/core/subscription-options.ts';
import type { MessageView } from '../src/core/view.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { createDeliveryEngine } from '../src/app/delivery/engine.ts';
import { type Poster, type PostedMessage, snowflakeAt } from '../src/app/delivery/poster.ts';
import { planArticle } from '../src/app/delivery/messages.ts';
import { previewSubscription } from '../src/app/delivery/preview.ts';
import { editSubscription } from '../src/app/delivery/settings.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article } from './helpers/articles.ts';
import { capturedLogger } from './helpers/log.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';
import { NOON, harbour, subscription } from './helpers/verdict-fixtures.ts';

interface Sent {
  readonly id: string;
  readonly channelId: string;
  readonly message: MessageView;
}

/**
 * Posts into memory, and reads back what it holds as Discord would (`after`), so a post made by a
 * run that crashed before recording it is found. Ids are Discord-like (their time is `clock`'s), so
 * the preview and the tally can tell when a post was made.
 */
function memoryPoster(clock: () => Date): Poster & { sent: Sent[]; made: (channelId: string, message: MessageView) => string } {
  let n = 0;
  const sent: Sent[] = [];
  const made = (channelId: string, message: MessageView): string => {
    const id = (BigInt(snowflakeAt(clock().getTime())) + BigInt(++n)).toString();
    sent.push({ id, channelId, message });
    return id;
  };
  const after = (channelId: string, afterId: string | null, limit: number): Promise<PostedMessage[]> =>
    Promise.resolve(
      sent
        .filter((s) => s.channelId === channelId && (afterId === null || BigInt(s.id) > BigInt(afterId)))
        .slice(0, limit)
        .map((s) => ({ id: s.id, authorId: '1', content: s.message.content ?? '', footer: s.message.embeds?.[0]?.footer ?? null })),
    );
  // Built apart from the return, so the webhook methods are checked against Poster only where it has them.
  const poster = {
    sent,
    made,
    botId: () => '1',
    digest: (m: MessageView) => createHash('sha256').update(JSON.stringify(m)).digest('base64url').slice(0, 16),
    send: (channelId: string, message: MessageView) => Promise.resolve(made(channelId, message)),
    startThread: (_c: string, messageId: string) => Promise.resolve(messageId),
    forumPost: (forumId: string, _name: string, message: MessageView) => Promise.resolve(made(forumId, message)),
    findForumPost: () => Promise.resolve(null),
    webhookId: () => Promise.reject(new Error('these subscriptions post as the bot')),
    sendAs: () => Promise.reject(new Error('these subscriptions post as the bot')),
    editAs: () => Promise.reject(new Error('these subscriptions post as the bot')),
    edit: () => Promise.resolve(),
    after,
    checkChannel: () => Promise.resolve(),
    channel: () => Promise.resolve({ guildId: null, thread: false, parentId: null, tagIds: [] }),
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

  async function world(options: SubscriptionOptions, articles: readonly Article[], channelId: string, extra: Partial<Subscription> = {}) {
    const store = SqliteStore.open(':memory:');
    for (const a of articles) await store.upsert(a);
    let now = NOON;
    const poster = memoryPoster(() => now);
    const { log, lines: logs } = capturedLogger('info');
    const subs = new Subscriptions(opened.state.subscriptions);
    const engine = createDeliveryEngine({ poster, progress: opened.state.progress, log });
    const runner = new DeliveryRunner({ store, subscriptions: subs, engine, progress: opened.state.progress, log, now: () => now });
    const guildId = `9${channelId}`;
    // A guild of its own per test: each run reads only its own subscription from the shared tables.
    await subs.put(subscription(options, { guildId, channelId, ...extra }));
    const titles = (): (string | undefined)[] => poster.sent.filter((s) => s.channelId === channelId).map((s) => s.message.embeds?.[0]?.title);
    return {
      store,
      subs,
      logs,
      poster,
      /** Changes the stored subscription as an admin or an earlier run would have left it. */
      change: async (f: (s: Subscription) => Subscription) => void (await subs.upsert({ guildId, channelId }, (s) => s && f(s))),
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
    const w = await world({ dailyCap: 2, maxAgeHours: 72 }, [harbour(1), old, ferry, harbour(2), harbour(3), harbour(4)], '201', {
      keywords: 'harbour',
    });
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
    await expect(w.preview()).rejects.toThrow(/; remove it with \/subscriptions edit:#news filter:- or set a corrected one there\.$/);
    const [run] = await w.run();
    // What to do that works: /subscribe keeps the filter and refuses it; an edit of the filter also resumes delivery.
    expect(run?.paused).toMatch(
      /^filter no longer accepted: title contains \(.*column \d+.*\); remove it with \/subscriptions edit:#news filter:- or set a corrected one there, which also resumes delivery$/,
    );
    expect(run?.paused).not.toContain('/subscribe ');
    expect((await w.sub()).paused?.reason).toBe(run?.paused);
    expect(w.titles()).toEqual([]);
    // Doing what it says: the edit clears the filter and resumes delivery, and the next run posts.
    const { guildId, channelId } = await w.sub();
    expect(await editSubscription(w.subs, w.store, { guildId, channelId, settings: { filter: '-' } })).toMatchObject({ resumed: true });
    expect((await w.sub()).paused).toBeNull();
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1']);
    await w.store.close();
  });

  /** A set-aside entry an admin asked to retry. */
  const retry = (a: Article): SetAside => ({ articleId: a.id, title: a.title, reason: 'Discord refused it: 400', at: '2026-11-30T10:00:00Z', retry: true });

  it('THEN a retried set-aside article is a post like a new one: it goes first and counts toward the cap, and the new ones wait', async () => {
    const [h1, h2, h3] = [harbour(1), harbour(2), harbour(3)];
    const w = await world({ dailyCap: 2 }, [h1, h2, h3], '205');
    const [first] = await w.store.positions.after(0, 1);
    // An earlier run set harbour 1 aside and moved on; an admin asked to retry it.
    await w.change((s) => ({ ...s, cursor: first!.position, setAside: [retry(h1)] }));
    const before = await w.preview();
    expect(before.items.map((i) => [i.title, i.verdict.kind])).toEqual([
      ['Harbour news 3', 'cap'],
      ['Harbour news 2', 'post'],
      ['Harbour news 1', 'set-aside'],
    ]);
    expect(before.next).toMatchObject({ title: 'Harbour news 1', sample: false });
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2']);
    const after = await w.sub();
    expect(after.tally).toEqual({ day: '2026-12-01', postedToday: 2, lastPostAt: '2026-12-01T12:00:00.000Z' });
    expect(after.setAside).toEqual([]);
    expect(w.logs.find((l) => l.msg === 'daily cap reached: new articles wait for the next UTC day')).toMatchObject({ article: h3.id });
    await w.store.close();
  });

  it('THEN a retried set-aside article waits for the cap as a new one does, stays marked to retry, and goes first the next UTC day', async () => {
    const [h1, h2] = [harbour(1), harbour(2)];
    const w = await world({ dailyCap: 1 }, [h1, h2], '206');
    const [first] = await w.store.positions.after(0, 1);
    await w.change((s) => ({
      ...s,
      cursor: first!.position,
      setAside: [retry(h1)],
      tally: { day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T09:00:00.000Z' },
    }));
    const cap = { kind: 'cap', cap: 1, day: '2026-12-01' };
    expect((await w.preview()).items.map((i) => i.verdict)).toEqual([cap, cap]);
    await w.run();
    expect(w.titles()).toEqual([]);
    expect((await w.sub()).setAside).toEqual([retry(h1)]);
    expect(w.logs.find((l) => l.msg === 'daily cap reached: new articles wait for the next UTC day')).toMatchObject({ article: h1.id, kind: 'cap' });
    w.at('2026-12-02T00:10:00Z');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1']);
    expect(await w.sub()).toMatchObject({ setAside: [], tally: { day: '2026-12-02', postedToday: 1 } });
    await w.store.close();
  });

  /**
   * A run that crashed after Discord made harbour 1's post and before it recorded it: the record
   * holds the attempt and no post id, and the post is in the channel, made at `madeAt`.
   */
  async function crashedAfterPosting(w: Awaited<ReturnType<typeof world>>, channelId: string, a: Article, madeAt: string): Promise<string> {
    w.at(madeAt);
    const id = w.poster.made(channelId, planArticle(a, w.poster).post);
    const progress = { postId: null, threadId: null, postHash: null, bodyHash: '', done: [], lastId: null, attemptedAt: Date.parse(madeAt), complete: false };
    await opened.state.progress.put(channelId, a.id, progress);
    return id;
  }

  it('THEN a post found made today after a crash counts toward the cap: a second run the same day posts no third', async () => {
    const [h1, h2, h3] = [harbour(1), harbour(2), harbour(3)];
    const w = await world({ dailyCap: 2 }, [h1, h2, h3], '207');
    const found = await crashedAfterPosting(w, '207', h1, '2026-12-01T11:58:00Z');
    w.at('2026-12-01T12:00:00Z');
    await w.run();
    // Harbour 1 was found, not made again.
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2']);
    expect((await opened.state.progress.get('207', h1.id))?.postId).toBe(found);
    expect((await w.sub()).tally).toEqual({ day: '2026-12-01', postedToday: 2, lastPostAt: '2026-12-01T12:00:00.000Z' });
    w.at('2026-12-01T18:00:00Z');
    expect((await w.preview()).items[0]?.verdict).toEqual({ kind: 'cap', cap: 2, day: '2026-12-01' });
    await w.run();
    expect(w.titles()).toHaveLength(2);
    await w.store.close();
  });

  it('THEN a post found made the day before counts for that day, not today’s cap', async () => {
    const [h1, h2, h3] = [harbour(1, '2026-11-30T20:00:00Z'), harbour(2, '2026-11-30T21:00:00Z'), harbour(3, '2026-11-30T22:00:00Z')];
    const w = await world({ dailyCap: 2 }, [h1, h2, h3], '208');
    await crashedAfterPosting(w, '208', h1, '2026-11-30T23:59:00Z');
    w.at('2026-12-01T00:05:00Z');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2']);
    // The spacing would follow the found post; today counts only harbour 2.
    expect((await w.sub()).tally).toEqual({ day: '2026-12-01', postedToday: 1, lastPostAt: '2026-12-01T00:05:00.000Z' });
    w.at('2026-12-01T06:00:00Z');
    await w.run();
    expect(w.titles()).toEqual(['Harbour news 1', 'Harbour news 2', 'Harbour news 3']);
    expect((await w.sub()).tally).toMatchObject({ day: '2026-12-01', postedToday: 2 });
    await w.store.close();
  });
});

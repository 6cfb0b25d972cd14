/**
 * The bot's state repositories behave the same on both backends: the same cases run against SQLite
 * (a file) and PostgreSQL (a database of their own on the real server). Two connections stand for two
 * processes: on SQLite two handles on one file, on PostgreSQL two pools.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryProgress, Subscription } from '../src/core/state.ts';
import { InvalidStateRow } from '../src/adapters/store/state-schemas.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';

const at = '2026-12-01T06:00:00.000Z';
const sub: Subscription = {
  guildId: '1',
  channelId: '2',
  kind: 'text',
  channelName: 'news',
  source: null,
  keywords: 'harbour',
  backfill: { kind: 'latest', count: 5 },
  cursor: 0,
  checkedAt: at,
  createdAt: at,
  createdBy: 'test',
  paused: null,
  posted: 0,
  lastPostedAt: null,
  lastRunAt: null,
  lastError: null,
};
const progress = (over: Partial<DeliveryProgress> = {}): DeliveryProgress => ({
  postId: '10',
  threadId: '10',
  postHash: 'p',
  bodyHash: 'b',
  done: ['c:n1:0'],
  lastId: '11',
  complete: true,
  ...over,
});

/** `count` calls of `work`, `inFlight` at a time. */
async function times(count: number, inFlight: number, work: () => Promise<unknown>): Promise<void> {
  let left = count;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (left > 0) {
        left--;
        await work();
      }
    }),
  );
}

describe.each(Object.keys(stateBackends))('GIVEN the bot’s state on %s', (backend) => {
  let opened: OpenedState | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const open = async () => (opened = await stateBackends[backend]!());

  it('THEN subscriptions are put, read back, listed by guild and removed', async () => {
    const { state } = await open();
    const full: Subscription = {
      ...sub,
      channelId: '3',
      paused: { reason: 'missing access', at },
      setAside: [{ articleId: 'a1', title: 'Tide', reason: 'too long', at, retry: false }],
      setAsideDropped: 2,
      unfinished: [{ articleId: 'a2', title: 'Port', left: 3, at }],
      revision: 4,
    };
    await state.subscriptions.put(sub);
    await state.subscriptions.put(full);
    await state.subscriptions.put({ ...sub, guildId: '9', backfill: { kind: 'all' } });
    expect(await state.subscriptions.get({ guildId: '1', channelId: '3' })).toStrictEqual(full);
    expect(await state.subscriptions.get({ guildId: '1', channelId: '2' })).toStrictEqual(sub);
    expect((await state.subscriptions.list('1')).subscriptions.map((s) => s.channelId)).toEqual(['2', '3']);
    expect((await state.subscriptions.list()).subscriptions.map((s) => s.guildId)).toEqual(['1', '1', '9']);
    expect(await state.subscriptions.remove({ guildId: '1', channelId: '2' })).toBe(true);
    expect(await state.subscriptions.remove({ guildId: '1', channelId: '2' })).toBe(false);
    expect(await state.subscriptions.get({ guildId: '1', channelId: '2' })).toBeNull();
  });

  it('THEN two connections updating one subscription at once lose no update, also while creating it', async () => {
    const { state, other } = await open();
    await state.subscriptions.put(sub);
    const key = { guildId: '1', channelId: '2' };
    await Promise.all([
      times(200, 4, () => state.subscriptions.update(key, (s) => s && { ...s, posted: s.posted + 1, cursor: s.cursor + 1 })),
      times(200, 4, () => other.subscriptions.update(key, (s) => s && { ...s, posted: s.posted + 1, revision: (s.revision ?? 0) + 1 })),
    ]);
    expect(await state.subscriptions.get(key)).toMatchObject({ posted: 400, cursor: 200, revision: 200 });

    const fresh = { guildId: '1', channelId: '7' };
    const bump = (s: Subscription | null): Subscription => (s ? { ...s, posted: s.posted + 1 } : { ...sub, ...fresh, posted: 1 });
    await Promise.all([times(50, 4, () => state.subscriptions.update(fresh, bump)), times(50, 4, () => other.subscriptions.update(fresh, bump))]);
    expect(await other.subscriptions.get(fresh)).toMatchObject({ posted: 100 });
  });

  it('THEN a change returning null stores nothing, and one returning another channel is refused and stores nothing', async () => {
    const { state } = await open();
    const key = { guildId: '1', channelId: '2' };
    expect(await state.subscriptions.update(key, () => null)).toEqual({ before: null, after: null });
    await expect(state.subscriptions.update(key, () => ({ ...sub, channelId: '3' }))).rejects.toThrow(/returned the subscription of 1\/3/);
    expect((await state.subscriptions.list()).subscriptions).toEqual([]);
  });

  it('THEN feeds are put, updated, listed in URL order and removed', async () => {
    const { state, other } = await open();
    const feed = {
      url: 'https://coast.example/feed',
      name: 'Coast',
      addedAt: at,
      etag: null,
      lastModified: null,
      lastPolledAt: null,
      lastOkAt: null,
      items: 0,
      failures: 0,
      lastError: null,
      retryAt: null,
    };
    await state.feeds.put(feed);
    await state.feeds.put({ ...feed, url: 'https://bay.example/rss' });
    await Promise.all([
      times(50, 3, () => state.feeds.update(feed.url, (f) => f && { ...f, items: f.items + 1 })),
      times(50, 3, () => other.feeds.update(feed.url, (f) => f && { ...f, failures: f.failures + 1 })),
    ]);
    expect(await state.feeds.get(feed.url)).toStrictEqual({ ...feed, items: 50, failures: 50 });
    expect((await state.feeds.list()).map((f) => f.url)).toEqual(['https://bay.example/rss', feed.url]);
    expect(await state.feeds.remove(feed.url)).toBe(true);
    expect(await state.feeds.remove(feed.url)).toBe(false);
    expect(await state.feeds.get(feed.url)).toBeNull();
  });

  it('THEN a post attempt’s time, its refusal (null) and an older record’s absence stay apart', async () => {
    const { state } = await open();
    const timed = progress({ postId: null, complete: false, attemptedAt: 1_764_568_800_000 });
    const refused = progress({ postId: null, complete: false, attemptedAt: null, reposts: 2 });
    const older = progress();
    await state.progress.put('2', 'timed', timed);
    await state.progress.put('2', 'refused', refused);
    await state.progress.put('2', 'older', older);
    expect(await state.progress.get('2', 'timed')).toStrictEqual(timed);
    expect(await state.progress.get('2', 'refused')).toStrictEqual(refused);
    expect(await state.progress.get('2', 'older')).toStrictEqual(older);
    await state.progress.put('2', 'timed', progress({ done: ['c:n1:0', 'c:n2:0'] }));
    expect(await state.progress.get('2', 'timed')).toStrictEqual(progress({ done: ['c:n1:0', 'c:n2:0'] }));
    expect(await state.progress.get('2', 'none')).toBeNull();
  });

  it('THEN a thread’s last message only moves forward, compared as a snowflake, from either connection', async () => {
    const { state, other } = await open();
    await state.threads.put({ threadId: '50', articleId: 'a', guildId: '1', parentId: '2', lastMessageId: '900' });
    await state.threads.put({ threadId: '49', articleId: 'b', guildId: '1', parentId: '2', lastMessageId: null });
    await state.threads.advance('50', '1000');
    await other.threads.advance('50', '950');
    await state.threads.advance('51', '1000');
    await Promise.all(['1200', '1100', '1300', '1250'].map((id, i) => (i % 2 ? state : other).threads.advance('49', id)));
    expect(await state.threads.list()).toStrictEqual([
      { threadId: '49', articleId: 'b', guildId: '1', parentId: '2', lastMessageId: '1300' },
      { threadId: '50', articleId: 'a', guildId: '1', parentId: '2', lastMessageId: '1000' },
    ]);
    expect(await state.threads.get('51')).toBeNull();
  });

  it('THEN a row that does not validate is an error naming it, and a list reports it apart', async () => {
    const { state, exec } = await open();
    await state.subscriptions.put(sub);
    await state.subscriptions.put({ ...sub, channelId: '3' });
    await exec('UPDATE subscriptions SET set_aside = $1 WHERE channel_id = $2', ['[{"articleId":7}]', '2']);
    await expect(state.subscriptions.get({ guildId: '1', channelId: '2' })).rejects.toThrow(InvalidStateRow);
    const { subscriptions, invalid } = await state.subscriptions.list();
    expect(subscriptions.map((s) => s.channelId)).toEqual(['3']);
    expect(invalid.map((i) => [i.guildId, i.channelId])).toEqual([['1', '2']]);
    expect(invalid[0]?.error.message).toMatch(/^subscriptions row 1\/2 is not valid: setAside\.0\.articleId: /);
    await exec("INSERT INTO article_threads (thread_id, article_id, guild_id, parent_id) VALUES ('60', '', '1', '2')", []);
    await expect(state.threads.get('60')).rejects.toThrow(/article_threads row 60 is not valid: articleId/);
  });
});

/**
 * Following discussions and syncing them into the store, with a scripted fetcher of the tests' own
 * (test/helpers/discussions.ts) on both backends. The real fetcher against a local site is
 * test/discussion-sync.test.ts; processes sharing the work, test/discussion-sync-shared.test.ts.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { type SyncOptions, syncDiscussions } from '../src/app/discussion/sync.ts';
import { UserError } from '../src/core/errors.ts';
import { type Article, articleId } from '../src/core/model.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { ITEM, ScriptedFetcher, fresh, hnComment, hnDiscussion } from './helpers/discussions.ts';

const T0 = new Date('2026-12-01T06:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

/** A feed's article about the page the discussion links to: its own title and text. */
const feedArticle: Article = {
  id: articleId({ url: 'https://harbour.example/news/ferry', source: 'Harbour News', title: 'Ferry timetable changes' }),
  title: 'Ferry timetable changes',
  url: 'https://harbour.example/news/ferry',
  source: 'Harbour News',
  author: null,
  publishedAt: '2026-12-01T04:00:00Z',
  language: 'en',
  body: [{ type: 'paragraph', text: 'From Monday the first ferry leaves the harbour at half past six in the morning.' }],
  comments: [],
  declaredCommentCount: null,
  commentsUrl: null,
  ingestedAt: '2026-12-01T04:30:00Z',
};

describe.each(Object.keys(discussionBackends) as (keyof typeof discussionBackends)[])('GIVEN followed discussions on %s', (name) => {
  let opened: Opened | undefined;
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  const setUp = async () => {
    opened = await discussionBackends[name]();
    const fetcher = new ScriptedFetcher();
    const follows = new DiscussionFollows(opened.state.discussions, fetcher, opened.store);
    const sync = (now: Date, extra: Partial<SyncOptions> = {}) =>
      syncDiscussions(opened!.state.discussions, opened!.store, { fetcher, requestsPerRun: 50, now: () => now, ...extra });
    return { ...opened, fetcher, follows, sync };
  };

  it('THEN add keeps the canonical address, says what is wrong with one it cannot follow, and checks the article named', async () => {
    const { follows, store } = await setUp();
    const added = await follows.add(' https://news.example/item?id=7&p=2 ', { by: 'cli', now: T0 });
    expect(added).toMatchObject({
      existed: false,
      discussion: { url: `${ITEM}7`, kind: 'hackernews', articleId: null, addedBy: 'cli', addedAt: T0.toISOString() },
    });
    expect((await follows.add(`${ITEM}7`, { now: minutes(1) })).existed).toBe(true);
    await expect(follows.add('news.example/item?id=7', { now: T0 })).rejects.toThrow(/"news\.example\/item\?id=7" is not a web address/);
    await expect(follows.add('https://news.example/user?id=pg', { now: T0 })).rejects.toThrow(
      /"https:\/\/news\.example\/user\?id=pg" is not a discussion Paperboy can follow/,
    );
    await expect(follows.add(`${ITEM}7`, { articleId: 'ffffffffffffffff', now: T0 })).rejects.toThrow(UserError);
    await store.upsert(feedArticle);
    const named = await follows.add(`${ITEM}7`, { articleId: feedArticle.id.slice(0, 6), now: T0 });
    expect(named.discussion.articleId).toBe(feedArticle.id);
    expect((await follows.list()).map((d) => d.url)).toEqual([`${ITEM}7`]);
    expect(await follows.get('https://news.example/item?id=7&p=9')).toMatchObject({ url: `${ITEM}7` });
    expect(await follows.remove('https://news.example/item?id=7&p=9')).toBe(true);
    expect(await follows.remove(`${ITEM}7`)).toBe(false);
  });

  it('THEN a discussion of an article stored from elsewhere adds only comments there: its title and text stay, quotes link to its text', async () => {
    const { follows, fetcher, sync, store, state } = await setUp();
    await store.upsert(feedArticle);
    await follows.add(`${ITEM}10`, { now: T0 });
    const quoting = 'They say the first ferry leaves the harbour at half past six in the morning now.';
    fetcher.answer(
      `${ITEM}10`,
      fresh(
        hnDiscussion(10, [hnComment(11, null, quoting), hnComment(12, 11, 'Good.')], { link: feedArticle.url, title: 'Ferries earlier (harbour.example)' }),
        '"a"',
      ),
    );
    const [result] = await sync(T0);
    expect(result).toMatchObject({ outcome: 'synced', articleId: feedArticle.id, comments: 2, added: 2, edited: 0, deleted: 0, requests: 1 });
    const stored = await store.get(feedArticle.id);
    expect(stored).toMatchObject({ title: feedArticle.title, body: feedArticle.body, source: 'Harbour News', commentsUrl: `${ITEM}10` });
    expect(stored?.comments.map((c) => [c.id, c.replyTo, c.quotes])).toEqual([
      ['hn:11', null, [{ paragraph: 0, block: 0 }]],
      ['hn:12', 'hn:11', []],
    ]);
    expect(await state.discussions.get(`${ITEM}10`)).toMatchObject({ articleId: feedArticle.id, ownsArticle: false, etag: '"a"', lastOkAt: T0.toISOString() });
  });

  it('THEN a discussion with no article stored becomes one, followed whole; edits, deletions and new replies follow with no duplicates', async () => {
    const { follows, fetcher, sync, store, state } = await setUp();
    await follows.add(`${ITEM}20`, { now: T0 });
    const first = hnDiscussion(20, [hnComment(21, null, 'First.'), hnComment(22, 21, 'A reply.'), hnComment(23, null, 'Another.')], { title: 'Ask: ferries?' });
    const second = hnDiscussion(
      20,
      [
        hnComment(21, null, 'First, edited.', { editedAt: '2026-12-01T06:10:00Z' }),
        hnComment(23, null, '', { deleted: true }),
        hnComment(24, 22, 'Late reply.'),
      ],
      { title: 'Ask: ferries? (updated)' },
    );
    fetcher.answer(`${ITEM}20`, fresh(first, '"1"'), fresh(second, '"2"'), { outcome: 'not-modified', requests: 1 });
    expect(await sync(T0)).toMatchObject([{ outcome: 'synced', added: 3 }]);
    const id = first.article.id;
    expect(await state.discussions.get(`${ITEM}20`)).toMatchObject({ articleId: id, ownsArticle: true, commentIds: ['hn:21', 'hn:22', 'hn:23'] });
    expect(await sync(minutes(10))).toMatchObject([{ outcome: 'synced', articleId: id, added: 1, edited: 1, deleted: 2 }]);
    expect(fetcher.calls.map((c) => c.validators.etag)).toEqual([null, '"1"']);
    const stored = await store.get(id);
    expect(stored?.title).toBe('Ask: ferries? (updated)');
    // 22 is gone from a complete fetch, 23 deleted at the source: both keep their place, text gone.
    expect(stored?.comments.map((c) => [c.id, c.author, c.replyTo, c.paragraphs, c.deleted ?? false])).toEqual([
      ['hn:21', 'user21', null, ['First, edited.'], false],
      ['hn:22', 'user22', 'hn:21', [], true],
      ['hn:23', 'user23', null, [], true],
      ['hn:24', 'user24', 'hn:22', ['Late reply.'], false],
    ]);
    expect(await sync(minutes(20))).toMatchObject([{ outcome: 'not-modified' }]);
    expect(fetcher.calls.at(-1)?.validators.etag).toBe('"2"');
    expect((await store.get(id))?.comments).toHaveLength(4);
  });

  it('THEN a partial fetch never deletes what it did not reach, and the next complete one does', async () => {
    const { follows, fetcher, sync, store, state } = await setUp();
    await follows.add(`${ITEM}30`, { now: T0 });
    const all = [hnComment(31, null, 'One.'), hnComment(32, null, 'Two.'), hnComment(33, null, 'Three.')];
    fetcher.answer(
      `${ITEM}30`,
      fresh(hnDiscussion(30, all)),
      fresh(hnDiscussion(30, all.slice(0, 1), { missing: 2 })),
      fresh(hnDiscussion(30, all.slice(0, 2))),
    );
    await sync(T0);
    expect(await sync(minutes(10))).toMatchObject([{ outcome: 'synced', comments: 1, missing: 2, deleted: 0 }]);
    expect(await state.discussions.get(`${ITEM}30`)).toMatchObject({ missing: 2, commentIds: ['hn:31', 'hn:32', 'hn:33'] });
    expect(await sync(minutes(20))).toMatchObject([{ outcome: 'synced', deleted: 1 }]);
    const stored = await store.get(hnDiscussion(30, []).article.id);
    expect(stored?.comments.map((c) => [c.id, c.deleted ?? false])).toEqual([
      ['hn:31', false],
      ['hn:32', false],
      ['hn:33', true],
    ]);
  });

  it('THEN a comment that leaves a comment feed is not deleted: the feed holds only the latest ones', async () => {
    const { follows, fetcher, sync, store, state } = await setUp();
    await follows.add(`${ITEM}35`, { now: T0 });
    const feed = (comments: ReturnType<typeof hnComment>[]) => ({ ...hnDiscussion(35, comments), kind: 'comment-feed' as const });
    fetcher.answer(`${ITEM}35`, fresh(feed([hnComment(36, null, 'Older.'), hnComment(37, null, 'Newer.')])), fresh(feed([hnComment(38, null, 'Newest.')])));
    await sync(T0);
    expect(await sync(minutes(10))).toMatchObject([{ outcome: 'synced', added: 1, deleted: 0 }]);
    const stored = await store.get(hnDiscussion(35, []).article.id);
    expect(stored?.comments.map((c) => [c.id, c.deleted ?? false])).toEqual([
      ['hn:36', false],
      ['hn:37', false],
      ['hn:38', false],
    ]);
    expect(await state.discussions.get(`${ITEM}35`)).toMatchObject({ commentIds: [] });
  });

  it('THEN a failure backs off (or waits until the host said), the run goes on, and force or the time passing retries it', async () => {
    const { follows, fetcher, sync, state } = await setUp();
    await follows.add(`${ITEM}40`, { now: T0 });
    await follows.add(`${ITEM}41`, { now: T0 });
    fetcher
      .answer(`${ITEM}40`, { outcome: 'failed', reason: 'HTTP 503 Service Unavailable', retryAt: null, requests: 1 }, fresh(hnDiscussion(40, [])))
      .answer(
        `${ITEM}41`,
        { outcome: 'failed', reason: 'HTTP 429 Too Many Requests', retryAt: minutes(30).toISOString(), requests: 1 },
        fresh(hnDiscussion(41, [])),
      );
    expect((await sync(T0)).map((r) => [r.outcome, r.error])).toEqual([
      ['failed', 'HTTP 503 Service Unavailable'],
      ['failed', 'HTTP 429 Too Many Requests'],
    ]);
    expect(await state.discussions.get(`${ITEM}40`)).toMatchObject({
      failures: 1,
      lastError: 'HTTP 503 Service Unavailable',
      retryAt: minutes(5).toISOString(),
    });
    expect(await state.discussions.get(`${ITEM}41`)).toMatchObject({ failures: 1, retryAt: minutes(30).toISOString() });
    expect((await sync(minutes(4))).map((r) => r.outcome)).toEqual(['waiting', 'waiting']);
    expect((await sync(minutes(6))).map((r) => r.outcome)).toEqual(['synced', 'waiting']);
    expect(await state.discussions.get(`${ITEM}40`)).toMatchObject({ failures: 0, lastError: null, retryAt: null });
    expect((await sync(minutes(7), { force: true, urls: [`${ITEM}41`] })).map((r) => r.outcome)).toEqual(['synced']);
    expect(fetcher.calls).toHaveLength(4);
  });

  it('THEN a discussion synced within the minimum interval waits, paused ones are left alone, and the budget stops the run', async () => {
    const { follows, fetcher, sync } = await setUp();
    for (const id of [50, 51, 52]) await follows.add(`${ITEM}${id}`, { now: T0 });
    await follows.pause(`${ITEM}52`, 'asked by an admin');
    fetcher.answer(`${ITEM}50`, fresh(hnDiscussion(50, []), null, 2), fresh(hnDiscussion(50, []))).answer(`${ITEM}51`, fresh(hnDiscussion(51, [])));
    expect((await sync(T0, { requestsPerRun: 2 })).map((r) => [r.url, r.outcome, r.requests])).toEqual([
      [`${ITEM}50`, 'synced', 2],
      [`${ITEM}51`, 'over-budget', 0],
      [`${ITEM}52`, 'paused', 0],
    ]);
    expect((await sync(minutes(5), { minIntervalMs: 10 * 60_000 })).map((r) => r.outcome)).toEqual(['waiting', 'synced', 'paused']);
    expect(await follows.resume(`${ITEM}52`)).toBe(true);
    expect(fetcher.calls.map((c) => c.url)).toEqual([`${ITEM}50`, `${ITEM}51`]);
  });

  it('THEN two rows of one discussion are fetched once in a run, and nothing is fetched after shutdown', async () => {
    const { follows, fetcher, sync, state } = await setUp();
    await follows.add(`${ITEM}60`, { now: T0 });
    // Stored under an address an older Paperboy did not reduce to the canonical one.
    const older = await state.discussions.get(`${ITEM}60`);
    await state.discussions.put({ ...older!, url: `${ITEM}60&p=1` });
    fetcher.answer(`${ITEM}60`, fresh(hnDiscussion(60, [hnComment(61, null, 'Once.')])));
    expect((await sync(T0)).map((r) => [r.url, r.outcome, r.added, r.requests])).toEqual([
      [`${ITEM}60`, 'synced', 1, 1],
      [`${ITEM}60&p=1`, 'synced', 0, 0],
    ]);
    expect(fetcher.calls).toHaveLength(1);
    const stopped = new AbortController();
    stopped.abort();
    expect((await sync(minutes(60), { signal: stopped.signal })).map((r) => r.outcome)).toEqual(['cut-off', 'cut-off']);
    expect(fetcher.calls).toHaveLength(1);
  });
});

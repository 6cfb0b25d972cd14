/**
 * Discussion syncs that share: processes sharing the work through leases (SQLite, PostgreSQL), and
 * discussions synced side by side when one of them cannot be stored. A scripted fetcher of the
 * tests' own (test/helpers/discussions.ts); the store is the real one.
 */
import { describe, expect, it } from 'vitest';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { DiscussionFollows } from '../src/app/discussion/follow.ts';
import { syncDiscussions, syncLeaseName } from '../src/app/discussion/sync.ts';
import { discussionBackends } from './helpers/discussion-backends.ts';
import { ITEM, ScriptedFetcher, fresh, hnComment, hnDiscussion } from './helpers/discussions.ts';
import { createTestDatabase } from './helpers/postgres.ts';

const T0 = new Date('2026-12-01T06:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);
describe('GIVEN a discussion PostgreSQL refuses to store (a NUL character in a comment)', () => {
  it('THEN that one fails with the reason and backs off, and the others are synced side by side as usual', async () => {
    const opened = await discussionBackends.PostgreSQL();
    try {
      const fetcher = new ScriptedFetcher();
      const follows = new DiscussionFollows(opened.state.discussions, fetcher, opened.store);
      for (const id of [100, 200, 300]) await follows.add(`${ITEM}${id}`, { now: T0 });
      fetcher
        .answer(`${ITEM}100`, fresh(hnDiscussion(100, [hnComment(101, null, 'Fine.')])))
        .answer(`${ITEM}200`, fresh(hnDiscussion(200, [hnComment(201, null, 'Broken \u0000 text.')])))
        .answer(`${ITEM}300`, fresh(hnDiscussion(300, [hnComment(301, null, 'Also fine.')])));
      const results = await syncDiscussions(opened.state.discussions, opened.store, { fetcher, requestsPerRun: 3, now: () => T0, concurrency: 3 });
      expect(results.map((r) => [r.url, r.outcome, r.added])).toEqual([
        [`${ITEM}100`, 'synced', 1],
        [`${ITEM}200`, 'failed', 0],
        [`${ITEM}300`, 'synced', 1],
      ]);
      expect(results[1]?.error).toMatch(/^could not be stored: /);
      expect(await opened.state.discussions.get(`${ITEM}200`)).toMatchObject({ failures: 1, retryAt: minutes(5).toISOString() });
    } finally {
      await opened.close();
    }
  });
});

describe('GIVEN several processes syncing one SQLite file', () => {
  it('THEN a discussion whose lease another process holds is left to it, unfetched', async () => {
    const opened = await discussionBackends.SQLite();
    try {
      const fetcher = new ScriptedFetcher();
      const follows = new DiscussionFollows(opened.state.discussions, fetcher, opened.store);
      await follows.add(`${ITEM}70`, { now: T0 });
      const leases = opened.state.leases;
      expect(await leases.claim(syncLeaseName(`${ITEM}70`), 'other-process', 60_000)).toBe(true);
      const lease = { repo: leases, holder: 'this-process', ttlMs: 60_000 };
      const results = await syncDiscussions(opened.state.discussions, opened.store, { fetcher, requestsPerRun: 5, lease });
      expect(results).toMatchObject([{ outcome: 'waiting', elsewhere: true }]);
      expect(fetcher.calls).toEqual([]);
    } finally {
      await opened.close();
    }
  });
});

describe('GIVEN two processes syncing one PostgreSQL database at once', () => {
  it('THEN every discussion is fetched by exactly one of them, the other leaving it (held elsewhere, or just synced)', async () => {
    const database = await createTestDatabase();
    const a = await openPostgresStore(database.url, { max: 4 });
    const b = await openPostgresStore(database.url, { max: 4 });
    try {
      const ids = Array.from({ length: 12 }, (_, i) => 1000 + i);
      const fetchers = [new ScriptedFetcher(), new ScriptedFetcher()];
      for (const f of fetchers) for (const id of ids) f.answer(`${ITEM}${id}`, fresh(hnDiscussion(id, [hnComment(id * 10, null, 'Hello.')])));
      const follows = new DiscussionFollows(postgresBotState(a.pool).discussions, fetchers[0]!, a);
      for (const id of ids) await follows.add(`${ITEM}${id}`, { now: T0 });
      const sync = (store: typeof a, fetcher: ScriptedFetcher, holder: string) => {
        const state = postgresBotState(store.pool);
        const lease = { repo: state.leases, holder, ttlMs: 60_000 };
        return syncDiscussions(state.discussions, store, { fetcher, requestsPerRun: 50, lease, minIntervalMs: 60 * 60_000, now: () => T0, concurrency: 3 });
      };
      const [ra, rb] = await Promise.all([sync(a, fetchers[0]!, 'process-a'), sync(b, fetchers[1]!, 'process-b')]);
      expect(fetchers[0]!.calls.length + fetchers[1]!.calls.length).toBe(ids.length);
      for (const [i, id] of ids.entries()) {
        const outcomes = [ra[i]?.outcome, rb[i]?.outcome].sort();
        expect([`${ITEM}${id}`, outcomes]).toEqual([`${ITEM}${id}`, ['synced', 'waiting']]);
      }
      const stored = await a.get(hnDiscussion(1000, []).article.id);
      expect(stored?.comments.map((c) => c.id)).toEqual(['hn:10000']);
    } finally {
      await Promise.all([a.close(), b.close()]);
      await database.drop();
    }
  });
});

/**
 * A digest is posted exactly once, on SQLite and on PostgreSQL: two processes at once post it once;
 * a process that died after its send (its attempt recorded, not the post) is not followed by a second message; a
 * send whose answers were lost is found in the channel; a refused send leaves the period due, and
 * the next run posts it. The real discord.js poster against the local Discord; the bot's state on
 * each backend, two connections standing for two processes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscription } from '../src/core/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { BotState } from '../src/adapters/store/state.ts';
import { duePeriod } from '../src/app/digest/due.ts';
import { recordAttempt } from '../src/app/digest/post.ts';
import { type DigestDeps, digestLeaseName, runDigests } from '../src/app/digest/run.ts';
import { digestFooter, digestPostName } from '../src/app/digest/view.ts';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';

let e: EngineHarness;
beforeAll(async () => {
  e = await startEngine();
});
afterAll(async () => {
  await e.close();
});

// Daily at 08:00 UTC: at 09:00 on 30 November the period 29 Nov 08:00 – 30 Nov 08:00 is due.
const NOW = new Date('2026-11-30T09:00:00Z');
const DIGEST = { every: 'daily' as const, at: '08:00', only: true };

async function storeWithNews(): Promise<SqliteStore> {
  const store = SqliteStore.open(':memory:');
  for (const [i, title] of ['Harbour reopens', 'Ferry strike ends', 'New pier planned'].entries()) {
    await store.upsert(
      article({
        title,
        text: `${title} after a long winter. The council voted on it on Sunday.`,
        publishedAt: '2026-11-29T12:00:00Z',
        comments: Array.from({ length: i + 1 }, (_, k) => comment(k + 1, `Comment ${k + 1}.`, { postedAt: '2026-11-29T18:00:00Z' })),
      }),
    );
  }
  return store;
}

async function subscribe(state: BotState, kind: 'text' | 'forum' = 'text'): Promise<Subscription> {
  const sub = subscriptionFixture({ ...e.target(kind), options: { digest: DIGEST } });
  await state.subscriptions.put(sub);
  return sub;
}

/** The digests in the channel (or, for a forum, its posts' starters): their footers. */
function digests(sub: Subscription): string[] {
  const messages = sub.kind === 'forum' ? e.fake.threads(sub.channelId).map((t) => e.fake.messages(t.id)[0]) : e.fake.messages(sub.channelId);
  return messages.map((m) => m?.embeds[0]?.footer?.text ?? '').filter((f) => f.includes('digest'));
}

for (const [backend, open] of Object.entries(stateBackends)) {
  describe(`GIVEN a due digest on ${backend}`, () => {
    // One database per backend for the file: each test has channels of its own.
    let o: OpenedState;
    beforeAll(async () => {
      o = await open();
    });
    afterAll(async () => {
      await o.close();
    });
    const deps = (state: BotState, store: SqliteStore): DigestDeps & { lines: Record<string, unknown>[] } => {
      const { log, lines } = capturedLogger('debug');
      return { store, state, poster: e.poster, log, now: () => NOW, lines };
    };

    it('THEN two processes running at once post it once, and record the period for both', async () => {
      const store = await storeWithNews();
      try {
        const sub = await subscribe(o.state);
        await Promise.all([runDigests(deps(o.state, store)), runDigests(deps(o.other, store))]);
        expect(digests(sub)).toEqual(['Paperboy · daily digest through 2026-11-30T08:00Z']);
        const top = e.fake.messages(sub.channelId)[0];
        expect(top?.embeds.map((x) => x.title)).toEqual(['New pier planned', 'Ferry strike ends', 'Harbour reopens']);
        expect((await o.other.subscriptions.get(sub))?.tally?.digestThrough).toBe('2026-11-30T08:00:00.000Z');
        // Recorded: a later run the same day posts nothing more.
        await runDigests(deps(o.other, store));
        expect(digests(sub)).toHaveLength(1);
        expect(await o.state.leases.holderOf(digestLeaseName(sub))).toBeNull();
      } finally {
        await store.close();
      }
    });

    it('THEN after a process died between its send and its record, the next run finds the message and sends none', async () => {
      const store = await storeWithNews();
      try {
        for (const kind of ['text', 'forum'] as const) {
          const sub = await subscribe(o.state, kind);
          const period = duePeriod(sub, NOW);
          if (!period) throw new Error('the digest should be due');
          // What the dead process did: recorded its attempt, sent (with a nonce Discord has long forgotten), recorded nothing more.
          await recordAttempt(o.state, sub, period, Date.now());
          const view = { content: 'an earlier run', embeds: [{ title: 'Harbour reopens', footer: digestFooter(period) }] };
          if (kind === 'forum') await e.poster.forumPost(sub.channelId, digestPostName(period), view);
          else await e.poster.send(sub.channelId, view, 'a nonce long forgotten');
          const d = deps(o.other, store);
          await runDigests(d);
          expect(digests(sub), kind).toHaveLength(1);
          expect((await o.state.subscriptions.get(sub))?.tally?.digestThrough).toBe('2026-11-30T08:00:00.000Z');
          expect(d.lines.some((l) => l.msg === 'digest: already posted by an earlier run; recorded')).toBe(true);
        }
      } finally {
        await store.close();
      }
    });

    it('THEN a send whose every answer is lost is found by the next run; a refused one is posted by it; neither twice', async () => {
      const store = await storeWithNews();
      try {
        const lost = await subscribe(o.state);
        // Discord makes the message and answers 500, four times (discord.js tries three more): the run cannot know.
        e.fake.faults.failNext({ count: 4, status: 500, route: `POST /channels/${lost.channelId}/messages`, handled: true });
        const first = deps(o.state, store);
        await runDigests(first);
        expect(first.lines.filter((l) => l.msg === 'digest failed; the next run tries again')).toHaveLength(1);
        expect((await o.state.subscriptions.get(lost))?.tally?.digestThrough).toBeUndefined();
        await runDigests(deps(o.other, store));
        expect(digests(lost)).toHaveLength(1);
        expect((await o.state.subscriptions.get(lost))?.tally?.digestThrough).toBe('2026-11-30T08:00:00.000Z');

        const refused = await subscribe(o.state);
        e.fake.faults.failNext({ count: 1, status: 403, route: `POST /channels/${refused.channelId}/messages` });
        await runDigests(deps(o.state, store));
        expect(digests(refused)).toEqual([]);
        expect((await o.state.subscriptions.get(refused))?.tally?.digestThrough).toBeUndefined();
        await runDigests(deps(o.state, store));
        expect(digests(refused)).toHaveLength(1);
      } finally {
        await store.close();
      }
    });

    it('THEN while another process holds the digest lease this one posts nothing; once it is free, the digest goes out', async () => {
      const store = await storeWithNews();
      try {
        const sub = await subscribe(o.state);
        expect(await o.other.leases.claim(digestLeaseName(sub), 'another-process', 60_000)).toBe(true);
        await runDigests(deps(o.state, store));
        expect(digests(sub)).toEqual([]);
        await o.other.leases.release(digestLeaseName(sub), 'another-process');
        await runDigests(deps(o.state, store));
        expect(digests(sub)).toHaveLength(1);
      } finally {
        await store.close();
      }
    });
  });
}

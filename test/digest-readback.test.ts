/**
 * A digest is not posted twice after a crash in a busy channel, and its lease holds through a slow
 * send, on SQLite and on PostgreSQL, with the real discord.js poster against the local Discord:
 * - a process that recorded its attempt and sent, then died, is followed by a run that reads the
 *   channel from that attempt (not from the period's end), so 600 messages written between the
 *   period's end and the attempt do not hide the digest;
 * - a read-back that reaches its bound says so in the log;
 * - while a send waits for Discord's answer longer than the lease's time to live, the lease is
 *   renewed: another process cannot take the digest meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { BotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { duePeriod } from '../src/app/digest/due.ts';
import { recordAttempt } from '../src/app/digest/post.ts';
import { type DigestDeps, digestLeaseName, runDigests } from '../src/app/digest/run.ts';
import { digestFooter } from '../src/app/digest/view.ts';
import type { Subscription } from '../src/core/state.ts';
import { article, comment } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';

// Daily at 08:00 UTC: at 09:00 on 30 November the period 29 Nov 08:00 – 30 Nov 08:00 is due.
const NOW = new Date('2026-11-30T09:00:00Z');
const DIGEST = { every: 'daily' as const, at: '08:00', only: true };
const BUSY = 600;

let e: EngineHarness;
let store: SqliteStore;
/** Per backend, a channel whose first 600 messages were written an hour before everything else in this file. */
const busy = new Map<string, string>();
beforeAll(async () => {
  e = await startEngine();
  store = SqliteStore.open(':memory:');
  await store.upsert(
    article({ title: 'Harbour reopens', publishedAt: '2026-11-29T12:00:00Z', comments: [comment(1, 'At last.', { postedAt: '2026-11-29T18:00:00Z' })] }),
  );
  const user = e.fake.createUser({ username: 'reader' });
  e.fake.addMember(e.guildId, user.id);
  // The local Discord dates its ids by the clock: an hour back, these messages come before any attempt's read-back window.
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(Date.now() - 3_600_000);
  for (const backend of Object.keys(stateBackends)) {
    const channelId = e.target().channelId;
    for (let i = 0; i < BUSY; i++) e.fake.postAsUser({ channelId, userId: user.id, content: `chatter ${i}` });
    busy.set(backend, channelId);
  }
  vi.useRealTimers();
});
afterAll(async () => {
  await e.close();
  await store.close();
});

const digests = (channelId: string): string[] =>
  e.fake
    .messages(channelId)
    .map((m) => m.embeds[0]?.footer?.text ?? '')
    .filter((f) => f.includes('digest'));

for (const [backend, open] of Object.entries(stateBackends)) {
  describe(`GIVEN a due digest on ${backend}`, () => {
    let o: OpenedState;
    beforeAll(async () => {
      o = await open();
    });
    afterAll(() => o.close());
    const deps = (state: BotState, extra: Partial<DigestDeps> = {}): DigestDeps & { lines: Record<string, unknown>[] } => {
      const { log, lines } = capturedLogger('debug');
      return { store, state, poster: e.poster, log, now: () => NOW, lines, ...extra };
    };
    const subscribe = async (channelId: string): Promise<Subscription> => {
      const sub = subscriptionFixture({ guildId: e.guildId, channelId, options: { digest: DIGEST } });
      await o.state.subscriptions.put(sub);
      return sub;
    };
    /** What a process that died after its send left: its attempt recorded, the digest in the channel, the period not recorded. */
    const diedAfterSend = async (sub: Subscription, before?: () => void): Promise<void> => {
      const period = duePeriod(sub, NOW);
      if (!period) throw new Error('the digest should be due');
      await recordAttempt(o.state, sub, period, Date.now());
      before?.();
      await e.poster.send(sub.channelId, { embeds: [{ title: 'Harbour reopens', footer: digestFooter(period) }] }, 'a nonce long forgotten');
    };

    it('THEN behind 600 messages since the period ended, the next run reads from the attempt, finds it and posts none', async () => {
      const sub = await subscribe(busy.get(backend)!);
      await diedAfterSend(sub);
      const d = deps(o.other);
      await runDigests(d);
      expect(digests(sub.channelId)).toHaveLength(1);
      expect(d.lines.map((l) => l.msg)).toContain('digest: already posted by an earlier run; recorded');
      expect((await o.state.subscriptions.get(sub))?.tally?.digestThrough).toBe('2026-11-30T08:00:00.000Z');
    });

    it('THEN with a shared thread of another channel, nothing is posted there and the period stays due', async () => {
      const channelId = e.target().channelId;
      const elsewhere = e.target().channelId;
      const starter = await e.poster.send(elsewhere, { content: 'Staff room, every day' }, `staff room ${backend}`);
      const thread = await e.poster.startThread(elsewhere, starter, 'Staff room');
      const sub = subscriptionFixture({ guildId: e.guildId, channelId, options: { digest: DIGEST, threadId: thread } });
      await o.state.subscriptions.put(sub);
      const d = deps(o.state);
      await runDigests(d);
      expect(digests(thread)).toEqual([]);
      expect(digests(channelId)).toEqual([]);
      expect(JSON.stringify(d.lines)).toContain(`the thread ${thread} this subscription posts into is a thread of another channel`);
      expect((await o.state.subscriptions.get(sub))?.tally?.digestThrough).toBeUndefined();
    });

    it('THEN a read-back that stops at its bound says so, and posts', async () => {
      const sub = await subscribe(e.target().channelId);
      const user = e.fake.createUser({ username: 'talker' });
      e.fake.addMember(e.guildId, user.id);
      // 100 messages after the attempt: one page holds none of the digest.
      await diedAfterSend(sub, () => {
        for (let i = 0; i < 100; i++) e.fake.postAsUser({ channelId: sub.channelId, userId: user.id, content: `reply ${i}` });
      });
      const d = deps(o.state, { searchPages: 1 });
      await runDigests(d);
      expect(d.lines.find((l) => typeof l.msg === 'string' && l.msg.includes('stopped at the search bound'))).toMatchObject({ messages: 100 });
      expect(digests(sub.channelId)).toHaveLength(2);
    });

    it('THEN while its send waits longer than the lease lives, the lease is renewed and another process cannot take the digest', async () => {
      const sub = await subscribe(e.target().channelId);
      // Discord makes the message at once and answers 1.5 s later; the lease lives 0.6 s unless renewed.
      e.fake.faults.slowNext({ count: 1, ms: 1_500, route: `POST /channels/${sub.channelId}/messages` });
      const running = runDigests(deps(o.state, { leaseMs: 600 }));
      await vi.waitFor(() => expect(digests(sub.channelId)).toHaveLength(1), { timeout: 5_000 });
      await new Promise((resolve) => setTimeout(resolve, 900));
      expect(await o.other.leases.claim(digestLeaseName(sub), 'another-process', 60_000)).toBe(false);
      await running;
      expect((await o.state.subscriptions.get(sub))?.tally?.digestThrough).toBe('2026-11-30T08:00:00.000Z');
      expect(await o.state.leases.holderOf(digestLeaseName(sub))).toBeNull();
      expect(digests(sub.channelId)).toHaveLength(1);
    });
  });
}

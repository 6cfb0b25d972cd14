/** The set-aside list stays bounded whatever Discord refuses: the oldest leave it, named in the log and counted in /subscriptions. */
import { afterEach, describe, expect, it } from 'vitest';
import { subscriptionsView } from '../commands/subscriptions.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { MAX_SET_ASIDE, setAsideOf, type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const fast = { limit: 10_000, windowMs: 1000 };

describe('GIVEN Discord refuses more articles than the set-aside list keeps', () => {
  it('THEN the list keeps the latest, and the ones dropped are logged by name and counted in /subscriptions', async () => {
    const e = await startEngine({ fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } }, globalPerSecond: 10_000 });
    h = e;
    const over = 5;
    const refused = Array.from({ length: MAX_SET_ASIDE + over }, (_, i) =>
      article({
        title: `Notice ${i}`,
        text: `Notice ${i}.`,
        publishedAt: `2026-11-02T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`,
      }),
    );
    await e.store.upsertMany(refused);
    const { log, lines } = capturedLogger('warn');
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    const now = new Date().toISOString();
    const sub: Subscription = {
      ...t,
      channelName: 'news',
      source: null,
      keywords: null,
      backfill: { kind: 'all' },
      cursor: 0,
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
    e.fake.faults.failNext({ count: refused.length, status: 400, route: `POST /channels/${t.channelId}/messages` });
    for (let run = 0; run < 4; run++) await runner.run();
    const after = await subs.get(t.guildId, t.channelId);
    expect(setAsideOf(after ?? {}).map((x) => x.title)).toEqual(refused.slice(over).map((a) => a.title));
    expect(after?.setAsideDropped).toBe(over);
    const droppedLogs = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('set-aside list full'));
    expect(droppedLogs.map((l) => l.title)).toEqual(refused.slice(0, over).map((a) => a.title));
    const field = subscriptionsView(after ? [after] : [], null).embeds?.[0]?.fields?.[0]?.value ?? '';
    expect(field).toContain(`• and ${over} more set aside; see the log`);
    expect(e.fake.messages(t.channelId)).toHaveLength(0);
  }, 60_000);
});

describe('GIVEN the cursor held behind an article set aside (not asked to retry)', () => {
  it('THEN the next run passes it instead of sending it to Discord again', async () => {
    const e = await startEngine();
    h = e;
    const refusedOne = article({ title: 'Harbour reopens after the storm', text: 'The harbour reopened on Monday.', publishedAt: '2026-11-02T06:00' });
    const later = article({ title: 'Ferry timetable', text: 'Ferries run hourly.', publishedAt: '2026-11-03T06:00' });
    await e.store.upsertMany([refusedOne, later]);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const { log } = capturedLogger('warn');
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    const now = new Date().toISOString();
    // As after a run whose cursor a thread held (the unfinished list full) behind the set-aside article.
    const sub: Subscription = {
      ...t,
      channelName: 'news',
      source: null,
      keywords: null,
      backfill: { kind: 'all' },
      cursor: 0,
      checkedAt: now,
      createdAt: now,
      createdBy: 'test',
      paused: null,
      posted: 0,
      lastPostedAt: null,
      lastRunAt: null,
      lastError: null,
      setAside: [{ articleId: refusedOne.id, title: refusedOne.title, reason: 'Discord refused it: 400', at: now, retry: false }],
    };
    await subs.put(sub);
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, articles: 1 });
    expect(e.fake.messages(t.channelId).map((m) => m.embeds[0]?.title)).toEqual(['Ferry timetable']);
    const after = await subs.get(t.guildId, t.channelId);
    expect(setAsideOf(after ?? {}).map((x) => x.articleId)).toEqual([refusedOne.id]);
    expect(after?.cursor).toBe(await e.store.positions.last());
  });
});

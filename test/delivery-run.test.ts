/**
 * Delivery runs over subscriptions: backfill, new articles, comments added later, one broken
 * subscription beside healthy ones, and the node-cron schedule that never overlaps runs.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { subscriptionsView } from '../commands/subscriptions.ts';
import type { Article } from '../src/core/model.ts';
import { MAX_CHANGED_PER_RUN, backfillCursor } from '../src/app/delivery/due.ts';
import type { DeliveryEngine, Target } from '../src/app/delivery/engine-types.ts';
import { parseFilter } from '../src/app/delivery/filter.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { scheduleDelivery } from '../src/app/delivery/schedule.ts';
import { type Backfill, type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { createLogger } from '../src/core/log.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const log = createLogger({ level: 'silent' });

function dated(i: number, extra: Partial<Article> = {}): Article {
  return article({
    title: `Tide table ${i}`,
    text: `High tide on day ${i}.`,
    publishedAt: `2026-11-${String(10 + i).padStart(2, '0')}T06:00`,
    comments: [comment(1, `Noted, day ${i}.`)],
    ...extra,
  });
}

async function subscribe(e: EngineHarness, subs: Subscriptions, target: Target, backfill: Backfill, keywords: string | null = null): Promise<Subscription> {
  const now = new Date().toISOString();
  const base = { source: null, keywords, backfill };
  const sub: Subscription = {
    ...target,
    channelName: 'news',
    ...base,
    cursor: await backfillCursor(e.store, base, parseFilter(keywords)),
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
  return sub;
}

describe('GIVEN subscriptions and a runner', () => {
  it('THEN latest N posts the N newest first, new articles follow, and later comments are appended', async () => {
    const e = await startEngine();
    h = e;
    for (let i = 0; i < 5; i++) await e.store.upsert(dated(i));
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    await subscribe(e, subs, t, { kind: 'latest', count: 2 });
    await runner.run();
    expect(checkDelivered(e.fake, t, [dated(3), dated(4)])).toEqual([]);

    await e.store.upsert(dated(5));
    await e.store.upsert({ ...dated(3), comments: [comment(1, 'Noted, day 3.'), comment(2, 'A late reply.')] });
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, paused: null });
    expect(checkDelivered(e.fake, t, [dated(3, { comments: [comment(1, 'Noted, day 3.'), comment(2, 'A late reply.')] }), dated(4), dated(5)])).toEqual([]);
    expect((await subs.get(t.guildId, t.channelId))?.posted).toBe(3);
  });

  it('THEN with 250 changed articles it never posted, a new comment on one it posted still reaches its thread', async () => {
    const e = await startEngine();
    h = e;
    const others = Array.from({ length: 250 }, (_, i) => article({ title: `Old notice ${i}`, text: `Notice ${i}.` }));
    await e.store.upsertMany(others);
    const posted = dated(1);
    await e.store.upsert(posted);
    let clock = Date.now();
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, now: () => new Date(clock) });
    const t = e.target();
    await subscribe(e, subs, t, { kind: 'latest', count: 1 });
    await runner.run();
    expect(checkDelivered(e.fake, t, [posted])).toEqual([]);

    // Every old notice gets a comment, then the posted article does: it changed last of 251.
    await e.store.upsertMany(
      others.map((a) => ({ ...a, comments: [comment(1, 'Still relevant?')] })),
      new Date(clock + 60_000),
    );
    const replied = dated(1, { comments: [comment(1, 'Noted, day 1.'), comment(2, 'A late reply.')] });
    await e.store.upsert(replied, new Date(clock + 120_000));
    clock += 180_000;
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, articles: 1 });
    expect(checkDelivered(e.fake, t, [replied])).toEqual([]);
    expect((await subs.get(t.guildId, t.channelId))?.checkedAt).toBe(new Date(clock).toISOString());
  });

  it('THEN more changed articles than one run takes go out over two runs, the check time moving only after the last', async () => {
    const fast = { limit: 10_000, windowMs: 1000 };
    const e = await startEngine({ fake: { rateLimits: { channelMessages: fast, global: fast, default: fast } }, globalPerSecond: 10_000 });
    h = e;
    const total = MAX_CHANGED_PER_RUN + 5;
    const posted = Array.from({ length: total }, (_, i) => article({ title: `Notice ${i}`, text: `Notice ${i}.`, comments: [comment(1, `First on ${i}.`)] }));
    await e.store.upsertMany(posted);
    let clock = Date.now();
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, now: () => new Date(clock) });
    const t = e.target();
    await subscribe(e, subs, t, { kind: 'all' });
    while ((await runner.run())[0]?.articles) clock += 1000;
    expect(e.fake.messages(t.channelId)).toHaveLength(total);

    const replied = posted.map((a, i) => ({ ...a, comments: [comment(1, `First on ${i}.`), comment(2, `Second on ${i}.`)] }));
    await e.store.upsertMany(replied, new Date(clock + 60_000));
    clock += 120_000;
    const before = (await subs.get(t.guildId, t.channelId))?.checkedAt;
    const [first] = await runner.run();
    expect(first).toMatchObject({ error: null, articles: MAX_CHANGED_PER_RUN });
    expect((await subs.get(t.guildId, t.channelId))?.checkedAt).toBe(before);
    clock += 1000;
    const [second] = await runner.run();
    expect(second).toMatchObject({ error: null, articles: 5 });
    expect((await subs.get(t.guildId, t.channelId))?.checkedAt).toBe(new Date(clock).toISOString());
    expect(checkDelivered(e.fake, t, replied)).toEqual([]);
  }, 60_000);

  it('THEN a broken subscription and a deleted channel never stop a healthy one', async () => {
    const e = await startEngine();
    h = e;
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const healthy = e.target();
    const gone = e.target();
    const broken = e.target();
    await subscribe(e, subs, healthy, { kind: 'none' });
    await subscribe(e, subs, gone, { kind: 'none' });
    const b = await subscribe(e, subs, broken, { kind: 'none' });
    // A filter stored before the check existed: it throws when read.
    await subs.put({ ...b, keywords: '/(/' });
    e.fake.deleteChannel(gone.channelId);
    await e.store.upsert(dated(1));
    const runs = await runner.run();
    expect(checkDelivered(e.fake, healthy, [dated(1)])).toEqual([]);
    expect(runs.find((r) => r.channelId === broken.channelId)?.paused).toMatch(/not a valid regular expression/);
    expect((await subs.get(gone.guildId, gone.channelId))?.paused?.reason).toMatch(/Unknown Channel/);
    expect((await subs.get(broken.guildId, broken.channelId))?.paused?.reason).toMatch(/^keywords no longer accepted: \/\(\/ \(not a valid regular expression/);
  });

  it('THEN keywords saved before the RE2 check (a lookbehind) pause the subscription once, saying what to do, instead of failing every run', async () => {
    const e = await startEngine();
    h = e;
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log });
    const t = e.target();
    const stored = await subscribe(e, subs, t, { kind: 'none' });
    await subs.put({ ...stored, keywords: '/(?<!the )nato/' });
    await e.store.upsert(dated(1, { title: 'Summit: nato ministers meet' }));
    const [run] = await runner.run();
    expect(run).toMatchObject({ error: null, created: 0 });
    expect(run?.paused).toMatch(/^keywords no longer accepted: \/\(\?<!the \)nato\/ \(.*lookbehind.*\); set them again with \/subscribe/);
    const after = await subs.get(t.guildId, t.channelId);
    expect(after?.paused?.reason).toBe(run?.paused);
    expect(after?.lastError).toBeNull();
    expect(e.fake.messages(t.channelId)).toHaveLength(0);
    // /subscriptions shows why and what to do.
    const field = subscriptionsView(after ? [after] : [], null).embeds?.[0]?.fields?.[0]?.value ?? '';
    expect(field).toContain('⏸ **Paused**');
    expect(field).toContain('keywords no longer accepted');
    expect(field).toContain('set them again with /subscribe');
    // Paused, it is left alone by the next run: no error logged and recorded each time.
    expect(await runner.run()).toEqual([]);
  });
});

describe('GIVEN the schedule', () => {
  it('THEN node-cron runs delivery on the expression, and runs never overlap', async () => {
    const e = await startEngine();
    h = e;
    e.fake.faults.latency(150);
    let running = 0;
    let most = 0;
    let runs = 0;
    // The real engine, watched: how many deliveries are going at once.
    const watched: DeliveryEngine = {
      plan: (t, a) => e.engine.plan(t, a),
      delivered: (t, id) => e.engine.delivered(t, id),
      async deliver(t, a, o) {
        running++;
        runs++;
        most = Math.max(most, running);
        try {
          return await e.engine.deliver(t, a, o);
        } finally {
          running--;
        }
      },
    };
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: watched, log });
    const t = e.target();
    await subscribe(e, subs, t, { kind: 'none' });
    for (let i = 0; i < 3; i++) await e.store.upsert(dated(i));
    // node-cron's clock is the test's: it ticks exactly when the test moves time on, not when a busy
    // machine gets round to it. The requests to the local Discord, and its latency, stay real.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      vi.setSystemTime(Math.ceil(Date.now() / 1000) * 1000 + 500);
      const { log: jobLog, lines } = capturedLogger('debug');
      const scheduled = (): number => lines.filter((l) => l.msg === 'delivery run').length;
      const job = scheduleDelivery('* * * * * *', runner, jobLog);
      const manual = runner.run();
      // Three ticks while the manual run is still posting (each request takes 150 ms of real time).
      await vi.advanceTimersByTimeAsync(3000);
      await manual;
      await runner.idle();
      expect(runs).toBeGreaterThanOrEqual(2);
      expect(most).toBe(1);
      expect(checkDelivered(e.fake, t, [dated(0), dated(1), dated(2)])).toEqual([]);
      // Of those ticks the first waited its turn behind the manual run; node-cron skipped the two that
      // came while it was pending (noOverlap).
      const before = scheduled();
      expect(before).toBe(1);
      // On the expression: no run until the next whole second, then one.
      await vi.advanceTimersByTimeAsync(499);
      await runner.idle();
      expect(scheduled()).toBe(before);
      await vi.advanceTimersByTimeAsync(1);
      await runner.idle();
      expect(scheduled()).toBe(before + 1);
      await job.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

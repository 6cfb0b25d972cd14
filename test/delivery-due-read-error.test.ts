/**
 * Checking a posted article for changes reads delivery progress: when that read fails, the run for
 * the subscription says so (its error, the log), instead of taking the article as changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryEngine } from '../src/app/delivery/engine-types.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { type Subscription, Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered, type EngineHarness, startEngine } from './helpers/delivery.ts';
import { capturedLogger } from './helpers/log.ts';

let h: EngineHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('GIVEN a posted article with a new comment and a progress store that fails to read', () => {
  it('THEN the run records and logs the read error, and the comment goes out once the store reads again', async () => {
    const e = await startEngine();
    h = e;
    const posted = article({
      title: 'Harbour reopens after the storm',
      text: 'The harbour reopened on Monday.',
      comments: [comment(1, 'Good news for the fleet.')],
    });
    await e.store.upsert(posted);
    const subs = new Subscriptions(openBotState(e.store.db).subscriptions);
    const { log, lines } = capturedLogger('warn');
    let clock = Date.now();
    const t = e.target();
    const at = new Date(clock).toISOString();
    const sub: Subscription = {
      ...t,
      channelName: 'news',
      source: null,
      keywords: null,
      backfill: { kind: 'all' },
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
    await subs.put(sub);
    await new DeliveryRunner({ store: e.store, subscriptions: subs, engine: e.engine, log, now: () => new Date(clock) }).run();
    const replied = { ...posted, comments: [comment(1, 'Good news for the fleet.'), comment(2, 'And for the ferries.')] };
    await e.store.upsert(replied, new Date(clock + 60_000));
    clock += 120_000;

    // Progress reads fail, as a locked database or a Redis timeout would make them.
    let failing = true;
    const flaky: DeliveryEngine = {
      plan: (target, articles) => (failing ? Promise.reject(new Error('SQLITE_BUSY: database is locked')) : e.engine.plan(target, articles)),
      delivered: (target, id) => e.engine.delivered(target, id),
      deliver: (target, articles, options) => e.engine.deliver(target, articles, options),
    };
    const runner = new DeliveryRunner({ store: e.store, subscriptions: subs, engine: flaky, log, now: () => new Date(clock) });
    const [run] = await runner.run();
    expect(run?.error).toBe('SQLITE_BUSY: database is locked');
    expect((await subs.get(t.guildId, t.channelId))?.lastError).toBe('SQLITE_BUSY: database is locked');
    expect(lines.map((l) => l.msg)).toContain('delivery failed for this subscription');

    failing = false;
    clock += 1000;
    const [next] = await runner.run();
    expect(next).toMatchObject({ error: null, articles: 1 });
    expect(checkDelivered(e.fake, t, [replied])).toEqual([]);
  });
});

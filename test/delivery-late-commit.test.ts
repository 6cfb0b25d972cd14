/**
 * An update that becomes visible late: an article write is stamped when it starts (before it waits
 * for the other writes, and by its own machine's clock), so it can be committed after a delivery run
 * has read the changes and stored its check time, with a time before that check time. Simulated here
 * by storing the update, from another handle (another process), with a `now` before the last run's
 * start once that run has stored its check time. The next run must still post its new comment, once,
 * and the runs that look at it again within the overlap (CHANGE_OVERLAP_MS) post nothing twice.
 */
import type { FakeDiscord } from '@paperboy/fake-discord';
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { CHANGE_OVERLAP_MS, MAX_CHANGED_PER_RUN } from '../src/app/delivery/due.ts';
import type { Target } from '../src/app/delivery/engine-types.ts';
import { DeliveryRunner } from '../src/app/delivery/run.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { article, comment } from './helpers/articles.ts';
import { checkDelivered } from './helpers/delivery.ts';
import { subscriptionToAll } from './helpers/subscribed.ts';
import { type Handle, engineOf, log, sharedBackendNames, sharedDiscordAndDatabase } from './delivery-leases-backends.ts';

const start = sharedDiscordAndDatabase();

interface Setup {
  readonly f: FakeDiscord;
  /** The delivering process. */
  readonly deliverer: Handle;
  /** Another process, ingesting. */
  readonly ingester: Handle;
  readonly target: Target;
  readonly subs: Subscriptions;
  readonly runner: DeliveryRunner;
  /** The runner's clock (ms), moved by the test. */
  clock: number;
}

async function setUp(backend: (typeof sharedBackendNames)[number]): Promise<Setup> {
  const { f, db, guildId } = await start(backend);
  const target: Target = { guildId, channelId: f.createChannel(guildId, { name: 'news', type: 'text' }).id, kind: 'text' };
  const deliverer = await db.open();
  const ingester = await db.open();
  const engine = engineOf(f, deliverer);
  const subs = new Subscriptions(deliverer.state.subscriptions);
  const setup: Setup = {
    f,
    deliverer,
    ingester,
    target,
    subs,
    clock: Date.parse('2026-12-01T10:00:00.000Z'),
    runner: new DeliveryRunner({ store: deliverer.store, subscriptions: subs, engine, log, now: () => new Date(setup.clock) }),
  };
  await deliverer.state.subscriptions.put(await subscriptionToAll(deliverer.store, target, new Date(setup.clock).toISOString()));
  return setup;
}

async function checkedAt(s: Setup): Promise<string | undefined> {
  return (await s.subs.get(s.target.guildId, s.target.channelId))?.checkedAt;
}

function notice(i: number, replies: number): Article {
  return article({
    title: `Harbour notice ${i}`,
    text: `Berth ${i} closes for dredging.`,
    comments: Array.from({ length: replies }, (_, n) => comment(n + 1, `Reply ${n + 1} to notice ${i}.`)),
  });
}

describe.each(sharedBackendNames)('GIVEN an article posted, and an update of it stored on %s with a time before the last run started', (backend) => {
  it('THEN the next run posts its new comment once, and a run looking at it again within the overlap posts nothing', async () => {
    const s = await setUp(backend);
    const first = notice(1, 1);
    await s.ingester.store.upsert(first, new Date(s.clock - 10 * 60_000));
    const [posted] = await s.runner.run();
    expect(posted).toMatchObject({ error: null, articles: 1, created: 2 });
    const checked = await checkedAt(s);
    expect(checked).toBe(new Date(s.clock).toISOString());

    // Stamped 30 s before that run started (a write in flight, or a clock behind), visible only now.
    const replied = notice(1, 2);
    expect(await s.ingester.store.upsert(replied, new Date(Date.parse(checked!) - 30_000))).toBe('updated');
    s.clock += 60_000;
    const [late] = await s.runner.run();
    expect(late).toMatchObject({ error: null, articles: 1, created: 1 });
    expect(checkDelivered(s.f, s.target, [replied])).toEqual([]);

    // The next run reads from CHANGE_OVERLAP_MS before this run's start: the update is looked at again, and found up to date.
    expect(s.clock - CHANGE_OVERLAP_MS).toBeLessThan(Date.parse(checked!) - 30_000);
    s.clock += 30_000;
    const [again] = await s.runner.run();
    expect(again).toMatchObject({ error: null, articles: 0, created: 0 });
    expect(checkDelivered(s.f, s.target, [replied])).toEqual([]);
    expect(await checkedAt(s)).toBe(new Date(s.clock).toISOString());
  }, 60_000);

  it(`THEN more than ${MAX_CHANGED_PER_RUN} such updates are posted over two runs, the second getting past the first's (in the overlap, up to date), and a third posts nothing`, async () => {
    const s = await setUp(backend);
    const total = MAX_CHANGED_PER_RUN + 5;
    const notices = Array.from({ length: total }, (_, i) => notice(i, 1));
    await s.ingester.store.upsertMany(notices, new Date(s.clock - 10 * 60_000));
    while ((await s.runner.run())[0]?.articles) s.clock += 1000;
    expect(s.f.messages(s.target.channelId)).toHaveLength(total);
    const checked = await checkedAt(s);

    const replied = Array.from({ length: total }, (_, i) => notice(i, 2));
    await s.ingester.store.upsertMany(replied, new Date(Date.parse(checked!) - 30_000));
    s.clock += 30_000;
    const [first] = await s.runner.run();
    expect(first).toMatchObject({ error: null, articles: MAX_CHANGED_PER_RUN, created: MAX_CHANGED_PER_RUN });
    // Not every change looked at: the check time stays, and the next run reads the same window.
    expect(await checkedAt(s)).toBe(checked);
    s.clock += 1000;
    const [second] = await s.runner.run();
    expect(second).toMatchObject({ error: null, articles: 5, created: 5 });
    expect(await checkedAt(s)).toBe(new Date(s.clock).toISOString());
    s.clock += 1000;
    const [third] = await s.runner.run();
    expect(third).toMatchObject({ error: null, articles: 0, created: 0 });
    expect(checkDelivered(s.f, s.target, replied)).toEqual([]);
  }, 120_000);
});

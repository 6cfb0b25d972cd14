/**
 * The delivery side of a process syncs the followed discussions before each run, after the feeds,
 * and logs what each sync did; the commands' context carries the same followed discussions.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import type { Poster } from '../src/app/delivery/poster.ts';
import { type DeliveryWiring, wireDelivery } from '../src/ui/discord/delivery-wiring.ts';
import { type Opened, discussionBackends } from './helpers/discussion-backends.ts';
import { ITEM, ScriptedFetcher, fresh, hnComment, hnDiscussion } from './helpers/discussions.ts';
import { capturedLogger } from './helpers/log.ts';

/** No subscription exists in these tests, so nothing is ever posted: any call is a failure. */
const unused = (): never => {
  throw new Error('nothing should be posted: there is no subscription');
};
const poster: Poster = new Proxy({} as Poster, { get: () => unused });

let opened: Opened | undefined;
let wiring: DeliveryWiring | undefined;
afterEach(async () => {
  await wiring?.stop();
  await opened?.close();
  wiring = undefined;
  opened = undefined;
});

async function wired(collect: boolean) {
  opened = await discussionBackends.SQLite();
  const fetcher = new ScriptedFetcher();
  const { log, lines } = capturedLogger('info');
  const now = new Date('2026-12-01T06:00:00Z');
  wiring = wireDelivery({
    store: opened.store,
    state: opened.state,
    poster,
    log,
    now: () => now,
    delivery: { cron: null, feedParser: createFeedParser(), collect, discussions: { fetcher, requestsPerRun: 5, minIntervalMs: 60_000 } },
  });
  return { fetcher, lines, wiring, now, ...opened };
}

describe('GIVEN delivery wired with followed discussions', () => {
  it('THEN each run syncs them first (once within the minimum interval), and logs what changed', async () => {
    const { fetcher, lines, wiring, now, store } = await wired(true);
    await wiring.discussions.add(`${ITEM}80`, { by: 'test', now });
    expect(wiring.context?.discussions).toBe(wiring.discussions);
    fetcher.answer(`${ITEM}80`, fresh(hnDiscussion(80, [hnComment(81, null, 'First!'), hnComment(82, 81, 'Second.')])));
    await wiring.runner.run();
    await wiring.runner.run();
    expect(fetcher.calls).toHaveLength(1);
    expect((await store.get(hnDiscussion(80, []).article.id))?.comments.map((c) => c.id)).toEqual(['hn:81', 'hn:82']);
    expect(lines.filter((l) => l.msg === 'discussion synced')).toMatchObject([{ discussion: `${ITEM}80`, added: 2, edited: 0, deleted: 0, comments: 2 }]);
  });

  it('THEN a process that does not collect (DELIVERY=off) leaves them to the others', async () => {
    const { fetcher, wiring, now } = await wired(false);
    await wiring.discussions.add(`${ITEM}90`, { now });
    await wiring.runner.run();
    expect(fetcher.calls).toEqual([]);
  });
});

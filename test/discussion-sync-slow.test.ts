/**
 * A slow discussion host does not hold up delivery (issue 16): the sync runs beside the delivery
 * run, which waits for it at most `waitMs` (0 here: not at all), so a new article is posted while
 * the comment feed's host still holds its answer; the comments it then gives go out on the next run.
 * A sync still going when the next run starts is not started twice, and shutdown cuts it off without
 * counting a failure. The real engine and discord.js poster against the local Discord; the blog's
 * comment feed on a local site that answers only when the test says. No timed assertion: only what
 * happened before what.
 */
import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { type DeliveryWiring, wireDelivery } from '../src/ui/discord/delivery-wiring.ts';
import { article } from './helpers/articles.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { localFetcher, recordingClock } from './helpers/discussion-site.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { capturedLogger } from './helpers/log.ts';
import { subscriptionToAll } from './helpers/subscribed.ts';

/** Hand-written in the shape of WordPress's comment feed (see fixtures/discussions/SOURCES.md). */
const COMMENTS = readFileSync(new URL('./fixtures/discussions/comment-feed-handwritten-wordpress.rss', import.meta.url), 'utf8');
const FEED_PATH = '/2024/05/bus-depot/feed/';

/** A blog whose comment feed is answered only when `release` is called; every request is counted. */
async function holdingBlog(): Promise<LocalSite & { readonly held: ServerResponse[]; readonly asked: string[]; release(): void }> {
  const held: ServerResponse[] = [];
  const asked: string[] = [];
  const site = await serveLocally((req, res) => {
    asked.push(req.url ?? '');
    if (req.url === FEED_PATH) return void held.push(res);
    res.writeHead(404).end();
  });
  return {
    ...site,
    held,
    asked,
    release() {
      for (const res of held.splice(0)) res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=UTF-8' }).end(COMMENTS);
    },
  };
}

let e: EngineHarness | undefined;
let blog: Awaited<ReturnType<typeof holdingBlog>> | undefined;
let wiring: DeliveryWiring | undefined;
afterEach(async () => {
  await wiring?.stop();
  await blog?.close();
  await e?.close();
  wiring = blog = e = undefined;
});

async function deliveringWithSlowBlog(waitMs = 0) {
  e = await startEngine();
  blog = await holdingBlog();
  const state = openBotState(e.store.db);
  const { log, lines } = capturedLogger('info');
  const feedUrl = `${blog.base}${FEED_PATH}`;
  const post = article({ title: 'Council moves the bus depot', text: 'The depot moves to the old goods yard in June.', commentsUrl: feedUrl });
  await e.store.upsert(post, new Date());
  const target = e.target();
  await new Subscriptions(state.subscriptions).put(await subscriptionToAll(e.store, target, new Date().toISOString()));
  wiring = wireDelivery({
    store: e.store,
    state,
    poster: e.poster,
    log,
    now: () => new Date(),
    delivery: {
      cron: null,
      feedParser: createFeedParser(),
      discussions: { fetcher: localFetcher(blog.base, recordingClock()), requestsPerRun: 10, minIntervalMs: 0, waitMs },
    },
  });
  await wiring.discussions.add(feedUrl, { articleId: post.id, by: 'test', now: new Date() });
  return { e, blog, wiring, state, lines, post, target, feedUrl };
}

const texts = (e: EngineHarness, channelId: string): string[] =>
  e.fake.messages(channelId).map((m) => [m.content, ...m.embeds.map((x) => x.description ?? '')].join('\n'));

describe('GIVEN a subscription with a new article, and its followed comment feed on a host that holds its answer', () => {
  it('THEN the article is posted while the host still holds the answer, and the comments go out on the next run', async () => {
    const { e, blog, wiring, post, target } = await deliveringWithSlowBlog();
    const [run] = await wiring.runner.run();
    expect(run).toMatchObject({ articles: 1, error: null });
    await vi.waitFor(() => expect(blog.held).toHaveLength(1));
    const [posted] = e.fake.messages(target.channelId);
    expect(posted?.embeds[0]?.title).toBe('Council moves the bus depot');
    // Posted with the answer still held: nothing of the discussion is stored yet.
    expect(blog.held).toHaveLength(1);
    expect((await e.store.get(post.id))?.comments).toEqual([]);

    // A run while the sync is still going starts no second one: the feed is asked once.
    await wiring.runner.run();
    expect(blog.asked.filter((u) => u === FEED_PATH)).toHaveLength(1);

    blog.release();
    await wiring.discussionsSynced();
    expect((await e.store.get(post.id))?.comments).toHaveLength(2);
    expect(texts(e, posted?.id ?? '').some((t) => t.includes('Where will the night buses stop now?'))).toBe(false);

    await wiring.runner.run();
    const thread = texts(e, posted?.id ?? '');
    expect(thread.some((t) => t.includes('Where will the night buses stop now?'))).toBe(true);
    expect(thread.some((t) => t.includes('At the station, @everyone says.'))).toBe(true);
    expect(e.fake.messages(target.channelId)).toHaveLength(1);
    expect(e.fake.violations).toEqual([]);
  });

  it('THEN shutdown cuts the held sync off: stop() ends, and nothing is counted as a failure (no backoff: the next run syncs it)', async () => {
    const { e, blog, wiring, lines, state, feedUrl, target } = await deliveringWithSlowBlog();
    await wiring.runner.run();
    await vi.waitFor(() => expect(blog.held).toHaveLength(1));
    expect(e.fake.messages(target.channelId)).toHaveLength(1);

    await wiring.stop();
    expect(lines.filter((l) => l.msg === 'discussion sync cut off by shutdown; synced on the next run')).toMatchObject([{ discussion: feedUrl }]);
    expect(await state.discussions.get(feedUrl)).toMatchObject({ lastPolledAt: null, failures: 0, lastError: null, retryAt: null, comments: 0 });
    expect(lines.filter((l) => l.msg === 'discussion synced' || l.msg === 'discussion sync failed; backing off')).toEqual([]);
  });

  it('THEN with a wait of its own (5 ms, the answer held throughout) the run stops waiting, delivers, and says the sync goes on', async () => {
    const { e, blog, wiring, lines, target } = await deliveringWithSlowBlog(5);
    await wiring.runner.run();
    expect(e.fake.messages(target.channelId)).toHaveLength(1);
    expect(blog.held).toHaveLength(1);
    expect(
      lines.filter((l) => l.msg === 'discussion sync still going; delivering what is stored, and the comments it brings go out on the next run'),
    ).toMatchObject([{ waitedMs: 5 }]);
  });
});

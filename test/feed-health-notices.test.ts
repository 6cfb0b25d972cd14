/**
 * Feed health notices (issue 17 point 6), on SQLite and PostgreSQL, posted by the real discord.js
 * poster into the local Discord: each change is told once per server, also with two processes at
 * once; a blip (one failed poll, or failures for less than FEED_NOTICE_AFTER) is told nothing and so
 * needs no recovery, while a bot wall and a gone feed are told at once; a notice is never lost nor
 * doubled by a refused send, a crash between its claim and its send, or an answer that was lost.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import type { ArticleSink } from '../src/adapters/store/contract.ts';
import type { BotState } from '../src/adapters/store/state.ts';
import { noticeFeedHealth } from '../src/app/feeds/health.ts';
import { resumeFeed } from '../src/app/feeds/manage.ts';
import { type PollOptions, pollFeeds } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import type { Article } from '../src/core/model.ts';
import type { FeedState } from '../src/core/state.ts';
import { noticeText } from '../src/app/feeds/status.ts';
import type { FeedRepository } from '../src/adapters/store/feeds.ts';
import { type EngineHarness, startEngine } from './helpers/delivery.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { capturedLogger } from './helpers/log.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';
import { subscriptionFixture } from './helpers/subscription-fixture.ts';

const FEED = `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example/</link>
<item><title>Tide table</title><link>https://harbour.example/tide</link><guid>tide</guid></item></channel></rss>`;
const CHALLENGE = '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body></body></html>';

/** What each path of the local site answers now: the feed, a Cloudflare wall, a plain 503, or 410. */
const answer = new Map<string, 'ok' | 'wall' | 'down' | 'gone'>();
let site: LocalSite;
let e: EngineHarness;
beforeAll(async () => {
  site = await serveLocally((req, res) => {
    const mode = answer.get(req.url ?? '') ?? 'ok';
    if (mode === 'wall') return void res.writeHead(403, { server: 'cloudflare', 'cf-ray': '1-FRA', 'content-type': 'text/html' }).end(CHALLENGE);
    if (mode === 'down') return void res.writeHead(503).end();
    if (mode === 'gone') return void res.writeHead(410).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED);
  });
  e = await startEngine();
});
afterAll(async () => {
  await e.close();
  await site.close();
});

const T0 = Date.parse('2026-12-01T08:00:00Z');
const minutes = (m: number): number => T0 + m * 60_000;
const limits = { allow: parseAllowList('127.0.0.1'), timeoutMs: 10_000 };
/** Stores nothing: these tests look at feeds' state and the notices, not articles. */
const sink: ArticleSink = {
  upsertMany: (items: readonly Article[]) => Promise.resolve(items.map(() => 'added' as const)),
  upsert: () => Promise.resolve('added' as const),
};

describe('GIVEN a feed whose name and failure are as long and as full of markdown as a site makes them', () => {
  it('THEN each notice fits in one Discord message, escaped', () => {
    const feed: FeedState = {
      url: `https://harbour.example/${'a'.repeat(2_000)}`,
      name: '*_~'.repeat(2_000),
      addedAt: new Date(T0).toISOString(),
      etag: null,
      lastModified: null,
      lastPolledAt: null,
      lastOkAt: new Date(T0).toISOString(),
      items: 0,
      failures: 3,
      lastError: null,
      retryAt: null,
      failingSince: new Date(T0).toISOString(),
      problem: '`**'.repeat(5_000),
      pausedReason: '|'.repeat(10_000),
    };
    for (const notice of ['failing', 'paused', null] as const) {
      const text = noticeText(feed, notice, new Date(T0));
      expect(text.length).toBeLessThanOrEqual(2_000);
      expect(text).toContain('\\*\\_\\~');
    }
  });
});

describe.each(Object.keys(stateBackends))('GIVEN feeds and health channels on %s', (backend) => {
  let opened: OpenedState;
  let registry: FeedRegistry;
  beforeAll(async () => {
    opened = await stateBackends[backend]!();
    registry = new FeedRegistry(opened.state.feeds);
  });
  afterAll(() => opened.close());
  afterEach(async () => {
    for (const f of await registry.list()) await registry.remove(f.url);
    for (const g of await opened.state.guildSettings.healthChannels())
      await opened.state.guildSettings.setHealthChannel(g.guildId, null, new Date(T0).toISOString());
  });

  /** A feed at `path` named `name`, and for each guild a subscription to `source` and a health channel in the local Discord. */
  async function setUp(
    path: string,
    name: string,
    guilds: readonly (readonly [guildId: string, source: string | null])[],
  ): Promise<{ url: string; channels: string[] }> {
    const url = `${site.base}${path}`;
    answer.set(path, 'ok');
    await registry.add(url, name, new Date(T0));
    const channels: string[] = [];
    for (const [guildId, source] of guilds) {
      const channelId = e.fake.createChannel(e.guildId, { name: `health-${guildId}` }).id;
      await opened.state.subscriptions.put(subscriptionFixture({ guildId, channelId: `${guildId}1`, source }));
      await opened.state.guildSettings.setHealthChannel(guildId, channelId, new Date(T0).toISOString());
      channels.push(channelId);
    }
    return { url, channels };
  }
  const texts = (channelId: string): (string | undefined)[] => e.fake.messages(channelId).map((m) => m.content.split('\n')[0]);
  /** One round: every feed polled, then the notices, by each of `states` at once (two processes). */
  const round = async (at: number, states: readonly BotState[] = [opened.state], extra: Partial<PollOptions> = {}) => {
    const results = await pollFeeds(registry, sink, { parse: parseFeed, limits, now: () => new Date(at), force: true, ...extra });
    const { log, lines } = capturedLogger('info');
    await Promise.all(states.map((state) => noticeFeedHealth({ state, poster: e.poster, log, now: () => new Date(at) }, results)));
    return lines.map((l) => l.msg);
  };

  it('THEN each server hears once when a feed behind a bot wall fails, is paused and recovers, and two processes at once send each notice once', async () => {
    const { url, channels } = await setUp('/toggle', 'Harbour', [
      ['10', null], // every source
      ['20', 'Harbour'],
      ['30', 'Elsewhere'], // hears nothing
    ]);
    const both = [opened.state, opened.other];
    await round(T0, both);
    answer.set('/toggle', 'wall');
    await round(minutes(1), both);
    await round(minutes(20), both);
    await round(minutes(40), both);
    const [first] = e.fake.messages(channels[0]!);
    expect(first?.content).toBe(
      `⚠ Feed failing since 2026-12-01 08:01 UTC: **Harbour** (<${url}>)\nReason: blocked by Cloudflare's bot check (HTTP 403): the site turns away automated readers such as Paperboy. Next try: 2026-12-01 08:06 UTC.`,
    );
    expect(e.fake.sentWith(first!.id)?.allowedMentions).toEqual({ parse: [] });
    await round(minutes(90), both, { pauseAfterMs: 60 * 60_000 });
    await round(minutes(120), both);
    answer.set('/toggle', 'ok');
    await resumeFeed(registry, url);
    await round(minutes(150), both);
    await round(minutes(180), both);
    const told = ['⚠ Feed failing since 2026-12-01 08:01 UTC: **Harbour** (<URL>)', '⏸ Feed paused: **Harbour** (<URL>)'];
    const recovered = '✅ Feed recovered: **Harbour** (<URL>) reads again after 2 hours 29 minutes down (since 2026-12-01 10:30 UTC).';
    for (const c of channels.slice(0, 2)) expect(texts(c).map((t) => t?.replace(url, 'URL'))).toEqual([...told, recovered]);
    expect(texts(channels[2]!)).toEqual([]);
    const after = await registry.get(url);
    expect([after?.failures, after?.noticed, after?.noticePending]).toEqual([0, undefined, undefined]);
  });

  it('THEN a blip is told nothing (so no recovery either), failures for 2 polls and 15 minutes are, and a gone feed is told at once', async () => {
    const { channels } = await setUp('/flaky', 'Flaky', [['40', 'Flaky']]);
    const [channel] = channels as [string];
    answer.set('/flaky', 'down');
    await round(T0);
    answer.set('/flaky', 'ok');
    await round(minutes(5));
    expect(texts(channel)).toEqual([]);
    // Two failed polls, but 10 minutes: still a blip. The third, 20 minutes on, is told; then the recovery.
    answer.set('/flaky', 'down');
    await round(minutes(10));
    await round(minutes(20));
    expect(texts(channel)).toEqual([]);
    await round(minutes(30));
    answer.set('/flaky', 'ok');
    await round(minutes(40));
    expect(texts(channel)).toEqual([
      expect.stringMatching(/^⚠ Feed failing since 2026-12-01 08:10 UTC: \*\*Flaky\*\*/),
      expect.stringMatching(/^✅ Feed recovered: \*\*Flaky\*\* .* after 30 minutes down/),
    ]);

    const gone = await setUp('/gone', 'Gone', [['50', 'Gone']]);
    answer.set('/gone', 'gone');
    await round(minutes(50));
    expect(texts(gone.channels[0]!)).toEqual([expect.stringMatching(/^⏸ Feed paused: \*\*Gone\*\*/)]);
  });

  it('THEN a refused send, a crash between claim and send, and a lost answer are each delivered once by a later round', async () => {
    const a = await setUp('/refused', 'Refused', [['60', 'Refused']]);
    const b = await setUp('/crash', 'Crash', [['70', 'Crash']]);
    const c = await setUp('/lost', 'Lost', [['80', 'Lost']]);
    for (const path of ['/refused', '/crash', '/lost']) answer.set(path, 'wall');
    e.fake.faults.failNext({ count: 1, status: 403, route: `POST /channels/${a.channels[0]}/messages` });
    // Discord makes the message and answers 500 each time (discord.js tries three more): the sender cannot know.
    e.fake.faults.failNext({ count: 4, status: 500, route: `POST /channels/${c.channels[0]}/messages`, handled: true });
    // The process dies right after its claim of the crash feed's notice is stored.
    const crashing: FeedRepository = Object.create(opened.state.feeds) as FeedRepository;
    crashing.update = async (url, change) => {
      const changed = await opened.state.feeds.update(url, change);
      if (url === b.url && changed.after?.noticePending) throw new Error('the process died here');
      return changed;
    };
    await round(T0, [{ ...opened.state, feeds: crashing }]).catch((error: unknown) => expect(String(error)).toContain('died here'));
    // Polled again before the crash feed is reached: the crash ended the round.
    const first = await round(minutes(0.5));
    expect(first).not.toContain('feed health: notice sent');
    expect(texts(a.channels[0]!)).toEqual([]);
    expect(texts(b.channels[0]!)).toEqual([]);
    expect(e.fake.messages(c.channels[0]!)).toHaveLength(1);
    expect((await registry.get(b.url))?.noticePending?.channels).toEqual(b.channels);

    const later = await round(minutes(5));
    expect(later.filter((m) => m === 'feed health: sending a notice an earlier round left unsent')).toHaveLength(3);
    expect(later).toContain('feed health: the notice was posted by an earlier round; kept');
    for (const x of [a, b, c]) {
      expect(texts(x.channels[0]!)).toEqual([expect.stringMatching(/^⚠ Feed failing since/)]);
      expect((await registry.get(x.url))?.noticePending).toBeUndefined();
    }
    await round(minutes(10));
    for (const x of [a, b, c]) expect(e.fake.messages(x.channels[0]!)).toHaveLength(1);
  });
});

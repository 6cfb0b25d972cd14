/**
 * Polling the ten real feeds from a local HTTP server, and the broken ones: each failure gives a
 * clear reason, backs the feed off, and loses nothing already stored.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { type FeedParser, createFeedParser } from '../src/adapters/feeds/parse-worker.ts';
import { type ParseFeed, pollFeeds } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import { openBotState } from '../src/adapters/store/state.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const DIR = new URL('./fixtures/feeds/', import.meta.url);
const real = readdirSync(DIR)
  .filter((f) => f.startsWith('rss-parser__'))
  .sort();
const guardian = readFileSync(new URL('rss-parser__guardian.rss', DIR));

/** The site is on 127.0.0.1, which feeds reach only when allowed (FEED_ALLOW_HOSTS=127.0.0.1). */
const local = { allow: parseAllowList('127.0.0.1') };
let site: LocalSite;
let base: string;
let reorder = false;
/** One parser for the tests that use the default limits, as the bot and the CLI each make one. */
let feedParser: FeedParser;
beforeAll(async () => {
  feedParser = createFeedParser();
  site = await serveLocally((req, res) => {
    const name = decodeURIComponent((req.url ?? '').slice(1));
    if (real.includes(name)) {
      const etag = `"${name}"`;
      if (req.headers['if-none-match'] === etag) return void res.writeHead(304).end();
      return void res
        .writeHead(200, { 'Content-Type': name.endsWith('.atom') ? 'application/atom+xml' : 'application/rss+xml', ETag: etag })
        .end(readFileSync(new URL(name, DIR)));
    }
    switch (name) {
      case 'shuffled': {
        // The same items in another order with every date moved: nothing may be stored twice.
        let text = guardian.toString('utf8');
        if (reorder) {
          const items = text.match(/<item>[\s\S]*?<\/item>/g) ?? [];
          text = text
            .replace(/<item>[\s\S]*<\/item>/, [...items].reverse().join('\n'))
            .replace(/<pubDate>[^<]*<\/pubDate>/g, '<pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate>');
        }
        return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(text);
      }
      case 'big':
        return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(big());
      case 'truncated':
        return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end(guardian.subarray(0, guardian.length / 2));
      case 'html':
        return void res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><html><body><h1>Welcome</h1></body></html>');
      case 'empty':
        return void res.writeHead(200, { 'Content-Type': 'application/rss+xml' }).end('');
      case 'missing':
        return void res.writeHead(404).end();
      case 'error':
        return void res.writeHead(500).end();
      case 'loop':
        return void res.writeHead(302, { Location: '/loop' }).end();
      case 'silent':
        return;
      case 'huge':
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        return void res.end(Buffer.alloc(3_000_000, 0x20));
      default:
        res.writeHead(404).end();
    }
  });
  base = site.base;
});
afterAll(async () => {
  await feedParser.close();
  await site.close();
});

/** The Guardian feed with its items repeated (new guids) to about 6 MB: seconds of parsing. */
let bigFeed: string | undefined;
function big(): string {
  if (bigFeed) return bigFeed;
  const text = guardian.toString('utf8');
  const items = text.match(/<item>[\s\S]*?<\/item>/g) ?? [];
  const copies: string[] = [];
  for (let i = 0; copies.join('').length < 6_000_000; i++) copies.push(items.map((item) => item.replace(/<guid[^>]*>/, `$&copy-${i}-`)).join('\n'));
  bigFeed = text.replace(/<item>[\s\S]*<\/item>/, copies.join('\n'));
  return bigFeed;
}

function setup(): { store: SqliteStore; registry: FeedRegistry } {
  const store = SqliteStore.open(':memory:');
  return { store, registry: new FeedRegistry(openBotState(store.db).feeds) };
}

describe('GIVEN the ten real feeds served locally', () => {
  it('THEN every item of every feed is stored, and the next poll is answered "not modified"', async () => {
    const { store, registry } = setup();
    for (const name of real) await registry.add(`${base}/${name}`, name, new Date());
    const results = await pollFeeds(registry, store, { parse: feedParser.parse, limits: local });
    expect(results.map((r) => [r.url.slice(base.length + 1), r.outcome, r.error])).toEqual(real.map((n) => [n, 'stored', null]));
    const items = results.reduce((n, r) => n + r.items, 0);
    expect(items).toBeGreaterThan(100);
    expect(await store.count()).toBe(results.reduce((n, r) => n + r.added, 0));
    const again = await pollFeeds(registry, store, { parse: feedParser.parse, limits: local });
    expect(again.filter((r) => r.outcome !== 'not-modified')).toEqual([]);
    await store.close();
  });

  it('THEN a feed that reorders its items and changes their dates stores nothing twice', async () => {
    const { store, registry } = setup();
    await registry.add(`${base}/shuffled`, 'Guardian', new Date());
    const [first] = await pollFeeds(registry, store, { parse: feedParser.parse, limits: local });
    reorder = true;
    const [second] = await pollFeeds(registry, store, { parse: feedParser.parse, limits: local });
    reorder = false;
    expect(first?.added).toBeGreaterThan(0);
    expect(second).toMatchObject({ outcome: 'stored', added: 0 });
    expect(await store.count()).toBe(first?.added);
    await store.close();
  });
});

describe('GIVEN broken feeds', () => {
  it('THEN each gives a clear reason, backs off, and what was stored before stays', async () => {
    const { store, registry } = setup();
    await registry.add(`${base}/rss-parser__guardian.rss`, 'Guardian', new Date());
    await pollFeeds(registry, store, { parse: feedParser.parse, limits: local });
    const stored = await store.count();
    const broken = ['truncated', 'html', 'empty', 'missing', 'error', 'loop', 'silent', 'huge'];
    for (const name of broken) await registry.add(`${base}/${name}`, name, new Date());
    const results = await pollFeeds(registry, store, { parse: feedParser.parse, limits: { ...local, timeoutMs: 500, maxBytes: 1_000_000 }, concurrency: 9 });
    const reasons = Object.fromEntries(results.filter((r) => r.outcome === 'failed').map((r) => [r.url.slice(base.length + 1), r.error]));
    expect(Object.keys(reasons).sort()).toEqual([...broken].sort());
    expect(reasons.missing).toBe(`HTTP 404 Not Found from ${base}/missing`);
    expect(reasons.error).toBe(`HTTP 500 Internal Server Error from ${base}/error`);
    expect(reasons.loop).toMatch(/^more than 5 redirects/);
    expect(reasons.silent).toBe('no complete answer within 0.5 s');
    expect(reasons.huge).toBe('the feed is larger than 1 MB');
    for (const name of ['truncated', 'html', 'empty']) expect(reasons[name]).toMatch(new RegExp(`${base}/${name}`));
    expect(await store.count()).toBe(stored);
    const state = await registry.get(`${base}/html`);
    expect(state).toMatchObject({ failures: 1, lastError: reasons.html });
    expect(Date.parse(state?.retryAt ?? '')).toBeGreaterThan(Date.now() + 4 * 60_000);
    const waiting = await pollFeeds(registry, store, { parse: feedParser.parse, limits: { ...local, timeoutMs: 500 } });
    expect(waiting.filter((r) => r.outcome === 'waiting')).toHaveLength(broken.length);
    await store.close();
  });
});

describe('GIVEN a feed that takes longer to parse than the limit', () => {
  it('THEN that feed fails with the reason while this thread keeps running, and the next feed is parsed in a fresh worker', async () => {
    const { store, registry } = setup();
    // 1 s: the Guardian's feed after it, parsed in a fresh worker on a busy machine, once took over 0.3 s.
    const parser = createFeedParser({ timeoutMs: 1000 });
    try {
      await registry.add(`${base}/big`, 'Big', new Date());
      await registry.add(`${base}/rss-parser__guardian.rss`, 'Guardian', new Date());
      let ticks = 0;
      const interval = setInterval(() => ticks++, 10);
      const started = performance.now();
      const results = await pollFeeds(registry, store, { parse: parser.parse, limits: local, concurrency: 1 }).finally(() => clearInterval(interval));
      const elapsed = performance.now() - started;
      expect(results.map((r) => [r.url.slice(base.length + 1), r.outcome, r.error])).toEqual([
        ['big', 'failed', 'the feed parser took longer than 1 s and was stopped'],
        ['rss-parser__guardian.rss', 'stored', null],
      ]);
      expect(await registry.get(`${base}/big`)).toMatchObject({ failures: 1, lastError: 'the feed parser took longer than 1 s and was stopped' });
      // This thread ran its timers all along: at least a third of the 10 ms ticks the time allowed.
      expect(ticks).toBeGreaterThan(elapsed / 30);
    } finally {
      await parser.close();
      await store.close();
    }
  });
});

describe('GIVEN a poll whose signal fires (shutdown) while a feed is being parsed', () => {
  it('THEN that feed and the ones not begun are cut off, and their state stays as it was: no failure, no backoff', async () => {
    const { store, registry } = setup();
    const parser = createFeedParser();
    const stop = new AbortController();
    const parse: ParseFeed = (bytes, options) => {
      // Shutdown as the bot does it, under this parse (seconds long): the signal, then the parser closed.
      setTimeout(() => {
        stop.abort();
        void parser.close();
      }, 200);
      return parser.parse(bytes, options);
    };
    try {
      await registry.add(`${base}/big`, 'Big', new Date());
      await registry.add(`${base}/rss-parser__guardian.rss`, 'Guardian', new Date());
      const results = await pollFeeds(registry, store, { parse, limits: local, concurrency: 1, signal: stop.signal });
      expect(results.map((r) => [r.url.slice(base.length + 1), r.outcome, r.error])).toEqual([
        ['big', 'cut-off', null],
        ['rss-parser__guardian.rss', 'cut-off', null],
      ]);
      for (const feed of await registry.list()) expect(feed).toMatchObject({ failures: 0, lastError: null, retryAt: null, lastPolledAt: null, etag: null });
      expect(await store.count()).toBe(0);
    } finally {
      await parser.close();
      await store.close();
    }
  });
});

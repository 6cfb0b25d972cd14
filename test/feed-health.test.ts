/**
 * Feed health (issue 17 point 6): every way a feed fails, served by a local site, gets a reason a
 * server owner understands; a feed failing past the set time (or gone) is paused and resumed by
 * hand. On SQLite and PostgreSQL. The notices these lead to: feed-health-notices.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { fetchFeedDetailed } from '../src/adapters/feeds/fetch.ts';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import { fetchProblem } from '../src/app/feeds/reasons.ts';
import { resumeFeed } from '../src/app/feeds/manage.ts';
import { type PollOptions, pollFeeds, pollOne } from '../src/app/feeds/poll.ts';
import { FeedRegistry } from '../src/app/feeds/registry.ts';
import type { ArticleSink } from '../src/adapters/store/contract.ts';
import type { Article } from '../src/core/model.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';
import { type OpenedState, stateBackends } from './helpers/state-backends.ts';

const FEED = (title: string): string =>
  `<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Harbour</title><link>https://harbour.example/</link>` +
  `<item><title>${title}</title><link>https://harbour.example/${encodeURIComponent(title)}</link><guid>${title}</guid></item></channel></rss>`;
/** Broken at line 4: `<chanel>` is closed by `</channel>`, so feedsmith finds no channel and the validator says where. */
const BROKEN = '<?xml version="1.0"?>\n<rss version="2.0">\n<chanel>\n<title>Harbour</title>\n</channel>\n</rss>\n';
const CHALLENGE =
  '<!DOCTYPE html><html><head><title>Just a moment...</title></head><body><script src="/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1"></script></body></html>';

let site: LocalSite;
beforeAll(async () => {
  site = await serveLocally((req, res) => {
    switch (req.url) {
      case '/cloudflare':
        return void res.writeHead(403, { server: 'cloudflare', 'cf-ray': '8f00aa11bb22cc33-FRA', 'content-type': 'text/html' }).end(CHALLENGE);
      case '/challenge':
        // No header gives it away: only the challenge page does.
        return void res.writeHead(403, { 'content-type': 'text/html' }).end(CHALLENGE);
      case '/forbidden':
        return void res.writeHead(403).end('no');
      case '/login':
        return void res.writeHead(401, { 'www-authenticate': 'Basic realm="members"' }).end();
      case '/missing':
        return void res.writeHead(404).end();
      case '/gone':
        return void res.writeHead(410).end();
      case '/limited':
        return void res.writeHead(429, { 'retry-after': '3600' }).end();
      case '/down':
        return void res.writeHead(503).end();
      case '/silent':
        return; // never answers: the timeout decides
      case '/page':
        return void res
          .writeHead(200, { 'content-type': 'text/html' })
          .end('<!doctype html><html><head><title>Harbour news</title></head><body>Hi</body></html>');
      case '/broken':
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(BROKEN);
      default:
        return void res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(FEED('Ferry times'));
    }
  });
});
afterAll(() => site.close());

const T0 = Date.parse('2026-12-01T08:00:00Z');
// Generous: the machine may be busy; only /silent is given a short timeout.
const limits = { allow: parseAllowList('127.0.0.1'), timeoutMs: 10_000 };
/** Stores nothing: these tests look at feeds' state, not articles. */
const sink: ArticleSink = {
  upsertMany: (items: readonly Article[]) => Promise.resolve(items.map(() => 'added' as const)),
  upsert: () => Promise.resolve('added' as const),
};
const options = (at: number, extra: Partial<PollOptions> = {}): PollOptions => ({ parse: parseFeed, limits, now: () => new Date(at), ...extra });

describe('GIVEN a feed that cannot be reached', () => {
  const none = { etag: null, lastModified: null };
  const problemOf = async (url: string, extra: Partial<typeof limits> & { lookup?: unknown } = {}): Promise<string> => {
    const got = await fetchFeedDetailed(url, none, { ...limits, ...extra } as typeof limits);
    if (got.kind !== 'failed') throw new Error(`${url} was read`);
    return fetchProblem(got.reason, got.failure, url, new Date(T0)).reason;
  };

  it('THEN TLS, DNS and a refused private address each say so', async () => {
    const port = new URL(site.base).port;
    // The local site speaks plain HTTP: a TLS handshake with it fails.
    expect(await problemOf(`https://127.0.0.1:${port}/feed`)).toBe(`a secure (TLS) connection to 127.0.0.1 failed (ERR_SSL_WRONG_VERSION_NUMBER)`);
    const noSuchName = (host: string, _options: unknown, callback: (error: Error) => void): void =>
      callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' }));
    expect(await problemOf(`http://nowhere.example:${port}/feed`, { lookup: noSuchName })).toBe(
      `the site’s name nowhere.example was not found (DNS: ENOTFOUND)`,
    );
    expect(await problemOf('http://10.0.0.5/feed')).toBe('refused: 10.0.0.5 is a private address (set FEED_ALLOW_HOSTS to allow it)');
  });
});

describe.each(Object.keys(stateBackends))('GIVEN feeds on %s', (backend) => {
  let opened: OpenedState;
  let registry: FeedRegistry;
  beforeAll(async () => {
    opened = await stateBackends[backend]!();
    registry = new FeedRegistry(opened.state.feeds);
  });
  afterAll(() => opened.close());
  // A test that failed part way leaves no feed behind to fail in the next one.
  afterEach(async () => {
    for (const f of await registry.list()) await registry.remove(f.url);
  });

  it('THEN each failure has a plain reason, the technical one stays in lastError, and a 429 waits as long as it asked', async () => {
    const names = ['cloudflare', 'challenge', 'forbidden', 'login', 'missing', 'gone', 'limited', 'down', 'page', 'broken'];
    for (const n of names) await registry.add(`${site.base}/${n}`, n, new Date(T0));
    const results = await pollFeeds(registry, sink, options(T0));
    const silent = (await registry.add(`${site.base}/silent`, 'silent', new Date(T0))).feed;
    results.push(await pollOne(silent, registry, sink, options(T0, { limits: { ...limits, timeoutMs: 300 } })));
    names.push('silent');
    const problem = Object.fromEntries(results.map((r) => [r.url.slice(site.base.length + 1), r.problem]));
    expect(problem).toEqual({
      cloudflare: "blocked by Cloudflare's bot check (HTTP 403): the site turns away automated readers such as Paperboy",
      challenge: "blocked by Cloudflare's bot check (HTTP 403): the site turns away automated readers such as Paperboy",
      forbidden: 'the site refuses to serve the feed to Paperboy (HTTP 403 Forbidden)',
      login: 'the site asks for a login (HTTP 401)',
      missing: 'not found (HTTP 404): the feed’s address may have changed',
      gone: 'gone (HTTP 410): the site says this feed was removed for good',
      limited: 'rate limited (HTTP 429): the site asks Paperboy to wait until 2026-12-01 09:00 UTC',
      down: 'the site’s server failed (HTTP 503)',
      silent: 'timed out: no complete answer within 0.3 s',
      page: 'not a feed: the address serves a web page ("Harbour news")',
      broken: "the feed is broken at line 5 (column 1): Expected closing tag 'chanel' (opened in line 3, col 1) instead of closing tag 'channel'.",
    });
    const missing = await registry.get(`${site.base}/missing`);
    expect(missing).toMatchObject({ failures: 1, lastError: `HTTP 404 Not Found from ${site.base}/missing`, failingSince: new Date(T0).toISOString() });
    // The first backoff is 5 minutes; the site asked for an hour.
    expect((await registry.get(`${site.base}/limited`))?.retryAt).toBe(new Date(T0 + 3_600_000).toISOString());
    // Gone for good: paused at once, and said so in the result.
    expect(results.find((r) => r.url.endsWith('/gone'))).toMatchObject({ outcome: 'failed', paused: true });
    expect(await registry.get(`${site.base}/gone`)).toMatchObject({ pausedAt: new Date(T0).toISOString(), pausedReason: problem.gone });
  });

  it('THEN a feed failing past the set time is paused, not polled even when forced, and resumed by hand starts afresh', async () => {
    const url = `${site.base}/forbidden`;
    await registry.add(url, 'Forbidden', new Date(T0));
    const hours = (h: number): number => T0 + h * 3_600_000;
    const pauseAfterMs = 3 * 3_600_000;
    const feed = async () => (await registry.get(url))!;
    expect((await pollOne(await feed(), registry, sink, options(hours(0), { pauseAfterMs }))).paused).toBeUndefined();
    // Two hours on (past its backoff): still failing, not paused.
    await pollOne(await feed(), registry, sink, options(hours(2), { pauseAfterMs }));
    expect(await feed()).toMatchObject({ failures: 2, failingSince: new Date(T0).toISOString() });
    expect((await feed()).pausedAt).toBeUndefined();
    const third = await pollOne(await feed(), registry, sink, options(hours(3), { pauseAfterMs }));
    expect(third).toMatchObject({ outcome: 'failed', paused: true });
    expect(await feed()).toMatchObject({
      pausedAt: new Date(hours(3)).toISOString(),
      pausedReason: 'failing for 3 hours: the site refuses to serve the feed to Paperboy (HTTP 403 Forbidden)',
    });
    expect(await pollOne(await feed(), registry, sink, options(hours(30), { force: true }))).toMatchObject({ outcome: 'waiting', paused: true });
    expect((await feed()).lastPolledAt).toBe(new Date(hours(3)).toISOString());

    await resumeFeed(registry, url);
    await expect(resumeFeed(registry, url)).rejects.toThrow('is not paused');
    // Read again, failing again: a new run of failures, not paused at once by the old one's age.
    await pollOne(await feed(), registry, sink, options(hours(31), { pauseAfterMs }));
    expect(await feed()).toMatchObject({ failures: 1, failingSince: new Date(hours(31)).toISOString() });
    expect((await feed()).pausedAt).toBeUndefined();
  });
});

/** Fetching feeds from a local HTTP server that misbehaves in each of the ways real ones do. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.ts';
import { parseAllowList } from '../src/adapters/feeds/allow.ts';
import { type FetchLimits, USER_AGENT, fetchFeed } from '../src/adapters/feeds/fetch.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';
let site: LocalSite;
let base: string;
/** Extra redirects a test sets up: path to Location. */
const redirects = new Map<string, string>();
const seen: { url: string; ua: string | undefined; ifNoneMatch: string | undefined }[] = [];

beforeAll(async () => {
  site = await serveLocally((req, res) => {
    seen.push({ url: req.url ?? '', ua: req.headers['user-agent'], ifNoneMatch: req.headers['if-none-match'] });
    const to = redirects.get(req.url ?? '');
    if (to) return void res.writeHead(302, { Location: to }).end();
    switch (req.url) {
      case '/feed':
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        return void res
          .writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: '"v1"', 'Last-Modified': 'Sat, 28 Nov 2026 08:00:00 GMT' })
          .end(FEED);
      case '/moved':
        return void res.writeHead(301, { Location: '/feed' }).end();
      case '/loop':
        return void res.writeHead(302, { Location: '/loop' }).end();
      case '/missing':
        return void res.writeHead(404).end('not here');
      case '/broken':
        return void res.writeHead(500).end('oops');
      case '/silent':
        return; // never answers
      case '/huge': {
        // 50 MB without a declared length: the cap must stop reading, not the declared size.
        res.writeHead(200, { 'Content-Type': 'application/rss+xml' });
        const chunk = Buffer.alloc(1 << 20, 0x20);
        let sent = 0;
        const pump = (): void => {
          while (sent < 50 && res.write(chunk)) sent++;
          if (sent < 50) res.once('drain', pump);
          else res.end();
        };
        pump();
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
  base = site.base;
});
afterAll(() => site.close());

const none = { etag: null, lastModified: null };
/** The test site is on 127.0.0.1, which feeds may reach only when the operator allows it. */
const local: FetchLimits = { allow: parseAllowList('127.0.0.1') };

describe('GIVEN a feed server', () => {
  it('THEN a feed comes back with its validators, an honest User-Agent, and a conditional request gets not-modified', async () => {
    const first = await fetchFeed(`${base}/feed`, none, local);
    expect(first).toMatchObject({
      kind: 'fresh',
      contentType: 'application/rss+xml; charset=utf-8',
      validators: { etag: '"v1"', lastModified: 'Sat, 28 Nov 2026 08:00:00 GMT' },
    });
    expect(first.kind === 'fresh' && first.body.toString('utf8')).toBe(FEED);
    expect(seen.at(-1)?.ua).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^Paperboy\/\d+\.\d+\.\d+ \(feed reader for Discord/);
    expect(await fetchFeed(`${base}/feed`, { etag: '"v1"', lastModified: null }, local)).toEqual({ kind: 'not-modified' });
  });

  it('THEN redirects are followed up to a bound, and a loop is named', async () => {
    expect(await fetchFeed(`${base}/moved`, none, local)).toMatchObject({ kind: 'fresh', url: `${base}/feed` });
    expect(await fetchFeed(`${base}/loop`, none, local)).toEqual({ kind: 'failed', reason: 'more than 5 redirects (last to /loop)' });
  });

  it('THEN 404, 500, silence, 50 MB and a closed port each give a plain reason', async () => {
    expect(await fetchFeed(`${base}/missing`, none, local)).toEqual({ kind: 'failed', reason: `HTTP 404 Not Found from ${base}/missing` });
    expect(await fetchFeed(`${base}/broken`, none, local)).toEqual({ kind: 'failed', reason: `HTTP 500 Internal Server Error from ${base}/broken` });
    expect(await fetchFeed(`${base}/silent`, none, { ...local, timeoutMs: 300 })).toEqual({ kind: 'failed', reason: 'no complete answer within 0.3 s' });
    expect(await fetchFeed(`${base}/huge`, none, { ...local, maxBytes: 5_000_000 })).toEqual({ kind: 'failed', reason: 'the feed is larger than 5 MB' });
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect(await fetchFeed(`http://127.0.0.1:${port}/feed`, none, local)).toEqual({
      kind: 'failed',
      reason: `could not fetch http://127.0.0.1:${port}/feed: ECONNREFUSED`,
    });
  });
});

/**
 * The address rules (issue 13, point 7). Every request here goes to 127.0.0.1 or nowhere: the
 * non-loopback addresses are refused before a connection is opened, and host names are given their
 * addresses by a stand-in resolver, so no external name is looked up.
 */
describe('GIVEN a feed URL that leads somewhere only the bot can reach', () => {
  const requestsTo = (path: string): number => seen.filter((s) => s.url === path).length;
  /** A resolver that knows a few names, as DNS would answer for them (a rebinding attacker's included). */
  const names: Record<string, { address: string; family: number }[]> = {
    'rebound.example': [{ address: '127.0.0.1', family: 4 }],
    'metadata.example': [{ address: '169.254.169.254', family: 4 }],
    'mixed.example': [
      { address: '10.0.0.5', family: 4 },
      { address: '127.0.0.1', family: 4 },
    ],
  };
  const lookup = ((hostname: string, _options: unknown, callback: (e: Error | null, all: { address: string; family: number }[]) => void) => {
    const found = names[hostname];
    if (found) callback(null, found);
    else callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
  }) as unknown as FetchLimits['lookup'];

  it('THEN a site on 127.0.0.1 is refused by default, naming the rule, and nothing reaches it; FEED_ALLOW_HOSTS allows it', async () => {
    const before = requestsTo('/feed');
    expect(await fetchFeed(`${base}/feed`, none)).toEqual({
      kind: 'failed',
      reason: 'refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(requestsTo('/feed')).toBe(before);
    expect(await fetchFeed(`${base}/feed`, none, { allow: parseAllowList('127.0.0.0/8') })).toMatchObject({ kind: 'fresh' });
    expect(requestsTo('/feed')).toBe(before + 1);
  });

  it('THEN integer, mapped and unspecified forms of this machine are refused before connecting', async () => {
    const port = new URL(base).port;
    const before = seen.length;
    // Each of these reaches the test site when connected to: 0.0.0.0 and ::ffff:127.0.0.1 are this machine.
    const cases: [string, string][] = [
      [`http://2130706433:${port}/feed`, 'refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)'],
      [`http://0x7f.1:${port}/feed`, 'refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)'],
      [`http://0.0.0.0:${port}/feed`, 'refused: 0.0.0.0 is an unspecified address (set FEED_ALLOW_HOSTS to allow it)'],
      [`http://[::ffff:127.0.0.1]:${port}/feed`, 'refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)'],
      [`http://[::1]:${port}/feed`, 'refused: ::1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)'],
    ];
    for (const [url, reason] of cases) expect(await fetchFeed(url, none), url).toEqual({ kind: 'failed', reason });
    // 0.0.0.0 is not allowed by allowing 127.0.0.1: it is its own rule.
    expect(await fetchFeed(`http://0.0.0.0:${port}/feed`, none, local)).toMatchObject({
      reason: 'refused: 0.0.0.0 is an unspecified address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(seen.length).toBe(before);
  });

  it('THEN the metadata service, private ranges and data: URLs are refused without a connection', async () => {
    expect(await fetchFeed('http://169.254.169.254/latest/meta-data/', none, local)).toEqual({
      kind: 'failed',
      reason: 'refused: 169.254.169.254 is a link-local address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(await fetchFeed('http://10.0.0.5/feed', none, local)).toEqual({
      kind: 'failed',
      reason: 'refused: 10.0.0.5 is a private address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(await fetchFeed('http://[fd00::5]/feed', none, local)).toEqual({
      kind: 'failed',
      reason: 'refused: fd00::5 is a private (unique local) address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(await fetchFeed('http://224.0.0.1/feed', none, local)).toEqual({
      kind: 'failed',
      reason: 'refused: 224.0.0.1 is a multicast address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(await fetchFeed('data:application/rss+xml,<rss/>', none, local)).toEqual({
      kind: 'failed',
      reason: 'refused: data: URLs are not fetched; a feed must be http or https',
    });
  });

  it('THEN a redirect from an allowed site to a refused address is refused at that hop', async () => {
    const port = new URL(base).port;
    const before = seen.length;
    redirects.set('/to-metadata', 'http://169.254.169.254/latest/meta-data/iam/');
    redirects.set('/to-other-loopback', `http://127.0.0.2:${port}/feed`);
    redirects.set('/to-mapped', `http://[::ffff:7f00:1]:${port}/feed`);
    redirects.set('/to-data', 'data:text/plain,secret');
    redirects.set('/to-file', 'file:///etc/passwd');
    expect(await fetchFeed(`${base}/to-metadata`, none, local)).toEqual({
      kind: 'failed',
      reason: `refused: 169.254.169.254 is a link-local address (set FEED_ALLOW_HOSTS to allow it) (redirected from ${base}/to-metadata)`,
    });
    expect(await fetchFeed(`${base}/to-other-loopback`, none, local)).toEqual({
      kind: 'failed',
      reason: `refused: 127.0.0.2 is a loopback address (set FEED_ALLOW_HOSTS to allow it) (redirected from ${base}/to-other-loopback)`,
    });
    expect(await fetchFeed(`${base}/to-mapped`, none, { allow: parseAllowList(`127.0.0.1`) })).toMatchObject({
      kind: 'fresh',
      url: `http://[::ffff:7f00:1]:${port}/feed`,
    });
    expect(await fetchFeed(`${base}/to-data`, none, local)).toEqual({
      kind: 'failed',
      reason: `refused: data: URLs are not fetched; a feed must be http or https (redirected from ${base}/to-data)`,
    });
    expect(await fetchFeed(`${base}/to-file`, none, local)).toEqual({
      kind: 'failed',
      reason: `refused: file: URLs are not fetched; a feed must be http or https (redirected from ${base}/to-file)`,
    });
    // The redirecting site was asked five times, the one allowed target once; nothing else was reached.
    expect(seen.slice(before).map((s) => s.url)).toEqual(['/to-metadata', '/to-other-loopback', '/to-mapped', '/feed', '/to-data', '/to-file']);
  });

  it('THEN a name is checked on the address it is connected to: rebinding to 127.0.0.1 is refused, an allowed name is reached', async () => {
    const port = new URL(base).port;
    const before = seen.length;
    expect(await fetchFeed(`http://rebound.example:${port}/feed`, none, { lookup })).toEqual({
      kind: 'failed',
      reason: 'refused: rebound.example resolves to 127.0.0.1, a loopback address (set FEED_ALLOW_HOSTS to allow it)',
    });
    expect(await fetchFeed(`http://metadata.example/`, none, { lookup, allow: parseAllowList('127.0.0.1') })).toEqual({
      kind: 'failed',
      reason: 'refused: metadata.example resolves to 169.254.169.254, a link-local address (set FEED_ALLOW_HOSTS to allow it)',
    });
    redirects.set('/to-rebound', `http://rebound.example:${port}/feed`);
    expect(await fetchFeed(`${base}/to-rebound`, none, { lookup, allow: parseAllowList('127.0.0.1/32') })).toMatchObject({ kind: 'fresh' });
    expect(seen.length).toBe(before + 2);
    // Allowing the name allows it whatever it resolves to; of several addresses only allowed ones are tried.
    expect(await fetchFeed(`http://rebound.example:${port}/feed`, none, { lookup, allow: parseAllowList('rebound.example') })).toMatchObject({ kind: 'fresh' });
    expect(await fetchFeed(`http://mixed.example:${port}/feed`, none, { lookup, allow: parseAllowList('127.0.0.1') })).toMatchObject({ kind: 'fresh' });
    expect(await fetchFeed(`http://nowhere.example:${port}/feed`, none, { lookup })).toEqual({
      kind: 'failed',
      reason: `could not fetch http://nowhere.example:${port}/feed: ENOTFOUND`,
    });
  });

  it('THEN localhost, resolved by the system, is refused by default', async () => {
    const port = new URL(base).port;
    const result = await fetchFeed(`http://localhost:${port}/feed`, none);
    expect(result).toMatchObject({
      kind: 'failed',
      reason: expect.stringMatching(/^refused: localhost resolves to (127\.0\.0\.1|::1), a loopback address \(set FEED_ALLOW_HOSTS to allow it\)$/) as unknown,
    });
  });
});

describe('GIVEN FEED_ALLOW_HOSTS', () => {
  it('THEN names, addresses and ranges are read, and a bad entry is named', () => {
    const allow = parseAllowList(' 127.0.0.1, 10.0.0.0/8 ,Feeds.Intranet., ::1 ,');
    expect(allow.hosts).toEqual(['feeds.intranet']);
    expect(allow.ranges.map(([a, bits]) => `${a.toString()}/${bits}`)).toEqual(['127.0.0.1/32', '10.0.0.0/8', '::1/128']);
    expect(() => parseAllowList('127.0.0.1, not a host')).toThrow('"not a host" is not a host name, an IP address or a CIDR range such as 10.0.0.0/8');
    expect(() => parseAllowList('10.0.0.0/33')).toThrow('"10.0.0.0/33": the prefix length must be a number from 0 to 32');
    expect(() => parseAllowList('2130706433')).toThrow('"2130706433" is not a host name');
    expect(() => loadConfig({ FEED_ALLOW_HOSTS: '10.0.0.0/8, bad_host' })).toThrow(
      'configuration: FEED_ALLOW_HOSTS: "bad_host" is not a host name, an IP address or a CIDR range such as 10.0.0.0/8',
    );
    expect(loadConfig({ FEED_ALLOW_HOSTS: '127.0.0.1' }).feedAllow.ranges).toHaveLength(1);
    expect(loadConfig({}).feedAllow).toEqual({ hosts: [], ranges: [] });
  });
});

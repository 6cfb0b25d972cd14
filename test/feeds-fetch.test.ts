/** Fetching feeds from a local HTTP server that misbehaves in each of the ways real ones do. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_AGENT, fetchFeed } from '../src/feeds/fetch.ts';
import { type LocalSite, serveLocally } from './helpers/http.ts';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>T</title></channel></rss>';
let site: LocalSite;
let base: string;
const seen: { url: string; ua: string | undefined; ifNoneMatch: string | undefined }[] = [];

beforeAll(async () => {
  site = await serveLocally((req, res) => {
    seen.push({ url: req.url ?? '', ua: req.headers['user-agent'], ifNoneMatch: req.headers['if-none-match'] });
    switch (req.url) {
      case '/feed':
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        return void res.writeHead(200, { 'Content-Type': 'application/rss+xml; charset=utf-8', ETag: '"v1"', 'Last-Modified': 'Sat, 28 Nov 2026 08:00:00 GMT' }).end(FEED);
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

describe('GIVEN a feed server', () => {
  it('THEN a feed comes back with its validators, an honest User-Agent, and a conditional request gets not-modified', async () => {
    const first = await fetchFeed(`${base}/feed`, none);
    expect(first).toMatchObject({ kind: 'fresh', contentType: 'application/rss+xml; charset=utf-8', validators: { etag: '"v1"', lastModified: 'Sat, 28 Nov 2026 08:00:00 GMT' } });
    expect(first.kind === 'fresh' && first.body.toString('utf8')).toBe(FEED);
    expect(seen.at(-1)?.ua).toBe(USER_AGENT);
    expect(USER_AGENT).toMatch(/^Paperboy\/\d+\.\d+\.\d+ \(feed reader for Discord/);
    expect(await fetchFeed(`${base}/feed`, { etag: '"v1"', lastModified: null })).toEqual({ kind: 'not-modified' });
  });

  it('THEN redirects are followed up to a bound, and a loop is named', async () => {
    expect(await fetchFeed(`${base}/moved`, none)).toMatchObject({ kind: 'fresh', url: `${base}/feed` });
    expect(await fetchFeed(`${base}/loop`, none)).toEqual({ kind: 'failed', reason: 'more than 5 redirects (last to /loop)' });
  });

  it('THEN 404, 500, silence, 50 MB and a closed port each give a plain reason', async () => {
    expect(await fetchFeed(`${base}/missing`, none)).toEqual({ kind: 'failed', reason: `HTTP 404 Not Found from ${base}/missing` });
    expect(await fetchFeed(`${base}/broken`, none)).toEqual({ kind: 'failed', reason: `HTTP 500 Internal Server Error from ${base}/broken` });
    expect(await fetchFeed(`${base}/silent`, none, { timeoutMs: 300 })).toEqual({ kind: 'failed', reason: 'no complete answer within 0.3 s' });
    expect(await fetchFeed(`${base}/huge`, none, { maxBytes: 5_000_000 })).toEqual({ kind: 'failed', reason: 'the feed is larger than 5 MB' });
    const closed = createServer();
    await new Promise<void>((done) => closed.listen(0, '127.0.0.1', done));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((done) => closed.close(done));
    expect(await fetchFeed(`http://127.0.0.1:${port}/feed`, none)).toEqual({ kind: 'failed', reason: `could not fetch http://127.0.0.1:${port}/feed: ECONNREFUSED` });
  });
});

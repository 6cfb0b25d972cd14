/**
 * What every discussion request goes through, whatever the platform: which URLs are followed and
 * under which address, the address rules, the size cap, the timeout, backoff after failures.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscussionFetcher } from '../src/adapters/discussions/fetch-discussion.ts';
import { retryAfterMs } from '../src/adapters/discussions/http-gate.ts';
import { recognise } from '../src/adapters/discussions/recognise.ts';
import {
  type DiscussionSite,
  NO_SPACING,
  NO_VALIDATORS,
  type RecordingClock,
  localFetcher,
  recordingClock,
  serveDiscussionSite,
} from './helpers/discussion-site.ts';

const N49RW = readFileSync(new URL('./fixtures/discussions/reddit-n49rw-were-back.listing.json', import.meta.url), 'utf8');

describe('GIVEN discussion URLs as people paste them', () => {
  it('THEN each platform is recognised under one canonical address, and what cannot be followed is refused', () => {
    const cases: [string, ReturnType<typeof recognise>][] = [
      ['https://www.reddit.com/r/announcements/comments/n49rw/were_back/', { kind: 'reddit', url: 'https://www.reddit.com/comments/n49rw' }],
      ['https://old.reddit.com/r/announcements/comments/N49RW/', { kind: 'reddit', url: 'https://www.reddit.com/comments/n49rw' }],
      ['http://new.reddit.com/comments/n49rw/were_back/c3650t5/?context=3', { kind: 'reddit', url: 'https://www.reddit.com/comments/n49rw' }],
      ['https://redd.it/n49rw', { kind: 'reddit', url: 'https://www.reddit.com/comments/n49rw' }],
      ['https://www.reddit.com/r/announcements/', null],
      ['https://news.ycombinator.com/item?id=8863', { kind: 'hackernews', url: 'https://news.ycombinator.com/item?id=8863' }],
      ['https://news.ycombinator.com/item?id=8863&p=2#8952', { kind: 'hackernews', url: 'https://news.ycombinator.com/item?id=8863' }],
      ['https://news.ycombinator.com/news', null],
      ['https://meta.discourse.org/t/what-is-discourse/12345', { kind: 'discourse', url: 'https://meta.discourse.org/t/12345' }],
      ['https://discuss.criticalfallibilism.com/t/some-topic/2108/452', { kind: 'discourse', url: 'https://discuss.criticalfallibilism.com/t/2108' }],
      ['https://forum.example.org/t/2108', { kind: 'discourse', url: 'https://forum.example.org/t/2108' }],
      ['https://blog.example.org/2021/10/post/feed/#comments', { kind: 'comment-feed', url: 'https://blog.example.org/2021/10/post/feed/' }],
      ['ftp://example.org/t/1', null],
      ['javascript:alert(1)', null],
      ['https://user:secret@example.org/feed', null],
      ['not a url', null],
    ];
    for (const [url, expected] of cases) expect([url, recognise(url)]).toEqual([url, expected]);
  });
});

let site: DiscussionSite;
let clock: RecordingClock;
beforeEach(async () => {
  site = await serveDiscussionSite();
  clock = recordingClock();
});
afterEach(() => site.close());

describe('GIVEN a discussion on a host Paperboy may not or cannot read', () => {
  it('THEN a private address is refused without the allow list, before anything is sent', async () => {
    site.route('/t/2108.json', { body: {} });
    const fetcher = createDiscussionFetcher({ spacingMs: NO_SPACING, clock });
    const budget = { remaining: 5 };
    expect(await fetcher.fetch(`${site.base}/t/2108`, NO_VALIDATORS, budget)).toEqual({
      outcome: 'failed',
      reason: 'refused: 127.0.0.1 is a loopback address (set FEED_ALLOW_HOSTS to allow it)',
      retryAt: null,
      requests: 0,
    });
    expect(site.requests.length).toBe(0);
    expect(budget.remaining).toBe(5);
  });

  it('THEN a response larger than the cap is refused with the size named', async () => {
    site.route('/comments/n49rw.json', { body: N49RW });
    const fetcher = localFetcher(site.base, clock, { limits: { maxBytes: 100_000 } });
    expect(await fetcher.fetch('https://www.reddit.com/comments/n49rw', NO_VALIDATORS, { remaining: 5 })).toEqual({
      outcome: 'failed',
      reason: `the response from ${site.base}/comments/n49rw.json?raw_json=1&limit=500 is larger than 0.1 MB`,
      retryAt: null,
      requests: 1,
    });
  });

  it('THEN a server that never answers is given up on at the timeout, and the host is then left alone for a growing pause', async () => {
    site.route('/t/2108.json', { silent: true });
    site.route('/t/2109.json', { status: 503 });
    const fetcher = localFetcher(site.base, clock, { limits: { timeoutMs: 200 }, backoffMs: 1000 });
    expect(await fetcher.fetch(`${site.base}/t/2108`, NO_VALIDATORS, { remaining: 5 })).toEqual({
      outcome: 'failed',
      reason: 'no complete answer within 0.2 s',
      retryAt: '2026-12-01T12:00:01.000Z',
      requests: 1,
    });
    // The next request waits out the first pause; failing again doubles it.
    expect(await fetcher.fetch(`${site.base}/t/2109`, NO_VALIDATORS, { remaining: 5 })).toEqual({
      outcome: 'failed',
      reason: `HTTP 503 Service Unavailable from ${site.base}/t/2109.json`,
      retryAt: '2026-12-01T12:00:03.000Z',
      requests: 1,
    });
    expect(clock.slept).toEqual([1000]);
  });

  it('THEN a URL that is no discussion is refused without a request', async () => {
    const fetcher = localFetcher(site.base, clock);
    expect(await fetcher.fetch('file:///etc/passwd', NO_VALIDATORS, { remaining: 5 })).toMatchObject({ outcome: 'failed', requests: 0 });
    expect(() => createDiscussionFetcher({ hackerNewsConcurrency: 0 })).toThrow('expected `hackerNewsConcurrency` to be a whole number from 1 up, got 0');
    expect(() => createDiscussionFetcher({ redditBase: 'ftp://x' })).toThrow('expected `redditBase` to be an http(s) URL, got "ftp://x"');
  });
});

describe('GIVEN a shutdown while a request is under way', () => {
  it('THEN the signal cuts the fetch short with a plain reason', async () => {
    site.route('/t/2108.json', { silent: true });
    const stop = new AbortController();
    const fetching = localFetcher(site.base, clock).fetch(`${site.base}/t/2108`, NO_VALIDATORS, { remaining: 5 }, stop.signal);
    while (site.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    stop.abort();
    expect(await fetching).toEqual({ outcome: 'failed', reason: `cancelled before ${site.base}/t/2108.json answered`, retryAt: null, requests: 1 });
  });
});

describe('GIVEN Retry-After as a date', () => {
  it('THEN it is read as the wait until that moment, and nonsense as no wait given', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterMs('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('120', now)).toBe(120_000);
    expect(retryAfterMs('soon', now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

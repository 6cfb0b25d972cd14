/**
 * The DiscussionFetcher (fetch-types.ts): recognises a discussion URL, then brings its tree from
 * Reddit, Hacker News, a Discourse forum or a comment feed, politely. Each host has one gate for the
 * fetcher's life (spacing, 429 and rate-limit waits, backoff carry over from run to run); each run is
 * one RequestBudget object, and the answers of a run are kept by that object, so nothing is fetched
 * twice in a run and a new budget starts a new run. A comment feed's address that answers with the
 * post's HTML page is followed to the comment feed the page announces (fetch-comment-feed.ts).
 */
import type { FetchLimits, Validators } from '../feeds/fetch.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { fetchCommentFeed } from './fetch-comment-feed.ts';
import { fetchDiscourse } from './fetch-discourse.ts';
import { fetchHackerNews } from './fetch-hackernews.ts';
import type { PlatformContext, ResolvedOptions } from './fetch-platform.ts';
import { fetchReddit } from './fetch-reddit.ts';
import type { DiscussionFetcher, FetchedDiscussion, RequestBudget } from './fetch-types.ts';
import { type Clock, HostGate, REAL_CLOCK } from './http-gate.ts';
import { FetchSession, type RunCache } from './http-run.ts';
import { type DiscussionParser, INLINE_DISCUSSION_PARSER } from './parse-worker.ts';
import { recognise } from './recognise.ts';
import type { DiscussionKind } from './types.ts';

export interface DiscussionFetcherOptions {
  /** Address rules (FEED_ALLOW_HOSTS), timeout and size cap of every request, as feeds have them. Default: public addresses only, 15 s, 10 MB. */
  readonly limits?: FetchLimits;
  /**
   * Where Reddit's JSON is asked for.
   * @default 'https://www.reddit.com'
   */
  readonly redditBase?: string;
  /**
   * The official Hacker News API (`<base>/v0/item/<id>.json`).
   * @default 'https://hacker-news.firebaseio.com'
   */
  readonly hackerNewsBase?: string;
  /**
   * Algolia's Hacker News API (`<base>/items/<id>`, the whole tree in one request), tried first; null
   * to use only the official API.
   * @default 'https://hn.algolia.com/api/v1'
   */
  readonly algoliaBase?: string | null;
  /**
   * Least time between two requests to one host, in ms, by the kind of discussion that first asks it.
   * @default { reddit: 2000, hackernews: 0, discourse: 500, 'comment-feed': 1000 }
   */
  readonly spacingMs?: Partial<Readonly<Record<DiscussionKind, number>>>;
  /**
   * The longest wait a request sits through (a 429's Retry-After, a rate-limit reset, backoff); a
   * longer one ends the fetch as failed with its `retryAt`.
   * @default 60_000
   */
  readonly maxWaitMs?: number;
  /**
   * The pause after a host's first failure in a row (5xx, timeout), doubled per further failure.
   * @default 2_000
   */
  readonly backoffMs?: number;
  /**
   * Hacker News items asked for at once through the official API.
   * @default 8
   */
  readonly hackerNewsConcurrency?: number;
  /**
   * Where the answers are parsed. The product passes createDiscussionParser()'s, which parses in a
   * worker thread (and closes it at shutdown), so that no answer holds the thread that answers Discord.
   * @default INLINE_DISCUSSION_PARSER (on the calling thread: tests, one-off tools)
   */
  readonly parser?: DiscussionParser;
  /** Time for gates and for the `ingestedAt` of what is parsed; tests pass one that does not wait. Default: the real one. */
  readonly clock?: Clock;
}

const SPACING: Readonly<Record<DiscussionKind, number>> = { reddit: 2000, hackernews: 0, discourse: 500, 'comment-feed': 1000 };

function checkedBase(name: string, value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new RangeError(`discussion fetcher: expected \`${name}\` to be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(`discussion fetcher: expected \`${name}\` to be an http(s) URL, got ${JSON.stringify(value)}`);
  return value.replace(/\/+$/, '');
}

export function createDiscussionFetcher(options: DiscussionFetcherOptions = {}): DiscussionFetcher {
  const concurrency = options.hackerNewsConcurrency ?? 8;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new RangeError(`discussion fetcher: expected \`hackerNewsConcurrency\` to be a whole number from 1 up, got ${String(concurrency)}`);
  }
  const resolved: ResolvedOptions = {
    redditBase: checkedBase('redditBase', options.redditBase ?? 'https://www.reddit.com'),
    hackerNewsBase: checkedBase('hackerNewsBase', options.hackerNewsBase ?? 'https://hacker-news.firebaseio.com'),
    algoliaBase: options.algoliaBase === null ? null : checkedBase('algoliaBase', options.algoliaBase ?? 'https://hn.algolia.com/api/v1'),
    hackerNewsConcurrency: concurrency,
    spacing: (kind) => options.spacingMs?.[kind] ?? SPACING[kind],
  };
  const clock = options.clock ?? REAL_CLOCK;
  const parser = options.parser ?? INLINE_DISCUSSION_PARSER;
  const limits = options.limits ?? {};
  const gates = new Map<string, HostGate>();
  const gateOf = (host: string, spacingMs: number): HostGate => {
    let gate = gates.get(host);
    if (!gate) {
      gate = new HostGate({ spacingMs, maxWaitMs: options.maxWaitMs, backoffMs: options.backoffMs }, clock);
      gates.set(host, gate);
    }
    return gate;
  };
  // A run is its budget: its answers live as long as the budget object does.
  const runs = new WeakMap<RequestBudget, RunCache>();

  return {
    recognise,
    async fetch(url: string, validators: Validators, budget: RequestBudget, signal?: AbortSignal): Promise<FetchedDiscussion> {
      let cache = runs.get(budget);
      if (!cache) runs.set(budget, (cache = new Map() as RunCache));
      const session = new FetchSession({ budget, cache, limits, gateOf, signal });
      const known = recognise(url);
      if (known === null)
        return { outcome: 'failed', reason: `${url} is not a discussion Paperboy can follow (an http(s) address is needed)`, retryAt: null, requests: 0 };
      const parseOptions: ParseOptions = { now: new Date(clock.now()) };
      const context: PlatformContext = { session, options: resolved, parseOptions, parser, validators };
      switch (known.kind) {
        case 'reddit':
          return fetchReddit(known.url, context);
        case 'hackernews':
          return fetchHackerNews(known.url, context);
        case 'discourse':
          return fetchDiscourse(known.url, context);
        case 'comment-feed':
          return fetchCommentFeed(known.url, context);
      }
    },
  };
}

/**
 * Polling: each feed that is due is fetched, parsed and stored. A feed that fails (network,
 * HTTP, or content that is not a feed) keeps everything already stored, backs off, and records the
 * reason for `/feed list`; the other feeds go on.
 */
import type { LeaseOptions } from '../lease-options.ts';
import PQueue from 'p-queue';
import type { Article } from '../../core/model.ts';
import type { ArticleSink } from '../library/ingest.ts';
import { type FetchLimits, fetchFeed } from '../../adapters/feeds/fetch.ts';
import { type FeedRegistry, type FeedState, backoffMs } from './registry.ts';

/**
 * Reads fetched bytes into Articles: a FeedParser's `parse` (parse-worker.ts) in the product, so the
 * poll and the bot go on while a feed is parsed; a rejection or throw is the feed's failure reason.
 */
export type ParseFeed = (
  bytes: Buffer,
  options: { url?: string | null; contentType?: string | null; source?: string | null; now?: Date },
) => ParsedItems | Promise<ParsedItems>;

interface ParsedItems {
  readonly title: string | null;
  readonly items: Article[];
  readonly warnings: string[];
}

export interface PollResult {
  readonly url: string;
  /**
   * `cut-off`: `options.signal` fired before the feed was fetched or parsed, or under its parse. Its
   * state is left as it was (no failure, no backoff, no validators), so the next poll reads it again.
   */
  readonly outcome: 'stored' | 'not-modified' | 'failed' | 'waiting' | 'cut-off';
  readonly items: number;
  readonly added: number;
  readonly updated: number;
  readonly error: string | null;
  readonly warnings: readonly string[];
}

export interface PollOptions {
  /** Shares polling with other processes: one poller per feed at a time (a lease per feed). */
  readonly lease?: LeaseOptions;
  readonly parse: ParseFeed;
  readonly now?: () => Date;
  /** Timeouts, size cap, and the non-public hosts feeds may reach (FEED_ALLOW_HOSTS). */
  readonly limits?: FetchLimits;
  /** Poll even feeds that are backing off (`paperboy feed poll`). */
  readonly force?: boolean;
  /**
   * Feeds fetched and parsed at once: a whole number from 1 up.
   *
   * @default 4
   * @example { parse, concurrency: 1 } // one feed at a time, in the registry's order
   */
  readonly concurrency?: number;
  /**
   * Shutdown: once it fires no fetch or parse is begun, and a parse that fails after it (its worker
   * closed under it) is not the feed's failure. Either way the feed is `cut-off`. A fetch in hand
   * goes on to its end (a failed or not-modified answer is recorded as usual).
   */
  readonly signal?: AbortSignal;
}

/** Polls one feed (due or not: `options.force` decides). */
export async function pollOne(feed: FeedState, registry: FeedRegistry, sink: ArticleSink, options: PollOptions): Promise<PollResult> {
  const now = options.now ?? (() => new Date());
  const base = { url: feed.url, items: 0, added: 0, updated: 0, error: null, warnings: [] as string[] };
  if (!options.force && feed.retryAt && Date.parse(feed.retryAt) > now().getTime()) return { ...base, outcome: 'waiting', error: feed.lastError };
  const cutOff: PollResult = { ...base, outcome: 'cut-off' };
  if (options.signal?.aborted) return cutOff;
  const polledAt = now().toISOString();
  const fail = async (reason: string): Promise<PollResult> => {
    const failures = feed.failures + 1;
    await registry.put({
      ...feed,
      lastPolledAt: polledAt,
      failures,
      lastError: reason,
      retryAt: new Date(now().getTime() + backoffMs(failures)).toISOString(),
    });
    return { ...base, outcome: 'failed', error: reason };
  };
  const fetched = await fetchFeed(feed.url, feed, options.limits);
  if (fetched.kind === 'failed') return fail(fetched.reason);
  if (fetched.kind === 'not-modified') {
    await registry.put({ ...feed, lastPolledAt: polledAt, lastOkAt: polledAt, failures: 0, lastError: null, retryAt: null });
    return { ...base, outcome: 'not-modified' };
  }
  if (options.signal?.aborted) return cutOff;
  let parsed: ParsedItems;
  try {
    parsed = await options.parse(fetched.body, { url: feed.url, contentType: fetched.contentType, source: feed.name, now: now() });
  } catch (error) {
    return options.signal?.aborted ? cutOff : fail((error as Error).message);
  }
  const statuses = parsed.items.length > 0 ? await sink.upsertMany(parsed.items) : [];
  await registry.put({
    ...feed,
    ...fetched.validators,
    lastPolledAt: polledAt,
    lastOkAt: polledAt,
    items: parsed.items.length,
    failures: 0,
    lastError: null,
    retryAt: null,
  });
  return {
    ...base,
    outcome: 'stored',
    items: parsed.items.length,
    added: statuses.filter((s) => s === 'added').length,
    updated: statuses.filter((s) => s === 'updated').length,
    warnings: parsed.warnings,
  };
}

/**
 * Polls every registered feed that is due, a few at a time, in the registry's order; the results
 * are in that order too. At shutdown the feeds not begun yet are not dropped from the queue: each
 * still comes out as `cut-off` (pollOne looks at the signal first), so every feed has its result.
 */
export async function pollFeeds(registry: FeedRegistry, sink: ArticleSink, options: PollOptions): Promise<PollResult[]> {
  const feeds = await registry.list();
  const queue = new PQueue({ concurrency: options.concurrency ?? 4 });
  return queue.addAll(feeds.map((feed) => () => pollOne(feed, registry, sink, options)));
}

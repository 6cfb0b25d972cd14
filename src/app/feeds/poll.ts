/**
 * Polling: each feed that is due is fetched, parsed and stored. A feed that fails (network,
 * HTTP, or content that is not a feed) keeps everything already stored, backs off, and records the
 * reason for `/feed list`; the other feeds go on.
 */
import type { LeaseOptions } from '../lease-options.ts';
import PQueue from 'p-queue';
import { withLease } from '../../adapters/store/leases.ts';
import { leaseName } from '../lease-name.ts';
import type { Article } from '../../core/model.ts';
import type { ArticleSink } from '../library/ingest.ts';
import { type FetchLimits, fetchFeedDetailed } from '../../adapters/feeds/fetch.ts';
import { type FeedProblem, fetchProblem, parseProblem } from './reasons.ts';
import { type FeedRegistry, type FeedState, backoffMs } from './registry.ts';

/** How long a feed may fail before it is paused (FEED_PAUSE_AFTER_HOURS): a day. */
export const DEFAULT_PAUSE_AFTER_MS = 24 * 60 * 60_000;

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
  /** With `failed`: the reason in plain words (reasons.ts); `error` keeps the detail. */
  readonly problem?: string;
  /** The feed is paused: with `waiting`, not polled; with `failed`, paused by this failure. */
  readonly paused?: true;
  readonly warnings: readonly string[];
  /**
   * With `waiting`: another process is polling this feed (it holds its lease), or polled it since
   * this poll read the registry. Not an error, and nothing was changed.
   */
  readonly elsewhere?: true;
}

export interface PollOptions {
  /** Shares polling with other processes: one poller per feed at a time (a lease per feed). */
  readonly lease?: LeaseOptions;
  readonly parse: ParseFeed;
  readonly now?: () => Date;
  /** Timeouts, size cap, and the non-public hosts feeds may reach (FEED_ALLOW_HOSTS). */
  readonly limits?: FetchLimits;
  /** Poll even feeds that are backing off or were polled within `minIntervalMs` (`paperboy feed poll`, /feed add). */
  readonly force?: boolean;
  /**
   * A feed polled less than this long ago (by any process sharing the registry) is left `waiting`,
   * so that processes whose schedules fire a little apart do not each fetch it in the same round.
   *
   * @default 0 (every poll fetches every feed not backing off)
   * @example { parse, lease, minIntervalMs: 60_000 } // half of a 2-minute delivery schedule
   */
  readonly minIntervalMs?: number;
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
  /**
   * A feed failing this long (since its first failure in a row) is paused: not polled until resumed.
   * A feed the site says is gone (HTTP 410) is paused at once.
   *
   * @default DEFAULT_PAUSE_AFTER_MS (24 hours)
   * @example { parse, pauseAfterMs: config.feedPauseAfterMs }
   */
  readonly pauseAfterMs?: number;
}

/** The lease a feed is polled under: one poller per feed at a time, across every process on the registry. */
export function pollLeaseName(url: string): string {
  return leaseName('poll', url);
}

/**
 * Polls one feed (due or not: `options.force` decides). With `options.lease`, under the feed's lease:
 * a feed another process holds is left `waiting` (elsewhere), and so is one polled since `feed` was
 * read, unless forced; the fetch, the store and the feed's new state are done only while the lease
 * is held (lost part way, the feed is `cut-off` and nothing more is written).
 */
export async function pollOne(feed: FeedState, registry: FeedRegistry, sink: ArticleSink, options: PollOptions): Promise<PollResult> {
  const lease = options.lease;
  if (!lease) return pollHeld(feed, registry, sink, options, undefined);
  const untouched: PollResult = { url: feed.url, outcome: 'waiting', items: 0, added: 0, updated: 0, error: null, warnings: [] };
  const elsewhere: PollResult = { ...untouched, elsewhere: true };
  const done = await withLease(lease.repo, pollLeaseName(feed.url), lease.holder, lease.ttlMs, async (lost) => {
    // Read again under the lease: the last holder may have polled it since the list was read.
    const current = await registry.get(feed.url);
    if (!current) return untouched; // removed since the list was read
    if (!options.force && current.lastPolledAt !== feed.lastPolledAt) return elsewhere;
    return pollHeld(current, registry, sink, options, lost);
  });
  return done.ran ? done.value : elsewhere;
}

/** Polls `feed`; `lost`, when polling under a lease, aborts when it is lost: nothing is written after that. */
async function pollHeld(feed: FeedState, registry: FeedRegistry, sink: ArticleSink, options: PollOptions, lost: AbortSignal | undefined): Promise<PollResult> {
  const now = options.now ?? (() => new Date());
  const base = { url: feed.url, items: 0, added: 0, updated: 0, error: null, warnings: [] as string[] };
  // Paused even for a forced poll: only a resume (by hand) reads it again.
  if (feed.pausedAt) return { ...base, outcome: 'waiting', error: feed.lastError, paused: true };
  if (!options.force && feed.retryAt && Date.parse(feed.retryAt) > now().getTime()) return { ...base, outcome: 'waiting', error: feed.lastError };
  const interval = options.minIntervalMs ?? 0;
  if (!options.force && interval > 0 && feed.lastPolledAt && now().getTime() - Date.parse(feed.lastPolledAt) < interval) return { ...base, outcome: 'waiting' };
  const cutOff: PollResult = { ...base, outcome: 'cut-off' };
  const stopped = (): boolean => options.signal?.aborted === true || lost?.aborted === true;
  if (stopped()) return cutOff;
  const polledAt = now().toISOString();
  // Each write starts from the feed as stored now, so a rename during the poll stays, and a feed
  // removed during it is not brought back.
  const pauseAfterMs = options.pauseAfterMs ?? DEFAULT_PAUSE_AFTER_MS;
  const fail = async (reason: string, problem: FeedProblem): Promise<PollResult> => {
    if (lost?.aborted) return cutOff;
    const stored = await registry.update(feed.url, (current) => failed(current, problem, { reason, polledAt, now: now(), pauseAfterMs }));
    return { ...base, outcome: 'failed', error: reason, problem: problem.reason, ...(stored?.pausedAt === polledAt && { paused: true as const }) };
  };
  const fetched = await fetchFeedDetailed(feed.url, feed, options.limits);
  if (fetched.kind === 'failed') return fail(fetched.reason, fetchProblem(fetched.reason, fetched.failure, feed.url, now()));
  if (fetched.kind === 'not-modified') {
    if (lost?.aborted) return cutOff;
    await registry.update(feed.url, (current) => ({
      ...current,
      lastPolledAt: polledAt,
      lastOkAt: polledAt,
      failures: 0,
      lastError: null,
      retryAt: null,
      problem: null,
      problemKind: null,
    }));
    return { ...base, outcome: 'not-modified' };
  }
  if (stopped()) return cutOff;
  let parsed: ParsedItems;
  try {
    parsed = await options.parse(fetched.body, { url: feed.url, contentType: fetched.contentType, source: feed.name, now: now() });
  } catch (error) {
    if (stopped()) return cutOff;
    const message = (error as Error).message;
    return fail(message, parseProblem(message, feed.url));
  }
  // A shutdown lets a parsed feed be stored; a lost lease does not: the new holder stores it.
  if (lost?.aborted) return cutOff;
  const statuses = parsed.items.length > 0 ? await sink.upsertMany(parsed.items) : [];
  await registry.update(feed.url, (current) => ({
    ...current,
    ...fetched.validators,
    lastPolledAt: polledAt,
    lastOkAt: polledAt,
    items: parsed.items.length,
    failures: 0,
    lastError: null,
    retryAt: null,
    problem: null,
    problemKind: null,
  }));
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
 * The feed after one more failure: backed off (longer when a 429 asked for longer), failing since its
 * first failure in a row, and paused when the site says it is gone or it has failed `pauseAfterMs`.
 * `failingSince` is kept after a recovery (for the recovery notice), so only a failure after a success starts it anew.
 */
function failed(current: FeedState, problem: FeedProblem, at: { reason: string; polledAt: string; now: Date; pauseAfterMs: number }): FeedState {
  const failures = current.failures + 1;
  const failingSince = current.failures > 0 && current.failingSince ? current.failingSince : at.polledAt;
  const backoff = at.now.getTime() + backoffMs(failures);
  const asked = problem.retryAt ? Date.parse(problem.retryAt) : 0;
  const retryAt = new Date(Math.max(backoff, asked)).toISOString();
  const hours = Math.round((at.pauseAfterMs / 3_600_000) * 10) / 10;
  const pausedReason =
    problem.kind === 'gone'
      ? problem.reason
      : at.now.getTime() - Date.parse(failingSince) >= at.pauseAfterMs
        ? `failing for ${hours === 1 ? '1 hour' : `${hours} hours`}: ${problem.reason}`
        : null;
  const base = {
    ...current,
    lastPolledAt: at.polledAt,
    failures,
    lastError: at.reason,
    retryAt,
    failingSince,
    problem: problem.reason,
    problemKind: problem.kind,
  };
  return pausedReason ? { ...base, pausedAt: at.polledAt, pausedReason } : base;
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

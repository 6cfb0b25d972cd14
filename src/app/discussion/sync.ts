/**
 * Keeping followed discussions in sync (issue 16, point 2): each one that is due is fetched (with
 * its validators, within one request budget for the whole run) and merged into the store: new
 * comments appended, edits followed, deletions marked. A discussion that fails keeps everything
 * stored, backs off and records the reason; the others go on.
 */
import PQueue from 'p-queue';
import { discoveredFeedOf } from '../../adapters/discussions/fetch-comment-feed.ts';
import type { DiscussionFetcher, FetchedDiscussion, RequestBudget } from '../../adapters/discussions/fetch-types.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { DiscussionRepository, DiscussionState } from '../../adapters/store/discussions.ts';
import { withLease } from '../../adapters/store/leases.ts';
import { errorMessage } from '../../core/errors.ts';
import { backoffMs } from '../feeds/registry.ts';
import { leaseName } from '../lease-name.ts';
import type { LeaseOptions } from '../lease-options.ts';
import { storeDiscussion } from './discussion-store.ts';
import { followInstead, movedWarning } from './sync-move.ts';

export interface SyncResult {
  readonly url: string;
  readonly kind: DiscussionState['kind'];
  /**
   * `waiting`: not due (backing off, or synced less than `minIntervalMs` ago), or another process
   * holds it (`elsewhere`). `over-budget`: the run's requests were spent before it. `cut-off`: the
   * shutdown signal (or a lost lease) came first. None of these three changes its state.
   */
  readonly outcome: 'synced' | 'not-modified' | 'failed' | 'waiting' | 'paused' | 'over-budget' | 'cut-off';
  /** The stored article its comments went to. */
  readonly articleId: string | null;
  /** Comments the fetch held, and those the source announced that it did not. */
  readonly comments: number;
  readonly missing: number;
  readonly added: number;
  readonly edited: number;
  readonly deleted: number;
  readonly requests: number;
  readonly error: string | null;
  readonly warnings: readonly string[];
  readonly elsewhere?: true;
  /**
   * The followed address was a post's HTML page; the comment feed it announces (this address) was
   * synced in its place and is followed instead from now on (sync-move.ts).
   */
  readonly followedAt?: string;
}

export interface SyncOptions {
  readonly fetcher: DiscussionFetcher;
  /**
   * Requests the whole run may make, shared by every discussion in it (DISCUSSION_REQUESTS_PER_RUN).
   * @example { fetcher, requestsPerRun: 200 }
   */
  readonly requestsPerRun: number;
  /** Shares the work with other processes: one syncer per discussion at a time (a lease each). */
  readonly lease?: LeaseOptions;
  readonly now?: () => Date;
  /**
   * A discussion synced less than this long ago (by any process) is left `waiting` (DISCUSSION_POLL_MINUTES).
   * @default 0
   */
  readonly minIntervalMs?: number;
  /** Sync even discussions backing off or synced within `minIntervalMs` (`paperboy discussion sync`). Paused ones stay paused. */
  readonly force?: boolean;
  /**
   * Discussions synced at once: a whole number from 1 up. Each host's requests are spaced by the
   * fetcher whatever this is, so more than one lets a slow host (Reddit asks for 2 s between
   * requests) hold up only its own discussions.
   * @default 4
   */
  readonly concurrency?: number;
  /** Only these (canonical addresses); every followed discussion when absent. */
  readonly urls?: readonly string[];
  /** Shutdown: no discussion is begun after it fires; the one in hand stops at its next request. */
  readonly signal?: AbortSignal;
}

/** The lease a discussion is synced under. */
export function syncLeaseName(url: string): string {
  return leaseName('discussion', url);
}

/** One run's shared things: the budget, what was fetched already (nothing is fetched twice), and the store's turn. */
interface Run {
  readonly budget: RequestBudget;
  readonly fetched: Map<string, Promise<FetchedDiscussion>>;
  /**
   * Stores one discussion at a time: two discussions of one article (or two rows of one discussion)
   * fetched side by side each read the stored comments to count their changes, so each reads what the
   * other wrote. Fetching, the slow part, stays side by side.
   */
  storing: Promise<unknown>;
}

/** `work` after every store begun before it in this run. */
function inTurn<T>(run: Run, work: () => Promise<T>): Promise<T> {
  const turn = run.storing.then(work);
  run.storing = turn.catch(() => undefined);
  return turn;
}

/**
 * Syncs every followed discussion that is due, a few at a time in URL order; a result for each, in
 * that order. At shutdown those not begun come out `cut-off`.
 */
export async function syncDiscussions(repo: DiscussionRepository, store: Store, options: SyncOptions): Promise<SyncResult[]> {
  if (!Number.isInteger(options.requestsPerRun) || options.requestsPerRun < 0)
    throw new RangeError(`syncDiscussions: expected \`requestsPerRun\` to be a whole number from 0 up, got \`${options.requestsPerRun}\``);
  const concurrency = options.concurrency ?? 4;
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`syncDiscussions: expected \`concurrency\` to be a whole number from 1 up, got \`${concurrency}\``);
  const run: Run = { budget: { remaining: options.requestsPerRun }, fetched: new Map(), storing: Promise.resolve() };
  const wanted = options.urls && new Set(options.urls);
  const due = (await repo.list()).filter((d) => !wanted || wanted.has(d.url));
  const queue = new PQueue({ concurrency });
  return queue.addAll(due.map((d) => () => syncOne(d, repo, store, options, run)));
}

function untouched(d: DiscussionState, outcome: SyncResult['outcome'], error: string | null = null): SyncResult {
  return {
    url: d.url,
    kind: d.kind,
    outcome,
    articleId: d.articleId,
    comments: d.comments,
    missing: d.missing,
    added: 0,
    edited: 0,
    deleted: 0,
    requests: 0,
    error,
    warnings: [],
  };
}

async function syncOne(d: DiscussionState, repo: DiscussionRepository, store: Store, options: SyncOptions, run: Run): Promise<SyncResult> {
  if (options.signal?.aborted) return untouched(d, 'cut-off');
  const lease = options.lease;
  if (!lease) return syncHeld(d, repo, store, options, run, undefined);
  const elsewhere: SyncResult = { ...untouched(d, 'waiting'), elsewhere: true };
  const done = await withLease(lease.repo, syncLeaseName(d.url), lease.holder, lease.ttlMs, async (lost) => {
    // Read again under the lease: its last holder may have synced it since the list was read.
    const current = await repo.get(d.url);
    if (!current) return untouched(d, 'waiting');
    if (!options.force && current.lastPolledAt !== d.lastPolledAt) return elsewhere;
    return syncHeld(current, repo, store, options, run, lost);
  });
  return done.ran ? done.value : elsewhere;
}

/** Syncs `d`; `lost`, under a lease, aborts when the lease is lost: nothing is written after that. */
async function syncHeld(
  d: DiscussionState,
  repo: DiscussionRepository,
  store: Store,
  options: SyncOptions,
  run: Run,
  lost: AbortSignal | undefined,
): Promise<SyncResult> {
  const now = options.now ?? (() => new Date());
  if (d.paused !== null) return untouched(d, 'paused', d.paused);
  if (!options.force && d.retryAt && Date.parse(d.retryAt) > now().getTime()) return untouched(d, 'waiting', d.lastError);
  const interval = options.minIntervalMs ?? 0;
  if (!options.force && interval > 0 && d.lastPolledAt && now().getTime() - Date.parse(d.lastPolledAt) < interval) return untouched(d, 'waiting');
  const stopped = (): boolean => options.signal?.aborted === true || lost?.aborted === true;
  if (stopped()) return untouched(d, 'cut-off');
  const key = options.fetcher.recognise(d.url)?.url ?? d.url;
  const again = run.fetched.has(key);
  if (!again && run.budget.remaining <= 0) return untouched(d, 'over-budget');
  const polledAt = now().toISOString();
  const fetched = await fetchOnce(d, key, options, run, lost);
  const requests = again ? 0 : fetched.requests;
  // Each write starts from the discussion as stored now: one removed meanwhile is not brought back.
  const save = (change: (current: DiscussionState) => DiscussionState) => repo.update(d.url, (current) => current && change(current));
  // A lost lease: the new holder syncs it. A fetch cut short by shutdown is not the discussion's failure.
  if (lost?.aborted || (fetched.outcome === 'failed' && stopped())) return untouched(d, 'cut-off');
  // Nothing was asked because the run's requests ran out: its turn comes next run, without backoff.
  if (fetched.outcome === 'failed' && fetched.requests === 0 && run.budget.remaining <= 0 && fetched.retryAt === null) return untouched(d, 'over-budget');
  /** Backs off (until the host's time when it named one) and keeps the reason; everything stored stays. */
  const fail = async (reason: string, retryAt: string | null): Promise<SyncResult> => {
    await save((c) => {
      const failures = c.failures + 1;
      return { ...c, lastPolledAt: polledAt, failures, lastError: reason, retryAt: retryAt ?? new Date(now().getTime() + backoffMs(failures)).toISOString() };
    });
    return { ...untouched(d, 'failed', reason), requests };
  };
  if (fetched.outcome === 'failed') return fail(fetched.reason, fetched.retryAt);
  if (fetched.outcome === 'not-modified') {
    await save((c) => ({ ...c, lastPolledAt: polledAt, lastOkAt: polledAt, failures: 0, lastError: null, retryAt: null }));
    return { ...untouched(d, 'not-modified'), requests };
  }
  let stored;
  try {
    stored = await inTurn(run, () => storeDiscussion(store, d, fetched.discussion, now()));
  } catch (error) {
    // The store refused what the source sent (or could not be reached): told like a failed fetch, and the others go on.
    return fail(`could not be stored: ${errorMessage(error)}`, null);
  }
  const synced = (c: DiscussionState): DiscussionState => ({
    ...c,
    ...(again ? {} : fetched.validators),
    articleId: stored.articleId,
    ownsArticle: stored.ownsArticle,
    lastPolledAt: polledAt,
    lastOkAt: polledAt,
    comments: stored.comments,
    missing: stored.missing,
    commentIds: stored.seen,
    failures: 0,
    lastError: null,
    retryAt: null,
  });
  const discovered = discoveredFeedOf(fetched);
  const moved = discovered !== null && discovered !== d.url ? discovered : null;
  if (moved) await followInstead(repo, d.url, moved, synced);
  else await save(synced);
  return {
    ...untouched(d, 'synced'),
    articleId: stored.articleId,
    comments: stored.comments,
    missing: stored.missing,
    ...stored.changes,
    requests,
    warnings: moved ? [movedWarning(d.url, moved), ...fetched.discussion.warnings] : fetched.discussion.warnings,
    ...(moved && { followedAt: moved }),
  };
}

/**
 * The discussion at `key` as fetched in this run: the first discussion to ask fetches it, with its
 * validators; another row of the same discussion gets the same answer without a request.
 */
function fetchOnce(d: DiscussionState, key: string, options: SyncOptions, run: Run, lost: AbortSignal | undefined): Promise<FetchedDiscussion> {
  const known = run.fetched.get(key);
  if (known) return known;
  const signals = [options.signal, lost].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : undefined;
  // The fetcher spends the budget itself, reserving each request before it is sent, so fetches side by side never overspend it.
  const fetching = options.fetcher
    .fetch(key, { etag: d.etag, lastModified: d.lastModified }, run.budget, signal)
    .catch((error: unknown): FetchedDiscussion => ({
      outcome: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      retryAt: null,
      requests: 0,
    }));
  run.fetched.set(key, fetching);
  return fetching;
}

/**
 * Keeping followed discussions in sync (issue 16, point 2): each one that is due is fetched (with
 * its validators, within one request budget for the whole run) and merged into the store: new
 * comments appended, edits followed, deletions marked. A discussion that fails keeps everything
 * stored, backs off and records the reason; the others go on.
 */
import type { DiscussionFetcher, FetchedDiscussion, RequestBudget } from '../../adapters/discussions/fetch-types.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { DiscussionRepository, DiscussionState } from '../../adapters/store/discussions.ts';
import { withLease } from '../../adapters/store/leases.ts';
import { backoffMs } from '../feeds/registry.ts';
import { leaseName } from '../lease-name.ts';
import type { LeaseOptions } from '../lease-options.ts';
import { storeDiscussion } from './discussion-store.ts';

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
  /** Only these (canonical addresses); every followed discussion when absent. */
  readonly urls?: readonly string[];
  /** Shutdown: no discussion is begun after it fires; the one in hand stops at its next request. */
  readonly signal?: AbortSignal;
}

/** The lease a discussion is synced under. */
export function syncLeaseName(url: string): string {
  return leaseName('discussion', url);
}

/** One run's shared things: the budget, and what was fetched already (nothing is fetched twice). */
interface Run {
  readonly budget: RequestBudget;
  readonly fetched: Map<string, Promise<FetchedDiscussion>>;
}

/** Syncs every followed discussion that is due, one at a time in URL order; a result for each, in that order. */
export async function syncDiscussions(repo: DiscussionRepository, store: Store, options: SyncOptions): Promise<SyncResult[]> {
  if (!Number.isInteger(options.requestsPerRun) || options.requestsPerRun < 0)
    throw new RangeError(`syncDiscussions: expected \`requestsPerRun\` to be a whole number from 0 up, got \`${options.requestsPerRun}\``);
  const run: Run = { budget: { remaining: options.requestsPerRun }, fetched: new Map() };
  const wanted = options.urls && new Set(options.urls);
  const results: SyncResult[] = [];
  for (const discussion of await repo.list()) {
    if (wanted && !wanted.has(discussion.url)) continue;
    results.push(await syncOne(discussion, repo, store, options, run));
  }
  return results;
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
  if (fetched.outcome === 'failed') {
    await save((c) => {
      const failures = c.failures + 1;
      const retryAt = fetched.retryAt ?? new Date(now().getTime() + backoffMs(failures)).toISOString();
      return { ...c, lastPolledAt: polledAt, failures, lastError: fetched.reason, retryAt };
    });
    return { ...untouched(d, 'failed', fetched.reason), requests };
  }
  if (fetched.outcome === 'not-modified') {
    await save((c) => ({ ...c, lastPolledAt: polledAt, lastOkAt: polledAt, failures: 0, lastError: null, retryAt: null }));
    return { ...untouched(d, 'not-modified'), requests };
  }
  const stored = await storeDiscussion(store, d, fetched.discussion, now());
  await save((c) => ({
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
  }));
  return {
    ...untouched(d, 'synced'),
    articleId: stored.articleId,
    comments: stored.comments,
    missing: stored.missing,
    ...stored.changes,
    requests,
    warnings: fetched.discussion.warnings,
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
  const before = run.budget.remaining;
  const fetching = options.fetcher
    .fetch(key, { etag: d.etag, lastModified: d.lastModified }, run.budget, signal)
    .then((fetched) => {
      // The budget is the run's, whatever the fetcher did with it: what it spent is spent.
      run.budget.remaining = Math.max(0, Math.min(run.budget.remaining, before - fetched.requests));
      return fetched;
    })
    .catch((error: unknown): FetchedDiscussion => ({
      outcome: 'failed',
      reason: error instanceof Error ? error.message : String(error),
      retryAt: null,
      requests: 0,
    }));
  run.fetched.set(key, fetching);
  return fetching;
}

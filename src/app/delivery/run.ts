/**
 * One delivery run over every active subscription: due articles to the engine, then the
 * subscription's cursor, counts and state updated. Subscriptions run side by side, and one that
 * fails is logged and recorded without stopping the others; so is one whose stored row cannot be
 * read, on every run until it is fixed. Runs never overlap: a run asked for
 * while one is going waits for it and then runs.
 */
import type { LeaseOptions } from '../lease-options.ts';
import { setMaxListeners } from 'node:events';
import PQueue from 'p-queue';
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../adapters/store/contract.ts';
import { type Claim, claimSubscription, deliveryLeaseName, soleClaim } from './claim.ts';
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import { type Attempts, afterRun, type NewPost, postsOf, unrecordedAttempts } from './after-run.ts';
import { commentsLeft, dueArticles } from './due.ts';
import { type DiscussionFollower, followDelivered } from './follow-discussions.ts';
import type { ArticleWork, DeliveryEngine } from './engine-types.ts';
import { FilterError } from './filter.ts';
import { FilterSyntaxError } from '../filters/expression.ts';
import { type Rules, rulesOf } from './verdict.ts';
import { type InvalidSubscription, MAX_SET_ASIDE, revisionOf, type SetAside, type Subscription, type Subscriptions, unfinishedOf } from './subscriptions.ts';
import { errorMessage } from '../../core/errors.ts';

export interface RunDeps {
  /** Shares delivery with other processes: each subscription is run by one at a time (a lease per channel). */
  readonly lease?: LeaseOptions;
  readonly store: Store;
  readonly subscriptions: Subscriptions;
  readonly engine: DeliveryEngine;
  /**
   * The engine's delivery progress, read to tell a post the run found made after a crash from one
   * it made (a found one counts toward the daily cap on the day it was made). Without it only the
   * posts a run makes are counted.
   */
  readonly progress?: Pick<DeliveryProgressRepository, 'get'>;
  readonly log: Logger;
  readonly now?: () => Date;
  /** Picks up new articles (the inbox) before each run that posts. */
  readonly collect?: () => Promise<void>;
  /** Follows the discussions delivered articles link to, for subscriptions that ask (followDiscussions); none when absent. */
  readonly discussions?: DiscussionFollower;
  /** After each run that posts: digests that are due (src/app/digest/run.ts). A failure is logged, never the run's. */
  readonly afterRun?: () => Promise<void>;
}

export interface SubscriptionRun {
  readonly channelId: string;
  readonly channelName: string;
  /** Messages created. */
  readonly created: number;
  readonly articles: number;
  readonly error: string | null;
  readonly paused: string | null;
  /** For a dry run: what would be done. */
  readonly plan: readonly ArticleWork[];
  /** Articles set aside in this run (they cannot be posted as they are; /subscriptions lists why). */
  readonly setAside?: number;
  /** Threads whose comments go on in the next run (a slice per run, or stopped at shutdown): progress, not an error. */
  readonly posting?: readonly CommentsLeft[];
  /**
   * Another process delivers this subscription (it holds its lease): skipped in this run, or handed
   * over part way when this process lost the lease (what was posted until then is counted). Not an error.
   */
  readonly heldElsewhere?: true;
}

/** An article posted with its thread, some of whose comment messages are left for the next run. */
export interface CommentsLeft {
  readonly articleId: string;
  readonly title: string;
  readonly left: number;
}

export interface RunOptions {
  /** Only this guild's subscriptions. */
  readonly guildId?: string;
  /** Show what would be posted; post nothing, change nothing. */
  readonly dryRun?: boolean;
}

async function runOne(deps: RunDeps, sub: Subscription, dryRun: boolean, claim: Claim): Promise<SubscriptionRun> {
  const { signal } = claim;
  const now = deps.now ?? (() => new Date());
  const started = now().toISOString();
  const base = { channelId: sub.channelId, channelName: sub.channelName, plan: [] as ArticleWork[] };
  let rules: Rules;
  try {
    rules = rulesOf(sub, new Date(started));
  } catch (error) {
    const reason = notAccepted(sub, error);
    if (reason === null) throw error;
    // Keywords saved before a check was added (lookarounds before RE2), or a filter the language no
    // longer reads, fail every run the same way: pause once with what to do, rather than record the same error on every run.
    if (!dryRun) {
      if (!(await claim.held())) return handedOver(deps.log, sub, { ...base, created: 0, articles: 0, error: null, paused: null });
      await deps.subscriptions.update(sub, (s) => ({ ...s, lastRunAt: started, lastError: null, paused: { reason, at: now().toISOString() } }));
      deps.log.warn(
        { channel: sub.channelId, guild: sub.guildId, keywords: sub.keywords, filter: sub.options?.filter, reason: errorMessage(error) },
        'delivery paused for this subscription: its keywords or filter are no longer accepted',
      );
    }
    return { ...base, created: 0, articles: 0, error: null, paused: reason };
  }
  const due = await dueArticles(deps.store, sub, rules, deps.engine, new Date(started));
  if (dryRun) {
    const plan = (await deps.engine.plan(sub, due.articles)).filter((w) => w.action !== 'none');
    return { ...base, created: 0, articles: plan.length, error: null, paused: null, plan };
  }
  const changedOrCarried = new Set([...due.changedIds, ...unfinishedOf(sub).map((e) => e.articleId)]);
  const attempts: Attempts = deps.progress
    ? await unrecordedAttempts(
        deps.progress,
        sub.channelId,
        due.articles.filter((a) => !changedOrCarried.has(a.id)).map((a) => a.id),
      )
    : new Map();
  // The clock the filter and the due articles were judged by: a mention or tag rule reads relative dates from it too.
  const report = await deps.engine.deliver(sub, due.articles, { signal, now: () => new Date(started) });
  // Before the lease check: what was delivered is delivered, and the next holder sees nothing new to follow.
  await followDelivered(deps.discussions, sub, due.articles, report, deps.log, now);
  const created = report.results.reduce((n, r) => n + r.created, 0);
  const firstError = report.results.find((r) => r.error !== null && r.setAside !== true)?.error ?? null;
  const setAside = report.results.filter((r) => r.setAside === true);
  const at = now().toISOString();
  const titles = new Map(due.articles.map((a) => [a.id, a.title]));
  let dropped: readonly SetAside[] = [];
  // Worked = articles acted on (those found up to date are not counted: nothing was done for them).
  const worked = report.results.filter((r) => r.action !== 'none').length;
  // A process that lost the lease writes nothing: the new holder may have moved the row on already,
  // and this run's outcome is in the delivery progress records, which the new holder reads.
  if (!(await claim.held())) return handedOver(deps.log, sub, { ...base, created, articles: worked, error: null, paused: null });
  const posts: readonly NewPost[] | undefined = deps.progress ? await postsOf(deps.progress, sub.channelId, report.results, attempts, at) : undefined;
  const stored = await deps.subscriptions.update(sub, (s) => {
    const after = afterRun(s, { revision: revisionOf(sub), due, report, started, at, ...(posts && { posts }) });
    dropped = after.dropped;
    return after.next;
  });
  const posting = report.results
    .filter((r) => commentsLeft(r) > 0)
    .map((r) => ({ articleId: r.articleId, title: titles.get(r.articleId) ?? r.articleId, left: commentsLeft(r) }));
  const fields = { channel: sub.channelId, guild: sub.guildId, articles: worked, created };
  for (const r of setAside)
    deps.log.warn(
      { ...fields, article: r.articleId, title: titles.get(r.articleId), reason: r.error },
      'article set aside: it cannot be posted as it is; /subscriptions retry tries it again',
    );
  for (const e of dropped)
    deps.log.warn(
      { ...fields, article: e.articleId, title: e.title, reason: e.reason, setAsideAt: e.at, kept: MAX_SET_ASIDE },
      'set-aside list full: the oldest article leaves it and is not tried again; post it by hand if it matters',
    );
  if (due.waiting)
    deps.log.info(
      { ...fields, article: due.waiting.articleId, ...due.waiting.verdict },
      due.waiting.verdict.kind === 'cap' ? 'daily cap reached: new articles wait for the next UTC day' : 'minimum spacing: new articles wait for a later run',
    );
  for (const id of due.missing) deps.log.warn({ ...fields, article: id }, 'a set-aside article to retry is no longer stored; dropped from the list');
  for (const id of due.missingUnfinished)
    deps.log.warn({ ...fields, article: id }, 'an article whose thread was being posted is no longer stored; its thread stays as it is');
  const carried = new Set(unfinishedOf(stored ?? {}).map((e) => e.articleId));
  const held = stored ? posting.filter((p) => !carried.has(p.articleId)).map((p) => p.articleId) : [];
  if (held.length > 0)
    deps.log.info({ ...fields, held }, 'more threads are being posted in slices than a subscription carries: these hold the cursor until one is complete');
  if (report.pause) deps.log.warn({ ...fields, reason: report.pause.reason }, 'delivery paused for this subscription');
  else if (firstError) deps.log.warn({ ...fields, error: firstError }, 'delivery stopped part way; the next run resumes it');
  else if (worked > 0)
    deps.log.info(posting.length > 0 ? { ...fields, posting } : fields, posting.length > 0 ? 'delivered; some threads go on in the next run' : 'delivered');
  return { ...base, created, articles: worked, error: firstError, paused: report.pause?.reason ?? null, setAside: setAside.length, posting };
}

/** Why a stored filter stops the subscription (a pause reason saying what to do), or null when `error` is not about its filter. */
function notAccepted(sub: Subscription, error: unknown): string | null {
  if (error instanceof FilterError) return `keywords no longer accepted: ${sub.keywords ?? ''} (${error.message}); set them again with /subscribe`;
  if (error instanceof FilterSyntaxError)
    return `filter no longer accepted: ${sub.options?.filter ?? ''} (${error.message}); remove it with /subscriptions edit:#${sub.channelName} filter:- or set a corrected one there, which also resumes delivery`;
  return null;
}

/** The run of a subscription whose lease another process took during it. */
function handedOver(log: Logger, sub: Subscription, run: Omit<SubscriptionRun, 'heldElsewhere' | 'plan' | 'channelId' | 'channelName'>): SubscriptionRun {
  log.info(
    { channel: sub.channelId, guild: sub.guildId, articles: run.articles, created: run.created },
    'delivery lease lost part way: another process goes on with this subscription from its delivery progress',
  );
  return { channelId: sub.channelId, channelName: sub.channelName, plan: [], ...run, heldElsewhere: true };
}

/** A subscription whose stored row does not read back: warned about on every run, and failed in the run's report (/deliver shows it). */
function skipInvalid(log: Logger, bad: InvalidSubscription): SubscriptionRun {
  const { table, problem } = bad.error;
  log.warn(
    { table, guild: bad.guildId, channel: bad.channelId, problem },
    'subscription skipped: its stored row is not valid; fix or delete that row (sqlite3), or /unsubscribe and /subscribe in that channel',
  );
  const error = `its stored subscription cannot be read (${problem}); /unsubscribe and /subscribe again to replace it`;
  return { channelId: bad.channelId, channelName: bad.channelId, created: 0, articles: 0, error, paused: null, plan: [] };
}

export class DeliveryRunner {
  /** One run at a time: a run asked for while one is going waits for it (the schedule and /deliver alike). */
  private readonly runs = new PQueue({ concurrency: 1 });
  private readonly stopping = new AbortController();

  constructor(private readonly deps: RunDeps) {
    // Every send in flight listens on this one signal (up to 20 threads per subscription, and
    // subscriptions run side by side), so Node's warning at 11 listeners would cry leak on a busy run.
    // Each listener is removed when its request settles (test/delivery-abort-listeners.test.ts).
    setMaxListeners(0, this.stopping.signal);
  }

  /** Runs delivery once; waits for a run in progress first. */
  run(options: RunOptions = {}): Promise<SubscriptionRun[]> {
    // Not p-queue's own signal: a run waiting at shutdown resolves with no work (runNow), as callers expect, rather than rejecting.
    return this.runs.add(() => this.runNow(options));
  }

  /** Resolves when no run is going or waiting. */
  async idle(): Promise<void> {
    await this.runs.onIdle();
  }

  /**
   * For shutdown: a run in progress posts no further articles and stops each thread between two
   * messages (progress is saved per message, so the next run goes on from there), and no new run
   * starts. Resolves when it has stopped: within one rate-limit wait, not the length of a thread.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.idle();
  }

  private async runNow(options: RunOptions): Promise<SubscriptionRun[]> {
    if (this.stopping.signal.aborted) return [];
    if (!options.dryRun && this.deps.collect) {
      try {
        await this.deps.collect();
      } catch (error) {
        this.deps.log.error({ err: error }, 'picking up new articles failed; delivering what is stored');
      }
    }
    const { subscriptions, invalid } = await this.deps.subscriptions.list(options.guildId);
    const skipped = invalid.map((bad) => skipInvalid(this.deps.log, bad));
    const subs = subscriptions.filter((s) => s.paused === null);
    const dryRun = options.dryRun === true;
    const runs = await Promise.all(subs.map((sub) => (dryRun || !this.deps.lease ? this.runAlone(sub, dryRun) : this.runLeased(sub, this.deps.lease))));
    if (!dryRun && this.deps.afterRun && !this.stopping.signal.aborted) {
      try {
        await this.deps.afterRun();
      } catch (error) {
        this.deps.log.error({ err: error }, 'digests failed; the next run tries again');
      }
    }
    return [...runs.filter((r) => r !== null), ...skipped];
  }

  /** A dry run, or delivery with no other process to share it with. */
  private runAlone(sub: Subscription, dryRun: boolean): Promise<SubscriptionRun> {
    return this.runGuarded(sub, dryRun, soleClaim(this.stopping.signal));
  }

  /**
   * Delivery of `sub` under its lease: skipped when another process holds it; otherwise the
   * subscription is read again (the last holder may just have moved it on) and run with a signal
   * that aborts at shutdown or when the lease is lost. The lease is released when the run ends.
   * Null when the subscription was removed or paused since the list was read.
   */
  private async runLeased(sub: Subscription, lease: LeaseOptions): Promise<SubscriptionRun | null> {
    const { log } = this.deps;
    let claim;
    try {
      claim = await claimSubscription(lease, sub, this.stopping.signal, log);
    } catch (error) {
      log.error(
        { err: error, channel: sub.channelId, guild: sub.guildId },
        'could not claim the delivery lease for this subscription; the next run tries again',
      );
      return { channelId: sub.channelId, channelName: sub.channelName, created: 0, articles: 0, error: errorMessage(error), paused: null, plan: [] };
    }
    if (!claim) {
      log.debug({ channel: sub.channelId, guild: sub.guildId, lease: deliveryLeaseName(sub) }, 'subscription skipped: another process is delivering it');
      return { channelId: sub.channelId, channelName: sub.channelName, created: 0, articles: 0, error: null, paused: null, plan: [], heldElsewhere: true };
    }
    try {
      const current = await this.deps.subscriptions.get(sub.guildId, sub.channelId);
      if (!current || current.paused !== null) return null;
      return await this.runGuarded(current, false, claim);
    } finally {
      await claim.stop();
    }
  }

  /** Runs `sub`; a failure is logged and recorded in the subscription (while the claim is held) and in the run. */
  private async runGuarded(sub: Subscription, dryRun: boolean, claim: Claim): Promise<SubscriptionRun> {
    try {
      return await runOne(this.deps, sub, dryRun, claim);
    } catch (error) {
      this.deps.log.error({ err: error, channel: sub.channelId, guild: sub.guildId }, 'delivery failed for this subscription');
      if (!dryRun && (await claim.held().catch(() => false)))
        await this.deps.subscriptions.update(sub, (s) => ({ ...s, lastError: errorMessage(error), lastRunAt: new Date().toISOString() }));
      return { channelId: sub.channelId, channelName: sub.channelName, created: 0, articles: 0, error: errorMessage(error), paused: null, plan: [] };
    }
  }
}

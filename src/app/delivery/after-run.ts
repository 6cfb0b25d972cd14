/**
 * What a delivery run writes back to its subscription, as a pure function of the stored
 * subscription and the run's outcome: cursor, check time, counts, pause, the set-aside and
 * unfinished lists, and the tally the daily cap and spacing read (verdict.ts). The runner applies it
 * inside one transaction (Subscriptions.update). Which posts the run made or found (postsOf) is read
 * from the delivery progress before that.
 */
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import { commentsLeft, type Due, nextUnfinished, settled } from './due.ts';
import type { ArticleResult, DeliveryReport } from './engine-types.ts';
import type { SubscriptionTally } from '../../core/subscription-options.ts';
import { countersOf, countPost, instantOf, snowflakeTime, utcDay } from './verdict.ts';
import { MAX_SET_ASIDE, revisionOf, type SetAside, setAsideOf, type Subscription, unfinishedOf } from './subscriptions.ts';

export interface RunOutcome {
  /** The revision of the subscription as the run read it, before choosing what was due. */
  readonly revision: number;
  readonly due: Pick<Due, 'articles' | 'changedIds' | 'changesComplete' | 'missing' | 'missingUnfinished' | 'cursorAfter'>;
  readonly report: DeliveryReport;
  /** When the run started (the next check time) and when it ended, ISO. */
  readonly started: string;
  readonly at: string;
  /** The posts this run made or found (postsOf); absent, those it made (`madeBy`). */
  readonly posts?: readonly NewPost[];
}

/** A post that exists since this run: made by it, or found made after a crash (adopted); `at` is when it was made (ISO). */
export interface NewPost {
  readonly articleId: string;
  readonly at: string;
}

export interface AfterRun {
  readonly next: Subscription;
  /** Set-aside articles that left the full list, oldest first: the log is all that names them after this run. */
  readonly dropped: readonly SetAside[];
}

/** The subscription `stored` after a run with this outcome. */
export function afterRun(stored: Subscription, { revision, due, report, started, at, posts }: RunOutcome): AfterRun {
  const titles = new Map(due.articles.map((a) => [a.id, a.title]));
  const results = report.results;
  // Carried by the list, an article with comments left is passed by the cursor and the check time,
  // in the same write as the list: the next run goes on with its thread, and the articles after it are not held up.
  const unfinished = nextUnfinished(
    unfinishedOf(stored),
    results,
    due.articles.map((a) => a.id),
    titles,
    due.missingUnfinished,
    at,
  );
  const carried = new Set(unfinished.map((e) => e.articleId));
  // The check time moves only once every changed article handed over has finished, been set aside or is carried:
  // one not reached (shutdown, a pause, a failed post before it) or stopped by a failure is looked at again.
  const changesDone = due.changesComplete && due.changedIds.every((id) => carried.has(id) || results.some((r) => r.articleId === id && settled(r)));
  // A /subscribe during the run (a new backfill, source or keywords) set the cursor and check time
  // for the new settings: what this run scanned was chosen by the old ones, so it leaves them be.
  const same = revisionOf(stored) === revision;
  const list = nextSetAside(setAsideOf(stored), results, due.missing, carried, titles, at);
  const dropped = list.slice(0, Math.max(0, list.length - MAX_SET_ASIDE));
  const created = results.reduce((n, r) => n + r.created, 0);
  let next: Subscription = {
    ...stored,
    cursor: same ? Math.max(stored.cursor, due.cursorAfter(results, carried)) : stored.cursor,
    checkedAt: same && changesDone && !report.pause ? started : stored.checkedAt,
    // Counted once, when its thread is complete.
    posted: stored.posted + results.filter((r) => (r.action === 'post' || r.action === 'resume') && r.error === null && commentsLeft(r) === 0).length,
    lastPostedAt: created > 0 ? at : stored.lastPostedAt,
    lastRunAt: started,
    lastError: results.find((r) => r.error !== null && r.setAside !== true)?.error ?? null,
    paused: report.pause ? { reason: report.pause.reason, at } : stored.paused,
    setAside: list.slice(dropped.length),
    ...(dropped.length > 0 && { setAsideDropped: (stored.setAsideDropped ?? 0) + dropped.length }),
    unfinished,
  };
  const tally = nextTally(stored.tally, posts ?? madeBy(results, at), at);
  if (tally) next = { ...next, tally };
  return { next, dropped };
}

/**
 * The tally after a run at `at`: each new post counts toward the UTC day it was made, when that is
 * the day of `at` (a new day starts from 0). A post found made after a crash counts too: the run
 * that made it crashed before counting it; made the day before, it counts for that day, which is
 * over. The latest post's time is when the next may follow.
 */
export function nextTally(tally: SubscriptionTally | undefined, posts: readonly NewPost[], at: string): SubscriptionTally | undefined {
  if (posts.length === 0) return tally;
  const today = utcDay(new Date(at));
  let counters = countersOf(tally, new Date(at));
  let last = tally?.lastPostAt ?? null;
  for (const p of posts) {
    const when = new Date(p.at);
    if (Number.isNaN(when.getTime())) continue;
    if (utcDay(when) === today) counters = countPost(counters, when);
    // The latest post is the one the spacing follows; a stored time that names no moment gives way.
    if (!(instantOf(last ?? '') >= when.getTime())) last = when.toISOString();
  }
  return { ...tally, day: counters.day, postedToday: counters.postedToday, ...(last !== null && { lastPostAt: last }) };
}

/** The posts a run made, by its results alone: an article whose post it made (counted in `created`), at `at`. Found posts are not told apart from these results. */
export function madeBy(results: readonly ArticleResult[], at: string): NewPost[] {
  return results.filter((r) => r.action === 'post' && r.created > 0).map((r) => ({ articleId: r.articleId, at }));
}

/** When an earlier run set out to post the article and recorded no post: the attempt time the engine keeps (undefined in records older than it). */
export type Attempts = ReadonlyMap<string, number | undefined>;

/** The attempts of `ids` that recorded no post, before a run: the engine looks for those posts, and may find them. */
export async function unrecordedAttempts(progress: Pick<DeliveryProgressRepository, 'get'>, channelId: string, ids: readonly string[]): Promise<Attempts> {
  const attempts = new Map<string, number | undefined>();
  for (const id of ids) {
    const p = await progress.get(channelId, id);
    if (p && !p.postId && p.attemptedAt !== null) attempts.set(id, p.attemptedAt);
  }
  return attempts;
}

/**
 * The posts this run made or found, read back from the delivery progress: each article the run set
 * out to post whose post is now recorded. One it found kept the earlier attempt's time (the engine
 * stamps an attempt only when it makes the post): it was made when its id says; one made now, at `at`
 * (the run's clock, which the cap's day follows).
 */
export async function postsOf(
  progress: Pick<DeliveryProgressRepository, 'get'>,
  channelId: string,
  results: readonly ArticleResult[],
  before: Attempts,
  at: string,
): Promise<NewPost[]> {
  const posts: NewPost[] = [];
  for (const r of results) {
    if (r.action !== 'post') continue;
    const p = await progress.get(channelId, r.articleId);
    if (!p?.postId) continue;
    const found = before.has(r.articleId) && p.attemptedAt === before.get(r.articleId);
    posts.push({ articleId: r.articleId, at: (found ? snowflakeTime(p.postId) : null) ?? at });
  }
  return posts;
}

/**
 * The set-aside list after a run: an article that finished, or whose thread the unfinished list now
 * carries, leaves it; one posted with comments left and not carried (the list was full) stays, marked
 * to retry, so the next run goes on with its thread (the cursor is past it); one set aside again gets
 * its new reason (and waits for an admin's retry again); a newly set-aside one joins it.
 */
function nextSetAside(
  list: readonly SetAside[],
  results: readonly ArticleResult[],
  missing: readonly string[],
  carried: ReadonlySet<string>,
  titles: ReadonlyMap<string, string>,
  at: string,
): SetAside[] {
  const next = new Map(list.filter((e) => !missing.includes(e.articleId)).map((e) => [e.articleId, e]));
  for (const r of results) {
    const entry = next.get(r.articleId);
    if (r.error === null) {
      if (entry && commentsLeft(r) > 0 && !carried.has(r.articleId)) next.set(r.articleId, { ...entry, retry: true });
      else next.delete(r.articleId);
    } else if (r.setAside === true)
      next.set(r.articleId, { articleId: r.articleId, title: titles.get(r.articleId) ?? r.articleId, reason: r.error, at, retry: false });
  }
  return [...next.values()];
}

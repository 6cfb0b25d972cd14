/**
 * What a delivery run writes back to its subscription, as a pure function of the stored
 * subscription and the run's outcome: cursor, check time, counts, pause, the set-aside and
 * unfinished lists, and the tally the daily cap and spacing read (verdict.ts). The runner applies it
 * inside one transaction (Subscriptions.update).
 */
import { commentsLeft, type Due, nextUnfinished, settled } from './due.ts';
import type { ArticleResult, DeliveryReport } from './engine-types.ts';
import type { SubscriptionTally } from '../../core/subscription-options.ts';
import { countersOf, countPost } from './verdict.ts';
import { MAX_SET_ASIDE, revisionOf, type SetAside, setAsideOf, type Subscription, unfinishedOf } from './subscriptions.ts';

export interface RunOutcome {
  /** The revision of the subscription as the run read it, before choosing what was due. */
  readonly revision: number;
  readonly due: Pick<Due, 'articles' | 'changedIds' | 'changesComplete' | 'missing' | 'missingUnfinished' | 'cursorAfter'>;
  readonly report: DeliveryReport;
  /** When the run started (the next check time) and when it ended, ISO. */
  readonly started: string;
  readonly at: string;
}

export interface AfterRun {
  readonly next: Subscription;
  /** Set-aside articles that left the full list, oldest first: the log is all that names them after this run. */
  readonly dropped: readonly SetAside[];
}

/** The subscription `stored` after a run with this outcome. */
export function afterRun(stored: Subscription, { revision, due, report, started, at }: RunOutcome): AfterRun {
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
  const tally = nextTally(stored.tally, results, at);
  if (tally) next = { ...next, tally };
  return { next, dropped };
}

/**
 * The tally after a run: each article whose post this run made counts toward the UTC day of `at`
 * (a new day starts from 0), and the last one's time is when the next may follow. A post found
 * already made after a crash was made by a run that never counted it: it is not counted either.
 */
export function nextTally(tally: SubscriptionTally | undefined, results: readonly ArticleResult[], at: string): SubscriptionTally | undefined {
  const made = results.filter((r) => r.action === 'post' && r.created > 0).length;
  if (made === 0) return tally;
  const when = new Date(at);
  let counters = countersOf(tally, when);
  for (let i = 0; i < made; i++) counters = countPost(counters, when);
  return { ...tally, day: counters.day, postedToday: counters.postedToday, lastPostAt: at };
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

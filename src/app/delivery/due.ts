/**
 * Which articles a subscription should get in this run: already-posted ones that changed since its
 * last check, set-aside ones an admin asked to retry, new ones past its cursor that match its source
 * and whose verdict (verdict.ts: keywords, filter, age, digest, cap, spacing) is to post them (oldest
 * first), then those whose threads are still being posted a slice per run.
 */
import type { Article } from '../../core/model.ts';
import type { Positioned } from '../../adapters/store/positions.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { ArticleResult, DeliveryEngine } from './engine-types.ts';
import { setAsideOf, type Subscription, type Unfinished, unfinishedOf } from './subscriptions.ts';
import { type Counters, countersOf, countPost, filterVerdict, type Rules, type Verdict, verdictOf, waitFor, waits } from './verdict.ts';

/** New articles handed to the engine per run and subscription: a run stays bounded, the rest waits. */
export const MAX_NEW_PER_RUN = 50;
/** Store positions looked at per run, matching or not. */
export const MAX_SCANNED_PER_RUN = 5000;
/**
 * Every change since the last check is walked: the check time moves past all of them at once, so a
 * change left out would never be looked at again. Only this subscription's posted articles are loaded.
 */
const EVERY_CHANGE = Number.MAX_SAFE_INTEGER;
/**
 * Changed articles with work to do (new comments, new text) handed to the engine per run. Past it the
 * check time stays, and the next run, finding these up to date, takes the next ones.
 */
export const MAX_CHANGED_PER_RUN = 200;
/**
 * How far before its last check time a run looks for changes. An article write is stamped with its
 * writer's clock when it starts, before it waits for the other writes and commits: one still in
 * flight when a run reads, or stamped by a machine whose clock runs behind the runner's, becomes
 * visible with a time before the check time the run then stores, and would never be looked at. The
 * overlap covers write transactions and clock skew up to this long. Looking at an article again is
 * safe: its delivery progress records each comment message posted, so one up to date is passed
 * (upToDate) and one with new comments gets only those.
 */
export const CHANGE_OVERLAP_MS = 2 * 60_000;
/**
 * Articles a subscription carries past its cursor while their threads are posted a slice per run. It
 * bounds each run's work and the stored list: past it, an article with comments left holds the cursor
 * (its window of new articles is handed over again) until a place frees up.
 */
export const MAX_UNFINISHED = MAX_NEW_PER_RUN;

export interface Due {
  /**
   * Changed articles first, then retried set-aside ones, then new ones oldest first, then the
   * unfinished threads: new posts are not queued behind long threads for the engine's thread slots.
   */
  readonly articles: readonly Article[];
  /** The changed (already posted) articles among them: the check time may move only once each has finished, been set aside, or is carried (see nextUnfinished). */
  readonly changedIds: readonly string[];
  /** Whether every change since the last check was looked at (false when MAX_CHANGED_PER_RUN was reached). */
  readonly changesComplete: boolean;
  /** Set-aside articles marked for retry that are no longer stored: nothing left to retry. */
  readonly missing: readonly string[];
  /** Unfinished articles that are no longer stored: their threads stay as they are. */
  readonly missingUnfinished: readonly string[];
  /** Why new articles wait for a later run (the daily cap or the spacing), with the first of them; null when none waits. */
  readonly waiting: { readonly articleId: string; readonly verdict: Verdict } | null;
  /**
   * The cursor to store once the engine reports: past every article that finished, was set aside, or
   * did not match, and past those `carried` (the unfinished list after this run, see nextUnfinished).
   */
  cursorAfter(results: readonly ArticleResult[], carried: ReadonlySet<string>): number;
}

function timeOf(a: Article): string {
  return a.publishedAt ?? a.ingestedAt;
}

/** Where a run starts looking for changes: CHANGE_OVERLAP_MS before the check time (kept as stored when it is not a time). */
export function changesFrom(checkedAt: string): string {
  const at = Date.parse(checkedAt);
  return Number.isNaN(at) ? checkedAt : new Date(at - CHANGE_OVERLAP_MS).toISOString();
}

/**
 * Whether the engine has nothing to do for this posted article. One it cannot plan comes back as work
 * (engine.plan catches the planning error) and is handed over: delivery sets it aside with the reason.
 * A failure to read progress is not caught: the run for this subscription fails and says why, rather
 * than taking every article it could not read as changed.
 */
async function upToDate(engine: DeliveryEngine, sub: Subscription, article: Article): Promise<boolean> {
  const [work] = await engine.plan(sub, [article]);
  return work?.action === 'none';
}

/** Comment messages the engine left for the next run (0 when it finished or failed). */
export function commentsLeft(r: ArticleResult): number {
  return r.error === null ? (r.commentsLeft ?? 0) : 0;
}

/** An article the engine is done with: finished, or set aside with its reason. One with comments left is not, unless carried. */
export function settled(r: ArticleResult): boolean {
  return (r.error === null && commentsLeft(r) === 0) || r.setAside === true;
}

/**
 * The unfinished list after a run. An entry leaves it when its thread is complete, it is set aside,
 * or it is no longer stored; one not reached, or stopped by a failure, stays as it was. An article
 * with comments left joins it, in the order handed over, while there is room (MAX_UNFINISHED).
 */
export function nextUnfinished(
  list: readonly Unfinished[],
  results: readonly ArticleResult[],
  order: readonly string[],
  titles: ReadonlyMap<string, string>,
  missing: readonly string[],
  at: string,
): Unfinished[] {
  const byId = new Map(results.map((r) => [r.articleId, r]));
  const next: Unfinished[] = [];
  for (const e of list) {
    const r = byId.get(e.articleId);
    if (missing.includes(e.articleId) || r?.setAside === true) continue;
    if (!r || r.error !== null) next.push(e);
    else if (commentsLeft(r) > 0) next.push({ ...e, left: commentsLeft(r), at });
  }
  const listed = new Set(list.map((e) => e.articleId));
  for (const id of order) {
    const r = byId.get(id);
    if (next.length >= MAX_UNFINISHED) break;
    if (!r || listed.has(id) || commentsLeft(r) === 0 || r.setAside === true) continue;
    next.push({ articleId: id, title: titles.get(id) ?? id, left: commentsLeft(r), at });
  }
  return next;
}

/**
 * A position after the cursor as a run sees it: not this subscription's (another source, carried by
 * the unfinished list, set aside), blocked by its keywords or filter (posted here before or not: passed
 * either way), posted here before, or new with its verdict.
 */
export type Look =
  | { readonly kind: 'other' }
  | { readonly kind: 'blocked'; readonly article: Article; readonly because: string }
  | { readonly kind: 'posted'; readonly article: Article }
  | { readonly kind: 'new'; readonly article: Article; readonly verdict: Verdict };

export interface Seen {
  readonly position: number;
  readonly id: string;
  readonly look: Look;
}

/** Set-aside articles an admin asked to retry, as a run takes them (before its new articles). */
export interface Retried {
  /** Handed to the engine: those with a post already (their thread goes on), and those whose new post may go now. */
  readonly articles: readonly Article[];
  /** No longer stored: nothing left to retry. */
  readonly missing: readonly string[];
  /** Those whose new post waits for the daily cap or the spacing, with why: they stay marked to retry for a later run. */
  readonly waiting: ReadonlyMap<string, Extract<Verdict, { kind: 'cap' | 'spacing' }>>;
  /** The posts counted once the retried ones are made: where the new articles' count starts. */
  readonly counters: Counters;
}

/**
 * The retried set-aside articles at `now`, but those in `skip`. A retried article that needs a new post
 * (never posted, or its post was deleted) is a post like a new article's: it waits for the daily cap
 * and the spacing, and counts toward them, before the new articles do (the run hands it over first).
 */
export async function retriedAt(
  store: Store,
  sub: Subscription,
  rules: Rules,
  delivered: (id: string) => Promise<boolean>,
  now: Date,
  skip: ReadonlySet<string> = new Set(),
): Promise<Retried> {
  const articles: Article[] = [];
  const missing: string[] = [];
  const waiting = new Map<string, Extract<Verdict, { kind: 'cap' | 'spacing' }>>();
  let counters = countersOf(sub.tally, now);
  for (const entry of setAsideOf(sub)) {
    if (!entry.retry || skip.has(entry.articleId)) continue;
    const article = await store.get(entry.articleId);
    if (!article) {
      missing.push(entry.articleId);
      continue;
    }
    if (!(await delivered(article.id))) {
      const wait = waitFor(rules, counters, now);
      if (wait) {
        waiting.set(article.id, wait);
        continue;
      }
      counters = countPost(counters, now);
    }
    articles.push(article);
  }
  return { articles, missing, waiting, counters };
}

/**
 * The stored articles after the subscription's cursor, oldest first, each with what a run makes of
 * it; the posts counted (`start`, else `countersOf` the tally at `now`, plus each `post` verdict
 * before it) decide the cap and spacing. The run (dueArticles) and the preview (preview.ts) both
 * walk it, so they agree.
 */
export async function* scanNew(
  store: Store,
  sub: Subscription,
  rules: Rules,
  delivered: (id: string) => Promise<boolean>,
  now: Date,
  start?: Counters,
): AsyncGenerator<Seen> {
  // Carried by the unfinished list: handed over from it, never again as new or changed.
  const carriedIds = new Set(unfinishedOf(sub).map((e) => e.articleId));
  // Set aside and not asked to retry: passed like one that does not match, when the cursor was held behind it.
  const setAsideIds = new Set(
    setAsideOf(sub)
      .filter((e) => !e.retry)
      .map((e) => e.articleId),
  );
  let counters = start ?? countersOf(sub.tally, now);
  for await (const p of storedFrom(store, sub.cursor, 'after')) {
    const article = carriedIds.has(p.id) || setAsideIds.has(p.id) ? null : await fromSource(store, sub, p);
    if (article === null) {
      yield { position: p.position, id: p.id, look: { kind: 'other' } };
      continue;
    }
    const filtered = filterVerdict(rules, article);
    if (!filtered.pass) {
      yield { position: p.position, id: p.id, look: { kind: 'blocked', article, because: filtered.because } };
      continue;
    }
    if (await delivered(p.id)) {
      yield { position: p.position, id: p.id, look: { kind: 'posted', article } };
      continue;
    }
    const verdict = verdictOf(rules, article, counters, now);
    if (verdict.kind === 'post') counters = countPost(counters, now);
    yield { position: p.position, id: p.id, look: { kind: 'new', article, verdict } };
  }
}

/** Whether a run hands this position to the engine as new or changed work; a `post` verdict is counted by scanNew. */
async function wantedAt(engine: DeliveryEngine, sub: Subscription, look: Look): Promise<Article | null> {
  if (look.kind === 'new') return look.verdict.kind === 'post' ? look.article : null;
  // Already posted here and up to date (the cursor was moved back by a new backfill): passed, not handed over.
  if (look.kind === 'posted') return (await upToDate(engine, sub, look.article)) ? null : look.article;
  return null;
}

/**
 * What is due at `now`. A new article the filter or its age passes over is passed by the cursor for
 * good; one over the daily cap or within the spacing stops the walk, so the cursor stays before it
 * and it goes out, in order, on a later run.
 */
export async function dueArticles(store: Store, sub: Subscription, rules: Rules, engine: DeliveryEngine, now: Date): Promise<Due> {
  const carriedIds = new Set(unfinishedOf(sub).map((e) => e.articleId));
  const delivered = (id: string): Promise<boolean> => engine.delivered(sub, id);
  // Retried set-aside articles go before the new ones, so their posts count toward the cap first.
  const retry = await retriedAt(store, sub, rules, delivered, now, carriedIds);
  const scanned: { position: number; id: string | null }[] = [];
  const fresh: Article[] = [];
  const [firstWaiting] = retry.waiting;
  let waiting: Due['waiting'] = firstWaiting ? { articleId: firstWaiting[0], verdict: firstWaiting[1] } : null;
  for await (const seen of scanNew(store, sub, rules, delivered, now, retry.counters)) {
    if (fresh.length >= MAX_NEW_PER_RUN || scanned.length >= MAX_SCANNED_PER_RUN) break;
    if (seen.look.kind === 'new' && waits(seen.look.verdict)) {
      waiting ??= { articleId: seen.id, verdict: seen.look.verdict };
      break;
    }
    const article = await wantedAt(engine, sub, seen.look);
    scanned.push({ position: seen.position, id: article ? seen.id : null });
    if (article) fresh.push(article);
  }
  const changed: Article[] = [];
  let changesComplete = true;
  // Articles this subscription never posted are skipped by id, before anything is loaded. The articles
  // in the overlap that are up to date are passed and not counted against MAX_CHANGED_PER_RUN, so a run
  // stopped by that bound leaves the check time and the next run gets past them to the next ones.
  for (const id of await store.positions.updatedSince(changesFrom(sub.checkedAt), sub.cursor, EVERY_CHANGE)) {
    if (carriedIds.has(id) || !(await engine.delivered(sub, id))) continue;
    const article = await store.get(id);
    if (!article || (await upToDate(engine, sub, article))) continue;
    if (changed.length >= MAX_CHANGED_PER_RUN) {
      changesComplete = false;
      break;
    }
    changed.push(article);
  }
  const taken = new Set([...carriedIds, ...changed.map((a) => a.id)]);
  // One changed since it was posted goes with the changed ones (it has its post: the cap is not its concern).
  const retried = retry.articles.filter((a) => !taken.has(a.id));
  for (const a of retried) taken.add(a.id);
  for (const id of retry.waiting.keys()) taken.add(id);
  const unfinished: Article[] = [];
  const missingUnfinished: string[] = [];
  for (const entry of unfinishedOf(sub)) {
    const article = await store.get(entry.articleId);
    if (article) unfinished.push(article);
    else missingUnfinished.push(entry.articleId);
  }
  fresh.sort((a, b) => timeOf(a).localeCompare(timeOf(b)));
  return {
    articles: [...changed, ...retried, ...fresh.filter((a) => !taken.has(a.id)), ...unfinished],
    changedIds: changed.map((a) => a.id),
    changesComplete,
    missing: retry.missing,
    missingUnfinished,
    waiting,
    cursorAfter(results, carried) {
      // An article the engine did not finish, or never reached (the target went away), stops the cursor;
      // one set aside does not, so the articles after it are delivered, nor does one the unfinished list carries.
      const done = new Set(results.filter((r) => settled(r) || carried.has(r.articleId)).map((r) => r.articleId));
      let cursor = sub.cursor;
      for (const s of scanned) {
        if (s.id !== null && !done.has(s.id)) break;
        cursor = s.position;
      }
      return cursor;
    },
  };
}

/**
 * Whether an article passes a subscription's filter: its keywords (a Filter), or keywords and
 * expression together (`(a) => filterVerdict(rulesOf(sub, now), a).pass`), as a run judges it.
 */
export type Passes = (article: Article) => boolean;

/** The cursor that makes a new subscription's first run post what its backfill asks for. */
export async function backfillCursor(store: Store, sub: Pick<Subscription, 'source' | 'backfill'>, filter: Passes): Promise<number> {
  const last = await store.positions.last();
  if (sub.backfill.kind === 'none') return last;
  if (sub.backfill.kind === 'all') return 0;
  let found = 0;
  for await (const p of storedFrom(store, last + 1, 'before')) {
    if ((await matching(store, sub, filter, p)) && ++found === sub.backfill.count) return p.position - 1;
  }
  return 0;
}

/** Store positions read per query while walking the store. */
const PAGE = 500;

/** Stored articles after `from` (oldest first) or before it (newest first), read a page at a time as the caller goes on. */
export async function* storedFrom(store: Store, from: number, direction: 'after' | 'before'): AsyncGenerator<Positioned> {
  let position = from;
  for (;;) {
    const page = await (direction === 'after' ? store.positions.after(position, PAGE) : store.positions.before(position, PAGE));
    if (page.length === 0) return;
    for (const p of page) {
      position = p.position;
      yield p;
    }
  }
}

/** The article at this position when it is from the subscription's source (any, when it names none) and passes its filter; otherwise null, loading nothing for another source. */
export async function matching(store: Store, sub: Pick<Subscription, 'source'>, filter: Passes, p: Positioned): Promise<Article | null> {
  const article = await fromSource(store, sub, p);
  return article && filter(article) ? article : null;
}

/** The article at this position when it is from the subscription's source (any, when it names none); null otherwise, loading nothing for another source. */
export async function fromSource(store: Store, sub: Pick<Subscription, 'source'>, p: Positioned): Promise<Article | null> {
  if (sub.source !== null && p.source?.toLowerCase() !== sub.source.toLowerCase()) return null;
  return store.get(p.id);
}

/**
 * What a subscription would do with its source's latest articles, and why (issue 17): /preview and
 * `paperboy preview`. The verdicts come from the walk a delivery run makes (due.ts scanNew, with
 * verdict.ts), so the preview says what the next run will do, article by article; and the post shown
 * is the one that run will make, laid out by the same functions the engine uses, with where it goes
 * (destination.ts: who it pings, its forum tags, the webhook name it posts under). Nothing is written.
 */
import type { Store } from '../../adapters/store/contract.ts';
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';
import { createLogger } from '../../core/log.ts';
import type { Subscription } from '../../core/state.ts';
import type { SubscriptionOptions } from '../../core/subscription-options.ts';
import type { MessageView } from '../../core/view.ts';
import { checkedDestination, type Destination, destinationOf, planFor } from './destination.ts';
import { backfillCursor, MAX_NEW_PER_RUN, MAX_SCANNED_PER_RUN, type Look, type Retried, retriedAt, scanNew, storedFrom } from './due.ts';
import { FilterError } from './filter.ts';
import { planArticle } from './messages.ts';
import type { Poster } from './poster.ts';
import { readFilter } from './settings-parse.ts';
import { chosen } from './subscribe.ts';
import { setAsideOf, unfinishedOf } from './subscriptions.ts';
import { appearedAt, passedOver, type Rules, rulesOf, snowflakeTime, type Verdict, verdictOf } from './verdict.ts';

export { snowflakeTime };

export const PREVIEW_DEFAULT = 10;
export const PREVIEW_MAX = 25;

export type PreviewVerdict =
  | Verdict
  /** Posted in this channel: `link` to the post, `at` from its id (null when the record has no post id yet). */
  | { readonly kind: 'posted'; readonly at: string | null; readonly link: string | null }
  /** Discord refused it, or it could not be laid out; `retry` when an admin asked for another try (the next run makes it). */
  | { readonly kind: 'set-aside'; readonly reason: string; readonly retry: boolean }
  /** It would pass, but it is before where the subscription has got to (stored before it started, or its backfill): no run posts it. */
  | { readonly kind: 'behind' }
  /** It would pass, but more are due before it than one run takes: a later run posts it. */
  | { readonly kind: 'later' };

export interface PreviewItem {
  readonly id: string;
  readonly title: string;
  readonly url: string | null;
  /** Published, else stored. */
  readonly at: string;
  readonly verdict: PreviewVerdict;
}

/** Where the shown post goes and who it pings, as the engine posts it (destination.ts). */
export interface PreviewDestination {
  /** Who the post pings: the mention rules its article passes (the post's `ping`); null for no one. */
  readonly ping: { readonly roles: readonly string[]; readonly users: readonly string[] } | null;
  /** The forum tag ids it gets (tag rules it passes, in rule order, at most 5); null when the subscription tags nothing (not a forum, or no tag rules). */
  readonly tags: readonly string[] | null;
  /** The name it posts under through the channel's webhook; null for the bot's own messages. */
  readonly webhookName: string | null;
  /** The existing thread it goes into (no thread of its own); null otherwise. */
  readonly sharedThread: string | null;
  /** Why the next run pauses the subscription instead of posting (its thread is not one of the channel's, say); null when it posts. */
  readonly pause: string | null;
  /** Why Discord could not be asked what only it knows (the forum's tags, the thread); null when it was, or no poster was given (the CLI). */
  readonly unchecked: string | null;
}

/** The filter typed into the preview in place of the saved one (nothing is saved). */
export interface TypedFilter {
  /** The expression used; null when `-` was typed (no filter). */
  readonly expression: string | null;
  /** For a channel with no subscription: the N of the backfill:latest N it is previewed with; null when it has one. */
  readonly assumedBackfill: number | null;
}

export interface Preview {
  /** Present when the preview used a typed filter instead of the saved one. */
  readonly typed?: TypedFilter;
  readonly guildId: string;
  readonly channelId: string;
  readonly channelName: string;
  readonly source: string | null;
  /** The latest articles from the subscription's source, newest stored first. */
  readonly items: readonly PreviewItem[];
  /**
   * The article the next run posts first, as it will be posted (`sample` false); when none would
   * post now, the newest listed one its filter and age pass, as it would look (`sample` true).
   */
  readonly next: {
    readonly id: string;
    readonly title: string;
    readonly sample: boolean;
    /** The post as the engine sends it: its `ping` is who it pings (the renderer puts them first in its text). */
    readonly post: MessageView;
    readonly threadName: string;
    readonly destination: PreviewDestination;
  } | null;
}

export interface PreviewDeps {
  readonly store: Store;
  readonly progress: Pick<DeliveryProgressRepository, 'get'>;
  readonly now: Date;
  /**
   * Asks Discord what a run checks before posting (checkedDestination: the shared thread is the
   * channel's, the forum still has the rules' tags). Absent (the CLI, with no Discord), the
   * destination is the subscription's settings as they are.
   */
  readonly poster?: Pick<Poster, 'channel'>;
}

/** A mention or tag rule whose filter no longer compiles applies to nothing; the runs log that, the preview need not. */
const quiet = createLogger({ level: 'silent' });
/** The preview sends nothing, so it needs no digest of the post to compare with one sent before. */
const NO_DIGEST = { digest: () => '' };

/** Where the post is: a message in the channel (or in the subscription's thread), or a forum post's thread. */
function postLink(sub: Subscription, postId: string): string {
  if (sub.kind === 'forum') return `https://discord.com/channels/${sub.guildId}/${postId}`;
  return `https://discord.com/channels/${sub.guildId}/${sub.options?.threadId ?? sub.channelId}/${postId}`;
}

/** The rules, or a UserError saying which stored filter no longer compiles (the next run pauses the subscription for it). */
function rulesOrExplain(sub: Subscription, now: Date): Rules {
  try {
    return rulesOf(sub, now);
  } catch (error) {
    if (error instanceof FilterError)
      throw new UserError('bad-option', `<#${sub.channelId}>: its keywords are no longer accepted (${error.message}); set them again with /subscribe.`);
    if (error instanceof UserError)
      throw new UserError(
        'bad-option',
        `<#${sub.channelId}>: its filter is no longer accepted (${errorMessage(error)}); remove it with /subscriptions edit:#${sub.channelName} filter:- or set a corrected one there.`,
      );
    throw error;
  }
}

interface Latest {
  readonly position: number;
  readonly article: Article;
}

/** The latest `count` stored articles from the subscription's source, newest first, looking at MAX_SCANNED_PER_RUN positions at most. */
async function latest(store: Store, sub: Subscription, count: number): Promise<Latest[]> {
  const found: Latest[] = [];
  let looked = 0;
  for await (const p of storedFrom(store, (await store.positions.last()) + 1, 'before')) {
    if (found.length >= count || ++looked > MAX_SCANNED_PER_RUN) break;
    if (sub.source !== null && p.source?.toLowerCase() !== sub.source.toLowerCase()) continue;
    const article = await store.get(p.id);
    if (article) found.push({ position: p.position, article });
  }
  return found;
}

/** Whether this subscription's post of the article is made (as the engine's `delivered`). */
function deliveredIn(deps: PreviewDeps, sub: Subscription): (id: string) => Promise<boolean> {
  return async (id) => (await deps.progress.get(sub.channelId, id))?.postId != null;
}

/** The walk the next run makes past the cursor, up to `upTo`, after its retried articles: each position's look, and whether that run reaches it. */
async function walk(
  deps: PreviewDeps,
  sub: Subscription,
  rules: Rules,
  retried: Retried,
  upTo: number,
): Promise<Map<string, { look: Look; reached: boolean }>> {
  const seen = new Map<string, { look: Look; reached: boolean }>();
  let scanned = 0;
  let fresh = 0;
  let stopped = false;
  for await (const s of scanNew(deps.store, sub, rules, deliveredIn(deps, sub), deps.now, retried.counters)) {
    if (s.position > upTo || scanned >= MAX_SCANNED_PER_RUN) break;
    // The run's own bounds (dueArticles): past them it hands nothing over, and a later run goes on.
    if (fresh >= MAX_NEW_PER_RUN) stopped = true;
    scanned++;
    if (s.look.kind === 'new' && s.look.verdict.kind === 'post') fresh++;
    seen.set(s.id, { look: s.look, reached: !stopped });
  }
  return seen;
}

function checkCount(count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > PREVIEW_MAX)
    throw new UserError('bad-option', `count: expected a whole number from 1 to ${PREVIEW_MAX}, got ${count}`);
}

/** The channel a typed filter is previewed for when it has no subscription. */
export interface UnsubscribedChannel {
  readonly guildId: string;
  readonly id: string;
  readonly name: string;
  readonly kind: Subscription['kind'];
}

/**
 * The preview with `typed` in place of the saved filter, read as /subscribe reads it (readFilter: a
 * mistake throws a SettingsError with its column; `-` means none). With no saved subscription it
 * previews one as /subscribe would make it now, for every source, with backfill:latest `count`: a new
 * subscription takes stored articles only through its backfill, and that one makes the latest
 * `count` the filter passes due, so the list shows what the filter takes. The answer names that backfill.
 */
export async function previewTypedFilter(
  deps: PreviewDeps,
  saved: Subscription | null,
  channel: UnsubscribedChannel,
  typed: string,
  count = PREVIEW_DEFAULT,
): Promise<Preview> {
  checkCount(count);
  const text = chosen(typed, null);
  const expression = text === null ? null : readFilter('filter', text);
  const options: { -readonly [K in keyof SubscriptionOptions]: SubscriptionOptions[K] } = { ...saved?.options };
  if (expression === null) delete options.filter;
  else options.filter = expression;
  if (saved) return { typed: { expression, assumedBackfill: null }, ...(await previewSubscription(deps, { ...saved, options }, count)) };
  const backfill = { kind: 'latest', count } as const;
  const rules = rulesOf({ keywords: null, options }, deps.now);
  const passes = (a: Article): boolean => rules.expression?.test(a).pass ?? true;
  const at = deps.now.toISOString();
  const sub: Subscription = {
    guildId: channel.guildId,
    channelId: channel.id,
    kind: channel.kind,
    channelName: channel.name,
    source: null,
    keywords: null,
    backfill,
    cursor: await backfillCursor(deps.store, { source: null, backfill }, passes),
    checkedAt: at,
    createdAt: at,
    createdBy: '',
    paused: null,
    posted: 0,
    lastPostedAt: null,
    lastRunAt: null,
    lastError: null,
    options,
  };
  return { typed: { expression, assumedBackfill: count }, ...(await previewSubscription(deps, sub, count)) };
}

export async function previewSubscription(deps: PreviewDeps, sub: Subscription, count = PREVIEW_DEFAULT): Promise<Preview> {
  checkCount(count);
  const rules = rulesOrExplain(sub, deps.now);
  const listed = await latest(deps.store, sub, count);
  // As the run: retried set-aside articles first (their new posts count toward the cap first), then the new ones.
  const carried = new Set(unfinishedOf(sub).map((e) => e.articleId));
  const retried = await retriedAt(deps.store, sub, rules, deliveredIn(deps, sub), deps.now, carried);
  const seen = await walk(deps, sub, rules, retried, Math.max(0, ...listed.map((l) => l.position)));
  const setAside = new Map(setAsideOf(sub).map((e) => [e.articleId, e]));
  const items: PreviewItem[] = [];
  for (const { position, article } of listed) {
    const record = await deps.progress.get(sub.channelId, article.id);
    const aside = setAside.get(article.id);
    let verdict: PreviewVerdict;
    if (record?.postId) verdict = { kind: 'posted', at: snowflakeTime(record.postId), link: postLink(sub, record.postId) };
    else if (aside) verdict = retried.waiting.get(article.id) ?? { kind: 'set-aside', reason: aside.reason, retry: aside.retry };
    else verdict = verdictAt(seen.get(article.id), position > sub.cursor, verdictOf(rules, article, retried.counters, deps.now));
    items.push({ id: article.id, title: article.title, url: article.url, at: appearedAt(article), verdict });
  }
  return {
    guildId: sub.guildId,
    channelId: sub.channelId,
    channelName: sub.channelName,
    source: sub.source,
    items,
    next: await nextPost(sub, retried, [...seen.values()], items, listed, deps),
  };
}

/**
 * A listed article's verdict from the run's walk; `due` when it is past the cursor, `alone` its
 * verdict taken by itself (for one the walk did not reach, or one behind the cursor).
 */
function verdictAt(s: { look: Look; reached: boolean } | undefined, due: boolean, alone: Verdict): PreviewVerdict {
  if (!due || !s) {
    if (passedOver(alone)) return alone;
    return due ? { kind: 'later' } : { kind: 'behind' };
  }
  if (s.look.kind === 'blocked') return { kind: 'filtered', because: s.look.because };
  if (s.look.kind === 'new') return s.look.verdict.kind === 'post' && !s.reached ? { kind: 'later' } : s.look.verdict;
  return passedOver(alone) ? alone : { kind: 'behind' };
}

/**
 * The next run's first post (the run posts the retried set-aside articles first, then its new
 * articles oldest first), else a sample of how one would look; laid out and addressed as the engine
 * does it (planArticle, then planFor with the subscription's destination).
 */
async function nextPost(
  sub: Subscription,
  retried: Retried,
  seen: readonly { look: Look; reached: boolean }[],
  items: readonly PreviewItem[],
  listed: readonly Latest[],
  deps: PreviewDeps,
): Promise<Preview['next']> {
  const delivered = deliveredIn(deps, sub);
  let first: Article | undefined;
  for (const a of retried.articles) if (!first && !(await delivered(a.id))) first = a;
  const posts = seen.flatMap((s) => (s.reached && s.look.kind === 'new' && s.look.verdict.kind === 'post' ? [s.look.article] : []));
  // The same order as dueArticles: oldest first by time, ties in store order (a stable sort).
  first ??= posts.sort((a, b) => appearedAt(a).localeCompare(appearedAt(b)))[0];
  const sampleIndex = items.findIndex((i) => !['filtered', 'too-old'].includes(i.verdict.kind));
  const article = first ?? listed[sampleIndex]?.article;
  if (!article) return null;
  const { dest, pause, unchecked } = await destinationAt(sub, deps);
  const plan = planFor(planArticle(article, NO_DIGEST, sub.options), article, dest);
  const tagRules = sub.kind === 'forum' && (sub.options?.tags ?? []).length > 0;
  return {
    id: article.id,
    title: article.title,
    sample: first === undefined,
    post: plan.post,
    threadName: plan.threadName,
    destination: {
      ping: plan.post.ping ?? null,
      tags: tagRules ? dest.tags(article) : null,
      webhookName: dest.identity?.name ?? null,
      sharedThread: dest.sharedThread,
      pause,
      unchecked,
    },
  };
}

/** The destination as the next run posts to it: its rules read at the preview's clock, then checked with Discord as the engine checks it. */
async function destinationAt(sub: Subscription, deps: PreviewDeps): Promise<{ dest: Destination; pause: string | null; unchecked: string | null }> {
  const dest = destinationOf(sub, quiet, () => deps.now);
  if (!deps.poster) return { dest, pause: null, unchecked: null };
  try {
    const checked = await checkedDestination(deps.poster, sub, dest, quiet);
    return 'pause' in checked ? { dest, pause: checked.pause, unchecked: null } : { dest: checked, pause: null, unchecked: null };
  } catch (error) {
    return { dest, pause: null, unchecked: errorMessage(error) };
  }
}

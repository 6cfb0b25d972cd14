/**
 * What a subscription would do with its source's latest articles, and why (issue 17): /preview and
 * `paperboy preview`. The verdicts come from the walk a delivery run makes (due.ts scanNew, with
 * verdict.ts), so the preview says what the next run will do, article by article; and the post shown
 * is the one that run will make, laid out by the same function the engine uses. Nothing is written.
 */
import type { Store } from '../../adapters/store/contract.ts';
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import { UserError, errorMessage } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';
import type { Subscription } from '../../core/state.ts';
import type { MessageView } from '../../core/view.ts';
import { MAX_NEW_PER_RUN, MAX_SCANNED_PER_RUN, type Look, scanNew, storedFrom } from './due.ts';
import { FilterError } from './filter.ts';
import { articleViews } from './messages.ts';
import { setAsideOf } from './subscriptions.ts';
import { appearedAt, countersOf, passedOver, type Rules, rulesOf, type Verdict, verdictOf } from './verdict.ts';

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

export interface Preview {
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
  readonly next: { readonly id: string; readonly title: string; readonly sample: boolean; readonly post: MessageView; readonly threadName: string } | null;
}

export interface PreviewDeps {
  readonly store: Store;
  readonly progress: Pick<DeliveryProgressRepository, 'get'>;
  readonly now: Date;
}

/** 2015-01-01T00:00:00Z, the zero of every Discord id. */
const DISCORD_EPOCH = 1420070400000n;

/** When Discord made the message or thread with this id (ISO); null when it is not an id. */
export function snowflakeTime(id: string): string | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH)).toISOString();
}

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
      throw new UserError('bad-option', `<#${sub.channelId}>: its filter is no longer accepted (${errorMessage(error)}); set it again with /subscribe.`);
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

/** The walk the next run makes past the cursor, up to `upTo`: each position's look, and whether that run reaches it. */
async function walk(deps: PreviewDeps, sub: Subscription, rules: Rules, upTo: number): Promise<Map<string, { look: Look; reached: boolean }>> {
  const seen = new Map<string, { look: Look; reached: boolean }>();
  const delivered = async (id: string): Promise<boolean> => (await deps.progress.get(sub.channelId, id))?.postId != null;
  let scanned = 0;
  let fresh = 0;
  let stopped = false;
  for await (const s of scanNew(deps.store, sub, rules, delivered, deps.now)) {
    if (s.position > upTo || scanned >= MAX_SCANNED_PER_RUN) break;
    // The run's own bounds (dueArticles): past them it hands nothing over, and a later run goes on.
    if (fresh >= MAX_NEW_PER_RUN) stopped = true;
    scanned++;
    if (s.look.kind === 'new' && s.look.verdict.kind === 'post') fresh++;
    seen.set(s.id, { look: s.look, reached: !stopped });
  }
  return seen;
}

export async function previewSubscription(deps: PreviewDeps, sub: Subscription, count = PREVIEW_DEFAULT): Promise<Preview> {
  if (!Number.isInteger(count) || count < 1 || count > PREVIEW_MAX)
    throw new UserError('bad-option', `count: expected a whole number from 1 to ${PREVIEW_MAX}, got ${count}`);
  const rules = rulesOrExplain(sub, deps.now);
  const listed = await latest(deps.store, sub, count);
  const seen = await walk(deps, sub, rules, Math.max(0, ...listed.map((l) => l.position)));
  const setAside = new Map(setAsideOf(sub).map((e) => [e.articleId, e]));
  const counters = countersOf(sub.tally, deps.now);
  const items: PreviewItem[] = [];
  for (const { position, article } of listed) {
    const record = await deps.progress.get(sub.channelId, article.id);
    const aside = setAside.get(article.id);
    let verdict: PreviewVerdict;
    if (record?.postId) verdict = { kind: 'posted', at: snowflakeTime(record.postId), link: postLink(sub, record.postId) };
    else if (aside) verdict = { kind: 'set-aside', reason: aside.reason, retry: aside.retry };
    else verdict = verdictAt(seen.get(article.id), position > sub.cursor, verdictOf(rules, article, counters, deps.now));
    items.push({ id: article.id, title: article.title, url: article.url, at: appearedAt(article), verdict });
  }
  return {
    guildId: sub.guildId,
    channelId: sub.channelId,
    channelName: sub.channelName,
    source: sub.source,
    items,
    next: nextPost(sub, [...seen.values()], items, listed),
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

/** The next run's first post (the run posts its new articles oldest first), else a sample of how one would look. */
function nextPost(
  sub: Subscription,
  seen: readonly { look: Look; reached: boolean }[],
  items: readonly PreviewItem[],
  listed: readonly Latest[],
): Preview['next'] {
  const posts = seen.flatMap((s) => (s.reached && s.look.kind === 'new' && s.look.verdict.kind === 'post' ? [s.look.article] : []));
  // The same order as dueArticles: oldest first by time, ties in store order (a stable sort).
  const first = posts.sort((a, b) => appearedAt(a).localeCompare(appearedAt(b)))[0];
  const sampleIndex = items.findIndex((i) => !['filtered', 'too-old'].includes(i.verdict.kind));
  const article = first ?? listed[sampleIndex]?.article;
  if (!article) return null;
  const views = articleViews(article, sub.options);
  return { id: article.id, title: article.title, sample: first === undefined, post: views.post, threadName: views.threadName };
}

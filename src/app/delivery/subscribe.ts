/**
 * Subscribing a channel: the use case behind /subscribe (and `paperboy subscribe`). It returns what
 * changed; the command says it. Having set-aside articles tried again is in subscribe-retry.ts.
 */
import type { Store } from '../../adapters/store/contract.ts';
import { UserError } from '../../core/errors.ts';
import { backfillCursor, matching, storedFrom } from './due.ts';
import { type Filter, FilterError, parseFilter } from './filter.ts';
import { SettingsError } from './settings-errors.ts';
import { readFilter } from './settings-parse.ts';
import type { Article } from '../../core/model.ts';
import type { SubscriptionOptions } from '../../core/subscription-options.ts';
import { compileExpression } from '../filters/expression.ts';
import { type Backfill, parseBackfill, revisionOf, showBackfill, type Subscription, type Subscriptions } from './subscriptions.ts';

/**
 * The default for a first subscription: the latest few stored articles. Someone trying the bot
 * subscribes and runs /deliver and sees it post, and a channel is not flooded with a whole archive;
 * the reply says how to get every stored article, or none.
 */
export const DEFAULT_BACKFILL: Backfill = { kind: 'latest', count: 3 };

/**
 * What an admin gives to drop a filter: Discord has no empty string option, and a word such as
 * `none` could be a real source or keyword. A value of only spaces drops it too.
 */
export const CLEAR = '-';

/** A filter option: not given keeps what the subscription had, `-` drops it, anything else replaces it. */
export function chosen(given: string | undefined, had: string | null): string | null {
  if (given === undefined) return had;
  const text = given.trim();
  return text === CLEAR || text === '' ? null : text;
}

/**
 * An option of a subscription that cannot be used: `given` as typed, `reason` in plain words (the
 * filter's own message for keywords), `kept` when the keywords (or filter) were kept from before
 * rather than given, `column` (1-based) where a filter expression goes wrong.
 */
export class SubscriptionOptionError extends UserError {
  override readonly name = 'SubscriptionOptionError';

  constructor(
    readonly option: 'backfill' | 'keywords' | 'filter',
    readonly given: string,
    readonly reason: string,
    readonly kept = false,
    readonly column?: number,
  ) {
    super('bad-option', column === undefined ? `${option} "${given}": ${reason}` : `${option}: column ${column}: ${reason}`);
  }
}

export interface SubscribeRequest {
  readonly guildId: string;
  readonly channel: { readonly id: string; readonly name: string | null; readonly kind: Subscription['kind'] };
  /** Not given (undefined) keeps what the subscription had; see `chosen`. */
  readonly source?: string;
  readonly keywords?: string;
  /** A filter expression (src/app/filters/expression.ts), saved as `options.filter`; not given keeps, `-` drops. */
  readonly filter?: string;
  /** `none`, `latest N` or `all`; not given keeps the subscription's, or DEFAULT_BACKFILL for a new one. */
  readonly backfill?: string;
  /**
   * Follow the discussion each delivered article links to (a feed item's comments link); not given
   * keeps the subscription's, or no for a new one.
   */
  readonly followDiscussions?: boolean;
  /** Who subscribed, as the list shows them. */
  readonly by: string;
  readonly now: Date;
}

export interface Subscribed {
  /** The subscription before, or null for a new one. */
  readonly before: Subscription | null;
  readonly after: Subscription;
  /** The backfill given this time, or null when it was not. */
  readonly given: Backfill | null;
  readonly filter: Filter;
}

/** The options with the filter expression `filter` (none when null); undefined when nothing is left. */
function withFilter(had: SubscriptionOptions | undefined, filter: string | null): SubscriptionOptions | undefined {
  const options: { -readonly [K in keyof SubscriptionOptions]: SubscriptionOptions[K] } = { ...had };
  if (filter === null) delete options.filter;
  else options.filter = filter;
  return Object.keys(options).length > 0 ? options : undefined;
}

/** The filter expression the subscription gets, checked: a mistake names its column (and whether it was kept from before). */
function expressionOf(request: SubscribeRequest, existing: Subscription | null): string | null {
  const filter = chosen(request.filter, existing?.options?.filter ?? null);
  if (filter === null) return null;
  try {
    return readFilter('filter', filter.trim());
  } catch (error) {
    if (!(error instanceof SettingsError)) throw error;
    throw new SubscriptionOptionError('filter', error.given, error.reason, request.filter === undefined, error.column);
  }
}

/**
 * The keywords' filter narrowed by the expression, so that a backfill's latest N and the count in the
 * reply are of the articles a run will post. The store's walk (due.ts matching) hands a filter whole
 * articles; Filter's type names only what keywords read, hence the widening here.
 */
function withExpression(keywords: Filter, expression: string | null, now: Date): Filter {
  if (expression === null) return keywords;
  // The request's clock, as a run's: `published > 12h` counts back from the same instant in both.
  const compiled = compileExpression(expression, { now: () => now });
  return (article) => keywords(article) && compiled.test(article as Article).pass;
}

/** What a subscription becomes from the request and what it had: its filters, their parsed filter, its backfill. */
function settingsOf(request: SubscribeRequest, given: Backfill | null, existing: Subscription | null) {
  const { source, keywords } = request;
  const options = withFilter(existing?.options, expressionOf(request, existing));
  // Subscribing again keeps what is not given: an admin changing the backfill must not lose the filters.
  const fill = given ?? existing?.backfill ?? DEFAULT_BACKFILL;
  const follow = request.followDiscussions ?? existing?.followDiscussions;
  const base = {
    source: chosen(source, existing?.source ?? null),
    keywords: chosen(keywords, existing?.keywords ?? null),
    backfill: fill,
    // Absent until an admin gives it: rows stored before the option read the same.
    ...(follow !== undefined && { followDiscussions: follow }),
    options,
  };
  try {
    return { base, filter: withExpression(parseFilter(base.keywords), options?.filter ?? null, request.now) };
  } catch (error) {
    // Keywords kept from before can fail a check added since: the command says how to drop or replace them.
    if (error instanceof FilterError) throw new SubscriptionOptionError('keywords', base.keywords ?? '', error.message, keywords === undefined);
    throw error;
  }
}

/** A subscription without its options key: one whose options are all dropped reads as before issue 17. */
function withoutOptions(sub: Subscription): Subscription {
  const rest: { -readonly [K in keyof Subscription]: Subscription[K] } = { ...sub };
  delete rest.options;
  return rest;
}

/** Thrown inside the transaction when the subscription changed after its cursor was worked out: subscribe reads it again. */
class ChangedMeanwhile extends Error {}

/** Tries before giving up when other changes keep landing between reading a subscription and writing it. */
const ATTEMPTS = 5;

/**
 * Subscribes a channel, or changes its subscription. Written in one transaction: a delivery run's
 * update cannot write the old cursor over it. The backfill's cursor reads the store, which is async,
 * so it is worked out before the transaction from the subscription as read; if the transaction finds
 * that subscription changed in a way that moves the cursor, it is read and worked out again.
 * Changing the subscription resumes it.
 */
export async function subscribe(subscriptions: Subscriptions, store: Store, request: SubscribeRequest): Promise<Subscribed> {
  const { guildId, channel, backfill } = request;
  const given = backfill === undefined ? null : parseBackfill(backfill);
  if (backfill !== undefined && !given) throw new SubscriptionOptionError('backfill', backfill, 'is not one of: none, latest N (such as latest 10), all');
  const now = request.now.toISOString();
  for (let attempt = 1; ; attempt++) {
    const read = await subscriptions.get(guildId, channel.id);
    const planned = settingsOf(request, given, read);
    // Null when the subscription keeps its cursor (it exists and no backfill was given).
    const fresh = read && !given ? null : { ...planned.base, cursor: await backfillCursor(store, planned.base, planned.filter) };
    let filter = planned.filter;
    try {
      const { before, after } = await subscriptions.upsert({ guildId, channelId: channel.id }, (existing) => {
        const { base, filter: parsed } = settingsOf(request, given, existing);
        filter = parsed;
        let cursor: number;
        if (existing && !given) cursor = existing.cursor;
        else if (
          fresh &&
          fresh.source === base.source &&
          fresh.keywords === base.keywords &&
          (fresh.options?.filter ?? null) === (base.options?.filter ?? null) &&
          showBackfill(fresh.backfill) === showBackfill(base.backfill)
        )
          cursor = fresh.cursor;
        else throw new ChangedMeanwhile();
        if (existing) {
          const changed =
            cursor !== existing.cursor ||
            (base.options?.filter ?? null) !== (existing.options?.filter ?? null) ||
            base.source !== existing.source ||
            base.keywords !== existing.keywords ||
            showBackfill(base.backfill) !== showBackfill(existing.backfill);
          const { options, ...rest } = base;
          return {
            ...withoutOptions(existing),
            ...rest,
            ...(options && { options }),
            cursor,
            paused: null,
            lastError: null,
            revision: revisionOf(existing) + (changed ? 1 : 0),
          };
        }
        const { options, ...rest } = base;
        return {
          guildId,
          channelId: channel.id,
          channelName: channel.name ?? channel.id,
          kind: channel.kind,
          ...rest,
          ...(options && { options }),
          cursor,
          checkedAt: now,
          createdAt: now,
          createdBy: request.by,
          paused: null,
          posted: 0,
          lastPostedAt: null,
          lastRunAt: null,
          lastError: null,
        };
      });
      if (!after) throw new Error('subscribe: the change made no subscription');
      return { before, after, given, filter };
    } catch (error) {
      if (!(error instanceof ChangedMeanwhile)) throw error;
      if (attempt >= ATTEMPTS)
        throw new Error(`subscribe: the subscription of channel ${channel.id} kept changing while it was being written (${ATTEMPTS} tries)`);
    }
  }
}

/** Counting stored articles for a reply stops here ("1,000 articles or more"): the answer stays quick. */
export const WAITING_CAP = 1000;

/** Matching articles stored after position `from`, up to `to`, counted up to WAITING_CAP. */
export async function countWaiting(store: Store, sub: Pick<Subscription, 'source'>, filter: Filter, from: number, to?: number): Promise<number> {
  const last = to ?? (await store.positions.last());
  let n = 0;
  for await (const p of storedFrom(store, from, 'after')) {
    if (p.position > last || n >= WAITING_CAP) break;
    if (await matching(store, sub, filter, p)) n++;
  }
  return n;
}

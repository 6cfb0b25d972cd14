/**
 * Posting a digest exactly once, across processes and crashes. The period is recorded as posted
 * (`tally.digestThrough`, an atomic update of the subscription row) only after Discord has the
 * message, so a crash or a refused send leaves it due and the next run tries again. Each send is
 * preceded by a record of its attempt (`tally.digestAttempt`, as the delivery engine saves
 * `attemptedAt`); a next try after one reads the channel from that moment for the message (by its
 * footer, which names the period), and sends with a nonce made from the channel and the period: a
 * message whose answer was lost is found, or returned by Discord, never made twice. Two processes do not work on one digest at once: each
 * takes the subscription's digest lease first.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/log.ts';
import type { Subscription } from '../../core/state.ts';
import type { MessageView } from '../../core/view.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { type Poster, readAfter, snowflakeAt } from '../delivery/poster.ts';
import { checkedDestination, destinationOf as postDestination } from '../delivery/destination.ts';
import type { DigestPeriod } from './due.ts';
import { instantOf } from './due.ts';
import { digestFooter, digestPostName } from './view.ts';

/**
 * Pages of 100 messages read back from a recorded attempt before sending again (5,000 messages, as
 * the delivery engine reads); reaching it is logged, since a digest further on would be made again.
 */
export const DIGEST_SEARCH_PAGES = 50;
/** Read-backs start this long before the attempt: Discord's clock and ours may differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** The ISO time stored as `digestThrough`: the period's end, in UTC. */
export function throughOf(period: DigestPeriod): string {
  return period.end.toUTC().toISO() ?? '';
}

/** The same for every send of this period's digest to this channel, and different for any other. */
export function digestNonce(channelId: string, period: DigestPeriod): string {
  return createHash('sha256')
    .update(`${channelId}|digest|${throughOf(period)}`)
    .digest('base64url');
}

/** Where a text channel's digest goes: the subscription's chosen thread, else the channel. */
export function destinationOf(sub: Pick<Subscription, 'channelId' | 'options'>): string {
  return sub.options?.threadId ?? sub.channelId;
}

export type Posted = { readonly how: 'sent' | 'found'; readonly messageId: string };

/** What a send needs besides the message: the poster, the log, the clock and the lease's signal. */
export interface SendContext {
  readonly state: BotState;
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
  /** Fires when the digest's lease is lost: a send still waiting out a rate limit is dropped. */
  readonly signal?: AbortSignal;
  /** @default DIGEST_SEARCH_PAGES */
  readonly searchPages?: number;
}

/**
 * The digest an earlier run set out to post for this period, if Discord has it: looked for only when
 * that attempt was recorded (an attempt is saved before every send, so without one nothing was sent),
 * from the attempt's time on.
 */
async function findPosted(ctx: SendContext, sub: Subscription, period: DigestPeriod): Promise<string | null> {
  const attempt = sub.tally?.digestAttempt;
  if (attempt?.through !== throughOf(period)) return null;
  const footer = digestFooter(period);
  const since = attempt.at - CLOCK_SKEW_MS;
  const where = { guild: sub.guildId, channel: sub.channelId, through: attempt.through, since: new Date(since).toISOString() };
  if (sub.kind === 'forum') {
    const bound = (threads: number): void =>
      ctx.log.warn(
        { ...where, threads },
        'digest: looked for an earlier attempt among archived forum posts and stopped at the search bound; posting it (it may show twice)',
      );
    return ctx.poster.findForumPost(sub.guildId, sub.channelId, digestPostName(period), footer, since, bound);
  }
  const bot = ctx.poster.botId();
  const pages = ctx.searchPages ?? DIGEST_SEARCH_PAGES;
  const { found, bound } = await readAfter(ctx.poster, destinationOf(sub), snowflakeAt(since), pages, (page) =>
    page.find((m) => m.authorId === bot && m.footer === footer),
  );
  if (bound)
    ctx.log.warn(
      { ...where, messages: pages * 100 },
      'digest: looked for an earlier attempt and stopped at the search bound before the present; posting it (it may show twice)',
    );
  return found?.id ?? null;
}

/**
 * Saves that this period's digest is about to be sent, before sending: a crash or a lost answer
 * after it leaves the time a later run reads the channel from. False when the subscription is gone.
 */
export async function recordAttempt(state: BotState, sub: Pick<Subscription, 'guildId' | 'channelId'>, period: DigestPeriod, at: number): Promise<boolean> {
  const through = throughOf(period);
  const change = await state.subscriptions.update({ guildId: sub.guildId, channelId: sub.channelId }, (current) =>
    current === null ? null : { ...current, tally: { ...current.tally, digestAttempt: { through, at } } },
  );
  return change.before !== null;
}

/** Sends `message` unless this period's digest is already there. Throws what the poster throws. */
export async function sendOnce(ctx: SendContext, sub: Subscription, period: DigestPeriod, message: MessageView): Promise<Posted> {
  const existing = await findPosted(ctx, sub, period);
  if (existing !== null) return { how: 'found', messageId: existing };
  // The lease lost while the period was read: the new holder posts it.
  ctx.signal?.throwIfAborted();
  if (sub.kind !== 'forum' && sub.options?.threadId) {
    // Checked as a delivery run checks it: a thread of another channel or server gets nothing (the run pauses the subscription).
    const checked = await checkedDestination(ctx.poster, sub, postDestination(sub, ctx.log, ctx.now), ctx.log);
    if ('pause' in checked) throw new Error(`digest: not posted: ${checked.pause}`);
  }
  if (!(await recordAttempt(ctx.state, sub, period, ctx.now().getTime()))) throw new Error('digest: the subscription was removed before its digest was sent');
  const messageId =
    sub.kind === 'forum'
      ? await ctx.poster.forumPost(sub.channelId, digestPostName(period), message)
      : await ctx.poster.send(destinationOf(sub), message, digestNonce(sub.channelId, period), ctx.signal);
  return { how: 'sent', messageId };
}

/**
 * Records `period` as posted: `digestThrough` moves forward to its end, never back (a process that
 * posted an older period late does not undo a newer one). False when the subscription is gone.
 */
export async function recordPosted(state: BotState, sub: Pick<Subscription, 'guildId' | 'channelId'>, period: DigestPeriod): Promise<boolean> {
  const through = throughOf(period);
  const end = period.end.toMillis();
  const change = await state.subscriptions.update({ guildId: sub.guildId, channelId: sub.channelId }, (current) => {
    if (current === null) return null;
    if ((instantOf(current.tally?.digestThrough) ?? -Infinity) >= end) return null;
    return { ...current, tally: { ...current.tally, digestThrough: through } };
  });
  return change.before !== null;
}

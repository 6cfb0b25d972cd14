/**
 * Posting a digest exactly once, across processes and crashes. The period is recorded as posted
 * (`tally.digestThrough`, an atomic update of the subscription row) only after Discord has the
 * message, so a crash or a refused send leaves it due and the next run tries again. That next try
 * first looks for the message in the channel (by its footer, which names the period), and sends
 * with a nonce made from the channel and the period: a message whose answer was lost is found, or
 * returned by Discord, never made twice. Two processes do not work on one digest at once: each
 * takes the subscription's digest lease first.
 */
import { createHash } from 'node:crypto';
import type { Subscription } from '../../core/state.ts';
import type { MessageView } from '../../core/view.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { type Poster, readAfter, snowflakeAt } from '../delivery/poster.ts';
import type { DigestPeriod } from './due.ts';
import { instantOf } from './due.ts';
import { digestFooter, digestPostName } from './view.ts';

/** Pages of 100 messages read back after the period's end before sending again: a busy channel's few hours. */
const READ_BACK_PAGES = 5;

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

/** The digest already in Discord for this period, if a run before this one made it. */
async function findPosted(poster: Poster, sub: Subscription, period: DigestPeriod): Promise<string | null> {
  const footer = digestFooter(period);
  const since = period.end.toMillis();
  if (sub.kind === 'forum') return poster.findForumPost(sub.guildId, sub.channelId, digestPostName(period), footer, since);
  const bot = poster.botId();
  const { found } = await readAfter(poster, destinationOf(sub), snowflakeAt(since), READ_BACK_PAGES, (page) =>
    page.find((m) => m.authorId === bot && m.footer === footer),
  );
  return found?.id ?? null;
}

/** Sends `message` unless this period's digest is already there. Throws what the poster throws. */
export async function sendOnce(poster: Poster, sub: Subscription, period: DigestPeriod, message: MessageView): Promise<Posted> {
  const existing = await findPosted(poster, sub, period);
  if (existing !== null) return { how: 'found', messageId: existing };
  const messageId =
    sub.kind === 'forum'
      ? await poster.forumPost(sub.channelId, digestPostName(period), message)
      : await poster.send(destinationOf(sub), message, digestNonce(sub.channelId, period));
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

/**
 * Feed health where people see it (issue 17): after each poll round, each server that chose a health
 * channel (/feed health-channel) and subscribes to a feed hears ONE message when the feed starts
 * failing (FEED_NOTICE_AFTER), one when it is paused, and one when it recovers.
 *
 * Exactly once, across processes and crashes: the compare-and-set that moves the feed's `noticed`
 * flag also records the notice as pending (its text, its nonce's key, the channels it goes to); each
 * channel is struck off only after Discord answered. A notice still pending in a later round, after a
 * crash or a failed send, is sent again with the same nonce (Discord returns the first message within
 * its window), after reading the channel from the last attempt for it (past that window). Of
 * several processes in one round, the one whose compare-and-set bumps the attempt sends.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/log.ts';
import type { FeedNotice, FeedState, PendingNotice, Subscription } from '../../core/state.ts';
import type { BotState, GuildSettings } from '../../adapters/store/state.ts';
import { NotInDiscord, type Poster, readAfter, snowflakeAt } from '../delivery/poster.ts';
import type { PollResult } from './poll.ts';
import { noticeFor, noticeText } from './status.ts';

export interface FeedHealthDeps {
  readonly state: BotState;
  /** Sends, and reads a channel back after a crash. */
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
}

/** The outcomes after which a feed's state may have changed. */
const POLLED = new Set<PollResult['outcome']>(['failed', 'stored', 'not-modified']);
/** A pending notice attempted less than this long ago is another process's, in this same round. */
export const NOTICE_RETRY_AFTER_MS = 60_000;
/** Rounds a notice is tried in before it is given up (logged): a channel that never takes it does not hold the feed's later notices forever. */
export const NOTICE_ATTEMPTS = 10;
/** Pages of 100 messages read back in a channel from the last attempt; reaching it is logged. */
const READ_BACK_PAGES = 10;
/** Read-backs start this long before the attempt: Discord's clock and ours may differ. */
const CLOCK_SKEW_MS = 5 * 60_000;

/** Sends the notices the poll `results` call for, and any still pending, each once across every process. */
export async function noticeFeedHealth(deps: FeedHealthDeps, results: readonly PollResult[]): Promise<void> {
  const looked = results.filter((r) => r.outcome !== 'cut-off');
  if (looked.length === 0) return;
  const channels = await deps.state.guildSettings.healthChannels();
  const { subscriptions } = await deps.state.subscriptions.list();
  for (const result of looked) {
    let feed = await deps.state.feeds.get(result.url);
    if (feed?.noticePending) {
      // The next notice waits for this one, so that a channel hears them in order.
      if (!(await retry(deps, feed, feed.noticePending))) continue;
      feed = await deps.state.feeds.get(result.url);
    }
    if (!feed || !POLLED.has(result.outcome)) continue;
    await decide(deps, feed, recipients(feed, channels, subscriptions));
  }
}

/** Claims and sends the notice `feed`'s state calls for, if it differs from the one told. */
async function decide(deps: FeedHealthDeps, feed: FeedState, to: readonly string[]): Promise<void> {
  const now = deps.now();
  const wanted = noticeFor(feed, now);
  const told = feed.noticed ?? null;
  if (wanted === told) return;
  // A feed nobody hears about stays unflagged, so a health channel chosen later still hears it failing.
  if (wanted !== null && to.length === 0) return;
  const pending: PendingNotice = {
    notice: wanted ?? 'recovered',
    content: noticeText(feed, wanted, now),
    key: keyOf(feed, wanted),
    channels: to,
    attempts: 1,
    attemptedAt: now.getTime(),
  };
  const { after } = await deps.state.feeds.update(feed.url, (current) =>
    current && (current.noticed ?? null) === told && !current.noticePending && noticeFor(current, now) === wanted
      ? { ...current, noticed: wanted, noticePending: to.length > 0 ? pending : null }
      : null,
  );
  if (after === null || to.length === 0) return;
  await send(deps, feed.url, pending, null);
}

/**
 * Sends a notice left pending by an earlier round, unless another process took this round's
 * attempt. Whether it is done (sent everywhere, or given up), so the feed's next notice may follow.
 */
async function retry(deps: FeedHealthDeps, feed: FeedState, pending: PendingNotice): Promise<boolean> {
  const now = deps.now().getTime();
  if (now - pending.attemptedAt < NOTICE_RETRY_AFTER_MS) return false;
  const fields = { feed: feed.url, notice: pending.notice, channels: pending.channels };
  const giveUp = pending.attempts >= NOTICE_ATTEMPTS;
  const next = giveUp ? null : { ...pending, attempts: pending.attempts + 1, attemptedAt: now };
  const { after } = await deps.state.feeds.update(feed.url, (current) =>
    current?.noticePending?.key === pending.key && current.noticePending.attempts === pending.attempts ? { ...current, noticePending: next } : null,
  );
  if (after === null) return false;
  if (next === null) {
    deps.log.warn({ ...fields, attempts: pending.attempts }, 'feed health: the notice could not be posted in these channels after every attempt; given up');
    return true;
  }
  deps.log.info({ ...fields, attempt: next.attempts }, 'feed health: sending a notice an earlier round left unsent');
  return send(deps, feed.url, next, pending.attemptedAt);
}

/**
 * Sends `pending` to each of its channels, first reading each back from `lastAttempt` (when there
 * was one) for the message a lost answer or a crash hid. Strikes off each channel Discord answered,
 * or that is gone; whether none is left.
 */
async function send(deps: FeedHealthDeps, url: string, pending: PendingNotice, lastAttempt: number | null): Promise<boolean> {
  let left = pending.channels.length;
  for (const channelId of pending.channels) {
    const fields = { channelId, feed: url, notice: pending.notice };
    try {
      const found = lastAttempt === null ? null : await findSent(deps, channelId, pending.content, lastAttempt);
      if (found === null) await deps.poster.send(channelId, { content: pending.content }, nonceOf(pending.key, channelId));
      else deps.log.info({ ...fields, message: found }, 'feed health: the notice was posted by an earlier round; kept');
    } catch (error) {
      // A refusal (permissions, say) may be put right before the next round; a deleted channel cannot.
      if (!(error instanceof NotInDiscord && error.what === 'channel')) {
        deps.log.warn({ ...fields, err: error }, 'feed health: the notice could not be posted; the next round sends it again');
        continue;
      }
      deps.log.warn({ ...fields, err: error }, 'feed health: the health channel was deleted; the notice is not sent there');
    }
    await strikeOff(deps.state, url, pending.key, channelId);
    left--;
  }
  if (left === 0) deps.log.info({ feed: url, notice: pending.notice, channels: pending.channels.length }, 'feed health: notice sent');
  return left === 0;
}

/** The bot's message saying `content` in the channel since `attemptedAt`, if an earlier send made it. */
async function findSent(deps: FeedHealthDeps, channelId: string, content: string, attemptedAt: number): Promise<string | null> {
  const bot = deps.poster.botId();
  const since = attemptedAt - CLOCK_SKEW_MS;
  const { found, bound } = await readAfter(deps.poster, channelId, snowflakeAt(since), READ_BACK_PAGES, (page) =>
    page.find((m) => m.authorId === bot && m.content === content),
  );
  if (bound)
    deps.log.warn(
      { channelId, messages: READ_BACK_PAGES * 100, since: new Date(since).toISOString() },
      'feed health: looked for an earlier notice and stopped at the search bound; sending it (it may show twice)',
    );
  return found?.id ?? null;
}

/** Removes `channelId` from the feed's pending notice `key`; the notice is done when none is left. */
async function strikeOff(state: BotState, url: string, key: string, channelId: string): Promise<void> {
  await state.feeds.update(url, (current) => {
    const p = current?.noticePending;
    if (!current || p?.key !== key) return null;
    const channels = p.channels.filter((c) => c !== channelId);
    return { ...current, noticePending: channels.length > 0 ? { ...p, channels } : null };
  });
}

/** The health channels of the servers with a subscription to the feed (its source, or every source). */
function recipients(feed: FeedState, channels: readonly GuildSettings[], subscriptions: readonly Subscription[]): string[] {
  const guilds = new Set(subscriptions.filter((s) => s.source === null || s.source === feed.name).map((s) => s.guildId));
  return channels.filter((c) => c.healthChannelId !== null && guilds.has(c.guildId)).map((c) => c.healthChannelId as string);
}

/** Names one notice: the feed, what is said, and the time it is about (the failures' start, or the recovery). */
function keyOf(feed: FeedState, wanted: FeedNotice | null): string {
  const at = wanted === null ? (feed.lastOkAt ?? '') : (feed.failingSince ?? '');
  return createHash('sha256')
    .update(`${feed.url}\n${wanted ?? 'ok'}\n${at}`)
    .digest('base64url')
    .slice(0, 32);
}

function nonceOf(key: string, channelId: string): string {
  return `fh${createHash('sha256').update(`${key}\n${channelId}`).digest('base64url').slice(0, 22)}`;
}

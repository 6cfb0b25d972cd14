/**
 * Feed health where people see it (issue 17): after each poll round, each server that chose a health
 * channel (/feed health-channel) and subscribes to a feed hears ONE message when the feed starts
 * failing, one when it is paused, and one when it recovers. Several processes may run this after
 * their rounds: the one whose compare-and-set moves the feed's `noticed` flag sends; the others see
 * the flag moved and send nothing. Each notice's nonce is made from the feed, the notice and its
 * time, so a resend after a crash is not doubled.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../../core/log.ts';
import type { FeedNotice, FeedState, Subscription } from '../../core/state.ts';
import type { MessageView } from '../../core/view.ts';
import type { BotState, GuildSettings } from '../../adapters/store/state.ts';
import { escape } from '../views/markdown.ts';
import type { Poster } from '../delivery/poster.ts';
import type { PollResult } from './poll.ts';
import { noticeFor, span, utcMinute } from './status.ts';

export interface FeedHealthDeps {
  readonly state: BotState;
  /** Only sends: any Poster does. */
  readonly poster: Pick<Poster, 'send'>;
  readonly log: Logger;
  readonly now: () => Date;
}

/** The outcomes after which a feed's state may have changed. */
const POLLED = new Set<PollResult['outcome']>(['failed', 'stored', 'not-modified']);

/** Sends the notices the poll `results` call for, each once across every process. */
export async function noticeFeedHealth(deps: FeedHealthDeps, results: readonly PollResult[]): Promise<void> {
  const polled = results.filter((r) => POLLED.has(r.outcome));
  if (polled.length === 0) return;
  const channels = await deps.state.guildSettings.healthChannels();
  const { subscriptions } = await deps.state.subscriptions.list();
  for (const result of polled) {
    const feed = await deps.state.feeds.get(result.url);
    if (!feed) continue;
    const wanted = noticeFor(feed);
    const told = feed.noticed ?? null;
    if (wanted === told) continue;
    const to = recipients(feed, channels, subscriptions);
    // A feed nobody hears about stays unflagged, so a health channel chosen later still hears it failing.
    if (wanted !== null && to.length === 0) continue;
    if (!(await claim(deps.state, feed, told, wanted))) continue;
    const message = wanted === null ? recovered(feed, deps.now()) : wanted === 'paused' ? paused(feed) : failing(feed);
    const key = `${feed.url}\n${wanted ?? 'ok'}\n${wanted === null ? (feed.lastOkAt ?? '') : (feed.failingSince ?? '')}`;
    for (const channelId of to) {
      try {
        await deps.poster.send(channelId, message, nonceOf(key, channelId));
      } catch (error) {
        deps.log.warn({ err: error, channelId, feed: feed.url, notice: wanted ?? 'recovered' }, 'feed health: the notice could not be posted');
      }
    }
    deps.log.info({ feed: feed.url, notice: wanted ?? 'recovered', channels: to.length }, 'feed health: notice sent');
  }
}

/** The health channels of the servers with a subscription to the feed (its source, or every source). */
function recipients(feed: FeedState, channels: readonly GuildSettings[], subscriptions: readonly Subscription[]): string[] {
  const guilds = new Set(subscriptions.filter((s) => s.source === null || s.source === feed.name).map((s) => s.guildId));
  return channels.filter((c) => c.healthChannelId !== null && guilds.has(c.guildId)).map((c) => c.healthChannelId as string);
}

/** Moves the feed's flag from `told` to `wanted` if no one else has; whether this call moved it. */
async function claim(state: BotState, feed: FeedState, told: FeedNotice | null, wanted: FeedNotice | null): Promise<boolean> {
  const { after } = await state.feeds.update(feed.url, (current) =>
    current && (current.noticed ?? null) === told && noticeFor(current) === wanted ? { ...current, noticed: wanted } : null,
  );
  return after !== null;
}

function nonceOf(key: string, channelId: string): string {
  return `fh${createHash('sha256').update(`${key}\n${channelId}`).digest('base64url').slice(0, 22)}`;
}

function named(feed: FeedState): string {
  return `**${escape(feed.name)}** (<${feed.url}>)`;
}

function failing(feed: FeedState): MessageView {
  const since = feed.failingSince ? ` since ${utcMinute(feed.failingSince)}` : '';
  const next = feed.retryAt ? ` Next try: ${utcMinute(feed.retryAt)}.` : '';
  return { content: `⚠ Feed failing${since}: ${named(feed)}\nReason: ${escape(feed.problem ?? feed.lastError ?? 'unknown')}.${next}` };
}

function paused(feed: FeedState): MessageView {
  return {
    content: `⏸ Feed paused: ${named(feed)}\nReason: ${escape(feed.pausedReason ?? feed.problem ?? 'unknown')}.\nIt is not read until an admin runs \`/feed resume url:${feed.url}\`.`,
  };
}

function recovered(feed: FeedState, now: Date): MessageView {
  const back = feed.lastOkAt ?? now.toISOString();
  const down = feed.failingSince ? ` after ${span(Date.parse(back) - Date.parse(feed.failingSince))} down` : '';
  return { content: `✅ Feed recovered: ${named(feed)} reads again${down} (since ${utcMinute(back)}).` };
}

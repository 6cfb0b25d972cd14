/** A feed's health as /feed list, `paperboy feed list` and the health notices describe it. */
import type { FeedNotice, FeedState } from '../../core/state.ts';
import { truncate } from '../../core/text/truncate.ts';
import { escape } from '../views/markdown.ts';

export interface FeedHealth {
  /** `new`: added, not read yet; `failing`: the last poll failed; `paused`: not polled until resumed. */
  readonly state: 'ok' | 'new' | 'failing' | 'paused';
  /** When the failures began (failing, paused), else null. */
  readonly since: string | null;
  /** Why, in plain words (failing, paused), else null. */
  readonly reason: string | null;
  readonly lastSuccess: string | null;
  /** The earliest the next poll reads it: a time while it backs off, `next run` when due, null while paused. */
  readonly nextPoll: string | null;
  /** Items in the last poll that read it. */
  readonly items: number;
}

export function feedHealth(feed: FeedState): FeedHealth {
  const common = { lastSuccess: feed.lastOkAt, items: feed.items };
  if (feed.pausedAt) return { ...common, state: 'paused', since: feed.pausedAt, reason: feed.pausedReason ?? feed.problem ?? feed.lastError, nextPoll: null };
  if (feed.failures > 0)
    return { ...common, state: 'failing', since: feed.failingSince ?? null, reason: feed.problem ?? feed.lastError, nextPoll: feed.retryAt ?? 'next run' };
  return { ...common, state: feed.lastOkAt ? 'ok' : 'new', since: null, reason: null, nextPoll: 'next run' };
}

/**
 * How long a feed fails before the health channel hears of it: this many polls in a row AND this
 * long since the first, so that one timeout or a minute's outage is not told twice (failing, then
 * recovered) to a channel that can do nothing about it.
 */
export const FEED_NOTICE_AFTER = { polls: 2, ms: 15 * 60_000 } as const;

/** Failures told at once: a bot wall does not go away by itself, and a gone feed is paused at once anyway. */
const TOLD_AT_ONCE = new Set(['bot-wall', 'gone']);

/**
 * The notice a feed's state calls for at `now`: `paused`, `failing`, or null (healthy). A feed
 * failing for less than FEED_NOTICE_AFTER keeps what was told before: nothing new for a blip, and
 * no recovery for one either, since a recovery is only said after a failing (or paused) notice.
 */
export function noticeFor(feed: FeedState, now: Date): FeedNotice | null {
  if (feed.pausedAt) return 'paused';
  if (feed.failures === 0) return null;
  if (TOLD_AT_ONCE.has(feed.problemKind ?? '')) return 'failing';
  const since = feed.failingSince ? Date.parse(feed.failingSince) : now.getTime();
  const long = feed.failures >= FEED_NOTICE_AFTER.polls && now.getTime() - since >= FEED_NOTICE_AFTER.ms;
  return long ? 'failing' : (feed.noticed ?? null);
}

/** `2026-12-01T16:05:09.123Z` → `2026-12-01 16:05 UTC`. */
export function utcMinute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A span of time in words, to the minute under two days: `40 minutes`, `2 hours 29 minutes`, `3 days 4 hours`. */
export function span(ms: number): string {
  const unit = (n: number, word: string): string => (n === 0 ? '' : `${n} ${word}${n === 1 ? '' : 's'}`);
  const both = (a: string, b: string): string => [a, b].filter(Boolean).join(' ');
  const minutes = Math.max(1, Math.round(ms / 60_000));
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return both(unit(hours, 'hour'), unit(minutes % 60, 'minute'));
  return both(unit(Math.floor(hours / 24), 'day'), unit(hours % 24, 'hour'));
}

/**
 * A notice's longest reason, name and address, before escaping (which at most doubles the first two):
 * the longest notice, a pause naming the address twice, stays inside Discord's 2,000 characters.
 */
const REASON_MAX = 400;
const NAME_MAX = 100;
const URL_MAX = 300;

function named(feed: FeedState): string {
  return `**${escape(truncate(feed.name, NAME_MAX).text)}** (<${truncate(feed.url, URL_MAX, '…').text}>)`;
}

function reason(text: string | null | undefined): string {
  return escape(truncate(text ?? 'unknown', REASON_MAX).text);
}

/** The text of a health notice about `feed`: `failing`, `paused`, or recovered (null) at `now`. */
export function noticeText(feed: FeedState, notice: FeedNotice | null, now: Date): string {
  if (notice === 'failing') {
    const since = feed.failingSince ? ` since ${utcMinute(feed.failingSince)}` : '';
    const next = feed.retryAt ? ` Next try: ${utcMinute(feed.retryAt)}.` : '';
    return `⚠ Feed failing${since}: ${named(feed)}\nReason: ${reason(feed.problem ?? feed.lastError)}.${next}`;
  }
  if (notice === 'paused')
    return `⏸ Feed paused: ${named(feed)}\nReason: ${reason(feed.pausedReason ?? feed.problem)}.\nIt is not read until an admin runs \`/feed resume url:${truncate(feed.url, URL_MAX, '…').text}\`.`;
  const back = feed.lastOkAt ?? now.toISOString();
  const down = feed.failingSince ? ` after ${span(Date.parse(back) - Date.parse(feed.failingSince))} down` : '';
  return `✅ Feed recovered: ${named(feed)} reads again${down} (since ${utcMinute(back)}).`;
}

/** A feed's health as /feed list, `paperboy feed list` and the health notices describe it. */
import type { FeedNotice, FeedState } from '../../core/state.ts';

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

/** The notice a feed's state calls for: `paused`, `failing`, or null (healthy). */
export function noticeFor(feed: FeedState): FeedNotice | null {
  if (feed.pausedAt) return 'paused';
  return feed.failures > 0 ? 'failing' : null;
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

/**
 * Subscriptions: which channel gets which articles, kept in keyv (one key per channel) so that
 * every bot process sees the same list. A subscription remembers how far through the store it has
 * got (`cursor`, a store position) rather than a list of every article it posted.
 */
import type Keyv from 'keyv';
import { keyvValues } from '../store/kv.ts';
import type { Target } from './engine-types.ts';

export type Backfill = { kind: 'none' } | { kind: 'all' } | { kind: 'latest'; count: number };

/** An article that cannot be posted as it is: kept with the reason, out of the way of the articles after it. */
export interface SetAside {
  readonly articleId: string;
  readonly title: string;
  /** Discord's refusal or the planning error, in its words. */
  readonly reason: string;
  readonly at: string;
  /** An admin asked for another try (/subscriptions retry): the next run delivers it again. */
  readonly retry: boolean;
}

/**
 * An article whose post and thread are made and whose comments go out a slice per run: the cursor
 * has moved past it, so the articles stored after it are not held up, and every run goes on with its
 * thread until it is complete.
 */
export interface Unfinished {
  readonly articleId: string;
  readonly title: string;
  /** Comment messages not yet posted, as of the last run that posted some. */
  readonly left: number;
  readonly at: string;
}

export interface Subscription extends Target {
  readonly channelName: string;
  readonly source: string | null;
  /** The filter as typed: words, or `/regex/flags`. */
  readonly keywords: string | null;
  readonly backfill: Backfill;
  /** Articles stored at or before this store position are done (posted, or not matching). */
  readonly cursor: number;
  /** Articles updated after this time are checked for new comments and changed text. */
  readonly checkedAt: string;
  readonly createdAt: string;
  readonly createdBy: string;
  /** Why delivery stopped; an admin subscribes again to resume. */
  readonly paused: { readonly reason: string; readonly at: string } | null;
  readonly posted: number;
  readonly lastPostedAt: string | null;
  readonly lastRunAt: string | null;
  readonly lastError: string | null;
  /** Articles set aside; absent in subscriptions stored before set-aside existed. */
  readonly setAside?: readonly SetAside[];
  /** Articles whose threads are still being posted; absent in subscriptions stored before threads went in slices. */
  readonly unfinished?: readonly Unfinished[];
}

/** A subscription's set-aside articles (none when it was stored before they existed). */
export function setAsideOf(sub: Pick<Subscription, 'setAside'>): readonly SetAside[] {
  return sub.setAside ?? [];
}

/** A subscription's articles whose threads are still being posted (none when it was stored before the list existed). */
export function unfinishedOf(sub: Pick<Subscription, 'unfinished'>): readonly Unfinished[] {
  return sub.unfinished ?? [];
}

export function parseBackfill(input: string | undefined): Backfill | null {
  const text = (input ?? 'none').trim().toLowerCase();
  if (text === 'none') return { kind: 'none' };
  if (text === 'all') return { kind: 'all' };
  const latest = /^latest\s+(\d{1,4})$/.exec(text);
  const count = latest ? Number(latest[1]) : NaN;
  return count >= 1 ? { kind: 'latest', count } : null;
}

export function showBackfill(b: Backfill): string {
  return b.kind === 'latest' ? `latest ${b.count}` : b.kind;
}

export class Subscriptions {
  constructor(private readonly keyv: Keyv) {}

  private key(guildId: string, channelId: string): string {
    return `${guildId}:${channelId}`;
  }

  async get(guildId: string, channelId: string): Promise<Subscription | null> {
    return ((await this.keyv.get(this.key(guildId, channelId))) as Subscription | undefined) ?? null;
  }

  async put(sub: Subscription): Promise<void> {
    await this.keyv.set(this.key(sub.guildId, sub.channelId), sub);
  }

  /** Applies `change` to the stored subscription, if it still exists (it may have been removed mid-run). */
  async update(target: Target, change: (sub: Subscription) => Subscription): Promise<Subscription | null> {
    const current = await this.get(target.guildId, target.channelId);
    if (!current) return null;
    const next = change(current);
    await this.put(next);
    return next;
  }

  async remove(guildId: string, channelId: string): Promise<boolean> {
    return this.keyv.delete(this.key(guildId, channelId));
  }

  /** Every subscription, or a guild's, in channel-id order. */
  async list(guildId?: string): Promise<Subscription[]> {
    const all = (await keyvValues<Subscription>(this.keyv, 'subscriptions')).filter((s) => guildId === undefined || s.guildId === guildId);
    return all.sort((a, b) => a.guildId.localeCompare(b.guildId) || a.channelId.localeCompare(b.channelId));
  }
}

/**
 * Subscriptions: which channel gets which articles, kept in keyv (one key per channel) so that
 * every bot process sees the same list. A subscription remembers how far through the store it has
 * got (`cursor`, a store position) rather than a list of every article it posted.
 */
import type Keyv from 'keyv';
import { keyvValues } from '../../adapters/store/kv.ts';
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
  /** Articles set aside, at most MAX_SET_ASIDE; absent in subscriptions stored before set-aside existed. */
  readonly setAside?: readonly SetAside[];
  /** Set-aside articles dropped from the list when it was full (each named in the log); absent when none. */
  readonly setAsideDropped?: number;
  /** Articles whose threads are still being posted; absent in subscriptions stored before threads went in slices. */
  readonly unfinished?: readonly Unfinished[];
  /**
   * Bumped by /subscribe whenever it changes the source, keywords, backfill or cursor. A run that read
   * another revision leaves the cursor and check time as /subscribe put them: what it scanned was
   * chosen by the old settings. Absent (0) in subscriptions stored before it existed.
   */
  readonly revision?: number;
}

/** A subscription's revision (0 when it was stored before revisions existed). */
export function revisionOf(sub: Pick<Subscription, 'revision'>): number {
  return sub.revision ?? 0;
}

/**
 * Set-aside articles a subscription keeps: the stored subscription stays small whatever Discord
 * refuses. Past it the oldest leave the list, named in the log, and /subscriptions counts them.
 */
export const MAX_SET_ASIDE = 100;

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
  /** The last change queued per key: changes to one subscription run one after another in this process. */
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly keyv: Keyv) {}

  private key(guildId: string, channelId: string): string {
    return `${guildId}:${channelId}`;
  }

  async get(guildId: string, channelId: string): Promise<Subscription | null> {
    return ((await this.keyv.get(this.key(guildId, channelId))) as Subscription | undefined) ?? null;
  }

  async put(sub: Subscription): Promise<void> {
    await this.queued(this.key(sub.guildId, sub.channelId), () => this.keyv.set(this.key(sub.guildId, sub.channelId), sub));
  }

  /** Applies `change` to the stored subscription, if it still exists (it may have been removed mid-run). */
  async update(target: Target, change: (sub: Subscription) => Subscription): Promise<Subscription | null> {
    return (await this.upsert(target, (current) => (current ? change(current) : null))).after;
  }

  /**
   * Reads the subscription (null when there is none), and stores what `change` makes of it (nothing
   * when it returns null). Changes to one subscription are queued in this process, so a run's update
   * and a /subscribe never write over each other's read. Across processes this needs an atomic store
   * (a transaction or compare-and-set): keyv's get and set are two operations.
   */
  async upsert(target: Pick<Target, 'guildId' | 'channelId'>, change: (sub: Subscription | null) => Subscription | null): Promise<{ before: Subscription | null; after: Subscription | null }> {
    return this.queued(this.key(target.guildId, target.channelId), async () => {
      const before = await this.get(target.guildId, target.channelId);
      const after = change(before);
      if (after) await this.keyv.set(this.key(target.guildId, target.channelId), after);
      return { before, after };
    });
  }

  private queued<T>(key: string, work: () => Promise<T>): Promise<T> {
    const next = (this.queues.get(key) ?? Promise.resolve()).then(work);
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    // The map holds only keys with a change queued or going.
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
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

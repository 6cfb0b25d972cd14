/**
 * Subscriptions: which channel gets which articles, kept in the database so that every bot process
 * sees the same list (src/adapters/store/subscriptions.ts). A subscription remembers how far through
 * the store it has got (`cursor`, a store position) rather than a list of every article it posted.
 */
import type { Backfill, SetAside, Subscription, Unfinished } from '../../core/state.ts';
import type { InvalidSubscription, SubscriptionChange, SubscriptionList, SubscriptionRepository } from '../../adapters/store/subscriptions.ts';
import type { Target } from './engine-types.ts';

export type { Backfill, InvalidSubscription, SetAside, Subscription, SubscriptionList, Unfinished };

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
  constructor(private readonly repo: SubscriptionRepository) {}

  async get(guildId: string, channelId: string): Promise<Subscription | null> {
    return this.repo.get({ guildId, channelId });
  }

  async put(sub: Subscription): Promise<void> {
    await this.repo.put(sub);
  }

  /** Applies `change` to the stored subscription, if it still exists (it may have been removed mid-run). */
  async update(target: Target, change: (sub: Subscription) => Subscription): Promise<Subscription | null> {
    return (await this.upsert(target, (current) => (current ? change(current) : null))).after;
  }

  /**
   * Reads the subscription (null when there is none), and stores what `change` makes of it (nothing
   * when it returns null), in one transaction: a run's update and a /subscribe never write over each
   * other's read, in this process or across processes on the same database.
   */
  async upsert(target: Pick<Target, 'guildId' | 'channelId'>, change: (sub: Subscription | null) => Subscription | null): Promise<SubscriptionChange> {
    return this.repo.update({ guildId: target.guildId, channelId: target.channelId }, change);
  }

  /** Removes the subscription; the record of what was delivered to the channel stays, so subscribing again does not post it twice. */
  async remove(guildId: string, channelId: string): Promise<boolean> {
    return this.repo.remove({ guildId, channelId });
  }

  /** Every subscription, or a guild's, in channel-id order; apart, the stored rows that do not read back (each caller says so). */
  async list(guildId?: string): Promise<SubscriptionList> {
    return this.repo.list(guildId);
  }
}

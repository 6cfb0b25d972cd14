/**
 * The feeds Paperboy polls, kept in the database (src/adapters/store/feeds.ts) with what each needs
 * between polls: its validators for conditional requests, and its failures, which back it off
 * (5 minutes, doubling, at most a day) with the last reason kept for `/feed list`.
 */
import type { FeedState } from '../../core/state.ts';
import type { FeedRepository } from '../../adapters/store/feeds.ts';

export type { FeedState };

const BACKOFF_START_MS = 5 * 60_000;
const BACKOFF_MAX_MS = 24 * 60 * 60_000;

export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_START_MS * 2 ** Math.max(failures - 1, 0), BACKOFF_MAX_MS);
}

/** A feed URL as given: http(s) only, no credentials, trimmed. Throws a RangeError saying what is wrong. */
export function normalizeFeedUrl(input: string): string {
  let url: URL;
  try {
    url = new URL(input.trim());
  } catch {
    throw new RangeError(`"${input.trim()}" is not a URL; give the feed's full address, starting with https://`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new RangeError(`"${url.protocol}" feeds are not supported; use an http(s) URL`);
  if (url.username || url.password) throw new RangeError('feed URLs with a user name or password are not supported');
  url.hash = '';
  return url.toString();
}

export class FeedRegistry {
  constructor(private readonly repo: FeedRepository) {}

  async get(url: string): Promise<FeedState | null> {
    return this.repo.get(url);
  }

  /** Adds the feed, or renames one already read (keeping its state), in one transaction. */
  async add(url: string, name: string, now: Date): Promise<{ feed: FeedState; existed: boolean }> {
    const { before, after } = await this.repo.update(url, (existing) =>
      existing
        ? { ...existing, name }
        : {
            url,
            name,
            addedAt: now.toISOString(),
            etag: null,
            lastModified: null,
            lastPolledAt: null,
            lastOkAt: null,
            items: 0,
            failures: 0,
            lastError: null,
            retryAt: null,
          },
    );
    if (!after) throw new Error(`feeds: adding ${url} stored nothing`);
    return { feed: after, existed: before !== null };
  }

  /**
   * Stores what `change` makes of the feed as stored now, in one transaction; nothing when the feed
   * is gone (removed during a poll: a poll does not bring it back). Resolves the stored feed or null.
   */
  async update(url: string, change: (feed: FeedState) => FeedState): Promise<FeedState | null> {
    return (await this.repo.update(url, (current) => (current ? change(current) : null))).after;
  }

  async put(feed: FeedState): Promise<void> {
    await this.repo.put(feed);
  }

  async remove(url: string): Promise<boolean> {
    return this.repo.remove(url);
  }

  /** Every feed, in URL order. */
  async list(): Promise<FeedState[]> {
    return this.repo.list();
  }
}

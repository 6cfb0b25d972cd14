/**
 * The feeds Paperboy polls, kept in keyv (one key per URL) with what each needs between polls:
 * its validators for conditional requests, and its failures, which back it off (5 minutes,
 * doubling, at most a day) with the last reason kept for `/feed list`.
 */
import type Keyv from 'keyv';
import { keyvValues } from '../../adapters/store/kv.ts';
import type { Validators } from '../../adapters/feeds/fetch.ts';

export interface FeedState extends Validators {
  readonly url: string;
  /** The source name its articles get. */
  readonly name: string;
  readonly addedAt: string;
  readonly lastPolledAt: string | null;
  readonly lastOkAt: string | null;
  /** Items read in the last poll that got the feed. */
  readonly items: number;
  readonly failures: number;
  readonly lastError: string | null;
  /** Not polled before this time (after failures). */
  readonly retryAt: string | null;
}

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
  constructor(private readonly keyv: Keyv) {}

  async get(url: string): Promise<FeedState | null> {
    return ((await this.keyv.get(url)) as FeedState | undefined) ?? null;
  }

  async add(url: string, name: string, now: Date): Promise<{ feed: FeedState; existed: boolean }> {
    const existing = await this.get(url);
    const feed: FeedState = existing
      ? { ...existing, name }
      : { url, name, addedAt: now.toISOString(), etag: null, lastModified: null, lastPolledAt: null, lastOkAt: null, items: 0, failures: 0, lastError: null, retryAt: null };
    await this.keyv.set(url, feed);
    return { feed, existed: existing !== null };
  }

  async put(feed: FeedState): Promise<void> {
    await this.keyv.set(feed.url, feed);
  }

  async remove(url: string): Promise<boolean> {
    return this.keyv.delete(url);
  }

  async list(): Promise<FeedState[]> {
    const all = await keyvValues<FeedState>(this.keyv, 'feeds');
    return all.sort((a, b) => a.url.localeCompare(b.url));
  }
}

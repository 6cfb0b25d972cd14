/** Adding, removing and listing the feeds Paperboy reads: /feed and the CLI's `feed` share these. */
import { UserError, errorMessage } from '../../core/errors.ts';
import { type FeedRegistry, type FeedState, normalizeFeedUrl } from './registry.ts';

type Registry = Pick<FeedRegistry, 'add' | 'remove' | 'list' | 'update'>;

/** A feed's address as stored, from what was typed; a UserError saying what is wrong with it. */
export function feedAddress(input: string): string {
  try {
    return normalizeFeedUrl(input);
  } catch (error) {
    throw new UserError('bad-option', errorMessage(error), { cause: error });
  }
}

/** The source name a feed's articles get when none is given: the site's host name, without `www.`. */
export function defaultFeedName(address: string): string {
  return new URL(address).hostname.replace(/^www\./, '');
}

export interface AddedFeed {
  readonly address: string;
  /** The source name its articles get. */
  readonly name: string;
  /** Whether it was read already (then only its name changed). */
  readonly existed: boolean;
}

/** Reads the feed at `address` (see feedAddress) from now on, its articles named `name` or by its host. */
export async function addFeed(registry: Registry, address: string, name: string | undefined, now: Date): Promise<AddedFeed> {
  const source = name?.trim() || defaultFeedName(address);
  const { existed } = await registry.add(address, source, now);
  return { address, name: source, existed };
}

/** Stops reading the feed at `address`; whether it was read at all. Its articles stay stored. */
export function removeFeed(registry: Registry, address: string): Promise<boolean> {
  return registry.remove(address);
}

export function listFeeds(registry: Registry): Promise<FeedState[]> {
  return registry.list();
}

/**
 * Polls a paused feed again from the next round, its failures forgotten (so it is not paused again
 * at once). Its `failingSince` and `noticed` stay: when it reads again, the health channel hears it
 * recovered and how long it was down. A UserError when the feed is not read or not paused.
 */
export async function resumeFeed(registry: Registry, address: string): Promise<FeedState> {
  let wasPaused = false;
  const after = await registry.update(address, (feed) => {
    wasPaused = Boolean(feed.pausedAt);
    return wasPaused ? { ...feed, pausedAt: null, pausedReason: null, failures: 0, retryAt: null, lastError: null, problem: null } : feed;
  });
  if (!after) throw new UserError('not-found', `Paperboy does not read ${address}.`);
  if (!wasPaused) throw new UserError('bad-option', `${address} is not paused.`);
  return after;
}

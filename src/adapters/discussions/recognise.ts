/**
 * Which platform a discussion URL belongs to, and the one address Paperboy keeps for it, so that a
 * Reddit post given as old.reddit.com, redd.it or with a slug is followed once, not three times.
 */
import type { DiscussionKind } from './types.ts';

export interface Recognised {
  readonly kind: DiscussionKind;
  /** The canonical address: `https://www.reddit.com/comments/<id>`, `https://news.ycombinator.com/item?id=N`, `<origin>/t/<id>`, or the feed's URL. */
  readonly url: string;
}

const REDDIT_HOSTS = new Set(['reddit.com', 'www.reddit.com', 'old.reddit.com', 'new.reddit.com', 'np.reddit.com', 'm.reddit.com']);
const REDDIT_ID = /^[a-z0-9]{1,16}$/i;
const HN_HOSTS = new Set(['news.ycombinator.com']);
/** Discourse topic ids are positive integers; more digits than this is not a topic. */
const TOPIC_ID = /^[1-9]\d{0,15}$/;

export const REDDIT_CANONICAL = 'https://www.reddit.com/comments/';
export const HN_CANONICAL = 'https://news.ycombinator.com/item?id=';

/** The platform and canonical address of `text`, or null for what Paperboy cannot follow (not http(s), a Reddit or HN page that is no discussion). */
export function recognise(text: string): Recognised | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  if (url.username || url.password) return null;
  const host = url.hostname.toLowerCase().replace(/\.$/, '');
  const parts = url.pathname.split('/').filter((p) => p !== '');
  if (REDDIT_HOSTS.has(host)) {
    // /r/<sub>/comments/<id>/<slug>/… or /comments/<id>/…
    const at = parts[0] === 'r' ? 2 : 0;
    const id = parts[at] === 'comments' ? parts[at + 1] : undefined;
    return id !== undefined && REDDIT_ID.test(id) ? { kind: 'reddit', url: REDDIT_CANONICAL + id.toLowerCase() } : null;
  }
  if (host === 'redd.it') {
    const id = parts[0];
    return parts.length === 1 && id !== undefined && REDDIT_ID.test(id) ? { kind: 'reddit', url: REDDIT_CANONICAL + id.toLowerCase() } : null;
  }
  if (HN_HOSTS.has(host)) {
    const id = url.searchParams.get('id');
    return parts.join('/') === 'item' && id !== null && TOPIC_ID.test(id) ? { kind: 'hackernews', url: HN_CANONICAL + id } : null;
  }
  const topic = discourseTopicId(parts);
  if (topic !== null) return { kind: 'discourse', url: `${url.origin}/t/${topic}` };
  url.hash = '';
  return { kind: 'comment-feed', url: url.href };
}

/** `/t/<slug>/<id>`, `/t/<slug>/<id>/<post number>` or `/t/<id>` (a forum under a sub-folder is not told apart from a feed). */
function discourseTopicId(parts: readonly string[]): string | null {
  if (parts[0] !== 't' || parts.length < 2 || parts.length > 4) return null;
  const [, first, second] = parts;
  if (first !== undefined && TOPIC_ID.test(first) && parts.length <= 3) return first;
  if (second !== undefined && TOPIC_ID.test(second)) return second;
  return null;
}

/** The Reddit post id of a canonical address (`https://www.reddit.com/comments/<id>`), or null. */
export function redditIdOf(canonical: string): string | null {
  if (!canonical.startsWith(REDDIT_CANONICAL)) return null;
  const id = canonical.slice(REDDIT_CANONICAL.length);
  return REDDIT_ID.test(id) ? id : null;
}

/** The item id of a canonical HN address, or null. */
export function hnIdOf(canonical: string): string | null {
  if (!canonical.startsWith(HN_CANONICAL)) return null;
  const id = canonical.slice(HN_CANONICAL.length);
  return TOPIC_ID.test(id) ? id : null;
}

/** The forum's origin and the topic id of a canonical Discourse address, or null. */
export function discourseTopicOf(canonical: string): { readonly origin: string; readonly id: string } | null {
  try {
    const url = new URL(canonical);
    const match = /^\/t\/([1-9]\d{0,15})$/.exec(url.pathname);
    return match?.[1] && !url.search ? { origin: url.origin, id: match[1] } : null;
  } catch {
    return null;
  }
}

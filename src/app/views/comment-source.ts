/**
 * Where a comment was written, for a reader: "Reddit", "Hacker News", a Discourse forum's host, a
 * comment feed's host, or Discord for a thread reply. Imported comment ids carry their platform
 * (`reddit:…`, `hn:…`, `discourse:<host>:…`, `feed:…`); a comment's permalink names the rest. The
 * article-page export's comments (`n<number>`) were written on the article's own site: no source
 * of their own (null), the article's source covers them.
 */
import { type Comment, isHttpUrl } from '../../core/model.ts';
import { isThreadReply } from '../../core/comments.ts';

/** A link longer than this is left out rather than cut: a cut link leads nowhere. */
export const MAX_COMMENT_LINK_CHARS = 500;

/** Hosts under which Reddit serves its pages (www., old., np., …) and its short links. */
function isRedditHost(host: string): boolean {
  return host === 'reddit.com' || host.endsWith('.reddit.com') || host === 'redd.it';
}

function isHackerNewsHost(host: string): boolean {
  return host === 'news.ycombinator.com' || host === 'hn.algolia.com';
}

/** The host of an http(s) URL, lower case, without `www.`; null for anything else. */
function hostOf(url: string | null | undefined): string | null {
  if (!url || !isHttpUrl(url)) return null;
  const host = new URL(url).hostname.toLowerCase();
  return host.startsWith('www.') ? host.slice(4) : host;
}

/** A platform's name for a known host, else the host itself. */
function nameOfHost(host: string): string {
  if (isRedditHost(host)) return 'Reddit';
  if (isHackerNewsHost(host)) return 'Hacker News';
  return host;
}

/**
 * The host in `discourse:<host>:<post id>`: everything between the first and the last colon, so a
 * host with a port (`forum.example:8080`) stays whole. Only a plausible host name is taken: the id is
 * outside text.
 */
function discourseHost(id: string): string | null {
  const rest = id.slice('discourse:'.length);
  const last = rest.lastIndexOf(':');
  const host = last > 0 ? rest.slice(0, last).toLowerCase() : '';
  return /^[a-z0-9.-]{1,253}(:\d{1,5})?$/.test(host) ? host : null;
}

/** Where `c` was written (see the module's note), or null for a comment of the article's own page. */
export function commentSource(c: Pick<Comment, 'id' | 'url'>): string | null {
  const host = hostOf(c.url);
  if (c.id.startsWith('reddit:')) return 'Reddit';
  if (c.id.startsWith('hn:')) return 'Hacker News';
  if (c.id.startsWith('discourse:')) return discourseHost(c.id) ?? host ?? 'a Discourse forum';
  // A feed comment's id is its guid or link; its permalink, else a guid that is a URL, names the site.
  if (c.id.startsWith('feed:')) return host ?? hostOf(c.id.slice('feed:'.length)) ?? 'a comment feed';
  if (isThreadReply(c)) return 'Discord';
  return host === null ? null : nameOfHost(host);
}

/**
 * The comment's permalink when it is an http(s) URL short enough to show whole; else null. Given as
 * the URL parser writes it, so a space or `<` in the stored text cannot end a markdown link early.
 */
export function commentUrl(c: Pick<Comment, 'url'>): string | null {
  if (!c.url || !isHttpUrl(c.url)) return null;
  const href = new URL(c.url).href;
  return href.length <= MAX_COMMENT_LINK_CHARS ? href : null;
}

/**
 * Whether `c` came from a platform whose readers vote (its `rating` is a score) rather than from the
 * article's own page (a rating) or from Discord.
 */
export function isImported(c: Pick<Comment, 'id' | 'url'>): boolean {
  const source = commentSource(c);
  return source !== null && source !== 'Discord';
}

/** "score 12" for an imported comment, "rating 12" for the export's; null when unknown. */
export function scoreText(c: Pick<Comment, 'id' | 'url' | 'rating'>): string | null {
  if (c.rating === null) return null;
  return `${isImported(c) ? 'score' : 'rating'} ${c.rating}`;
}

/**
 * The comment feed a post's HTML page announces. WordPress gives each feed item a `<comments>` link
 * to the post's page (`…/post/#comments`) besides `wfw:commentRss` (the comment feed), and the
 * article keeps the first; that page names its own comment feed in its head:
 *
 *   <link rel="alternate" type="application/rss+xml" title="Blog » Post Comments Feed" href="https://blog/post/feed/" />
 *
 * beside the site's feed (`/feed/`) and the site's comments feed (`/comments/feed/`), which are not
 * this post's. Only a feed under the post's own address is taken: `<post>/…` (WordPress's
 * `<post>/feed/`), or, for a post addressed by its query (`/?p=7`), the same query plus a feed
 * parameter (`/?p=7&feed=rss2`). Everything here is read from outside: the page is read only up to
 * its first `<body>` and a size cap, with htmlparser2 (no regex over the page).
 */
import { Parser } from 'htmlparser2';

/** A page's head is small; a larger start is not searched further (the session already capped the whole body). */
export const MAX_HEAD_BYTES = 512 * 1024;

const FEED_TYPES = new Set(['application/rss+xml', 'application/atom+xml']);
const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Whether an answer is an HTML page rather than a feed. The body decides when its first non-blank
 * characters say (an XML prolog or a feed's root element is a feed, whatever the Content-Type: some
 * servers label feeds text/html; `<!doctype html` or `<html` is a page); otherwise the Content-Type.
 */
export function isHtmlPage(contentType: string | null, body: Buffer): boolean {
  const head = body
    .subarray(0, 512)
    .toString('latin1')
    .replace(/^\xEF\xBB\xBF/, '')
    .trimStart()
    .slice(0, 15)
    .toLowerCase();
  if (head.startsWith('<?xml') || head.startsWith('<rss') || head.startsWith('<feed') || head.startsWith('<rdf')) return false;
  if (head.startsWith('<!doctype html') || head.startsWith('<html')) return true;
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return HTML_TYPES.has(type);
}

interface AnnouncedFeed {
  readonly href: string;
  readonly title: string;
}

/** The `<link rel="alternate">` RSS and Atom feeds in the page's head, in document order. */
function announcedFeeds(html: string): AnnouncedFeed[] {
  const found: AnnouncedFeed[] = [];
  let done = false;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (done) return;
        if (name === 'body') {
          done = true;
          return;
        }
        if (name !== 'link') return;
        const rels = (attributes.rel ?? '').toLowerCase().split(/\s+/);
        const type = (attributes.type ?? '').trim().toLowerCase();
        const href = (attributes.href ?? '').trim();
        if (rels.includes('alternate') && FEED_TYPES.has(type) && href !== '') found.push({ href, title: attributes.title ?? '' });
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.write(html.length > MAX_HEAD_BYTES ? html.slice(0, MAX_HEAD_BYTES) : html);
  parser.end();
  return found;
}

/** `href` as an absolute http(s) address on the page's host, without its fragment; null otherwise. */
function resolved(href: string, page: URL): URL | null {
  let url: URL;
  try {
    url = new URL(href, page);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
  // The same host and port (the URL parser lowercases hosts): a page must not send the bot to another
  // service on its host. http to https on the default ports is the one change allowed.
  const upgraded = page.protocol === 'http:' && url.protocol === 'https:' && page.port === '' && url.port === '';
  if (url.hostname !== page.hostname || (url.origin !== page.origin && !upgraded)) return null;
  url.hash = '';
  return url;
}

/** Whether `feed` is addressed as belonging to the post at `page` (see the module's comment). */
function belongsTo(feed: URL, page: URL): boolean {
  const postPath = page.pathname.endsWith('/') ? page.pathname : `${page.pathname}/`;
  if (page.search === '') return postPath !== '/' && feed.pathname.startsWith(postPath) && feed.pathname.length > postPath.length;
  if (feed.pathname !== page.pathname) return false;
  const own = new URLSearchParams(page.search);
  const theirs = new URLSearchParams(feed.search);
  for (const [key, value] of own) if (theirs.get(key) !== value) return false;
  return theirs.has('feed');
}

/**
 * The address of the comment feed the HTML page at `pageUrl` announces for itself, or null when it
 * announces none (only the site's feeds, or none at all). Among several, one whose title or address
 * says "comment" comes first.
 *
 * @example announcedCommentFeed('https://blog.example.org/2024/05/bus-depot/', html) // 'https://blog.example.org/2024/05/bus-depot/feed/'
 */
export function announcedCommentFeed(pageUrl: string, html: string): string | null {
  let page: URL;
  try {
    page = new URL(pageUrl);
  } catch {
    return null;
  }
  page.hash = '';
  const own = announcedFeeds(html)
    .map((f) => ({ url: resolved(f.href, page), title: f.title }))
    .filter((f): f is { url: URL; title: string } => f.url !== null && f.url.href !== page.href && belongsTo(f.url, page));
  const saysComments = (f: { url: URL; title: string }): boolean => /comment/i.test(f.title) || /comment/i.test(f.url.href);
  return (own.find(saysComments) ?? own[0])?.url.href ?? null;
}

/**
 * Fetching a comment feed: one conditional request, parsed as it comes. When the followed address
 * answers with an HTML page instead (a feed item's `<comments>` link is WordPress's post page,
 * `…/post/#comments`), the comment feed the page announces for itself is fetched in its place, once:
 * the result names it (`discovered`), so that the sync follows that address from then on. A page
 * that announces none, or whose announced feed is a page too, fails with that reason; nothing loops.
 */
import { announcedCommentFeed, isHtmlPage } from './discover-comment-feed.ts';
import { type PlatformContext, failedFrom, parsed } from './fetch-platform.ts';
import type { FetchedDiscussion } from './fetch-types.ts';
import { recognise } from './recognise.ts';

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

/** A fresh fetch of the comment feed a followed page announced: `discovered` is that feed's canonical address. */
export type DiscoveredFetch = Extract<FetchedDiscussion, { outcome: 'fresh' }> & { readonly discovered: string };

/**
 * The comment feed this fetch found through the HTML page at the followed address (to be followed
 * instead from now on), or null. Carried beside FetchedDiscussion's own fields, so that every other
 * fetcher (and every test's) needs nothing new.
 */
export function discoveredFeedOf(fetched: FetchedDiscussion): string | null {
  if (fetched.outcome !== 'fresh' || !('discovered' in fetched)) return null;
  const { discovered } = fetched as DiscoveredFetch;
  return typeof discovered === 'string' ? discovered : null;
}

function failed(reason: string, requests: number): FetchedDiscussion {
  return { outcome: 'failed', reason, retryAt: null, requests };
}

export async function fetchCommentFeed(url: string, context: PlatformContext): Promise<FetchedDiscussion> {
  const { session } = context;
  const spacingMs = context.options.spacing('comment-feed');
  const got = await session.get(url, { accept: FEED_ACCEPT, validators: context.validators, spacingMs });
  if (got.kind === 'failed') return failedFrom(got, session);
  if (got.kind === 'not-modified') return { outcome: 'not-modified', requests: session.requests };
  if (!isHtmlPage(got.headers.get('content-type'), got.body))
    return parsed(session, got, () => context.parser.parse({ kind: 'comment-feed', where: got.url, bytes: got.body, options: context.parseOptions }));

  // Relative links are relative to where the page was in the end (after redirects).
  const announced = announcedCommentFeed(got.url, got.body.toString('utf8'));
  if (announced === null) return failed(`${url} is a web page, not a comment feed, and the page announces no comment feed`, session.requests);
  const feed = recognise(announced);
  if (feed === null || feed.kind !== 'comment-feed' || feed.url === url || feed.url === got.url)
    return failed(`${url} is a web page, not a comment feed, and the feed it announces (${announced}) is not one Paperboy can follow`, session.requests);
  // The feed's own validators are not known yet: asked unconditionally.
  const next = await session.get(feed.url, { accept: FEED_ACCEPT, spacingMs });
  if (next.kind === 'failed') {
    const answer = failedFrom(next, session);
    return answer.outcome === 'failed' ? { ...answer, reason: `the comment feed ${feed.url} announced by the page ${url}: ${answer.reason}` } : answer;
  }
  if (next.kind === 'not-modified')
    return failed(`the comment feed ${feed.url} announced by the page ${url} answered 304 to a plain request`, session.requests);
  if (isHtmlPage(next.headers.get('content-type'), next.body))
    return failed(`${url} is a web page, and the comment feed it announces (${feed.url}) is a web page too`, session.requests);
  const result = await parsed(session, next, () =>
    context.parser.parse({ kind: 'comment-feed', where: next.url, bytes: next.body, options: context.parseOptions }),
  );
  if (result.outcome !== 'fresh') return result;
  const discovered: DiscoveredFetch = { ...result, discovered: feed.url };
  return discovered;
}

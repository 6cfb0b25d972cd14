/**
 * Feeds (RSS, Atom, RDF, JSON Feed) to Articles, with no network: `parseFeed` for a fetched or
 * saved feed document, `isFeed` to tell a saved feed file from Paperboy's own sources.
 */
export { feedItemId } from './articles.ts';
export { isFeed } from './detect.ts';
export { parseFeedDate } from './dates.ts';
export { parseFeed } from './parse.ts';
export type { FeedParseOptions, ParsedFeed } from './parse.ts';

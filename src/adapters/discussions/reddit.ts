/** Reddit's JSON (a post's `.json` listing, /api/morechildren) into a Discussion. Written by issue 16's parser work. */
import type { ParseOptions } from '../sources/parse-options.ts';
import type { Discussion } from './types.ts';

/** Whether `json` is a Reddit post listing: `[postListing, commentListing]`. */
export function looksLikeRedditListing(json: unknown): boolean {
  void json;
  return false;
}

/** A post's listing as a Discussion; `where` names the file or URL in messages. */
export function parseRedditListing(where: string, json: unknown, options: ParseOptions = {}): Discussion {
  void json;
  void options;
  throw new Error(`${where}: Reddit listings are not read yet`);
}

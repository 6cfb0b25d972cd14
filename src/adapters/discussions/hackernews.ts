/** Hacker News items (Algolia's `items/ID` tree, or the official API's items) into a Discussion. Written by issue 16's parser work. */
import type { ParseOptions } from '../sources/parse-options.ts';
import type { Discussion } from './types.ts';

/** Whether `json` is a saved Hacker News item: Algolia's tree, or an official API item (or an array of them). */
export function looksLikeHackerNews(json: unknown): boolean {
  void json;
  return false;
}

/** A saved Hacker News item (either API) as a Discussion; `where` names the file or URL in messages. */
export function parseHackerNews(where: string, json: unknown, options: ParseOptions = {}): Discussion {
  void json;
  void options;
  throw new Error(`${where}: Hacker News items are not read yet`);
}

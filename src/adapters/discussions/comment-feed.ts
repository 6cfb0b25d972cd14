/** An article's comment feed (RSS/Atom, `wfw:commentRss`, `thr:in-reply-to`) into a Discussion. Written by issue 16's parser work. */
import type { ParseOptions } from '../sources/parse-options.ts';
import type { Discussion } from './types.ts';

/** Whether the feed's bytes are a comment feed (the comments of one article) rather than a feed of articles. */
export function looksLikeCommentFeed(bytes: Buffer | string): boolean {
  void bytes;
  return false;
}

/** A comment feed as a Discussion, linked to the article it discusses; `where` names the file or URL in messages. */
export function parseCommentFeed(where: string, bytes: Buffer | string, options: ParseOptions = {}): Discussion {
  void bytes;
  void options;
  throw new Error(`${where}: comment feeds are not read yet`);
}

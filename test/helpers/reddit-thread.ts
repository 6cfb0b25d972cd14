/**
 * The real Reddit thread of shared/datasets/discussions (r/announcements "We're back": 485 comments
 * in this copy, 9 replies deep, 10 deleted) as an Article, and the counts the tree views are checked
 * against, taken from the JSON itself.
 *
 * Built here from the listing until src/adapters/discussions/reddit.ts's parseRedditListing reads
 * one: the same mapping issue 16 gives it (`reddit:<id>`, replyTo from `parent_id`, score as rating,
 * the permalink, deleted text gone). Switch to the parser when it lands.
 */
import { readFileSync } from 'node:fs';
import { Article, type Comment, articleId } from '../../src/core/model.ts';
import { linkCommentQuotes } from '../../src/adapters/sources/comment-quotes.ts';

export const REDDIT_LISTING = '/work/shared/datasets/discussions/reddit_n49rw_announcements_were_back.listing.json';

interface Thing {
  kind: string;
  data: Record<string, unknown> & { replies?: { data: { children: Thing[] } } | '' };
}

/** A t1 comment as the JSON has it, with its depth counted while walking the listing. */
export interface RawComment {
  readonly id: string;
  readonly parent: string | null;
  readonly depth: number;
  readonly author: string;
  readonly score: number;
  readonly body: string;
}

interface Listing {
  data: { children: Thing[] };
}

export function rawListing(): [Listing, Listing] {
  return JSON.parse(readFileSync(REDDIT_LISTING, 'utf8')) as [Listing, Listing];
}

/** Every t1 comment of the listing in the order Reddit nests them (depth first), with its depth. */
export function rawComments(): RawComment[] {
  const out: RawComment[] = [];
  const walk = (things: readonly Thing[], depth: number): void => {
    for (const t of things) {
      if (t.kind !== 't1') continue;
      const d = t.data;
      const parent = String(d.parent_id);
      out.push({
        id: String(d.id),
        parent: parent.startsWith('t1_') ? parent.slice(3) : null,
        depth,
        author: String(d.author),
        score: Number(d.score),
        body: String(d.body),
      });
      if (d.replies) walk(d.replies.data.children, depth + 1);
    }
  };
  walk(rawListing()[1].data.children, 0);
  return out;
}

const iso = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z');
const paragraphs = (text: string): string[] =>
  text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

/** The thread as an Article, checked against the model. */
export function redditThread(): Article {
  const [postListing, comments] = rawListing();
  const post = postListing.data.children[0]?.data ?? {};
  const permalink = `https://www.reddit.com${String(post.permalink)}`;
  const list: Comment[] = [];
  const walk = (things: readonly Thing[]): void => {
    for (const t of things) {
      if (t.kind !== 't1') continue;
      const d = t.data;
      const deleted = d.body === '[deleted]' || d.body === '[removed]';
      const parent = String(d.parent_id);
      list.push({
        id: `reddit:${String(d.id)}`,
        number: null,
        author: d.author === '[deleted]' ? null : String(d.author),
        authorId: null,
        postedAt: iso(Number(d.created_utc)),
        rating: Number(d.score),
        paragraphs: deleted ? [] : paragraphs(String(d.body)),
        quotes: [],
        replyTo: parent.startsWith('t1_') ? `reddit:${parent.slice(3)}` : null,
        url: `${permalink}${String(d.id)}/`,
        editedAt: typeof d.edited === 'number' ? iso(d.edited) : null,
        ...(deleted ? { deleted: true } : {}),
      });
      if (d.replies) walk(d.replies.data.children);
    }
  };
  walk(comments.data.children);
  const body = paragraphs(String(post.selftext)).map((text) => ({ type: 'paragraph' as const, text }));
  const fields = { title: String(post.title), url: permalink, source: `Reddit r/${String(post.subreddit)}` };
  return Article.parse({
    id: articleId(fields),
    ...fields,
    author: String(post.author),
    publishedAt: iso(Number(post.created_utc)),
    language: null,
    body,
    comments: linkCommentQuotes(body, list),
    declaredCommentCount: Number(post.num_comments),
    commentsUrl: permalink,
    ingestedAt: '2026-12-01T00:00:00.000Z',
  });
}

/**
 * The real Reddit thread of shared/datasets/discussions (r/announcements "We're back": 485 comments
 * in this copy, 9 replies deep, 10 deleted) as parseRedditListing reads it, and the raw comments
 * with their depths walked from the JSON itself, which the tree views are checked against.
 */
import { readFileSync } from 'node:fs';
import type { Article } from '../../src/core/model.ts';
import { parseRedditListing } from '../../src/adapters/discussions/reddit.ts';

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

/** The thread as the Reddit parser reads it: an Article of 485 comments (checked against the model by the parser). */
export function redditThread(): Article {
  return parseRedditListing(REDDIT_LISTING, rawListing()).article;
}

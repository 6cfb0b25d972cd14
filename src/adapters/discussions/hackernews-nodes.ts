/** One Hacker News item, from either API, in one shape: what the Discussion is built from. */
import { type JsonObject, int, isoFromSeconds, isoFromText, num, str } from './markup-json.ts';

export interface HnNode {
  readonly id: number;
  /** The item it answers; null for a story. */
  readonly parent: number | null;
  readonly author: string | null;
  readonly postedAt: string | null;
  readonly title: string | null;
  readonly url: string | null;
  /** HTML, as HN writes it. */
  readonly text: string | null;
  /** The story's points; HN shows none for comments. */
  readonly points: number | null;
  /** The story's comment count as HN states it (Firebase `descendants`, Algolia `num_comments`). */
  readonly descendants: number | null;
  readonly deleted: boolean;
  /** Flagged or killed: HN hides the text. */
  readonly dead: boolean;
}

function count(value: number | null): number | null {
  return value !== null && value >= 0 ? value : null;
}

/** An official API item (`by`, `time`, `kids`, `parent`, `deleted`, `dead`, `descendants`). */
export function firebaseNode(item: JsonObject): HnNode {
  return {
    id: int(item, 'id') ?? 0,
    parent: int(item, 'parent'),
    author: str(item, 'by'),
    postedAt: isoFromSeconds(num(item, 'time')),
    title: str(item, 'title'),
    url: str(item, 'url'),
    text: str(item, 'text'),
    points: int(item, 'score'),
    descendants: count(int(item, 'descendants')),
    deleted: item.deleted === true,
    dead: item.dead === true,
  };
}

/**
 * A node of Algolia's tree. Algolia keeps deleted comments as nodes with neither author nor text;
 * `parent` falls back to the node the tree nests it under.
 */
export function algoliaNode(item: JsonObject, under: number | null = null): HnNode {
  const author = str(item, 'author');
  const text = str(item, 'text');
  const isComment = item.type === 'comment' || under !== null;
  return {
    id: int(item, 'id') ?? 0,
    parent: int(item, 'parent_id') ?? under,
    author,
    postedAt: isoFromText(str(item, 'created_at')) ?? isoFromSeconds(num(item, 'created_at_i')),
    title: str(item, 'title'),
    url: str(item, 'url'),
    text,
    points: int(item, 'points'),
    descendants: count(int(item, 'num_comments')),
    deleted: isComment && author === null && text === null,
    dead: false,
  };
}

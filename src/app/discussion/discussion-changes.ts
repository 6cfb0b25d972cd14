/**
 * What one sync of a followed discussion changes, as plain functions over comments: which stored
 * comments a fetch shows were deleted at the source, what the sync adds, edits and deletes, and which
 * ids the next sync compares against.
 */
import type { Discussion } from '../../adapters/discussions/types.ts';
import { type Comment, commentText } from '../../core/model.ts';

/** What a sync did to the stored comments of a discussion. */
export interface CommentChanges {
  readonly added: number;
  /** Text, edit time or deletion changed (a comment restored at the source counts here). */
  readonly edited: number;
  /** Deleted at the source since the last sync, or gone from a complete fetch. */
  readonly deleted: number;
}

/**
 * A comment gone from its source, as the merge stores it: text gone, node kept. Every other field is
 * null, which the store's merge reads as "keep what is stored", so the author, time and place in the
 * tree stay and its replies keep their parent.
 */
export function deletedStub(id: string): Comment {
  return { id, number: null, author: null, authorId: null, postedAt: null, rating: null, paragraphs: [], quotes: [], replyTo: null, deleted: true };
}

/**
 * Whether a fetch may lack comments that are still at the source: it announced some it does not hold
 * (`missing`), or it was left with any Reddit stub. A "continue this thread" stub names no children
 * and no count, so it adds nothing to `missing`, yet a whole branch sits behind it.
 */
export function isPartial(discussion: Pick<Discussion, 'missing' | 'more'>): boolean {
  return discussion.missing > 0 || discussion.more.length > 0;
}

/** What one fetch does to the stored comments: what to store, and the ids the next sync compares against. */
export interface Synced {
  /** The fetched comments, and a deleted stub for each stored one the fetch shows is gone. */
  readonly comments: Comment[];
  readonly seen: string[];
}

/**
 * What storing a fetch that held `fetched` does, given the ids the last syncs saw (`seen`) and the
 * comments stored. A comment the last syncs saw that the fetch no longer holds is marked deleted only
 * when the fetch shows it is gone, which takes all of:
 * - the fetch is complete (not `partial`): a partial one may simply not have reached it;
 * - the fetch holds its parent (or, for a top-level comment, the discussion, which every fetch holds):
 *   a comment whose parent is absent too sat in a branch the fetch did not reach. Hacker News through
 *   Algolia announces no count, so a subtree Algolia lags on looks complete: only this tells;
 * - no live comment of this discussion below it is absent as well: Reddit and Hacker News keep a
 *   deleted comment that has replies as a node without text, so one that vanished with its replies
 *   is a branch the fetch did not reach (the root of a missing subtree has its parent held).
 * A comment left unmarked stays in `seen`: a later fetch that reaches its parent can tell.
 */
export function syncComments(fetched: readonly Comment[], partial: boolean, seen: readonly string[], stored: readonly Comment[]): Synced {
  const held = new Set(fetched.map((c) => c.id));
  const ids = fetched.map((c) => c.id);
  if (partial) return { comments: [...fetched], seen: [...ids, ...seen.filter((id) => !held.has(id))] };
  const byId = new Map(stored.map((c) => [c.id, c]));
  const absent = new Set(seen.filter((id) => !held.has(id) && byId.get(id)?.deleted !== true && byId.has(id)));
  // Every stored comment above an absent one. Each climb stops at a comment already marked, so the
  // whole pass is linear even for a chain of thousands of replies, and a loop in bad data ends it.
  const above = new Set<string>();
  for (const id of absent) {
    for (let parent = byId.get(id)?.replyTo ?? null; parent !== null && !above.has(parent) && byId.has(parent); parent = byId.get(parent)?.replyTo ?? null)
      above.add(parent);
  }
  const gone: string[] = [];
  const unknown: string[] = [];
  for (const id of absent) {
    const parent = byId.get(id)?.replyTo ?? null;
    if ((parent === null || held.has(parent)) && !above.has(id)) gone.push(id);
    else unknown.push(id);
  }
  return { comments: [...fetched, ...gone.map(deletedStub)], seen: [...ids, ...unknown] };
}

/** What storing `incoming` over the `stored` comments changes (the store's merge: none is dropped). */
export function commentChanges(stored: readonly Comment[], incoming: readonly Comment[]): CommentChanges {
  const before = new Map(stored.map((c) => [c.id, c]));
  let added = 0;
  let edited = 0;
  let deleted = 0;
  for (const c of incoming) {
    const old = before.get(c.id);
    if (!old) added++;
    else if (c.deleted && !old.deleted) deleted++;
    else if (Boolean(c.deleted) !== Boolean(old.deleted) || commentText(c) !== commentText(old) || (c.editedAt ?? old.editedAt) !== old.editedAt) edited++;
  }
  return { added, edited, deleted };
}

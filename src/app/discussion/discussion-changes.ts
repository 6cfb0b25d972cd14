/**
 * What one sync of a followed discussion changes, as plain functions over comments: which stored
 * comments a complete fetch shows were deleted at the source, what the sync adds, edits and
 * deletes, and which ids the next sync compares against.
 */
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
 * The comments to store for a fetch that held `fetched` and announced `missing` more: the fetched
 * ones, and a deleted stub for each stored, live comment the last syncs saw (`seen`) that the fetch
 * no longer holds. Only a complete fetch (missing 0) says a comment is gone: a partial one may
 * simply not have reached it.
 */
export function commentsToStore(fetched: readonly Comment[], missing: number, seen: readonly string[], stored: readonly Comment[]): Comment[] {
  if (missing > 0) return [...fetched];
  const held = new Set(fetched.map((c) => c.id));
  const live = new Set(stored.filter((c) => !c.deleted).map((c) => c.id));
  const gone = seen.filter((id) => !held.has(id) && live.has(id));
  return [...fetched, ...gone.map(deletedStub)];
}

/**
 * The ids the next sync compares against: those of a complete fetch, or, after a partial one, those
 * seen before as well (a comment the partial fetch did not reach is not known to be gone).
 */
export function seenIds(fetched: readonly Comment[], missing: number, seen: readonly string[]): string[] {
  const ids = fetched.map((c) => c.id);
  if (missing === 0) return ids;
  const all = new Set(ids);
  return [...ids, ...seen.filter((id) => !all.has(id))];
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

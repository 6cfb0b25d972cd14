/**
 * A followed comment-feed address that turned out to be the post's HTML page (a feed item's
 * `<comments>` link) is followed from then on at the comment feed the page announces
 * (adapters/discussions/fetch-comment-feed.ts): the row moves to that address with what the sync
 * just learnt, through the repository's own update and remove. Not one transaction, so each step
 * leaves a state the next sync puts right: a crash after the new row is written leaves the old one,
 * whose next sync finds the page again, sees the feed followed already, and removes it.
 */
import type { DiscussionRepository, DiscussionState } from '../../adapters/store/discussions.ts';

/**
 * Follows `to` instead of `from`: `synced` makes the new row from the old one (its url already
 * `to`). A discussion removed meanwhile is not brought back; a feed followed already keeps its own
 * row (its own validators, article and syncs) and the page's row goes.
 */
export async function followInstead(
  repo: DiscussionRepository,
  from: string,
  to: string,
  synced: (current: DiscussionState) => DiscussionState,
): Promise<void> {
  const current = await repo.get(from);
  if (!current) return;
  await repo.update(to, (existing) => existing ?? synced({ ...current, url: to }));
  await repo.remove(from);
}

/** The line the operator sees about it. */
export function movedWarning(from: string, to: string): string {
  return `${from}: a web page, not a comment feed; the comment feed it announces, ${to}, is followed from now on`;
}

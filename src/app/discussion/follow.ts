/**
 * Following discussions where they happen (issue 16): which ones Paperboy keeps in sync, as /discussion
 * and `paperboy discussion` add, list and remove them. The sync itself is sync.ts.
 */
import type { DiscussionFetcher } from '../../adapters/discussions/fetch-types.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { DiscussionRepository, DiscussionState } from '../../adapters/store/discussions.ts';
import { UserError } from '../../core/errors.ts';
import { requireArticle } from '../library/find.ts';

export type { DiscussionState };

/** Longer than any discussion address; a paste of a whole page is refused rather than stored as a key. */
export const MAX_DISCUSSION_URL = 2048;

export interface FollowOptions {
  /** The stored article its comments go to: an id, a unique id prefix, or the article's URL. */
  readonly articleId?: string;
  /** Who asked (a Discord user id, or `cli`). */
  readonly by?: string;
  readonly now: Date;
}

export interface FollowedDiscussion {
  readonly discussion: DiscussionState;
  /** Whether it was followed already (then only its article changed, when one was given). */
  readonly existed: boolean;
}

/** A discussion as nothing has synced it yet. */
export function newDiscussion(url: string, kind: DiscussionState['kind'], articleId: string | null, by: string | null, now: Date): DiscussionState {
  return {
    url,
    kind,
    articleId,
    ownsArticle: false,
    addedAt: now.toISOString(),
    addedBy: by,
    etag: null,
    lastModified: null,
    lastPolledAt: null,
    lastOkAt: null,
    comments: 0,
    missing: 0,
    commentIds: [],
    failures: 0,
    lastError: null,
    retryAt: null,
    paused: null,
  };
}

export class DiscussionFollows {
  constructor(
    private readonly repo: DiscussionRepository,
    private readonly fetcher: Pick<DiscussionFetcher, 'recognise'>,
    private readonly store: Store,
  ) {}

  /**
   * The canonical address of the discussion at `input`: a UserError naming what is wrong when it is
   * not one Paperboy can follow.
   */
  address(input: string): { readonly kind: DiscussionState['kind']; readonly url: string } {
    const typed = input.trim();
    if (typed.length === 0)
      throw new UserError('bad-option', 'give the address of a discussion: a Reddit post, a Hacker News item, a Discourse topic or a comment feed');
    if (typed.length > MAX_DISCUSSION_URL)
      throw new UserError('bad-option', `a discussion address is at most ${MAX_DISCUSSION_URL} characters; this one has ${typed.length}`);
    if (!/^https?:\/\//i.test(typed))
      throw new UserError('bad-option', `"${typed}" is not a web address; give the discussion's full address, starting with https://`);
    const recognised = this.fetcher.recognise(typed);
    if (!recognised) {
      throw new UserError(
        'bad-option',
        `"${typed}" is not a discussion Paperboy can follow: give a Reddit post, a Hacker News item, a Discourse topic or a comment feed (RSS or Atom) address`,
      );
    }
    return recognised;
  }

  /**
   * Follows the discussion at `input` from now on. Followed already, it keeps its state; a given
   * article replaces the one it had (its comments go there from the next sync).
   */
  async add(input: string, options: FollowOptions): Promise<FollowedDiscussion> {
    const { url, kind } = this.address(input);
    const articleId = options.articleId === undefined ? null : (await requireArticle(this.store, options.articleId)).id;
    const { before, after } = await this.repo.update(url, (existing) => {
      if (!existing) return newDiscussion(url, kind, articleId, options.by ?? null, options.now);
      // The sync stored an article of its own for it; comments now go to the one named.
      return articleId === null || articleId === existing.articleId ? existing : { ...existing, articleId, ownsArticle: false };
    });
    if (!after) throw new Error(`discussions: following ${url} stored nothing`);
    return { discussion: after, existed: before !== null };
  }

  /** Stops following the discussion at `input` (its canonical address, or as stored); whether it was followed. Its comments stay stored. */
  async remove(input: string): Promise<boolean> {
    const typed = input.trim();
    if (await this.repo.remove(typed)) return true;
    const recognised = this.fetcher.recognise(typed);
    return recognised !== null && recognised.url !== typed && this.repo.remove(recognised.url);
  }

  async get(input: string): Promise<DiscussionState | null> {
    const typed = input.trim();
    const found = await this.repo.get(typed);
    if (found) return found;
    const recognised = this.fetcher.recognise(typed);
    return recognised && recognised.url !== typed ? this.repo.get(recognised.url) : null;
  }

  /** Every followed discussion, in URL order. */
  list(): Promise<DiscussionState[]> {
    return this.repo.list();
  }

  /** The discussions whose comments go to the article `articleId`. */
  ofArticle(articleId: string): Promise<DiscussionState[]> {
    return this.repo.ofArticle(articleId);
  }

  /** Stops syncing it (it stays followed, listed with `reason`); false when it is not followed. */
  async pause(input: string, reason: string): Promise<boolean> {
    const found = await this.get(input);
    if (!found) return false;
    return (await this.repo.update(found.url, (d) => d && { ...d, paused: reason })).after !== null;
  }

  /** Syncs it again from the next run, its backoff forgotten; false when it is not followed. */
  async resume(input: string): Promise<boolean> {
    const found = await this.get(input);
    if (!found) return false;
    return (await this.repo.update(found.url, (d) => d && { ...d, paused: null, failures: 0, retryAt: null })).after !== null;
  }
}

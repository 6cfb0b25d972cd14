/**
 * What following a discussion needs from the network, and nothing more: one call that brings a
 * discussion's current tree, politely. The implementation (issue 16's fetching work) keeps per-host
 * backoff and rate limits (Reddit's 429 and `x-ratelimit-*`), sends conditional requests, expands
 * Reddit's `more` stubs and Hacker News's kids within the run's budget, and fetches nothing twice in
 * one run. Addresses are checked as feeds' are (public only unless FEED_ALLOW_HOSTS allows them).
 */
import type { Validators } from '../feeds/fetch.ts';
import type { Discussion, DiscussionKind } from './types.ts';

/**
 * Requests one sync run may still make, shared by every discussion in it. One object per run: the
 * fetcher keeps a run's answers by this object (a URL asked twice in a run is fetched once), so a new
 * run needs a new budget object, and the fetcher itself can live as long as the process (its per-host
 * gates, with their rate limits and backoff, carry over from run to run).
 */
export interface RequestBudget {
  /** Requests left; a fetcher stops asking (and counts what it left out) when it reaches 0. */
  remaining: number;
}

export type FetchedDiscussion =
  | {
      readonly outcome: 'fresh';
      readonly discussion: Discussion;
      /** For the next conditional request to the discussion's main address. */
      readonly validators: Validators;
      /** Requests this fetch made. */
      readonly requests: number;
    }
  /** The source says nothing changed since `validators` (304). */
  | { readonly outcome: 'not-modified'; readonly requests: number }
  /**
   * Could not be read, in plain words ("HTTP 404", "timed out after 15 s", "refused: 10.0.0.1 is a
   * private address"). `retryAt` (ISO) when the host said when to come back (429, Retry-After) or
   * its backoff runs until then.
   */
  | { readonly outcome: 'failed'; readonly reason: string; readonly retryAt: string | null; readonly requests: number };

export interface DiscussionFetcher {
  /** Which platform a discussion URL belongs to, with its canonical address; null when Paperboy cannot follow it. */
  recognise(url: string): { readonly kind: DiscussionKind; readonly url: string } | null;
  /**
   * The discussion at `url` (a canonical address from `recognise`) as it is now. `validators` are the
   * last fresh fetch's; `signal` cuts it short at shutdown.
   */
  fetch(url: string, validators: Validators, budget: RequestBudget, signal?: AbortSignal): Promise<FetchedDiscussion>;
}

/**
 * Feed health where people see it (issue 17): CONTRACT STUB, replaced by the feed-health work. After
 * each poll round, notices go to each server's health channel when a feed starts failing or recovers.
 */
import type { Logger } from '../../core/log.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { Poster } from '../delivery/poster.ts';
import type { PollResult } from './poll.ts';

export interface FeedHealthDeps {
  readonly state: BotState;
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
}

/** Sends the notices the poll `results` call for. STUB: none. */
export function noticeFeedHealth(deps: FeedHealthDeps, results: readonly PollResult[]): Promise<void> {
  void deps;
  void results;
  return Promise.resolve();
}

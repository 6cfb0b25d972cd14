/**
 * Digests (issue 17): CONTRACT STUB, replaced by the digest work. After each delivery run, each
 * subscription whose digest is due posts it.
 */
import type { Logger } from '../../core/log.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { BotState } from '../../adapters/store/state.ts';
import type { Poster } from '../delivery/poster.ts';

export interface DigestDeps {
  readonly store: Store;
  readonly state: BotState;
  readonly poster: Poster;
  readonly log: Logger;
  readonly now: () => Date;
}

/** Posts every digest that is due. STUB: none. */
export function runDigests(deps: DigestDeps): Promise<void> {
  void deps;
  return Promise.resolve();
}

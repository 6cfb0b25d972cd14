/**
 * The claim a process holds on one subscription while it delivers it, so that of several processes
 * running the schedule each subscription is delivered by one at a time (issue 15 point 5). Without
 * a lease (one process) the claim is always held and stops only at shutdown.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from '../../core/log.ts';
import { keepLease } from '../../adapters/store/leases.ts';
import type { LeaseOptions } from '../lease-options.ts';
import type { Target } from './engine-types.ts';

/**
 * The right to deliver one subscription in this run. `signal` aborts when the run is stopped or the
 * lease is lost; `held` renews the lease just before a write to the subscription's row and says
 * whether it is still this process's: a process that lost it leaves the row to the new holder.
 */
export interface Claim {
  readonly signal: AbortSignal;
  held(): Promise<boolean>;
}

/** A claim under a lease, released by `stop()` (safe to call twice). */
export interface LeasedClaim extends Claim {
  stop(): Promise<void>;
}

/** The lease a subscription is delivered under: one per channel, across every process on the database. */
export function deliveryLeaseName(sub: Pick<Target, 'guildId' | 'channelId'>): string {
  return `deliver:${sub.guildId}:${sub.channelId}`;
}

/** The claim of a process that delivers alone: held until `stopping` fires. */
export function soleClaim(stopping: AbortSignal): Claim {
  return { signal: stopping, held: () => Promise.resolve(true) };
}

/**
 * Takes the subscription's lease and keeps it until `stop()`; null when another process holds it.
 * Rejects when the lease store cannot be reached.
 */
export async function claimSubscription(
  lease: LeaseOptions,
  sub: Pick<Target, 'guildId' | 'channelId'>,
  stopping: AbortSignal,
  log: Logger,
): Promise<LeasedClaim | null> {
  const name = deliveryLeaseName(sub);
  const kept = await keepLease(lease.repo, name, lease.holder, lease.ttlMs, { log });
  if (!kept) return null;
  const lost = kept.signal;
  const signal = AbortSignal.any([stopping, lost]);
  // As for the runner's stopping signal: every send in flight listens on it.
  setMaxListeners(0, signal);
  return {
    signal,
    // Renewed rather than looked at: a write that follows has a whole ttl before anyone may take over.
    held: async () => !lost.aborted && (await lease.repo.renew(name, lease.holder, lease.ttlMs)),
    stop: () => kept.stop(),
  };
}

/**
 * What a use case needs to share scheduled work with other processes: the lease repository, this
 * process's holder id (processHolderId) and how long a lease lasts without renewal
 * (DELIVERY_LEASE_SECONDS). Without it a use case runs as the only process, as before.
 */
import type { LeaseRepository } from '../adapters/store/leases.ts';

export interface LeaseOptions {
  readonly repo: LeaseRepository;
  readonly holder: string;
  readonly ttlMs: number;
}

/**
 * How every role stops: at SIGINT or SIGTERM (or when another process took the SQLite file's lock
 * over) the work stops, the leases are released, the connections close, and the process exits.
 */
import type { Logger } from '../core/log.ts';
import { DatabaseError } from '../adapters/store/errors.ts';
import type { ProcessLock } from '../adapters/store/lock.ts';
import type { KvSweep } from '../adapters/store/postgres/kv.ts';
import type { LeaseOptions } from '../app/lease-options.ts';
import type { HealthServer } from '../ui/health/server.ts';
import type { Backends } from './backends.ts';

/** After the work has stopped: the leases this process holds go back at once (not at their expiry), then the connections close. */
export async function drain(storage: Backends, lease: LeaseOptions | null, health: HealthServer | null, log: Logger, sweep: KvSweep | null): Promise<void> {
  sweep?.stop();
  if (lease) {
    try {
      const released = await lease.repo.releaseAll(lease.holder);
      log.info({ released, holder: lease.holder }, 'leases released');
    } catch (error) {
      log.warn({ err: error }, 'leases not released: they expire by themselves');
    }
  }
  await health?.close();
  await storage.close();
  log.info('stopped');
}

/** How long the process may linger once it has stopped and closed what it owns. */
const EXIT_GRACE_MS = 1000;

/**
 * Once the bot has stopped and closed everything it owns, a message it abandoned at shutdown can
 * still sit in discord.js's rate-limit wait (a timer no one can cancel: up to a window, or a 429's
 * Retry-After) and keep the process alive, sending nothing. The timer is unref'd: a process with
 * nothing left ends at once; otherwise it ends after the grace, with the exit code already set.
 */
export function exitSoon(): void {
  setTimeout(() => process.exit(), EXIT_GRACE_MS).unref();
}

/**
 * Resolves with null on SIGINT or SIGTERM; with the reason to stop when another process took the
 * database lock over (this one was unresponsive past the stale bound), so that only one runs.
 */
export function untilStop(log: Logger, lock: ProcessLock | null, database: string): Promise<DatabaseError | null> {
  const signalled = new Promise<null>((done) => {
    const stop = (signal: string): void => {
      log.info({ signal }, 'stopping');
      done(null);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  if (!lock) return signalled;
  const lost = lock.lost.then(
    (holder) =>
      new DatabaseError(
        database,
        `${database}: this Paperboy stopped: it was unresponsive for longer than its database lock allows, and pid ${holder.pid} on ${holder.hostname} took the lock over at ${holder.startedAt}`,
      ),
  );
  return Promise.race([signalled, lost]);
}

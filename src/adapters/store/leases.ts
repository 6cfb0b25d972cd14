/**
 * Leases: named claims that expire, so that of several processes running the same job each piece of
 * work (a destination's article, a feed's poll) is done by one of them, and a process that dies
 * mid-way loses its claim to whoever comes next. A claim is one statement (INSERT … ON CONFLICT DO
 * UPDATE … WHERE expired or mine), never a read and then a write.
 *
 * Clocks: SQLite compares against the caller's clock. Every process on one SQLite file runs on one
 * machine (WAL needs shared memory), so they all read the same clock. PostgreSQL
 * (postgres/leases.ts) uses the database's clock, the one clock that processes on several machines
 * share.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../core/log.ts';
import type { Db } from './connection.ts';

/** Who holds a live lease, and until when (ms since the epoch, on the database's clock). */
export interface Lease {
  readonly holder: string;
  readonly expiresAt: number;
}

/** Where leases are kept. Every method is atomic on its own. */
export interface LeaseRepository {
  /**
   * Takes `name` for `holder` for `ttlMs`: true when it was free, expired, or already this holder's
   * (then its expiry moves to now + ttlMs). Of several holders claiming at once, exactly one gets true.
   */
  claim(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /**
   * Extends `holder`'s lease to now + ttlMs; false when it is no longer theirs (another took it after
   * it expired, or it was released). A lease that expired but no one took is still theirs: no one
   * else can have worked under it.
   */
  renew(name: string, holder: string, ttlMs: number): Promise<boolean>;
  /** Gives up `holder`'s lease on `name`; nothing when someone else holds it. */
  release(name: string, holder: string): Promise<void>;
  /** Gives up every lease `holder` has (draining at SIGTERM); resolves how many. */
  releaseAll(holder: string): Promise<number>;
  /** The live lease on `name`, or null when it is free or expired. */
  holderOf(name: string): Promise<Lease | null>;
}

/** Longest name and holder id accepted: they are keys, not documents. */
const MAX_NAME = 512;
/** A lease is for minutes of work at most; a day is a mistake in the caller. */
const MAX_TTL_MS = 24 * 60 * 60 * 1000;

function checkText(what: string, value: string): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_NAME) {
    throw new Error(
      `leases: expected \`${what}\` to be a string of 1 to ${MAX_NAME} characters, got ${typeof value === 'string' ? `${value.length} characters` : typeof value}`,
    );
  }
}

/** Throws, naming the bad value, unless the arguments make a lease. */
export function checkLeaseArgs(name: string, holder: string, ttlMs?: number): void {
  checkText('name', name);
  checkText('holder', holder);
  if (ttlMs !== undefined && (!Number.isInteger(ttlMs) || ttlMs < 1 || ttlMs > MAX_TTL_MS)) {
    throw new Error(`leases: expected \`ttlMs\` to be a whole number from 1 to ${MAX_TTL_MS}, got \`${ttlMs}\``);
  }
}

let holderId: string | undefined;

/**
 * This process's holder id, `hostname:pid:random`: the same for the whole life of the process (so
 * releaseAll at SIGTERM finds every lease it took), different at every start (so a restarted
 * process with a reused pid never inherits a dead one's leases).
 */
export function processHolderId(): string {
  holderId ??= `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;
  return holderId;
}

/** The `leases` table (SQLite migration 6). `expires_at` and `claimed_at` in ms since the epoch. */
export const sqliteLeaseTable = `CREATE TABLE leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    claimed_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX leases_holder ON leases (holder);`;

function settle<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

export class SqliteLeaseRepository implements LeaseRepository {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      // One statement, so SQLite's write lock makes it atomic across handles and processes.
      claim: db.prepare<[{ name: string; holder: string; now: number; ttl: number }]>(
        `INSERT INTO leases (name, holder, expires_at, claimed_at) VALUES (@name, @holder, @now + @ttl, @now)
         ON CONFLICT (name) DO UPDATE SET
           holder = excluded.holder,
           expires_at = excluded.expires_at,
           claimed_at = CASE WHEN leases.holder = excluded.holder THEN leases.claimed_at ELSE excluded.claimed_at END
         WHERE leases.expires_at <= @now OR leases.holder = excluded.holder`,
      ),
      renew: db.prepare<[{ name: string; holder: string; now: number; ttl: number }]>(
        'UPDATE leases SET expires_at = @now + @ttl WHERE name = @name AND holder = @holder',
      ),
      release: db.prepare<[string, string]>('DELETE FROM leases WHERE name = ? AND holder = ?'),
      releaseAll: db.prepare<[string]>('DELETE FROM leases WHERE holder = ?'),
      holderOf: db.prepare<[string, number], { holder: string; expiresAt: number }>(
        'SELECT holder, expires_at AS expiresAt FROM leases WHERE name = ? AND expires_at > ?',
      ),
    };
  }

  // Each method runs its statement inside a promise, so a bad argument or a database error rejects
  // as it does on PostgreSQL instead of throwing at the call.
  claim(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return settle(() => {
      checkLeaseArgs(name, holder, ttlMs);
      return this.stmts.claim.run({ name, holder, now: Date.now(), ttl: ttlMs }).changes > 0;
    });
  }

  renew(name: string, holder: string, ttlMs: number): Promise<boolean> {
    return settle(() => {
      checkLeaseArgs(name, holder, ttlMs);
      return this.stmts.renew.run({ name, holder, now: Date.now(), ttl: ttlMs }).changes > 0;
    });
  }

  release(name: string, holder: string): Promise<void> {
    return settle(() => {
      checkLeaseArgs(name, holder);
      this.stmts.release.run(name, holder);
    });
  }

  releaseAll(holder: string): Promise<number> {
    return settle(() => {
      checkText('holder', holder);
      return this.stmts.releaseAll.run(holder).changes;
    });
  }

  holderOf(name: string): Promise<Lease | null> {
    return settle(() => {
      checkText('name', name);
      return this.stmts.holderOf.get(name, Date.now()) ?? null;
    });
  }
}

/** A lease being kept alive. */
export interface KeptLease {
  /** Aborted when the lease is lost (reason: an Error naming it) or stopped: work under it must stop. */
  readonly signal: AbortSignal;
  /** Stops renewing and releases the lease (unless it was lost). Safe to call twice. */
  stop(): Promise<void>;
}

export interface KeepOptions {
  /** Where a failed renewal is told. */
  readonly log?: Logger;
}

/**
 * Claims `name` and keeps it: renewed every ttl/3 until `stop()`. Resolves null when someone else
 * holds it. The signal aborts when a renewal finds the lease taken or released, or when renewals
 * have failed (database unreachable) for long enough that it may have expired: two thirds of the ttl
 * since the last one that worked, so that work stops before another process can take it over.
 */
export async function keepLease(repo: LeaseRepository, name: string, holder: string, ttlMs: number, options: KeepOptions = {}): Promise<KeptLease | null> {
  // Timed from before the claim was sent: the lease runs from the database's moment, which is later.
  let renewedAt = Date.now();
  if (!(await repo.claim(name, holder, ttlMs))) return null;
  const controller = new AbortController();
  const every = Math.max(1, Math.floor(ttlMs / 3));
  let timer: NodeJS.Timeout | undefined;
  let deadline: NodeJS.Timeout | undefined;

  const end = () => {
    clearTimeout(timer);
    clearTimeout(deadline);
  };
  const lose = (why: string) => {
    end();
    if (!controller.signal.aborted) controller.abort(new Error(`lease ${name}: ${why}`));
  };
  // Two thirds of the ttl after the last renewal that worked, whether the ones since failed or still
  // hang on a dead connection: the work hears of it a third of the ttl before anyone may take over.
  const armDeadline = () => {
    clearTimeout(deadline);
    deadline = setTimeout(() => lose('could not be renewed before it would expire'), Math.max(0, renewedAt + (ttlMs * 2) / 3 - Date.now()));
    deadline.unref();
  };
  const renew = async () => {
    const startedAt = Date.now();
    let held: boolean | undefined;
    try {
      held = await repo.renew(name, holder, ttlMs);
    } catch (error) {
      options.log?.warn({ err: error, lease: name }, 'a lease could not be renewed; retrying');
    }
    if (controller.signal.aborted) return;
    if (held === false) return lose('lost (released, or taken by another holder after it expired)');
    if (held === true) {
      renewedAt = startedAt;
      armDeadline();
    }
    schedule();
  };
  const schedule = () => {
    timer = setTimeout(() => void renew(), every);
    // A lease never keeps the process alive by itself.
    timer.unref();
  };
  armDeadline();
  schedule();

  return {
    signal: controller.signal,
    async stop() {
      if (controller.signal.aborted && controller.signal.reason instanceof StoppedLease) return;
      const lost = controller.signal.aborted;
      end();
      if (!lost) controller.abort(new StoppedLease(`lease ${name}: stopped`));
      // Only this holder's row goes: a lease lost to another holder stays theirs. A renewal still
      // under way does no harm: it updates the row, so after the delete it finds nothing.
      try {
        await repo.release(name, holder);
      } catch (error) {
        options.log?.warn({ err: error, lease: name }, 'a lease could not be released; it expires by itself');
      }
    },
  };
}

/** The abort reason of a lease its holder stopped, told apart from a lost one. */
export class StoppedLease extends Error {}

/**
 * Runs `work` under the lease `name` when this holder can take it; the lease is released when the
 * work ends, however it ends. `work` gets the signal that aborts when the lease is lost. Resolves
 * `{ ran: false }` without running it when someone else holds the lease.
 */
export async function withLease<T>(
  repo: LeaseRepository,
  name: string,
  holder: string,
  ttlMs: number,
  work: (signal: AbortSignal) => Promise<T>,
  options: KeepOptions = {},
): Promise<{ ran: false } | { ran: true; value: T }> {
  const lease = await keepLease(repo, name, holder, ttlMs, options);
  if (!lease) return { ran: false };
  try {
    return { ran: true, value: await work(lease.signal) };
  } finally {
    await lease.stop();
  }
}

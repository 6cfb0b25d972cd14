/**
 * One bot per database file. Two bots on one file would both run delivery (posting everything
 * twice, and doubling the 429s) and both answer every interaction. Until several processes can
 * share the work (claims with leases), the first `paperboy start` holds a lock kept in the file
 * itself, and a second one is refused, told who holds it.
 *
 * The lock is a row: owner, pid, host, start time, heartbeat. It is taken in one IMMEDIATE
 * transaction (read the row, replace it if free), refreshed by a heartbeat, deleted on a clean
 * exit, and taken over when its holder is gone: a heartbeat older than `staleAfterMs`, or on the
 * same host a pid that no longer runs (after `kill -9` a restart need not wait). The CLI does not
 * take it: ingest, search and the rest run beside a bot as before.
 */
import { randomUUID } from 'node:crypto';
import { hostname as osHostname } from 'node:os';
import type { Logger } from '../../core/log.ts';
import { type Db, openDatabase } from './db.ts';
import { DatabaseError } from './errors.ts';

/** How often a holder refreshes its heartbeat. */
export const HEARTBEAT_MS = 15_000;
/** A holder silent this long is taken to be gone, wherever it ran. */
export const STALE_AFTER_MS = 120_000;

export interface LockHolder {
  readonly pid: number;
  readonly hostname: string;
  /** ISO time it took the lock. */
  readonly startedAt: string;
  /** ISO time of its last heartbeat. */
  readonly heartbeatAt: string;
}

interface LockRow {
  owner: string;
  pid: number;
  hostname: string;
  started_at: string;
  heartbeat_at: string;
}

export interface LockOptions {
  /** Which lock; default 'bot'. */
  readonly name?: string;
  /** Default STALE_AFTER_MS. */
  readonly staleAfterMs?: number;
  /** Default HEARTBEAT_MS; 0 for no timer (the caller calls heartbeat()). */
  readonly heartbeatMs?: number;
  /** Default the system clock. */
  readonly now?: () => Date;
  /** Who this process is; defaults: process.pid and the OS host name. */
  readonly pid?: number;
  readonly hostname?: string;
  /** Where heartbeat failures and a lost lock are told; default silent. */
  readonly log?: Logger;
}

/** Another process holds the lock. The message names it and what to do. */
export class LockHeldError extends DatabaseError {
  override readonly name = 'LockHeldError';
  constructor(
    file: string,
    readonly holder: LockHolder,
    now: Date,
    staleAfterMs: number,
  ) {
    super(
      file,
      `${file} is in use by another Paperboy (pid ${holder.pid} on ${holder.hostname}, running since ${holder.startedAt}, last heartbeat ${ago(holder.heartbeatAt, now)} ago): ` +
        `a second one would deliver and answer every interaction twice, so this one does not start. Stop the other one first; ` +
        `if it is gone, its lock is taken over ${duration(staleAfterMs)} after its last heartbeat (at once on the same host)`,
    );
  }
}

function ago(iso: string, now: Date): string {
  return duration(now.getTime() - Date.parse(iso));
}

function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 180 ? `${s} s` : `${Math.round(s / 60)} min`;
}

function holderOf(row: LockRow): LockHolder {
  return { pid: row.pid, hostname: row.hostname, startedAt: row.started_at, heartbeatAt: row.heartbeat_at };
}

/** Whether a process with this id runs on this host (EPERM: it runs, as another user). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Owners held by this process: a row with our own pid but another owner is a previous process's (the pid came round again, as in a restarted container). */
const heldHere = new Set<string>();

export interface ProcessLock {
  /** The holder this one replaced because it was gone, or null when the lock was free. */
  readonly tookOver: LockHolder | null;
  /** Resolves with the new holder if another process took the lock over (this one stalled past the stale bound). */
  readonly lost: Promise<LockHolder>;
  /** Refreshes the heartbeat; false once the lock is no longer ours. */
  heartbeat(): boolean;
  /** Gives the lock up (idempotent). */
  release(): void;
}

/** Takes the lock in `db` (the file `file`), or throws LockHeldError naming the holder. */
export function takeLock(db: Db, file: string, options: LockOptions = {}): ProcessLock {
  const name = options.name ?? 'bot';
  const now = options.now ?? (() => new Date());
  const staleAfterMs = options.staleAfterMs ?? STALE_AFTER_MS;
  const me = { owner: randomUUID(), pid: options.pid ?? process.pid, hostname: options.hostname ?? osHostname() };
  const read = db.prepare<[string], LockRow>('SELECT owner, pid, hostname, started_at, heartbeat_at FROM process_lock WHERE name = ?');
  const gone = (row: LockRow, at: Date): boolean => {
    if (at.getTime() - Date.parse(row.heartbeat_at) > staleAfterMs) return true;
    if (row.hostname !== me.hostname) return false;
    return row.pid === me.pid ? !heldHere.has(row.owner) : !isRunning(row.pid);
  };
  const write = db.prepare<[string, string, number, string, string, string]>(
    'INSERT OR REPLACE INTO process_lock (name, owner, pid, hostname, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const writeIfFree = db.prepare<[string, string, number, string, string, string]>(
    'INSERT OR IGNORE INTO process_lock (name, owner, pid, hostname, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  let startedAt = '';
  const tookOver = db
    .transaction((): LockHolder | null => {
      const at = now();
      const row = read.get(name);
      if (row && !gone(row, at)) throw new LockHeldError(file, holderOf(row), at, staleAfterMs);
      const stamp = at.toISOString();
      startedAt = stamp;
      write.run(name, me.owner, me.pid, me.hostname, stamp, stamp);
      return row ? holderOf(row) : null;
    })
    .immediate();
  heldHere.add(me.owner);

  const beat = db.prepare<[string, string, string]>('UPDATE process_lock SET heartbeat_at = ? WHERE name = ? AND owner = ?');
  const remove = db.prepare<[string, string]>('DELETE FROM process_lock WHERE name = ? AND owner = ?');
  /** Null while the lock is ours; else who took it over. One transaction, so the answer is never half-read. */
  const refresh = db.transaction((): LockHolder | null => {
    const stamp = now().toISOString();
    if (beat.run(stamp, name, me.owner).changes > 0) return null;
    // The row was deleted by hand: still ours to hold, as no one else took it.
    if (writeIfFree.run(name, me.owner, me.pid, me.hostname, startedAt, stamp).changes > 0) return null;
    return holderOf(read.get(name)!);
  });
  let held = true;
  let timer: NodeJS.Timeout | undefined;
  let tellLost: (holder: LockHolder) => void = () => {};
  const lost = new Promise<LockHolder>((resolve) => (tellLost = resolve));
  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
    heldHere.delete(me.owner);
  };

  const lock: ProcessLock = {
    tookOver,
    lost,
    heartbeat() {
      if (!held) return false;
      const taker = refresh.immediate();
      if (!taker) return true;
      held = false;
      stopTimer();
      options.log?.error({ file, holder: taker }, 'lost the database lock: another Paperboy took it over while this one was unresponsive');
      tellLost(taker);
      return false;
    },
    release() {
      stopTimer();
      if (!held) return;
      held = false;
      remove.run(name, me.owner);
    },
  };
  const every = options.heartbeatMs ?? HEARTBEAT_MS;
  if (every > 0) {
    timer = setInterval(() => {
      try {
        lock.heartbeat();
      } catch (error) {
        // Busy for longer than the busy timeout (a long write elsewhere): the next beat tries again,
        // well within the stale bound.
        options.log?.warn({ file, err: error }, 'could not refresh the database lock; trying again at the next heartbeat');
      }
    }, every);
    // The lock alone never keeps the process alive.
    timer.unref();
  }
  return lock;
}

/**
 * Takes the lock over its own connection to `file`, closed on release: what `paperboy start`
 * holds for as long as it runs.
 */
export function lockDatabaseFile(file: string, options: LockOptions = {}): ProcessLock {
  const db = openDatabase(file);
  let lock: ProcessLock;
  try {
    lock = takeLock(db, file, options);
  } catch (error) {
    db.close();
    throw error;
  }
  if (lock.tookOver) options.log?.warn({ file, previous: lock.tookOver }, 'took over the database lock of a Paperboy that is gone');
  return {
    tookOver: lock.tookOver,
    lost: lock.lost,
    heartbeat: () => lock.heartbeat(),
    release() {
      lock.release();
      if (db.open) db.close();
    },
  };
}

/**
 * The database lock that keeps a second bot off a file (issue 13, point 13), in one process with
 * two connections to one file. The two-process tests, kill -9 included, are in multiprocess.test.ts.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { hostname } from 'node:os';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../src/adapters/store/db.ts';
import { LockHeldError, STALE_AFTER_MS, takeLock } from '../src/adapters/store/lock.ts';

let file: string;
let first: Db;
let second: Db;
beforeEach(() => {
  file = join(mkdtempSync(join(tmpdir(), 'paperboy-lock-')), 'bot.db');
  first = openDatabase(file);
  second = openDatabase(file);
});
afterEach(() => {
  first.close();
  second.close();
});

const rows = (db: Db) => db.prepare('SELECT pid, hostname FROM process_lock').all();

describe('GIVEN one process holding the lock of a database file', () => {
  it('THEN a second taker is refused with a message naming the holder, its host and since when, until the first releases it', () => {
    const held = takeLock(first, file, { heartbeatMs: 0 });
    expect(held.tookOver).toBeNull();
    let refused: unknown;
    try {
      takeLock(second, file, { heartbeatMs: 0 });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(LockHeldError);
    const message = (refused as Error).message;
    expect(message).toMatch(
      new RegExp(
        `^${file} is in use by another Paperboy \\(pid ${process.pid} on ${hostname()}, running since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z, last heartbeat \\d+ s ago\\): `,
      ),
    );
    expect(message).toContain('a second one would deliver and answer every interaction twice, so this one does not start');
    expect(message).not.toContain('\n');
    held.release();
    expect(rows(second)).toEqual([]);
    const next = takeLock(second, file, { heartbeatMs: 0 });
    expect(rows(first)).toEqual([{ pid: process.pid, hostname: hostname() }]);
    next.release();
  });

  it('THEN a holder on another host is taken over only once its heartbeat is older than the bound, and the old holder learns it lost the lock', async () => {
    let t = Date.parse('2026-12-01T10:00:00.000Z');
    const clock = () => new Date(t);
    const away = takeLock(first, file, { heartbeatMs: 0, hostname: 'other-host', pid: 4242, now: clock });
    t += 30_000;
    expect(away.heartbeat()).toBe(true);
    t += STALE_AFTER_MS;
    expect(() => takeLock(second, file, { heartbeatMs: 0, now: clock })).toThrow(
      /in use by another Paperboy \(pid 4242 on other-host, running since 2026-12-01T10:00:00.000Z, last heartbeat 120 s ago\)/,
    );
    t += 1_000;
    const here = takeLock(second, file, { heartbeatMs: 0, now: clock });
    expect(here.tookOver).toEqual({ pid: 4242, hostname: 'other-host', startedAt: '2026-12-01T10:00:00.000Z', heartbeatAt: '2026-12-01T10:00:30.000Z' });
    // The stalled one wakes up: its heartbeat finds the lock gone to the new holder.
    expect(away.heartbeat()).toBe(false);
    expect(await away.lost).toMatchObject({ pid: process.pid, hostname: hostname() });
    expect(rows(first)).toEqual([{ pid: process.pid, hostname: hostname() }]);
    here.release();
  });

  it('THEN on the same host a holder whose process has exited is taken over at once', async () => {
    const child = promisify(execFile)(process.execPath, ['-e', '']);
    const pid = child.child.pid!;
    await child;
    takeLock(first, file, { heartbeatMs: 0, pid });
    const here = takeLock(second, file, { heartbeatMs: 0 });
    expect(here.tookOver).toMatchObject({ pid, hostname: hostname() });
    here.release();
  });

  it('THEN its heartbeat takes the lock again when its row was deleted by hand, and release deletes only its own row', () => {
    const held = takeLock(first, file, { heartbeatMs: 0 });
    second.prepare('DELETE FROM process_lock').run();
    expect(held.heartbeat()).toBe(true);
    expect(rows(second)).toEqual([{ pid: process.pid, hostname: hostname() }]);
    held.release();
    held.release();
    expect(held.heartbeat()).toBe(false);
    expect(rows(second)).toEqual([]);
  });
});

/**
 * Leases behave the same on both backends: the same cases run against SQLite (a file) and
 * PostgreSQL (a database of its own on the real server). Races run for real: on SQLite four
 * processes on one file, on PostgreSQL four pools claiming at once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/store/db.ts';
import { keepLease, type LeaseRepository, processHolderId, SqliteLeaseRepository, withLease } from '../src/adapters/store/leases.ts';
import { PostgresLeaseRepository } from '../src/adapters/store/postgres/leases.ts';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { type ChildBundle, bundleChild } from './helpers/child-bundle.ts';
import { createTestDatabase } from './helpers/postgres.ts';

interface Opened {
  readonly leases: LeaseRepository;
  /** The same database through another connection, as another process sees it. */
  readonly other: LeaseRepository;
  /** Makes the lease on `name` expired, as time passing would. */
  expire(name: string): Promise<void>;
  /** One more connection of its own, which the test may close. */
  connect(): Promise<{ readonly leases: LeaseRepository; close(): Promise<void> }>;
  /** The child process's arguments naming this database. */
  readonly child: readonly [string, string];
  /** Four contenders claim the same `count` names at once; resolves the names each won. */
  race(count: number): Promise<string[][]>;
  close(): Promise<void>;
}

/**
 * The child processes, bundled once: started with `node --import tsx`, a child took 4 s and more to
 * load on a busy machine, and a contender that reached the race after its start moment found the
 * names all taken (a SQLite race once ended 200, 0, 0, 0).
 */
let raceChild: ChildBundle;
let holderChild: ChildBundle;
beforeAll(async () => {
  [raceChild, holderChild] = await Promise.all([
    bundleChild(resolve(import.meta.dirname, 'fixtures/lease-child.ts')),
    bundleChild(resolve(import.meta.dirname, 'fixtures/lease-holder-child.ts')),
  ]);
});
afterAll(() => {
  raceChild.remove();
  holderChild.remove();
});

const names = (count: number) => Array.from({ length: count }, (_, i) => `deliver:channel-1:article-${i}`);

const backends: Record<string, () => Promise<Opened>> = {
  SQLite: () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-leases-'));
    const path = join(dir, 'paperboy.db');
    const first = openDatabase(path);
    const second = openDatabase(path);
    return Promise.resolve({
      leases: new SqliteLeaseRepository(first),
      other: new SqliteLeaseRepository(second),
      connect: () => {
        const db = openDatabase(path);
        return Promise.resolve({ leases: new SqliteLeaseRepository(db), close: () => Promise.resolve(void db.close()) });
      },
      child: ['sqlite', path],
      expire: (name) => {
        first.prepare('UPDATE leases SET expires_at = 0 WHERE name = ?').run(name);
        return Promise.resolve();
      },
      race: (count) => {
        // Far enough ahead for every process to have loaded and opened the file.
        const startAt = Date.now() + 4000;
        const run = () =>
          new Promise<string[]>((done, fail) => {
            const p = spawn(process.execPath, [raceChild.path, path, String(startAt), String(count)], { stdio: ['ignore', 'pipe', 'inherit'] });
            let out = '';
            p.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            p.on('error', fail);
            p.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as string[]) : fail(new Error(`lease child exited with ${code}`))));
          });
        return Promise.all([run(), run(), run(), run()]);
      },
      close: () => {
        second.close();
        first.close();
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    });
  },
  PostgreSQL: async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 4 });
    const other = await openPostgresBotState(database.url, { max: 4 });
    return {
      leases: state.leases,
      other: other.leases,
      connect: async () => {
        const third = await openPostgresBotState(database.url, { max: 1 });
        return { leases: third.leases, close: () => third.close() };
      },
      child: ['postgres', database.url],
      expire: async (name) => {
        await state.pool.query(`UPDATE leases SET expires_at = now() - interval '1 second' WHERE name = $1`, [name]);
      },
      race: async (count) => {
        const pools = await Promise.all([1, 2, 3, 4].map(() => openPostgresBotState(database.url, { max: 8 })));
        // Every connection open before the start, so no pool is late by its connecting time.
        await Promise.all(pools.flatMap((p) => Array.from({ length: 8 }, () => p.pool.connect().then((c) => c)))).then((clients) =>
          clients.forEach((c) => c.release()),
        );
        try {
          return await Promise.all(
            pools.map(async (p, k) => {
              const repo = new PostgresLeaseRepository(p.pool);
              // Each in its own random order, so the contenders meet on many names.
              const order = names(count).sort(() => Math.random() - 0.5);
              const won = await Promise.all(order.map(async (n) => ((await repo.claim(n, `holder-${k}`, 60_000)) ? n : null)));
              return won.filter((n) => n !== null);
            }),
          );
        } finally {
          await Promise.all(pools.map((p) => p.close()));
        }
      },
      close: async () => {
        await Promise.all([state.close(), other.close()]);
        await database.drop();
      },
    };
  },
};

describe.each(Object.keys(backends))('GIVEN leases on %s', (backend) => {
  let opened: Opened | undefined;
  const open = async () => (opened = await backends[backend]!());
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });

  it('THEN a free lease is claimed, refused to a second holder, extended for its own holder, and free again once released', async () => {
    const { leases, other } = await open();
    expect(await leases.holderOf('feed:a')).toBeNull();
    const before = Date.now();
    expect(await leases.claim('feed:a', 'A', 60_000)).toBe(true);
    const held = await other.holderOf('feed:a');
    expect(held?.holder).toBe('A');
    expect(held!.expiresAt).toBeGreaterThanOrEqual(before + 60_000 - 1000);
    expect(held!.expiresAt).toBeLessThanOrEqual(Date.now() + 60_000 + 1000);
    expect(await other.claim('feed:a', 'B', 60_000)).toBe(false);
    expect(await other.renew('feed:a', 'B', 60_000)).toBe(false);
    expect(await leases.claim('feed:a', 'A', 120_000)).toBe(true);
    expect((await leases.holderOf('feed:a'))!.expiresAt).toBeGreaterThan(held!.expiresAt + 30_000);
    // Someone else's release leaves it be.
    await other.release('feed:a', 'B');
    expect((await leases.holderOf('feed:a'))?.holder).toBe('A');
    await leases.release('feed:a', 'A');
    expect(await leases.holderOf('feed:a')).toBeNull();
    expect(await other.claim('feed:a', 'B', 60_000)).toBe(true);
  });

  it('THEN a second holder is refused until the lease expires, then takes it, and the first can no longer renew', async () => {
    const { leases, other } = await open();
    expect(await leases.claim('deliver:1:x', 'A', 150)).toBe(true);
    expect(await other.claim('deliver:1:x', 'B', 150)).toBe(false);
    await sleep(250);
    expect(await leases.holderOf('deliver:1:x')).toBeNull();
    expect(await other.claim('deliver:1:x', 'B', 60_000)).toBe(true);
    expect(await leases.renew('deliver:1:x', 'A', 60_000)).toBe(false);
    expect(await other.renew('deliver:1:x', 'B', 60_000)).toBe(true);
    expect((await leases.holderOf('deliver:1:x'))?.holder).toBe('B');
  });

  it('THEN a lease that expired but no one took is renewed by its holder', async () => {
    const { leases } = await open();
    expect(await leases.claim('n', 'A', 60_000)).toBe(true);
    await opened!.expire('n');
    expect(await leases.holderOf('n')).toBeNull();
    expect(await leases.renew('n', 'A', 60_000)).toBe(true);
    expect((await leases.holderOf('n'))?.holder).toBe('A');
  });

  it('THEN releaseAll gives up every lease of one holder and no one else’s', async () => {
    const { leases, other } = await open();
    for (const n of ['a', 'b', 'c']) expect(await leases.claim(n, 'A', 60_000)).toBe(true);
    expect(await other.claim('d', 'B', 60_000)).toBe(true);
    expect(await leases.releaseAll('A')).toBe(3);
    expect(await leases.releaseAll('A')).toBe(0);
    for (const n of ['a', 'b', 'c']) expect(await other.claim(n, 'B', 60_000)).toBe(true);
    expect((await leases.holderOf('d'))?.holder).toBe('B');
  });

  it('THEN bad arguments are refused, naming the value', async () => {
    const { leases } = await open();
    await expect(leases.claim('n', 'A', 0)).rejects.toThrow('leases: expected `ttlMs` to be a whole number from 1 to 86400000, got `0`');
    await expect(leases.claim('', 'A', 1000)).rejects.toThrow('leases: expected `name` to be a string of 1 to 512 characters, got 0 characters');
    await expect(leases.renew('n', 'x'.repeat(513), 1000)).rejects.toThrow('got 513 characters');
  });

  it('THEN four contenders claiming the same 200 names at once win each name exactly once', async () => {
    const wins = await (await open()).race(200);
    console.log(`${backend}: names won by each contender: ${wins.map((w) => w.length).join(', ')}`);
    const all = wins.flat();
    expect(all).toHaveLength(200);
    expect(new Set(all)).toEqual(new Set(names(200)));
    // Every contender really took part: the race was a race.
    expect(wins.filter((w) => w.length > 0).length).toBeGreaterThan(1);
  }, 30_000);

  it('THEN a kept lease outlives its ttl while renewed, and stop() releases it', async () => {
    const { leases, other } = await open();
    const kept = await keepLease(leases, 'feed:poll', 'A', 150);
    expect(kept).not.toBeNull();
    expect(await keepLease(other, 'feed:poll', 'B', 150)).toBeNull();
    await sleep(500);
    expect(kept!.signal.aborted).toBe(false);
    expect(await other.claim('feed:poll', 'B', 150)).toBe(false);
    await kept!.stop();
    expect(kept!.signal.aborted).toBe(true);
    expect(await leases.holderOf('feed:poll')).toBeNull();
  });

  it('THEN the keeper signals the loss when another holder takes the lease after it expired', async () => {
    const { leases, other } = await open();
    const kept = await keepLease(leases, 'deliver:1:y', 'A', 300);
    // A process stalled past its expiry: another takes the article over.
    await opened!.expire('deliver:1:y');
    expect(await other.claim('deliver:1:y', 'B', 60_000)).toBe(true);
    const reason = await new Promise<unknown>((done) => kept!.signal.addEventListener('abort', () => done(kept!.signal.reason as unknown), { once: true }));
    expect(String(reason)).toBe('Error: lease deliver:1:y: lost (released, or taken by another holder after it expired)');
    // Stopping a lost lease leaves the new holder's alone.
    await kept!.stop();
    expect((await leases.holderOf('deliver:1:y'))?.holder).toBe('B');
  });

  it('THEN a process killed while holding a lease keeps it only until it expires, and then another takes it over', async () => {
    const { leases, other, child } = await open();
    const p = spawn(process.execPath, [holderChild.path, ...child, 'deliver:1:z', '1500'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const holder = await new Promise<string>((done, fail) => {
      let out = '';
      p.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) done(out.trim());
      });
      p.on('exit', (code) => fail(new Error(`lease holder exited with ${code} before holding the lease`)));
    });
    const exited = new Promise((done) => p.on('exit', done));
    p.kill('SIGKILL');
    await exited;
    const held = await leases.holderOf('deliver:1:z');
    expect(held?.holder).toBe(holder);
    expect(await other.claim('deliver:1:z', 'B', 60_000)).toBe(false);
    while (!(await other.claim('deliver:1:z', 'B', 60_000))) await sleep(50);
    // Taken no earlier than the dead holder's lease ran out.
    expect(Date.now()).toBeGreaterThanOrEqual(held!.expiresAt - 50);
    expect((await leases.holderOf('deliver:1:z'))?.holder).toBe('B');
  }, 30_000);

  it('THEN the keeper signals the loss when it cannot renew before the lease would expire, and the lease frees itself', async () => {
    const db = await open();
    const { other } = db;
    const own = await db.connect();
    // A ttl long enough that a loaded machine's late timers still leave the warning well before expiry.
    const kept = await keepLease(own.leases, 'feed:b', 'A', 1500);
    const { expiresAt } = (await other.holderOf('feed:b'))!;
    const aborted = new Promise<unknown>((done) => kept!.signal.addEventListener('abort', () => done(kept!.signal.reason as unknown), { once: true }));
    // The connection goes: every renewal fails from now on.
    await own.close();
    expect(String(await aborted)).toBe('Error: lease feed:b: could not be renewed before it would expire');
    // Warned before the lease expired, so the work stops before anyone else may start it.
    expect(Date.now()).toBeLessThan(expiresAt);
    expect(await other.claim('feed:b', 'B', 1000)).toBe(false);
    await kept!.stop();
    await sleep(expiresAt - Date.now() + 50);
    expect(await other.claim('feed:b', 'B', 1000)).toBe(true);
  });

  it('THEN withLease runs the work once under the lease, releases it after, and skips it when held', async () => {
    const { leases, other } = await open();
    expect(await other.claim('busy', 'B', 60_000)).toBe(true);
    let runs = 0;
    expect(await withLease(leases, 'busy', 'A', 1000, () => Promise.resolve(++runs))).toEqual({ ran: false });
    const result = await withLease(leases, 'free', 'A', 1000, async (signal) => {
      expect((await other.holderOf('free'))?.holder).toBe('A');
      expect(signal.aborted).toBe(false);
      return ++runs;
    });
    expect(result).toEqual({ ran: true, value: 1 });
    expect(await leases.holderOf('free')).toBeNull();
    await expect(withLease(leases, 'free', 'A', 1000, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await leases.holderOf('free')).toBeNull();
  });
});

describe('GIVEN a kept lease on PostgreSQL whose renewal hangs', () => {
  it('THEN the keeper signals the loss two thirds of the ttl after the last renewal, without waiting for the hung one', async () => {
    const database = await createTestDatabase();
    const state = await openPostgresBotState(database.url, { max: 2 });
    const blocker = await state.pool.connect();
    try {
      const kept = await keepLease(state.leases, 'feed:c', 'A', 1500);
      // The database's clock sets expiresAt; it is this machine's clock too.
      const { expiresAt } = (await state.leases.holderOf('feed:c'))!;
      // Another transaction holds the row: every UPDATE that renews it waits, as on a dead connection.
      await blocker.query('BEGIN');
      await blocker.query(`SELECT * FROM leases WHERE name = 'feed:c' FOR UPDATE`);
      const reason = await new Promise<unknown>((done) => kept!.signal.addEventListener('abort', () => done(kept!.signal.reason as unknown), { once: true }));
      expect(String(reason)).toBe('Error: lease feed:c: could not be renewed before it would expire');
      expect(Date.now()).toBeLessThan(expiresAt);
      await blocker.query('ROLLBACK');
      await kept!.stop();
      expect(await state.leases.holderOf('feed:c')).toBeNull();
    } finally {
      blocker.release();
      await state.close();
      await database.drop();
    }
  });
});

describe('GIVEN a process holder id', () => {
  it('THEN it is host:pid:random and the same for the life of the process', () => {
    const id = processHolderId();
    expect(id).toMatch(new RegExp(`^[^:]+:${process.pid}:[0-9a-f]{12}$`));
    expect(processHolderId()).toBe(id);
  });
});

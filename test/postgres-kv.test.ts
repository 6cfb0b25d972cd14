/**
 * keyv on PostgreSQL (DATABASE_URL without REDIS_URL), on the real server in a database of its own:
 * get/set/delete, expiry on the database's clock, namespaces, and the atomic claim and add that
 * cooldowns and the signing secret rely on, raced for real over several pools.
 */
import type Keyv from 'keyv';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addKey, claimKey } from '../src/adapters/store/kv.ts';
import { openPostgresKeyv, PostgresKeyvStore, sweepExpiredKeys } from '../src/adapters/store/postgres/kv.ts';
import { openPool } from '../src/adapters/store/postgres/pool.ts';
import { capturedLogger } from './helpers/log.ts';
import { openPostgresBotState, type PostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';

let database: TestDatabase;
let opened: PostgresBotState[] = [];

/** A pool on the test database, as one more process would have. */
async function connect(max = 4): Promise<PostgresBotState> {
  const state = await openPostgresBotState(database.url, { max });
  opened.push(state);
  return state;
}

beforeEach(async () => {
  database = await createTestDatabase();
});

afterEach(async () => {
  await Promise.all(opened.map((s) => s.close()));
  opened = [];
  await database.drop();
});

describe('GIVEN keyv over PostgreSQL', () => {
  it('THEN values are set, read from another pool, deleted, and has() tells', async () => {
    const kv = openPostgresKeyv<{ channel: string; posted: number }>((await connect()).pool, 'buttons');
    const other = openPostgresKeyv<{ channel: string; posted: number }>((await connect()).pool, 'buttons');
    expect(await kv.get('b-1')).toBeUndefined();
    expect(await kv.set('b-1', { channel: '123', posted: 4 })).toBe(true);
    expect(await other.get('b-1')).toEqual({ channel: '123', posted: 4 });
    expect(await other.has('b-1')).toBe(true);
    await kv.set('b-1', { channel: '123', posted: 5 });
    expect(await other.get('b-1')).toEqual({ channel: '123', posted: 5 });
    expect(await other.delete('b-1')).toBe(true);
    expect(await other.delete('b-1')).toBe(false);
    expect(await kv.has('b-1')).toBe(false);
  });

  it('THEN strings, including one that starts with a colon, come back as they went in', async () => {
    const kv = openPostgresKeyv<string>((await connect()).pool, 'bot');
    for (const value of [':colon', '', 'naïve — ünïcode 🗞', 'it\'s "quoted"']) {
      await kv.set('s', value);
      expect(await kv.get('s')).toBe(value);
    }
  });

  it('THEN namespaces keep keys apart, and clear() empties only its own', async () => {
    const { pool } = await connect();
    const a = openPostgresKeyv<string>(pool, 'settings');
    const b = openPostgresKeyv<string>(pool, 'progress');
    const prefixed = openPostgresKeyv<string>(pool, 'settings-old');
    await a.set('x', 'settings-x');
    await b.set('x', 'progress-x');
    await prefixed.set('x', 'old-x');
    expect(await a.get('x')).toBe('settings-x');
    expect(await b.get('x')).toBe('progress-x');
    await a.clear();
    expect(await a.get('x')).toBeUndefined();
    expect(await b.get('x')).toBe('progress-x');
    // A namespace that merely starts with the cleared one's name is another namespace.
    expect(await prefixed.get('x')).toBe('old-x');
    const { rows } = await pool.query<{ key: string }>('SELECT key FROM kv ORDER BY key');
    expect(rows.map((r) => r.key)).toEqual(['progress:x', 'settings-old:x']);
  });

  it('THEN an expired value is gone, on the database’s clock as well as keyv’s, and deleteExpired removes the row', async () => {
    const { pool } = await connect();
    const kv = openPostgresKeyv<string>(pool, 'ttl');
    await kv.set('short', 'lived', 100);
    await kv.set('long', 'lived', 60_000);
    await kv.set('forever', 'lived');
    expect(await kv.get('short')).toBe('lived');
    await sleep(150);
    expect(await kv.get('short')).toBeUndefined();
    expect(await kv.has('short')).toBe(false);
    // The row's own expiry, not only keyv's copy inside the value: the store alone refuses it too.
    await kv.set('short', 'lived', 100);
    await sleep(150);
    const store = new PostgresKeyvStore(pool);
    expect(await store.get('ttl:short')).toBeUndefined();
    expect(await store.deleteExpired()).toBe(1);
    expect(await kv.get('long')).toBe('lived');
    expect(await kv.get('forever')).toBe('lived');
  });
});

describe('GIVEN a claim on a key (a cooldown) in PostgreSQL', () => {
  it('THEN of 20 claimers on 4 pools at once exactly one wins, Keyv sees the claim, and it can be taken again once expired', async () => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => connect(5)));
    const claimers: Keyv[] = Array.from({ length: 20 }, (_, k) => openPostgresKeyv(pools[k % 4]!.pool, 'cooldowns'));
    // A claim that outlives the race however slow the machine (at 300 ms, under load, the first claim
    // once expired before the last claimer came, and that one won too).
    const won = await Promise.all(claimers.map((kv) => claimKey(kv, 'thread:user-1', 60_000)));
    expect(won.filter(Boolean)).toHaveLength(1);
    expect(await claimers[7]!.get('thread:user-1')).toBe(true);
    expect(await claimKey(claimers[3]!, 'thread:user-1', 300)).toBe(false);
    // Expiry, on a key of its own: claimed for 1.5 s, refused meanwhile, free after.
    expect(await claimKey(claimers[1]!, 'thread:user-2', 1500)).toBe(true);
    expect(await claimKey(claimers[2]!, 'thread:user-2', 1500)).toBe(false);
    await sleep(1600);
    const again = await Promise.all(claimers.map((kv) => claimKey(kv, 'thread:user-2', 60_000)));
    expect(again.filter(Boolean)).toHaveLength(1);
  });

  it('THEN 4 pools claiming the same 200 keys at once win each key exactly once', async () => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => connect(8)));
    const keys = Array.from({ length: 200 }, (_, i) => `thread:user-${i}`);
    const wins = await Promise.all(
      pools.map(async (p) => {
        const kv = openPostgresKeyv(p.pool, 'cooldowns');
        const order = [...keys].sort(() => Math.random() - 0.5);
        const won = await Promise.all(order.map(async (k) => ((await claimKey(kv, k, 60_000)) ? k : null)));
        return won.filter((k) => k !== null);
      }),
    );
    expect(wins.flat()).toHaveLength(200);
    expect(new Set(wins.flat())).toEqual(new Set(keys));
  });

  it('THEN a value stored for good is never claimed over', async () => {
    const kv = openPostgresKeyv((await connect()).pool, 'cooldowns');
    await kv.set('held', 'for good');
    expect(await claimKey(kv, 'held', 1000)).toBe(false);
    expect(await kv.get('held')).toBe('for good');
  });

  it('THEN a bad ttl is refused, naming it', async () => {
    const kv = openPostgresKeyv((await connect()).pool, 'cooldowns');
    await expect(claimKey(kv, 'k', 0)).rejects.toThrow('postgres kv: expected `ttlMs` to be a whole number from 1 and up, got `0`');
  });
});

describe('GIVEN a value added only when absent (the signing secret) in PostgreSQL', () => {
  it('THEN of 20 adders on 4 pools at once, one value is stored and every one reads it', async () => {
    const pools = await Promise.all([1, 2, 3, 4].map(() => connect(5)));
    const adders = Array.from({ length: 20 }, (_, k) => openPostgresKeyv<string>(pools[k % 4]!.pool, 'bot'));
    const added = await Promise.all(adders.map((kv, k) => addKey(kv, 'state-secret', `secret-${k}`)));
    const winners = adders.map((_, k) => `secret-${k}`).filter((_, k) => added[k]);
    expect(winners).toHaveLength(1);
    expect(new Set(await Promise.all(adders.map((kv) => kv.get('state-secret'))))).toEqual(new Set(winners));
  });

  it('THEN an added value replaces only an expired entry', async () => {
    const kv = openPostgresKeyv<string>((await connect()).pool, 'bot');
    await kv.set('secret', 'old', 100);
    expect(await addKey(kv, 'secret', 'new')).toBe(false);
    expect(await kv.get('secret')).toBe('old');
    await sleep(150);
    expect(await addKey(kv, 'secret', 'new')).toBe(true);
    expect(await kv.get('secret')).toBe('new');
    expect(await addKey(kv, 'secret', 'newer')).toBe(false);
  });
});

describe('GIVEN the periodic sweep of expired keys (start and worker run it on PostgreSQL)', () => {
  it('THEN expired keys of every namespace go at each sweep, live ones and ones without expiry stay', async () => {
    const { pool } = await connect();
    const buttons = openPostgresKeyv(pool, 'buttons');
    const cooldowns = openPostgresKeyv(pool, 'cooldowns');
    await buttons.set('old-1', { channel: '1' }, 1);
    await cooldowns.set('old-2', true, 1);
    await buttons.set('live', { channel: '2' }, 60_000);
    await buttons.set('forever', { channel: '3' });
    await sleep(20);
    const { log, lines } = capturedLogger('debug');
    const sweep = sweepExpiredKeys(pool, { log, everyMs: 50 });
    try {
      // The timer sweeps by itself.
      for (let i = 0; i < 100 && (await pool.query('SELECT 1 FROM kv')).rowCount !== 2; i++) await sleep(20);
      const { rows } = await pool.query<{ key: string }>('SELECT key FROM kv ORDER BY key');
      expect(rows.map((r) => r.key)).toEqual(['buttons:forever', 'buttons:live']);
      expect(lines.find((l) => l.msg === 'expired short-lived keys deleted')).toMatchObject({ deleted: 2 });
      // Stopped, it sweeps only when asked.
      sweep.stop();
      await sleep(100); // a sweep the timer began just before has finished
      await cooldowns.set('old-3', true, 1);
      await sleep(120);
      expect((await pool.query('SELECT 1 FROM kv')).rowCount).toBe(3);
      expect(await sweep.sweepNow()).toBe(1);
      expect(await buttons.get('live')).toEqual({ channel: '2' });
    } finally {
      sweep.stop();
    }
  });

  it('THEN a sweep that fails (the database unreachable) is logged and resolves null, never throws', async () => {
    const pool = openPool('postgres://postgres@127.0.0.1:1/none', { max: 1, connectTimeoutMs: 500 });
    const { log, lines } = capturedLogger('warn');
    const sweep = sweepExpiredKeys(pool, { log });
    try {
      expect(await sweep.sweepNow()).toBeNull();
      expect(lines.map((l) => l.msg)).toEqual(['expired short-lived keys could not be deleted; the next sweep tries again']);
    } finally {
      sweep.stop();
      await pool.end();
    }
    expect(() => sweepExpiredKeys(pool, { everyMs: 0 })).toThrow('postgres kv: expected `everyMs` to be a whole number from 1 and up, got `0`');
  });
});

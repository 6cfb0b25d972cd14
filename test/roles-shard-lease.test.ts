/**
 * Each shard runs once: `paperboy start` on PostgreSQL holds a lease per shard it connects
 * (`shard:<id>/<count>`), taken before it connects. A second process given the same SHARD_IDS is
 * refused at start in one line naming the shard and the holder; once the first is killed, the
 * shard is free again when its lease has run out. A process whose shard another took over stops.
 * Real processes, a real PostgreSQL database, the local Discord.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeDiscord } from '@paperboy/fake-discord';
import { TOKEN } from './helpers/bot.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { type Running, spawnPaperboy } from './helpers/process.ts';

/**
 * DELIVERY_LEASE_SECONDS: short, so that a killed process's shard comes free within the test, but
 * not so short that a process slowed by a busy machine misses its renewal (at 2 s, under load, the
 * second start once found the first's lease lapsed and connected).
 */
const LEASE_SECONDS = 4;

let fake: FakeDiscord;
let db: TestDatabase;
let dir: string;
const running: Running[] = [];
beforeEach(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-shard-lease-'));
});
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await fake.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

function start(extra: Record<string, string> = {}): Running {
  const p = spawnPaperboy(
    ['start'],
    {
      PATH: process.env.PATH,
      DISCORD_API_URL: fake.apiUrl,
      DISCORD_TOKEN: TOKEN,
      DATABASE_PATH: join(dir, 'bot.db'),
      DATABASE_URL: db.url,
      DELIVERY: 'off',
      DELIVERY_LEASE_SECONDS: String(LEASE_SECONDS),
      SHARD_COUNT: '2',
      SHARD_IDS: '0-1',
      LOG_LEVEL: 'info',
      ...extra,
    },
    dir,
  );
  running.push(p);
  return p;
}

async function leases(): Promise<Array<{ name: string; holder: string }>> {
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  try {
    return (await client.query<{ name: string; holder: string }>("SELECT name, holder FROM leases WHERE name LIKE 'shard:%' ORDER BY name")).rows;
  } finally {
    await client.end();
  }
}

describe('GIVEN `paperboy start` on PostgreSQL running shards 0-1 of 2', () => {
  it('THEN a second start with the same SHARD_IDS exits 1 naming the shard and the holder, without connecting; after the first is killed, one starts once the lease ran out', async () => {
    const first = start();
    await first.waitFor((l) => l.msg === 'bot connected', 25_000);
    const holder = `${hostname()}:${first.child.pid}:`;
    expect((await leases()).map((l) => [l.name, l.holder.startsWith(holder)])).toEqual([
      ['shard:0/2', true],
      ['shard:1/2', true],
    ]);

    const second = start();
    // It waits a lease's ttl in case the holder died, sees it renewed, and refuses.
    expect(await second.waitFor((l) => l.level === 40 && l.shard === 0, 20_000)).toMatchObject({
      msg: expect.stringMatching(
        new RegExp(`^shard 0 of 2 is connected by another Paperboy \\(${holder}[0-9a-f]+\\); waiting up to [0-9] s for its lease to run out`),
      ) as unknown,
    });
    expect(await second.exited).toBe(1);
    const refusal = second.stderr().trim();
    expect(refusal.split('\n')).toHaveLength(1);
    expect(refusal).toContain(`start: shard 0 of 2 is connected by another Paperboy (${holder}`);
    expect(refusal).toContain('give each process its own SHARD_IDS');
    expect(second.lines.map((l) => l.msg)).not.toContain('bot connected');
    // Refused before it says it is connecting: its log never claims a start it did not make.
    expect(second.lines.map((l) => l.msg)).not.toContain('starting: connecting to Discord');
    // A process given only the other shard meets it there too.
    const third = start({ SHARD_IDS: '1' });
    expect(await third.exited).toBe(1);
    expect(third.stderr()).toContain(`start: shard 1 of 2 is connected by another Paperboy (${holder}`);
    // Stopped while it waits, it exits at once without connecting.
    const waiting = start();
    await waiting.waitFor((l) => l.level === 40 && l.shard === 0, 20_000);
    waiting.child.kill('SIGTERM');
    expect(await waiting.exited).toBe(0);
    expect(waiting.lines.map((l) => l.msg)).not.toContain('bot connected');
    // The first is untouched by any of them.
    expect(first.child.exitCode).toBeNull();
    expect((await leases()).every((l) => l.holder.startsWith(holder))).toBe(true);

    // Killed, its leases stay until they run out: a start right away waits for them, then connects.
    first.child.kill('SIGKILL');
    await first.exited;
    const next = start();
    const waited = await next.waitFor((l) => l.level === 40 && l.shard === 0, 20_000);
    expect(waited.msg).toContain(`shard 0 of 2 is connected by another Paperboy (${holder}`);
    await next.waitFor((l) => l.msg === 'bot connected', 25_000);
    const nextHolder = `${hostname()}:${next.child.pid}:`;
    expect((await leases()).map((l) => l.holder.startsWith(nextHolder))).toEqual([true, true]);

    // SIGTERM gives the shards back at once.
    next.child.kill('SIGTERM');
    expect(await next.exited).toBe(0);
    expect(await leases()).toEqual([]);
  }, 60_000);

  it('THEN when another process has taken a shard over (this one stalled past the lease), it logs an error and stops with exit 1', async () => {
    const first = start();
    await first.waitFor((l) => l.msg === 'bot connected', 25_000);
    // What a process that found the lease expired would have done: the row is another holder's now.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      await client.query("UPDATE leases SET holder = 'elsewhere:4242:abc', expires_at = now() + interval '1 hour' WHERE name = 'shard:1/2'");
    } finally {
      await client.end();
    }
    const logged = await first.waitFor((l) => l.level === 50 && l.shard === 1, LEASE_SECONDS * 1000 + 5000);
    expect(logged.msg).toBe(
      'shard 1 of 2 is connected by another Paperboy (elsewhere:4242:abc): it took the shard over while this one was unresponsive; stopping',
    );
    expect(await first.exited).toBe(1);
    expect(first.stderr()).toContain('this Paperboy stopped: shard 1 of 2 is connected by another Paperboy (elsewhere:4242:abc)');
    // Its own shard went back at the stop; the other's lease is left alone.
    expect((await leases()).map((l) => [l.name, l.holder])).toEqual([['shard:1/2', 'elsewhere:4242:abc']]);
  }, 60_000);
});

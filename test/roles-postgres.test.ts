/**
 * The roles as real processes on a real PostgreSQL (a pb_test_ database each) against the local
 * Discord: `paperboy start` with DATABASE_URL, `paperboy worker`, and start-up refusing what cannot
 * work (an unreachable DATABASE_URL or REDIS_URL, SHARD_IDS outside SHARD_COUNT, a worker on SQLite).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeDiscord } from '@paperboy/fake-discord';
import { commands } from '../commands/index.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { postgresBotState } from '../src/adapters/store/postgres/state.ts';
import { subscribe } from '../src/app/delivery/subscribe.ts';
import { Subscriptions } from '../src/app/delivery/subscriptions.ts';
import { deployCommands } from '../src/ui/discord/deploy.ts';
import { article } from './helpers/articles.ts';
import { TOKEN } from './helpers/bot.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { BIN, type Running, spawnPaperboy } from './helpers/process.ts';

const run = promisify(execFile);

let fake: FakeDiscord;
let db: TestDatabase;
let dir: string;
const running: Running[] = [];
beforeEach(async () => {
  fake = await FakeDiscord.start({ botToken: TOKEN });
  db = await createTestDatabase();
  dir = mkdtempSync(join(tmpdir(), 'paperboy-roles-'));
});
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await fake.close();
  await db.drop();
  rmSync(dir, { recursive: true, force: true });
});

function env(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH, DISCORD_API_URL: fake.apiUrl, DISCORD_TOKEN: TOKEN, DATABASE_PATH: join(dir, 'bot.db'), LOG_LEVEL: 'info', ...extra };
}

function spawn(args: string[], vars: NodeJS.ProcessEnv): Running {
  const p = spawnPaperboy(args, vars, dir);
  running.push(p);
  return p;
}

async function healthOf(p: Running): Promise<{ status: number; body: { ok: boolean; role: string; checks: Record<string, { ok: boolean }> } }> {
  const line = await p.waitFor((l) => l.msg === 'health check listening', 20_000);
  const res = await fetch(String(line.url));
  return { status: res.status, body: (await res.json()) as never };
}

/** A port nothing listens on: one the system gave and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

describe('GIVEN `paperboy start` with DATABASE_URL', () => {
  it('THEN it logs its role, shards and backends without the password, answers a command from PostgreSQL, and /healthz is 200', async () => {
    const guild = fake.createGuild({ name: 'Readers' });
    const channel = fake.createChannel(guild.id, { name: 'news' });
    const user = fake.createUser({ username: 'reader' });
    fake.addMember(guild.id, user.id);
    await deployCommands({ token: TOKEN, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl }, commands);
    // The test database's URL with a password the server ignores (trust auth): it must appear nowhere.
    const url = new URL(db.url);
    url.password = 'sw0rdfish-secret';
    const bot = spawn(['start'], env({ DATABASE_URL: url.toString(), HEALTH_PORT: '0' }));
    const started = await bot.waitFor((l) => l.msg === 'starting: connecting to Discord', 20_000);
    expect(started).toMatchObject({
      role: 'start',
      shards: '0 of 1',
      backends: { state: `postgres 127.0.0.1:5432${new URL(db.url).pathname}`, redis: 'none' },
      delivery: 'on',
    });
    await bot.waitFor((l) => l.msg === 'bot connected', 20_000);
    const health = await healthOf(bot);
    expect(health).toMatchObject({ status: 200, body: { ok: true, role: 'start', checks: { postgres: { ok: true }, shards: { ok: true } } } });

    // The shipped articles went into PostgreSQL, and the command reads them from there.
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
      expect(rows[0]?.n).toBeGreaterThan(0);
    } finally {
      await pool.end();
    }
    const reply = await fake
      .runCommand({ guildId: guild.id, channelId: channel.id, userId: user.id, name: 'search', options: { query: 'NATO expansion' } })
      .reply();
    expect(reply.embeds[0]?.description).toContain('Russia and NATO are severing ties');

    bot.child.kill('SIGTERM');
    expect(await bot.exited).toBe(0);
    expect(bot.lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['stopping', 'leases released', 'stopped']));
    expect(JSON.stringify(bot.lines) + bot.stderr()).not.toContain('sw0rdfish-secret');
    expect(JSON.stringify(bot.lines) + bot.stderr()).not.toContain(TOKEN);
  }, 40_000);
});

describe('GIVEN `paperboy worker`', () => {
  it('THEN it delivers a subscribed article over REST with no gateway connection, answers /healthz, and releases its leases at SIGTERM', async () => {
    const guild = fake.createGuild({ name: 'Readers' });
    const channel = fake.createChannel(guild.id, { name: 'news' });
    const store = await openPostgresStore(db.url, { max: 2 });
    try {
      await store.upsert(article({ title: 'Lighthouse relit after forty years', text: 'The lamp was lit again at dusk.' }));
      await subscribe(new Subscriptions(postgresBotState(store.pool).subscriptions), store, {
        guildId: guild.id,
        channel: { id: channel.id, name: 'news', kind: 'text' },
        backfill: 'all',
        by: 'test',
        now: new Date(),
      });
    } finally {
      await store.close();
    }
    const worker = spawn(['worker'], env({ DATABASE_URL: db.url, HEALTH_PORT: '0', DELIVERY_CRON: '* * * * * *', INBOX_DIR: join(dir, 'inbox') }));
    await worker.waitFor((l) => l.msg === 'worker ready: delivering on the schedule, no gateway connection', 20_000);
    expect(worker.lines.find((l) => l.msg === 'starting: worker (delivery without a gateway)')).toMatchObject({
      role: 'worker',
      shards: 'none',
      delivery: 'on',
    });
    await vi.waitFor(() => expect(fake.messages(channel.id).map((m) => m.embeds[0]?.title)).toEqual(['Lighthouse relit after forty years']), {
      timeout: 15_000,
      interval: 100,
    });
    expect(await healthOf(worker)).toMatchObject({ status: 200, body: { ok: true, role: 'worker', checks: { postgres: { ok: true } } } });
    expect(fake.connectedSessions).toBe(0);
    expect(fake.requests.filter((r) => r.path.includes('/gateway'))).toEqual([]);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    const released = worker.lines.find((l) => l.msg === 'leases released');
    expect(released).toBeDefined();
    const pool = new pg.Pool({ connectionString: db.url, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM leases WHERE holder = $1 AND expires_at > now()', [released?.holder]);
      expect(rows[0]?.n).toBe(0);
    } finally {
      await pool.end();
    }
  }, 40_000);

  it('THEN on SQLite (no DATABASE_URL) it is refused with one line saying a worker needs DATABASE_URL', async () => {
    const failed = await run(process.execPath, [BIN, 'worker'], { env: env({}), cwd: dir }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr).toMatch(/^paperboy: worker: needs DATABASE_URL \(PostgreSQL\)[^\n]*\n$/);
  });
});

describe('GIVEN a setting start-up cannot work with', () => {
  it('THEN a DATABASE_URL nothing answers stops it with one line naming DATABASE_URL and the host, never the password', async () => {
    const port = await closedPort();
    const failed = await run(process.execPath, [BIN, 'start'], {
      env: env({ DATABASE_URL: `postgres://paperboy:hunter2@127.0.0.1:${port}/paperboy`, LOG_LEVEL: 'silent' }),
      cwd: dir,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr).toMatch(new RegExp(`^paperboy: start failed: DATABASE_URL: cannot use PostgreSQL at 127\\.0\\.0\\.1:${port}/paperboy: [^\\n]+\\n$`));
    expect(failed.stdout + failed.stderr).not.toContain('hunter2');
  });

  it('THEN on PostgreSQL a REDIS_URL nothing answers stops it the same way', async () => {
    const port = await closedPort();
    const failed = await run(process.execPath, [BIN, 'worker'], {
      env: env({ DATABASE_URL: db.url, REDIS_URL: `redis://:hunter2@127.0.0.1:${port}`, LOG_LEVEL: 'silent' }),
      cwd: dir,
    }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr).toMatch(new RegExp(`^paperboy: worker failed: REDIS_URL: cannot reach Redis at 127\\.0\\.0\\.1:${port}: [^\\n]+\\n$`));
    expect(failed.stdout + failed.stderr).not.toContain('hunter2');
  });

  it('THEN SHARD_IDS outside SHARD_COUNT is refused in one line naming both', async () => {
    const failed = await run(process.execPath, [BIN, 'start'], { env: env({ SHARD_COUNT: '2', SHARD_IDS: '2' }), cwd: dir }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 1 });
    expect(failed.stderr).toMatch(/^paperboy: configuration: SHARD_IDS: [^\n]*SHARD_COUNT is 2[^\n]*\n$/);
    expect(fake.connectedSessions).toBe(0);
  });
});

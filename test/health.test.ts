/**
 * The health check: a real HTTP server on a free port, with checks on the real PostgreSQL, SQLite,
 * Redis and a real discord.js client against the local Discord. Failing and hanging backends answer
 * 503 naming the check, within the timeout.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from '@keyv/redis';
import { clientOptionsFor, FakeDiscord } from '@paperboy/fake-discord';
import Database from 'better-sqlite3';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { openPool } from '../src/adapters/store/postgres/pool.ts';
import { loadConfig } from '../src/config.ts';
import { clientShardOptions } from '../src/ui/discord/shards.ts';
import { postgresCheck, redisCheck, shardsCheck, sqliteCheck } from '../src/ui/health/checks.ts';
import { describeStart } from '../src/ui/health/describe.ts';
import { type HealthCheck, type HealthServerOptions, reasonOf, startHealthServer } from '../src/ui/health/server.ts';
import { capturedLogger } from './helpers/log.ts';
import { createTestDatabase } from './helpers/postgres.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(
  checks: Record<string, HealthCheck>,
  options: Partial<HealthServerOptions> = {},
): Promise<{ url: string; lines: Record<string, unknown>[] }> {
  const { log, lines } = capturedLogger('info');
  const server = await startHealthServer({ host: '127.0.0.1', port: 0, role: 'start', checks, log, ...options });
  cleanups.push(() => server.close());
  return { url: server.url, lines };
}

async function probe(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: { ok: boolean; role: string; checks: Record<string, { ok: boolean; reason?: string }> } }> {
  const res = await fetch(url, init);
  return { status: res.status, body: (await res.json()) as never };
}

/** A port nothing listens on: one the system just gave out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A TCP server that accepts connections and never says a word: a database that hangs. */
async function silentServer(): Promise<number> {
  const sockets: Socket[] = [];
  const server: Server = createServer((socket) => void sockets.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => {
    for (const s of sockets) s.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  return (server.address() as { port: number }).port;
}

describe('GIVEN PostgreSQL', () => {
  it('THEN a pool on a real database answers 200 with the role and each check', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.drop());
    const pool = openPool(database.url, { max: 2 });
    cleanups.push(() => pool.end());
    const { url } = await serve({ postgres: postgresCheck(pool) });
    const { status, body } = await probe(url);
    expect(status).toBe(200);
    expect(body).toMatchObject({ ok: true, role: 'start', checks: { postgres: { ok: true } } });
  });

  it('THEN a pool to a closed port answers 503 naming postgres and why, without the password', async () => {
    const pool = openPool(`postgres://paperboy:hunter2@127.0.0.1:${await closedPort()}/paperboy`, { max: 1 });
    cleanups.push(() => pool.end());
    const { url, lines } = await serve({ postgres: postgresCheck(pool), always: () => undefined });
    const { status, body } = await probe(url);
    expect(status).toBe(503);
    expect(body.ok).toBe(false);
    expect(body.checks.always).toMatchObject({ ok: true });
    expect(body.checks.postgres).toMatchObject({ ok: false, reason: expect.stringMatching(/ECONNREFUSED/) as unknown });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(lines.filter((l) => l.msg === 'health check fails')).toEqual([expect.objectContaining({ check: 'postgres' })]);
  });

  it('THEN a database that accepts and never answers gives 503 within the timeout, not a hang', async () => {
    const pool = openPool(`postgres://postgres@127.0.0.1:${await silentServer()}/paperboy`, { max: 1 });
    // pool.end waits for the connection still trying; it ends when the silent server (cleaned up last) drops it.
    cleanups.push(() => void pool.end().catch(() => undefined));
    const { url } = await serve({ postgres: postgresCheck(pool) }, { timeoutMs: 300 });
    const started = Date.now();
    const { status, body } = await probe(url);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(status).toBe(503);
    expect(body.checks.postgres).toEqual({ ok: false, ms: expect.any(Number) as unknown, reason: 'no answer within 300 ms' });
  });
});

describe('GIVEN a check that hangs', () => {
  it('THEN it fails at its timeout with its signal aborted, and is not started again while it still hangs', async () => {
    let calls = 0;
    const signals: AbortSignal[] = [];
    let release = (): void => undefined;
    const hung: HealthCheck = (signal) => {
      calls++;
      signals.push(signal);
      return new Promise<void>((resolve) => (release = resolve));
    };
    const { url } = await serve({ hung }, { timeoutMs: 200 });
    const started = Date.now();
    expect((await probe(url)).status).toBe(503);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(signals[0]?.aborted).toBe(true);
    const again = await probe(url);
    expect(again.status).toBe(503);
    expect(again.body.checks.hung?.reason).toMatch(/^still waiting for the previous check, started \d+ ms ago$/);
    expect(calls).toBe(1);
    // Once the stuck call ends, the next probe runs the check afresh.
    release();
    await new Promise((resolve) => setTimeout(resolve, 10));
    const third = await probe(url);
    expect(third.body.checks.hung?.reason).toBe('no answer within 200 ms');
    expect(calls).toBe(2);
    release();
  });
});

describe('GIVEN SQLite and Redis', () => {
  it('THEN an open SQLite file passes and a closed handle fails', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pb-health-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const db = new Database(join(dir, 'paperboy.db'));
    const { url } = await serve({ sqlite: sqliteCheck(db) }, { role: 'worker' });
    expect(await probe(url)).toMatchObject({ status: 200, body: { ok: true, role: 'worker' } });
    db.close();
    const { status, body } = await probe(url);
    expect(status).toBe(503);
    expect(body.checks.sqlite?.reason).toMatch(/not open/);
  });

  it('THEN a live Redis answers PONG, and one whose connection is gone fails', async () => {
    const client = createClient({ url: 'redis://127.0.0.1:6379', disableOfflineQueue: true, socket: { reconnectStrategy: false } });
    await client.connect();
    cleanups.push(() => client.isOpen && client.close());
    const { url } = await serve({ redis: redisCheck(() => client.ping()) });
    expect((await probe(url)).status).toBe(200);
    await client.close();
    const { status, body } = await probe(url);
    expect(status).toBe(503);
    expect(body.checks.redis?.ok).toBe(false);
    const odd = await serve({ redis: redisCheck(() => Promise.resolve('HELLO')) });
    expect((await probe(odd.url)).body.checks.redis?.reason).toBe('expected PONG to a PING, got "HELLO"');
  });
});

describe('GIVEN a discord.js client on the local Discord', () => {
  it('THEN the shards check fails before login, naming the shards, and passes once every shard is ready', async () => {
    const fake = await FakeDiscord.start();
    cleanups.push(() => fake.close());
    fake.createGuild({ name: 'One', shard: [0, 2] });
    fake.createGuild({ name: 'Two', shard: [1, 2] });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], ...clientOptionsFor(fake), ...clientShardOptions({ count: 2, ids: [0, 1] }) });
    cleanups.push(() => client.destroy());
    const { url } = await serve({ shards: shardsCheck(client) });
    const before = await probe(url);
    expect(before.status).toBe(503);
    expect(before.body.checks.shards?.reason).toBe('shard 0: not started, shard 1: not started');
    const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
    await client.login(fake.botToken);
    await ready;
    expect(await probe(url)).toMatchObject({ status: 200, body: { ok: true, checks: { shards: { ok: true } } } });
    // A shard this process should run but the client does not is named too.
    const more = await serve({ shards: shardsCheck(client, [0, 1, 2]) });
    expect((await probe(more.url)).body.checks.shards?.reason).toBe('shard 2: not started');
  });
});

describe('GIVEN other requests', () => {
  it('THEN other paths are 404, other methods 405, and HEAD answers the status alone', async () => {
    const { url } = await serve({ always: () => undefined });
    const base = url.replace(/\/healthz$/, '');
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await fetch(`${base}/healthz/x`)).status).toBe(404);
    expect((await fetch(`${url}?verbose=1`)).status).toBe(200);
    const post = await fetch(url, { method: 'POST' });
    expect([post.status, post.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
    const head = await fetch(url, { method: 'HEAD' });
    expect([head.status, await head.text()]).toEqual([200, '']);
  });

  it('THEN a reason is one line, cut short, with a URL’s password masked', () => {
    expect(reasonOf(new Error('cannot reach\n postgres://pb:hunter2@db:5432/x'))).toBe('cannot reach postgres://***@db:5432/x');
    expect(reasonOf(new Error('x'.repeat(2000)))).toHaveLength(300);
    expect(reasonOf(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''))).toBe('connect ECONNREFUSED ::1:5432');
    expect(reasonOf('plain')).toBe('plain');
  });
});

describe('GIVEN the settings a process starts with', () => {
  it('THEN the start line names the role, shards, backends and delivery, never a password', () => {
    const embedded = describeStart(loadConfig({ DATABASE_PATH: '/srv/paperboy/paperboy.db' }), 'start');
    expect(embedded).toEqual({
      role: 'start',
      shards: '0 of 1',
      backends: { state: 'sqlite /srv/paperboy/paperboy.db', redis: 'none' },
      delivery: 'on',
      rest: 'https://discord.com/api',
      health: 'none',
    });
    const config = loadConfig({
      DATABASE_URL: 'postgres://paperboy:hunter2@db.internal:6432/paperboy',
      REDIS_URL: 'redis://:hunter2@cache.internal:6380/0',
      SHARD_COUNT: '8',
      SHARD_IDS: '0-3,6',
      DELIVERY: 'off',
      HEALTH_PORT: '9100',
      DISCORD_REST_PROXY: 'http://10.0.0.5:8090',
    });
    const line = describeStart(config, 'start');
    expect(line).toEqual({
      role: 'start',
      shards: '0-3,6 of 8',
      backends: { state: 'postgres db.internal:6432/paperboy', redis: 'redis cache.internal:6380' },
      delivery: 'off',
      rest: 'http://10.0.0.5:8090',
      health: '127.0.0.1:9100',
    });
    expect(JSON.stringify(line)).not.toContain('hunter2');
    // A worker has no gateway and exists to deliver; the REST proxy has neither backend nor delivery.
    expect(describeStart(config, 'worker')).toMatchObject({ role: 'worker', shards: 'none', delivery: 'on' });
    expect(describeStart(config, 'rest-proxy')).toMatchObject({
      shards: 'none',
      backends: { state: 'none', redis: 'none' },
      delivery: 'off',
      rest: 'https://discord.com/api',
    });
  });

  it('THEN of the REST proxy only the origin is told, even with a password slipped past config', () => {
    const config = loadConfig({ DISCORD_REST_PROXY: 'http://10.0.0.5:8090/api' });
    expect(describeStart(config, 'worker').rest).toBe('http://10.0.0.5:8090');
    const slipped = { ...config, discord: { ...config.discord, restProxy: 'http://paperboy:hunter2@10.0.0.5:8090/api?key=hunter2' } };
    const line = describeStart(slipped, 'start');
    expect(line.rest).toBe('http://10.0.0.5:8090');
    expect(JSON.stringify(line)).not.toContain('hunter2');
    const api = { ...config, discord: { ...config.discord, restProxy: null, apiUrl: 'https://bot:hunter2@discord.com/api?x=hunter2' } };
    expect(describeStart(api, 'start').rest).toBe('https://discord.com/api');
  });

  it('THEN SHARD_COUNT=auto reads as such until Discord has answered, then as the resolved shards', () => {
    const config = loadConfig({ SHARD_COUNT: 'auto' });
    expect(describeStart(config, 'start').shards).toBe('all of auto');
    expect(describeStart(config, 'start', { count: 3, ids: [0, 1, 2] }).shards).toBe('0-2 of 3');
    expect(describeStart(loadConfig({ SHARD_COUNT: 'auto', SHARD_IDS: '1,3,5-6' }), 'start').shards).toBe('1,3,5-6 of auto');
  });
});

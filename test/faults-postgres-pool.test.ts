/**
 * PostgreSQL going away under a running pool (issue 15, "a PostgreSQL restart while the bot runs
 * costs retries, not data"): a connection killed while a transaction holds it between queries, or
 * cut by the network, fails that work and is logged once naming the database, and the process goes
 * on. Against the real server, through a forwarder the test cuts (helpers/forwarder.ts), never
 * stopping the server itself. faults-postgres.test.ts shows the same from outside a real process.
 */
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openPool, type Pool, transaction } from '../src/adapters/store/postgres/pool.ts';
import { type Forwarder, startForwarder } from './helpers/forwarder.ts';
import { capturedLogger } from './helpers/log.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';

/** Ends the given backend from another connection, as an operator's pg_terminate_backend (or a restart) would. */
async function terminate(url: string, pid: number): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend($1)', [pid]);
  } finally {
    await admin.end();
  }
}

const failures = (logs: Record<string, unknown>[]): Record<string, unknown>[] =>
  logs.filter((l) => l.msg === 'a PostgreSQL connection in use failed: its work fails and is retried; the pool opens another');

describe('GIVEN a transaction holding its connection between two queries', () => {
  let db: TestDatabase;
  let forwarder: Forwarder;
  let pool: Pool;
  let logs: Record<string, unknown>[];
  beforeEach(async () => {
    db = await createTestDatabase();
    forwarder = await startForwarder({ host: '127.0.0.1', port: Number(new URL(db.url).port || 5432) });
    const url = new URL(db.url);
    url.port = String(forwarder.port);
    // A password the server ignores (trust auth): it must appear in no log line.
    url.password = 'hunter2-secret';
    const captured = capturedLogger('debug');
    logs = captured.lines;
    pool = openPool(url.toString(), { max: 2, log: captured.log });
  });
  afterEach(async () => {
    await pool.end().catch(() => undefined);
    await forwarder.close();
    await db.drop();
  });

  it('THEN a pg_terminate_backend of that connection fails the transaction, is logged once naming the database, and the pool serves the next query', async () => {
    await pool.query('CREATE TABLE notes (text TEXT NOT NULL)');
    const work = transaction(pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('first')");
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // Held, idle, between queries: this is when pg emits 'error' on the client with no query to fail.
      await terminate(db.url, rows[0]?.pid ?? 0);
      await vi.waitFor(() => expect(failures(logs)).toHaveLength(1), { timeout: 5000, interval: 20 });
      await client.query("INSERT INTO notes VALUES ('second')");
    });
    await expect(work).rejects.toThrow(/not queryable|terminat|Connection terminated/i);
    expect(failures(logs)).toHaveLength(1);
    expect(failures(logs)[0]).toMatchObject({ level: 40, database: expect.stringMatching(/^127\.0\.0\.1:\d+\/pb_test_/) as unknown });
    // Nothing of the failed transaction stayed, and the pool opened a new connection for this.
    const { rows } = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM notes');
    expect(rows[0]?.n).toBe(0);
    expect(pool.totalCount).toBeLessThanOrEqual(2);
    expect(JSON.stringify(logs)).not.toContain('hunter2-secret');
  });

  it('THEN the network cut mid-query rejects the query in flight and the process goes on; once back, transactions commit again', async () => {
    await pool.query('CREATE TABLE notes (text TEXT NOT NULL)');
    const work = transaction(pool, async (client) => {
      await client.query("INSERT INTO notes VALUES ('first')");
      const slow = client.query('SELECT pg_sleep(5)');
      setTimeout(() => forwarder.cut(), 100);
      await slow;
    });
    await expect(work).rejects.toThrow();
    await vi.waitFor(() => expect(failures(logs)).toHaveLength(1), { timeout: 5000, interval: 20 });
    // While cut: fails at once (the connection is refused), no hang, no crash.
    await expect(pool.query('SELECT 1')).rejects.toThrow();
    forwarder.restore();
    await transaction(pool, (client) => client.query("INSERT INTO notes VALUES ('after')"));
    const { rows } = await pool.query<{ text: string }>('SELECT text FROM notes');
    expect(rows.map((r) => r.text)).toEqual(['after']);
    expect(failures(logs)).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toContain('hunter2-secret');
  });

  it('THEN an idle connection of the pool cut by the network is logged and replaced (the pool’s own listener)', async () => {
    await pool.query('SELECT 1');
    expect(pool.idleCount).toBe(1);
    forwarder.cut();
    await vi.waitFor(() => expect(logs.some((l) => l.msg === 'an idle PostgreSQL connection failed; the pool opens another')).toBe(true), {
      timeout: 5000,
      interval: 20,
    });
    forwarder.restore();
    const { rows } = await pool.query<{ one: number }>('SELECT 1 AS one');
    expect(rows[0]?.one).toBe(1);
  });
});

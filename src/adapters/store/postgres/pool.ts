/**
 * The connection pool to PostgreSQL, and the two helpers every repository here uses: one
 * transaction on one client, and an upsert of a whole row.
 */
import pg from 'pg';
import type { Logger } from '../../../core/log.ts';

export type Pool = pg.Pool;
export type Client = pg.PoolClient;

export interface PoolOptions {
  /**
   * Connections the pool opens at most.
   * @default 10
   */
  readonly max?: number;
  /** Where an idle connection's failure (PostgreSQL restarted, say) is told; without it, it is dropped quietly. */
  readonly log?: Logger;
  /**
   * How long opening one connection may take before it fails: a dead or firewalled database fails
   * start-up (and a health check) in this time instead of the operating system's minutes.
   * @default 5000
   */
  readonly connectTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5000;

/**
 * BIGINT columns (a post attempt's time in ms) read back as numbers, as SQLite gives them: every
 * value stored there came from a JavaScript number, so it fits one.
 */
/** PostgreSQL's type id of BIGINT (int8). */
const INT8 = 20;

const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8 && format !== 'binary') return (value: string) => Number(value);
    const parse: unknown = pg.types.getTypeParser(oid, format);
    return parse;
  }) as pg.CustomTypesConfig['getTypeParser'],
};

/** The database a URL names, for messages and logs: host, port and database, never the password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'a URL that does not parse';
  }
}

export function openPool(url: string, options: PoolOptions = {}): Pool {
  const max = options.max ?? 10;
  if (!Number.isInteger(max) || max < 1) throw new Error(`postgres: expected \`max\` to be a whole number from 1 and up, got \`${max}\``);
  const pool = new pg.Pool({ connectionString: url, max, types, connectionTimeoutMillis: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
  // An idle client's error is emitted on the pool, and an unhandled 'error' would end the process;
  // the pool drops that client and opens another when next asked.
  const database = describeUrl(url);
  pool.on('error', (error) => {
    // pg-pool hangs the whole client on the error: logged, it would print the connection's internals.
    delete (error as Error & { client?: unknown }).client;
    options.log?.warn({ err: error, database }, 'an idle PostgreSQL connection failed; the pool opens another');
  });
  watchCheckedOut(pool, database, options.log);
  return pool;
}

/**
 * A client checked out of the pool (a transaction, a migration) has no 'error' listener of pg's
 * while it is held: its connection killed between two queries (PostgreSQL restarted, the backend
 * terminated, the network cut) would emit an 'error' nobody listens for and end the process. This
 * listens on every client for as long as it is held and logs the failure once. The query in flight
 * rejects by itself, every later one on that client fails at once, and the pool drops the client
 * at its release (pg-pool discards a client that is no longer queryable, and `transaction`
 * releases it with the error).
 */
function watchCheckedOut(pool: Pool, database: string, log: Logger | undefined): void {
  const listeners = new WeakMap<Client, (error: Error) => void>();
  pool.on('acquire', (client) => {
    let told = false;
    const listener = (error: Error): void => {
      if (told) return;
      told = true;
      log?.warn({ err: error, database }, 'a PostgreSQL connection in use failed: its work fails and is retried; the pool opens another');
    };
    listeners.set(client, listener);
    client.on('error', listener);
  });
  pool.on('release', (_error, client) => {
    const listener = listeners.get(client);
    if (!listener) return;
    listeners.delete(client);
    client.off('error', listener);
  });
}

/**
 * Runs `work` in one transaction on one client: committed when it resolves, rolled back when it
 * throws (and the error passed on).
 */
export async function transaction<T>(pool: Pool, work: (client: Client) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch (rollback) {
      // The connection itself failed: it must not go back to the pool.
      broken = rollback instanceof Error ? rollback : new Error(String(rollback));
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * `INSERT … ON CONFLICT (key) DO UPDATE` of a whole row, parameters in `names` order: the
 * PostgreSQL form of SQLite's INSERT OR REPLACE.
 */
export function upsertInto(table: string, names: readonly string[], key: readonly string[]): string {
  const values = names.map((_, i) => `$${i + 1}`).join(', ');
  const set = names.filter((c) => !key.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
  return `INSERT INTO ${table} (${names.join(', ')}) VALUES (${values}) ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** A row's values in `names` order, for upsertInto. */
export function rowValues<Row>(row: Row, names: readonly string[]): unknown[] {
  return names.map((c) => row[c as keyof Row]);
}

/**
 * Takes the transaction's lock on one key of one table, so that two changes to a record that does
 * not exist yet (which SELECT … FOR UPDATE cannot lock) still run one after the other.
 */
export async function lockKey(client: Client, table: string, key: string): Promise<void> {
  await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`${table}:${key}`]);
}

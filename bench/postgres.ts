/**
 * A fresh PostgreSQL database for one benchmark run: `pb_bench_<random>` on the server that
 * PAPERBOY_BENCH_POSTGRES names (its maintenance database; default postgres://postgres@127.0.0.1:5432/),
 * dropped afterwards with whatever connections are still open. Messages name the host, never a password.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describeUrl } from '../src/adapters/store/postgres/pool.ts';

const ADMIN_URL = process.env.PAPERBOY_BENCH_POSTGRES ?? 'postgres://postgres@127.0.0.1:5432/';

export interface BenchDatabase {
  readonly name: string;
  readonly url: string;
  /** Idempotent: a second call (the signal handler after `finally`, say) does nothing. */
  drop(): Promise<void>;
}

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`bench: PostgreSQL at ${describeUrl(ADMIN_URL)} (PAPERBOY_BENCH_POSTGRES): ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createBenchDatabase(): Promise<BenchDatabase> {
  // Hex only, so the name needs no quoting.
  const name = `pb_bench_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | undefined;
  return {
    name,
    url: url.toString(),
    drop: () => (dropped ??= admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined)),
  };
}

/**
 * `pb_bench_keep_<name>`, made if missing and never dropped by a run (its `drop` does nothing):
 * `DROP DATABASE pb_bench_keep_<name>` when done with it. `name` is a-z, 0-9 and _ only.
 */
export async function keptBenchDatabase(name: string): Promise<BenchDatabase> {
  if (!/^[a-z0-9_]{1,20}$/.test(name)) throw new Error(`bench: expected a kept database's name of a-z, 0-9 and _, got \`${name}\``);
  const full = `pb_bench_keep_${name}`;
  await admin(async (c) => {
    const { rowCount } = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [full]);
    if (!rowCount) await c.query(`CREATE DATABASE ${full}`);
  });
  const url = new URL(ADMIN_URL);
  url.pathname = `/${full}`;
  return { name: full, url: url.toString(), drop: () => Promise.resolve() };
}

/** Drops `db` when the process is interrupted too (Ctrl-C, a timeout's SIGTERM), then exits. */
export function dropOnSignal(db: BenchDatabase): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`bench: ${signal}: dropping ${db.name}`);
      void db.drop().finally(() => process.exit(130));
    });
  }
}

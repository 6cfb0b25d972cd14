/**
 * The store and the bot's state a CLI command works on: PostgreSQL when given a postgres:// URL
 * (DATABASE_URL, or `copy --to`), as `paperboy start` uses, else the SQLite file. One pool (or one
 * file connection) serves both, and `close` ends it.
 */
import type { Store, StoreCopier } from '../../adapters/store/contract.ts';
import { openPostgresStore } from '../../adapters/store/postgres/articles.ts';
import { describeUrl } from '../../adapters/store/postgres/pool.ts';
import { postgresBotState } from '../../adapters/store/postgres/state.ts';
import type { OpenOptions } from '../../adapters/store/db.ts';
import { SqliteStore } from '../../adapters/store/sqlite-store.ts';
import { type BotState, openBotState } from '../../adapters/store/state.ts';
import { UserError } from '../../core/errors.ts';

export interface CliStorage {
  readonly store: Store & StoreCopier;
  /** The bot's state tables beside the articles (opened on first use). */
  state(): BotState;
  /** Where it is, for messages: the file's path, or host:port/database (never a password). */
  readonly name: string;
  close(): Promise<void>;
}

/** Whether `target` is a PostgreSQL URL rather than a file path. */
export function isPostgresUrl(target: string): boolean {
  return /^postgres(?:ql)?:\/\//i.test(target);
}

function lazy<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * Opens the PostgreSQL database at `url` (migrated first), with at most `max` connections
 * (DATABASE_POOL_MAX, as `paperboy start` opens). Unreachable or refused, it is a UserError naming
 * `what` (the setting or option) and the host and database, never the password.
 */
export async function openPostgresStorage(url: string, what: string, max: number): Promise<CliStorage> {
  let store;
  try {
    store = await openPostgresStore(url, { max });
  } catch (error) {
    // openPostgresStore's message names the host and database only.
    throw new UserError('bad-input', `${what}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const pool = store.pool;
  const state = lazy((): BotState => postgresBotState(pool));
  return { store, state, name: describeUrl(url), close: () => store.close() };
}

/** Opens (and migrates) the SQLite file at `path`; errors as SqliteStore.open throws them. */
export function openSqliteStorage(path: string, options: OpenOptions = {}): CliStorage {
  const store = SqliteStore.open(path, options);
  return { store, state: lazy(() => openBotState(store.db)), name: path, close: () => store.close() };
}

/** What every CLI command needs: the configuration and the store (SQLite, or PostgreSQL with DATABASE_URL), opened once and closed on exit. */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { type Config, loadConfig } from '../../config.ts';
import { describeSqliteError } from '../../adapters/store/errors.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { BotState } from '../../adapters/store/state.ts';
import { UserError } from '../../core/errors.ts';
import { type CliStorage, openPostgresStorage, openSqliteStorage } from './storage.ts';

export interface Io {
  /** A line (or lines) of output; a final newline is added when missing. */
  out(text: string): void;
  /** Raw output for streaming large results; resolves when the stream can take more. */
  write(chunk: string): Promise<void>;
  err(text: string): void;
  /** Whether stdout is a terminal (colour, progress bars). */
  readonly tty: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  write: (chunk) => (process.stdout.write(chunk) ? Promise.resolve() : once(process.stdout, 'drain').then(() => undefined)),
  tty: Boolean(process.stdout.isTTY),
};

/**
 * The commands that only read. They open the database read-only (no journal mode change), so a
 * file the user may only read can still be searched, and nothing they do can change its data. One
 * exception: a file from an older Paperboy that they may write is upgraded first, so the first
 * search after installing a new Paperboy answers instead of asking for the bot or an ingest. By
 * command path, so the list lives here, next to what it changes.
 */
const READING_COMMANDS: ReadonlySet<string> = new Set([
  'search',
  'show',
  'list',
  'export',
  'summarize',
  'quote',
  'digest',
  'feed list',
  'feed export',
  'discussion list',
  'preview',
  'subscription list',
  'subscription show',
]);

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function configOf(command: Command): Config {
  const db = command.optsWithGlobals<{ db?: string }>().db;
  return loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
}

/**
 * Opens the store the bot uses: PostgreSQL when DATABASE_URL is set (as `paperboy start` does; one
 * pool for the articles and the state), else the file named by --db, else DATABASE_PATH, else
 * data/paperboy.db: read-only for the reading commands. Only `ingest` (and `feed add`) create the
 * file: a mistyped path for any other command is named as missing, not answered from a new, empty
 * database left behind. A file Paperboy cannot use (damaged, read-only for a writer, not a Paperboy
 * database) or a server it cannot reach is a UserError naming it (never with a password).
 */
export async function openStorage(command: Command, create = false): Promise<CliStorage> {
  const config = configOf(command);
  if (config.databaseUrl) return openPostgresStorage(config.databaseUrl, 'DATABASE_URL', config.poolMax);
  const path = config.databasePath;
  if (!create && !existsSync(path)) {
    throw new UserError('not-found', `no database at ${path}: store articles first with \`paperboy ingest PATH\`, or check --db and DATABASE_PATH`);
  }
  try {
    return openSqliteStorage(path, { readOnly: READING_COMMANDS.has(commandPath(command)) });
  } catch (error) {
    throw asUserError(error, path);
  }
}

/** A database problem met at any point (a damaged page found mid-search, say) as one line naming the file. */
function asUserError(error: unknown, path: string): unknown {
  const described = describeSqliteError(error, path);
  return described ? new UserError('bad-input', described.message, { cause: error }) : error;
}

/**
 * Runs `fn` with the store open (and the bot's state beside it, opened when asked for), closing
 * them afterwards whatever happens. `create` only for commands that write.
 */
export async function withStore<T>(command: Command, fn: (store: Store, state: () => BotState) => T | Promise<T>, create = false): Promise<T> {
  const storage = await openStorage(command, create);
  try {
    return await fn(storage.store, () => storage.state());
  } catch (error) {
    throw asUserError(error, storage.name);
  } finally {
    await storage.close();
  }
}

/** Parses a positive integer option, naming the option when it is not one. */
export function positiveInt(name: string, min = 1): (value: string) => number {
  return (value) => {
    // Digits only: Number() would also take `1e2`, `0x10`, ` 5` and `5.0`, which nobody types for a count.
    const n = /^\d{1,9}$/.test(value) ? Number(value) : NaN;
    if (!Number.isInteger(n) || n < min) throw new UserError('bad-option', `${name}: expected a whole number from ${min} up, got \`${value}\``);
    return n;
  };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

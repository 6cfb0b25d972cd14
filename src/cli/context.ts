/** What every CLI command needs: the configuration and the store, opened once and closed on exit. */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadConfig } from '../config.ts';
import { ArticleStore } from '../store/store.ts';

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

/** A failure the user can fix (bad argument, unknown id): printed as one line, exit status 1. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Opens the store named by --db, else DATABASE_PATH, else data/paperboy.db. Only `ingest` creates
 * the file: a mistyped path for any other command is named as missing, not answered from a new,
 * empty database left behind.
 */
export function openStore(command: Command, create = false): ArticleStore {
  const db = command.optsWithGlobals<{ db?: string }>().db;
  const config = loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
  if (!create && !existsSync(config.databasePath)) {
    throw new UsageError(`no database at ${config.databasePath}: store articles first with \`paperboy ingest PATH\`, or check --db and DATABASE_PATH`);
  }
  return ArticleStore.open(config.databasePath);
}

/** Runs `fn` with the store open, closing it afterwards whatever happens. `create` only for commands that write. */
export async function withStore<T>(command: Command, fn: (store: ArticleStore) => T | Promise<T>, create = false): Promise<T> {
  const store = openStore(command, create);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/** Parses a positive integer option, naming the option when it is not one. */
export function positiveInt(name: string, min = 1): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new UsageError(`${name}: expected a whole number from ${min} up, got \`${value}\``);
    return n;
  };
}

export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

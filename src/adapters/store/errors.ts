/**
 * What is wrong with a database file, in words an operator can act on: which file, what is wrong,
 * what to do. SQLite's own errors ("file is not a database", "attempt to write a readonly
 * database") name neither the file nor a way out, and reach the user as a stack trace.
 */
import { basename, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { readable, writable } from './access.ts';

/** A database file Paperboy cannot use as it is. The message names the file and what to do. */
export class DatabaseError extends Error {
  override readonly name: string = 'DatabaseError';
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}

/** The file as an operator would paste it into a shell. */
export function shellQuoted(file: string): string {
  // One character class, one quantifier: linear on any input.
  return /^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replaceAll("'", `'\\''`)}'`;
}

const WRITERS = 'ingest, feed add/remove/poll and the bot need write access';

export function readOnlyFile(file: string): DatabaseError {
  return new DatabaseError(
    file,
    `${file} is read-only: reading commands (search, show, list, export…) work, ${WRITERS}: make it writable (chmod u+w ${shellQuoted(file)}) or run as its owner`,
  );
}

export function readOnlyFolder(file: string): DatabaseError {
  const dir = dirname(file);
  return new DatabaseError(
    file,
    `${file} cannot be written: its folder ${dir} is read-only, and SQLite writes ${basename(file)}-wal and ${basename(file)}-shm beside it; reading commands work, ${WRITERS} to the folder`,
  );
}

export function damaged(file: string, detail: string): DatabaseError {
  const f = shellQuoted(file);
  return new DatabaseError(
    file,
    `${file} is damaged (SQLite: ${detail}): save what it holds with \`sqlite3 ${f} .recover | sqlite3 ${shellQuoted(`${file}.recovered`)}\` and use that file, or restore a backup`,
  );
}

export function notPaperboy(file: string, what: string): DatabaseError {
  return new DatabaseError(file, `${file} is not a Paperboy database: ${what} (check --db and DATABASE_PATH)`);
}

/**
 * The operator's version of an SQLite error met while using `file`, or null for errors that are
 * not about the file (a bug in a statement, say), which stay as they are.
 */
export function describeSqliteError(error: unknown, file: string): DatabaseError | null {
  if (error instanceof DatabaseError) return error;
  if (!(error instanceof Database.SqliteError)) return null;
  const code = error.code;
  if (code === 'SQLITE_NOTADB') return notPaperboy(file, 'it is not an SQLite file');
  if (code.startsWith('SQLITE_CORRUPT')) return damaged(file, error.message);
  if (code === 'SQLITE_READONLY_DIRECTORY') return readOnlyFolder(file);
  if (code.startsWith('SQLITE_READONLY')) return writable(dirname(file)) ? readOnlyFile(file) : readOnlyFolder(file);
  if (code.startsWith('SQLITE_CANTOPEN')) {
    if (!readable(file)) return new DatabaseError(file, `${file} cannot be read: permission denied (run as its owner, or chmod u+r ${shellQuoted(file)})`);
    return new DatabaseError(file, `${file} cannot be opened (SQLite: ${error.message}): check that it and its folder ${dirname(file)} are readable`);
  }
  if (code.startsWith('SQLITE_BUSY'))
    return new DatabaseError(file, `${file} is held by another process's write for too long (SQLite: ${error.message}): try again`);
  if (code === 'SQLITE_FULL') return new DatabaseError(file, `${file} cannot grow: the disk is full`);
  if (code.startsWith('SQLITE_IOERR'))
    return new DatabaseError(file, `${file} could not be read or written (SQLite: ${error.message}, ${code}): check the disk and its file system`);
  return null;
}

/**
 * Opening the embedded database: one SQLite file in WAL mode, migrated on open. Two processes may
 * open the same file at once (the bot and a CLI ingest): WAL lets readers and one writer proceed,
 * the busy timeout makes a second writer wait instead of failing, and migrations run inside an
 * IMMEDIATE transaction so only one process applies them.
 *
 * Reading commands open the file read-only: no journal mode change, so a file the user may only
 * read (a copy, a backup, another user's bot) can still be searched. The one write they make is
 * the upgrade after a new Paperboy: a file from an older one that they may write is migrated
 * first, as a writer would, so the first command after an upgrade is not an error.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { DatabaseError, describeSqliteError, notPaperboy, readOnlyFile, readOnlyFolder, shellQuoted } from './errors.ts';
import { dataMoves, migrations } from './migrations.ts';
import { writable } from './access.ts';
import type { Db } from './connection.ts';

export type { Db } from './connection.ts';

/** How long a writer waits for another process's write lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

/** The schema version this code expects. */
export const SCHEMA_VERSION = migrations.length;

export interface OpenOptions {
  /** Open for reading only: nothing is written, not even the journal mode. Default false. */
  readonly readOnly?: boolean;
}

/**
 * Opens the database at `path` (':memory:' for a private one). Anything wrong with the file (not
 * a database, damaged, read-only, from another version) is a DatabaseError naming it.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && existsSync(path) && statSync(path).isDirectory()) {
    throw new DatabaseError(
      path,
      `${path} is a folder, not a database file: point --db or DATABASE_PATH at a file, such as ${shellQuoted(`${path}/paperboy.db`)}`,
    );
  }
  return options.readOnly ? openForReading(path) : openForWriting(path);
}

function openForWriting(path: string): Db {
  if (path !== ':memory:') {
    makeFolder(dirname(path), path);
    // SQLite would open a file it may not write read-only without a word, and fail at the first write.
    if (existsSync(path) && !writable(path)) throw readOnlyFile(path);
    if (!writable(dirname(path))) throw readOnlyFolder(path);
  }
  const db = described(path, () => new Database(path, { timeout: BUSY_TIMEOUT_MS }));
  try {
    // Before anything is written: another program's file is left exactly as it was.
    checkSchema(db, path, true);
    db.pragma('journal_mode = WAL');
    // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commit.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db, path);
    return db;
  } catch (error) {
    db.close();
    throw describeSqliteError(error, path) ?? error;
  }
}

function openForReading(path: string): Db {
  const { db, version } = openReadOnly(path);
  if (version === SCHEMA_VERSION) return db;
  db.close();
  const why = !writable(path) ? 'the file is read-only here' : !writable(dirname(path)) ? `its folder ${dirname(path)} is read-only here` : null;
  if (why) throw olderSchema(path, version, why);
  upgrade(path);
  const upgraded = openReadOnly(path);
  // Only another process setting the version back between the two opens could leave it older.
  if (upgraded.version !== SCHEMA_VERSION) {
    upgraded.db.close();
    throw olderSchema(path, upgraded.version, 'it was not upgraded');
  }
  return upgraded.db;
}

/** The file opened read-only and its schema version, which may be older than this code's. */
function openReadOnly(path: string): { db: Db; version: number } {
  let db = described(path, () => new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS }));
  try {
    try {
      return { db, version: checkSchema(db, path) };
    } catch (error) {
      // A WAL file needs its -shm index beside it; in a folder we may not write, SQLite cannot make one.
      if (!(error instanceof Database.SqliteError && error.code === 'SQLITE_READONLY_DIRECTORY')) throw error;
      db.close();
      db = inMemoryCopy(path);
      return { db, version: checkSchema(db, path) };
    }
  } catch (error) {
    db.close();
    throw describeSqliteError(error, path) ?? error;
  }
}

/**
 * Migrates a file from an older Paperboy for a reading command, as a writing open would: inside an
 * IMMEDIATE transaction that waits out a running bot's writes, with the same connection settings.
 * The journal mode is left as it is: the upgrade needs none, and reading commands change no more
 * than it needs.
 */
function upgrade(path: string): void {
  const db = described(path, () => new Database(path, { fileMustExist: true, timeout: BUSY_TIMEOUT_MS }));
  try {
    db.pragma('foreign_keys = ON');
    migrate(db, path);
  } catch (error) {
    throw describeSqliteError(error, path) ?? error;
  } finally {
    db.close();
  }
}

function olderSchema(path: string, version: number, why: string): DatabaseError {
  return new DatabaseError(
    path,
    `${path} was written by an older Paperboy (schema version ${version}; this one uses ${SCHEMA_VERSION}) and needs upgrading, which takes write access: ${why}; start the bot or ingest a file once as a user who may write it, after a backup (\`sqlite3 ${shellQuoted(path)} ".backup BACKUP.db"\`)`,
  );
}

/** Runs `open`, describing an SQLite error as what is wrong with the file at `path`. */
function described(path: string, open: () => Db): Db {
  try {
    return open();
  } catch (error) {
    throw describeSqliteError(error, path) ?? error;
  }
}

function makeFolder(dir: string, path: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new DatabaseError(
      path,
      `${path} cannot be created: its folder ${dir} does not exist and cannot be made (${code}): create it, or check --db and DATABASE_PATH`,
    );
  }
}

/** Above this, a file in a read-only folder is not read into memory: the message says what to do. */
const MAX_IN_MEMORY_BYTES = 512 * 1024 * 1024;

/**
 * The file read whole into memory, for a database in a folder we may not write. Only when the
 * file alone is the database: changes still in its -wal would be missed, so that is refused.
 */
function inMemoryCopy(path: string): Db {
  const wal = `${path}-wal`;
  const fix = `make the folder ${dirname(path)} writable, or copy the database elsewhere with \`sqlite3 ${shellQuoted(path)} ".backup COPY.db"\``;
  if (existsSync(wal) && statSync(wal).size > 0) {
    throw new DatabaseError(
      path,
      `${path} cannot be read here: recent changes are still in ${wal}, and its folder is read-only, so SQLite cannot open them; ${fix}`,
    );
  }
  const size = statSync(path).size;
  if (size > MAX_IN_MEMORY_BYTES) {
    throw new DatabaseError(
      path,
      `${path} cannot be read here: its folder is read-only, so SQLite cannot create ${path}-shm, and at ${Math.round(size / 2 ** 20)} MB it is too large to read into memory instead; ${fix}`,
    );
  }
  const bytes = readFileSync(path);
  // The header's WAL marks (bytes 18 and 19 set to 2) make SQLite look for the -wal and -shm files;
  // set back to 1, the same pages read as an ordinary database. Nothing is written to disk.
  if (bytes.subarray(0, 16).toString('latin1') === 'SQLite format 3\0' && bytes[18] === 2 && bytes[19] === 2) {
    bytes[18] = 1;
    bytes[19] = 1;
  }
  return new Database(bytes, { readonly: true });
}

/** Tables every Paperboy database has from its first migration. */
const OWN_TABLES = ['articles', 'comments', 'kv'];

function tablesOf(db: Db): string[] {
  return db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
    .map((r) => r.name);
}

/**
 * The file's schema version. Throws, naming the file, unless it is a Paperboy database this code
 * can use or upgrade (or, writing, a new file to set up).
 */
function checkSchema(db: Db, path: string, writing = false): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  const tables = tablesOf(db);
  if (version === 0) {
    if (tables.length > 0)
      throw notPaperboy(path, `it is an SQLite file with other tables (${tables.slice(0, 3).join(', ')}${tables.length > 3 ? ', …' : ''})`);
    if (!writing) throw new DatabaseError(path, `${path} holds no Paperboy data yet: store articles first with \`paperboy ingest PATH\``);
    return version;
  }
  const missing = OWN_TABLES.filter((t) => !tables.includes(t));
  if (missing.length > 0) throw notPaperboy(path, `it has no ${missing.join(', ')} table${missing.length > 1 ? 's' : ''}`);
  if (version > SCHEMA_VERSION) {
    throw new DatabaseError(
      path,
      `${path} was written by a newer Paperboy (schema version ${version}; this one knows up to ${SCHEMA_VERSION}): upgrade Paperboy`,
    );
  }
  return version;
}

function migrate(db: Db, path: string): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current === SCHEMA_VERSION) return;
  db.transaction(() => {
    // Read again inside the write lock: another process may have migrated while we waited.
    const version = checkSchema(db, path, true);
    for (let v = version; v < SCHEMA_VERSION; v++) {
      db.exec(migrations[v]!);
      dataMoves[v]?.(db);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}

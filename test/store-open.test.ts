/**
 * Database files Paperboy cannot use as they are (issue 13, point 14): each is one line naming the
 * file, what is wrong and what to do, exit 1, no stack trace; and reading commands open the file
 * read-only, so a file the user may only read can still be searched.
 *
 * Read-only files are tested as the user `nobody` (setpriv): the tests run as root, whom chmod 444
 * does not stop. Those tests are skipped where setpriv or root is missing.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../src/adapters/store/db.ts';
import { migrations } from '../src/adapters/store/migrations.ts';
import { ArticleStore } from '../src/adapters/store/store.ts';
import { article, comment } from './helpers/articles.ts';
import { cliWith } from './helpers/cli.ts';
import { BIN } from './helpers/process.ts';

const SAMPLE = resolve(import.meta.dirname, 'fixtures/000_19f3c93e7cb867fa.txt');
const exec = promisify(execFile);

let dir: string;
let db: string;
const cli = cliWith(() => db);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-open-'));
  db = join(dir, 'paperboy.db');
});

/** A Paperboy database of many pages, closed cleanly (no -wal left). */
function paperboyDatabase(path: string, articles = 300): void {
  const store = ArticleStore.open(path);
  store.upsertMany(
    Array.from({ length: articles }, (_, i) =>
      article({ title: `Walrus report ${i}`, text: `The walrus colony number ${i} grows. `.repeat(20), comments: [comment(1, 'A reader writes.')] }),
    ),
  );
  store.close();
}

/**
 * The sample stored by the Paperboy before this one: its migrations but the last, and its rows
 * copied column by column from a file this Paperboy made (shipped migrations never change, so
 * every column of the old tables is there), the search indexes rebuilt as its store kept them.
 */
async function olderDatabase(path: string): Promise<void> {
  const current = join(dir, 'current.db');
  expect((await cliWith(() => current)('ingest', SAMPLE)).code).toBe(0);
  const old = new Database(path);
  for (const m of migrations.slice(0, SCHEMA_VERSION - 1)) old.exec(m);
  old.exec(`ATTACH ${quoteSql(current)} AS current`);
  for (const table of ['articles', 'comments', 'kv']) {
    const columns = (old.pragma(`main.table_info(${table})`) as Array<{ name: string }>).map((c) => c.name).join(', ');
    old.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM current.${table}`);
  }
  old.exec('DETACH current');
  for (const fts of ['articles_fts', 'titles_fts', 'comments_fts']) old.exec(`INSERT INTO ${fts} (${fts}) VALUES ('rebuild')`);
  old.pragma(`user_version = ${SCHEMA_VERSION - 1}`);
  old.close();
}

function quoteSql(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function schemaVersion(path: string): number {
  const raw = new Database(path, { readonly: true });
  try {
    return raw.pragma('user_version', { simple: true }) as number;
  } finally {
    raw.close();
  }
}

/** Every table, index and trigger of the file, as SQL. */
function schemaOf(path: string): string[] {
  const raw = new Database(path, { readonly: true });
  try {
    return raw
      .prepare<[], { sql: string }>('SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name')
      .all()
      .map((r) => r.sql);
  } finally {
    raw.close();
  }
}

/** Asserts one line naming the file, exit 1, and no stack trace. */
function expectOneLine(r: { code: number; stdout: string; stderr: string }, file: string, says: RegExp): void {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  const prefix = `paperboy: ${file} `;
  expect(lines[0]?.slice(0, prefix.length)).toBe(prefix);
  expect(lines[0]).toMatch(says);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

describe('GIVEN a file at --db that Paperboy cannot use', () => {
  const cases: Array<[string, () => void, RegExp]> = [
    [
      'random bytes',
      () => writeFileSync(db, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256))),
      /is not a Paperboy database: it is not an SQLite file \(check --db and DATABASE_PATH\)$/,
    ],
    ['a text file', () => writeFileSync(db, 'title,body\nWalrus,It swims.\n'), /is not a Paperboy database: it is not an SQLite file/],
    [
      'a Paperboy database cut to half its size',
      () => {
        paperboyDatabase(db);
        truncateSync(db, Math.floor(statSync(db).size / 2));
      },
      /is damaged \(SQLite: database disk image is malformed\): save what it holds with `sqlite3 \S+ \.recover \| sqlite3 \S+\.recovered` and use that file, or restore a backup$/,
    ],
    ['a folder', () => mkdirSync(db), /is a folder, not a database file: point --db or DATABASE_PATH at a file, such as \S+\/paperboy\.db$/],
    [
      "another program's SQLite file",
      () => {
        const other = new Database(db);
        other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
        other.close();
      },
      /is not a Paperboy database: it is an SQLite file with other tables \(notes\)/,
    ],
  ];

  it.each(cases)('THEN for %s, reading and writing commands each say what is wrong with it in one line and exit 1', async (_name, make, says) => {
    make();
    const before = existsSync(db) && statSync(db).isFile() ? readFileSync(db) : null;
    for (const args of [['search', 'walrus'], ['list'], ['ingest', SAMPLE]]) expectOneLine(await cli(...args), db, says);
    // Nothing was written to it on the way.
    if (before) expect(readFileSync(db).equals(before)).toBe(true);
  });

  it('THEN a path under a file, whose folder cannot be made, is named with the reason', async () => {
    writeFileSync(join(dir, 'notes'), 'a file, not a folder');
    const under = join(dir, 'notes', 'data', 'paperboy.db');
    db = under;
    expectOneLine(
      await cli('ingest', SAMPLE),
      under,
      new RegExp(
        `cannot be created: its folder ${join(dir, 'notes', 'data')} does not exist and cannot be made \\(ENOTDIR\\): create it, or check --db and DATABASE_PATH$`,
      ),
    );
  });

  it('THEN `paperboy start` says the same in one line and exits 1, before connecting anywhere', async () => {
    writeFileSync(db, 'not a database at all, just some words\n');
    const env = {
      PATH: process.env.PATH,
      DISCORD_TOKEN: 'MTAwMDAwMDAwMDAwMDAwMDAx.GbotTk.local-discord-test-token-0123456789',
      DISCORD_API_URL: 'http://127.0.0.1:9/api',
      DATABASE_PATH: db,
    };
    const r = await exec(process.execPath, [BIN, 'start'], { env, cwd: dir }).then(
      (ok) => ({ code: 0, ...ok }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );
    expectOneLine(r, db, /is not a Paperboy database: it is not an SQLite file/);
  }, 60_000);
});

describe('GIVEN a Paperboy database from another version', () => {
  it('THEN one from an older Paperboy, on a file they may write, is upgraded by the first reading command, which then answers', async () => {
    await olderDatabase(db);
    const found = await cli('search', 'NATO');
    expect(found).toMatchObject({ code: 0, stderr: '' });
    expect(found.stdout).toContain('Russia and NATO are severing ties');
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
    // Upgraded as a writer would: the same tables and indexes as a file made by this Paperboy.
    const fresh = join(dir, 'fresh.db');
    ArticleStore.open(fresh).close();
    expect(schemaOf(db)).toEqual(schemaOf(fresh));
  });

  it('THEN reading commands started at once on it, as processes, upgrade it once between them and all answer', async () => {
    await olderDatabase(db);
    const runs = await Promise.all(
      Array.from({ length: 4 }, () =>
        exec(process.execPath, [BIN, '--db', db, 'search', 'NATO'], { env: { PATH: process.env.PATH }, cwd: dir }).then(
          (ok) => ({ code: 0, ...ok }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        ),
      ),
    );
    for (const r of runs) {
      expect(r).toMatchObject({ code: 0, stderr: '' });
      expect(r.stdout).toContain('Russia and NATO are severing ties');
    }
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION);
  }, 60_000);

  it('THEN one from a newer Paperboy is refused by every command, naming both versions', async () => {
    paperboyDatabase(db, 1);
    const newer = new Database(db);
    newer.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    newer.close();
    const says = new RegExp(
      `was written by a newer Paperboy \\(schema version ${SCHEMA_VERSION + 1}; this one knows up to ${SCHEMA_VERSION}\\): upgrade Paperboy$`,
    );
    expectOneLine(await cli('list'), db, says);
    expectOneLine(await cli('ingest', SAMPLE), db, says);
  });
});

describe('GIVEN a database in the rollback-journal mode (as a copy or a restore may be)', () => {
  it('THEN reading commands leave it as it is: no switch to WAL, no -wal or -shm left beside it', async () => {
    paperboyDatabase(db, 5);
    const raw = new Database(db);
    raw.pragma('journal_mode = DELETE');
    raw.close();
    const before = readFileSync(db);
    expect(before[18]).toBe(1);
    for (const args of [['search', 'walrus'], ['list'], ['show', (await cli('list', '--json')).stdout.match(/"id": "([0-9a-f]{16})"/)![1]!], ['export']]) {
      expect((await cli(...args)).code).toBe(0);
    }
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(existsSync(`${db}-wal`) || existsSync(`${db}-shm`)).toBe(false);
  });
});

/** Whether this process may run commands as `nobody`: root, with setpriv installed. */
function nobodyIds(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  try {
    const uid = Number(execFileSync('id', ['-u', 'nobody'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'nobody'], { encoding: 'utf8' }));
    execFileSync('setpriv', [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', 'true']);
    return { uid, gid };
  } catch {
    return null;
  }
}
const nobody = nobodyIds();

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/** `paperboy --db FILE …args` as the user nobody. */
function asNobody(file: string, ...args: string[]): Promise<Result> {
  const ids = nobody!;
  return exec('setpriv', [`--reuid=${ids.uid}`, `--regid=${ids.gid}`, '--clear-groups', process.execPath, BIN, '--db', file, ...args], {
    env: { PATH: process.env.PATH },
    cwd: dir,
  }).then(
    (ok) => ({ code: 0, ...ok }),
    (e: Result) => e,
  );
}

// Each command here is a process of its own (seconds each), eight at once in the folder test.
describe.runIf(nobody)('GIVEN a database the user may only read (run as the user nobody)', () => {
  beforeEach(async () => {
    chmodSync(dir, 0o755);
    expect((await cli('ingest', SAMPLE)).code).toBe(0);
  });

  it('THEN, the file read-only in a folder they may write, reading commands work and ingest says the file is read-only', async () => {
    chmodSync(dir, 0o777);
    chmodSync(db, 0o444);
    const found = await asNobody(db, 'search', 'NATO');
    expect(found).toMatchObject({ code: 0, stderr: '' });
    expect(found.stdout).toContain('Russia and NATO are severing ties');
    expectOneLine(
      await asNobody(db, 'ingest', SAMPLE),
      db,
      /is read-only: reading commands \(search, show, list, export…\) work, ingest, feed add\/remove\/poll and the bot need write access: make it writable \(chmod u\+w \S+\) or run as its owner$/,
    );
  }, 60_000);

  it('THEN, in a folder they may not write (no -wal or -shm can be made), every reading command works and ingest says the folder is read-only', async () => {
    chownSync(db, nobody!.uid, nobody!.gid);
    chmodSync(dir, 0o555);
    const id = '582f39a735f95092';
    const reads = await Promise.all(
      [['search', 'NATO'], ['show', id], ['list'], ['export'], ['summarize', id], ['quote', id], ['digest', id], ['feed', 'list']].map((args) =>
        asNobody(db, ...args),
      ),
    );
    for (const r of reads) expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(reads.map((r) => r.stdout.length > 0)).toEqual(reads.map(() => true));
    expect(reads[0]!.stdout).toContain('Russia and NATO are severing ties');
    expectOneLine(
      await asNobody(db, 'ingest', SAMPLE),
      db,
      new RegExp(
        `cannot be written: its folder ${dir} is read-only, and SQLite writes paperboy\\.db-wal and paperboy\\.db-shm beside it; reading commands work`,
      ),
    );
    chmodSync(dir, 0o755);
  }, 120_000);
});

describe.runIf(nobody)('GIVEN a database from an older Paperboy that the user may only read (run as the user nobody)', () => {
  const says = (why: string): RegExp =>
    new RegExp(
      `was written by an older Paperboy \\(schema version ${SCHEMA_VERSION - 1}; this one uses ${SCHEMA_VERSION}\\) and needs upgrading, which takes write access: ${why}; start the bot or ingest a file once as a user who may write it, after a backup \\(\`sqlite3 \\S+ "\\.backup BACKUP\\.db"\`\\)$`,
    );

  it('THEN, the file read-only, reading commands say it needs upgrading by a writer and leave it as it is', async () => {
    await olderDatabase(db);
    chmodSync(dir, 0o777);
    chmodSync(db, 0o444);
    const before = readFileSync(db);
    expectOneLine(await asNobody(db, 'search', 'NATO'), db, says('the file is read-only here'));
    expect(readFileSync(db).equals(before)).toBe(true);
    expect(schemaVersion(db)).toBe(SCHEMA_VERSION - 1);
  }, 60_000);

  it('THEN, in a folder they may not write, reading commands say it needs upgrading by a writer and leave it as it is', async () => {
    await olderDatabase(db);
    chownSync(db, nobody!.uid, nobody!.gid);
    chmodSync(dir, 0o555);
    const before = readFileSync(db);
    expectOneLine(await asNobody(db, 'list'), db, says(`its folder ${dir} is read-only here`));
    expect(readFileSync(db).equals(before)).toBe(true);
    chmodSync(dir, 0o755);
  }, 60_000);
});

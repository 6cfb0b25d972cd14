/**
 * The command line on PostgreSQL: with DATABASE_URL set, `paperboy ingest`, `search` and `feed`
 * work on the database it names (as `paperboy start` does), not on a SQLite file. Real processes,
 * a real PostgreSQL database of the test's own.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openPostgresBotState } from '../src/adapters/store/postgres/state.ts';
import { openPostgresStore } from '../src/adapters/store/postgres/articles.ts';
import { pollLeaseName } from '../src/app/feeds/poll.ts';
import { createTestDatabase, type TestDatabase } from './helpers/postgres.ts';
import { spawnPaperboy } from './helpers/process.ts';

const FIXTURE = resolve(import.meta.dirname, 'fixtures/000_19f3c93e7cb867fa.txt');

let dir: string;
let database: TestDatabase;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-cli-pg-'));
  database = await createTestDatabase();
});
afterEach(async () => {
  rmSync(dir, { recursive: true, force: true });
  await database.drop();
});

/** `paperboy …args` as a process with DATABASE_URL set; its exit code and output. */
async function paperboy(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnPaperboy(args, { ...process.env, DATABASE_URL: database.url, DATABASE_PATH: join(dir, 'unused.db'), LOG_LEVEL: 'silent' }, dir);
  const code = await child.exited;
  return { code, stdout: child.lines.map((l) => (typeof l.text === 'string' ? l.text : JSON.stringify(l))).join('\n'), stderr: child.stderr() };
}

describe('GIVEN DATABASE_URL names a PostgreSQL database', () => {
  it('THEN `paperboy ingest` stores there and `paperboy search` finds it there; no SQLite file is made', async () => {
    const ingested = await paperboy('ingest', FIXTURE, '--source', 'Harbour Times');
    expect(ingested.stderr).toBe('');
    expect(ingested.stdout).toContain('added 1,');
    const found = await paperboy('search', 'Lavrov', '--json');
    expect(found.code).toBe(0);
    const result = JSON.parse(found.stdout) as { total: number; hits: { title: string }[] };
    expect(result.total).toBeGreaterThan(0);
    expect(result.hits[0]?.title).toContain('NATO');
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
    const store = await openPostgresStore(database.url, { max: 1 });
    try {
      expect(await store.count()).toBe(1);
    } finally {
      await store.close();
    }
  });

  it('THEN `paperboy feed add` and `feed list` keep the feeds in PostgreSQL', async () => {
    const added = await paperboy('feed', 'add', 'https://news.example/feed.xml', '--name', 'Harbour Times');
    expect(added.stderr).toBe('');
    expect(added.stdout).toContain('added https://news.example/feed.xml as "Harbour Times"');
    const listed = await paperboy('feed', 'list', '--json');
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as { url: string }[]).map((f) => f.url)).toEqual(['https://news.example/feed.xml']);
    const state = await openPostgresBotState(database.url, { max: 1 });
    try {
      expect((await state.feeds.list()).map((f) => f.name)).toEqual(['Harbour Times']);
    } finally {
      await state.close();
    }
    expect(existsSync(join(dir, 'unused.db'))).toBe(false);
  });

  it('THEN `paperboy feed poll` leaves a feed another process is reading to it, says so, and fetches nothing', async () => {
    // The URL is never fetched: a fetch of it would fail (nothing listens there) and exit 1.
    const url = 'http://127.0.0.1:9/feed.xml';
    expect((await paperboy('feed', 'add', url, '--name', 'Quay Post')).code).toBe(0);
    const state = await openPostgresBotState(database.url, { max: 1 });
    try {
      expect(await state.leases.claim(pollLeaseName(url), 'a worker', 60_000)).toBe(true);
      const polled = await paperboy('feed', 'poll');
      expect(polled).toMatchObject({ code: 0, stderr: '' });
      expect(polled.stdout).toBe(`${url}: another Paperboy process is reading it right now; its items arrive from there`);
      expect((await state.feeds.get(url))?.lastPolledAt ?? null).toBeNull();
      expect((await state.leases.holderOf(pollLeaseName(url)))?.holder).toBe('a worker');
    } finally {
      await state.close();
    }
  });
});

import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Keyv from 'keyv';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/adapters/store/db.ts';
import { addKey, claimKey, openKeyv } from '../src/adapters/store/kv.ts';

describe('GIVEN keyv over the article database', () => {
  it('THEN a write the database refuses is an error, not a quiet `false`', async () => {
    const db = openDatabase(':memory:');
    const kv = openKeyv<number>(db, 'delivery');
    await kv.set('kept', 1);
    db.exec(`CREATE TRIGGER refuse BEFORE INSERT ON kv WHEN NEW.key LIKE '%refused' BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    await expect(kv.set('refused', 2)).rejects.toThrow('disk I/O error');
    expect(await kv.get('kept')).toBe(1);
  });

  it('THEN values survive closing and reopening the file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    const db = openDatabase(path);
    const kv = openKeyv<{ channel: string; posted: number }>(db, 'subscriptions');
    await kv.set('guild-1', { channel: '123', posted: 4 });
    db.close();
    const again = openKeyv<{ channel: string; posted: number }>(openDatabase(path), 'subscriptions');
    expect(await again.get('guild-1')).toEqual({ channel: '123', posted: 4 });
  });

  it('THEN namespaces keep keys apart, and clear() empties only its own', async () => {
    const db = openDatabase(':memory:');
    const a = openKeyv<string>(db, 'settings');
    const b = openKeyv<string>(db, 'progress');
    await a.set('x', 'settings-x');
    await b.set('x', 'progress-x');
    expect(await a.get('x')).toBe('settings-x');
    expect(await b.get('x')).toBe('progress-x');
    await a.clear();
    expect(await a.get('x')).toBeUndefined();
    expect(await b.get('x')).toBe('progress-x');
    expect(await b.delete('x')).toBe(true);
    expect(await b.has('x')).toBe(false);
  });

  it('THEN an expired value is gone', async () => {
    const kv = openKeyv<string>(openDatabase(':memory:'), 'ttl');
    await kv.set('short', 'lived', 1);
    await new Promise((r) => setTimeout(r, 5));
    expect(await kv.get('short')).toBeUndefined();
  });
});

describe('GIVEN a claim on a key (a cooldown)', () => {
  // better-sqlite3 is synchronous, so claims made in one thread run one after another whatever the
  // Promise.all: this checks that each connection sees the claim; the four-process test is the race.
  it('THEN of twenty claimants, each on its own connection to one file, exactly one wins, Keyv sees the claim, and it can be taken again once expired', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    const db = openDatabase(path);
    const kv = openKeyv<boolean>(db, 'cooldowns');
    const claimants = Array.from({ length: 20 }, () => openKeyv<boolean>(openDatabase(path), 'cooldowns'));
    const results = await Promise.all(claimants.map((c) => claimKey(c, 'thread-1:user-1', 80)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await kv.get('thread-1:user-1')).toBe(true);
    // Another key, and the same key in another namespace of the same database, are separate claims.
    expect(await claimKey(kv, 'thread-1:user-2', 80)).toBe(true);
    const other = openKeyv<boolean>(db, 'other');
    expect(await claimKey(other, 'thread-1:user-1', 80)).toBe(true);
    expect(await claimKey(other, 'thread-1:user-1', 80)).toBe(false);
    expect(await claimKey(kv, 'thread-1:user-1', 80)).toBe(false);
    await new Promise((r) => setTimeout(r, 100));
    expect(await kv.get('thread-1:user-1')).toBeUndefined();
    expect(await claimKey(kv, 'thread-1:user-1', 80)).toBe(true);
    expect(await claimKey(kv, 'thread-1:user-1', 80)).toBe(false);
  });

  it('THEN a value set through Keyv holds the key until it expires, and one without expiry holds it for good', async () => {
    const kv = openKeyv<string>(openDatabase(':memory:'), 'cooldowns');
    await kv.set('a', 'held', 60);
    await kv.set('forever', 'held');
    expect(await claimKey(kv, 'a', 1000)).toBe(false);
    expect(await claimKey(kv, 'forever', 1000)).toBe(false);
    await new Promise((r) => setTimeout(r, 80));
    expect(await claimKey(kv, 'a', 1000)).toBe(true);
    expect(await claimKey(kv, 'forever', 1000)).toBe(false);
  });

  it('THEN two connections to one file see each other’s claims', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    const first = openKeyv(openDatabase(path), 'cooldowns');
    const second = openKeyv(openDatabase(path), 'cooldowns');
    expect(await claimKey(first, 'k', 60_000)).toBe(true);
    expect(await claimKey(second, 'k', 60_000)).toBe(false);
  });

  it('THEN four processes claiming the same 300 keys at once win each key exactly once', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    openDatabase(path).close();
    const child = resolve(import.meta.dirname, 'fixtures/claim-child.ts');
    // Far enough ahead for every process to have loaded and opened the file.
    const startAt = Date.now() + 4000;
    const run = () =>
      new Promise<string[]>((done, fail) => {
        const p = spawn(process.execPath, ['--import', 'tsx', child, path, String(startAt), '300'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        p.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
        p.on('error', fail);
        p.on('exit', (code) => (code === 0 ? done(JSON.parse(out) as string[]) : fail(new Error(`claim child exited with ${code}`))));
      });
    const wins = (await Promise.all([run(), run(), run(), run()])).flat();
    expect(wins).toHaveLength(300);
    expect(new Set(wins).size).toBe(300);
  }, 30_000);

  it('THEN a store without an atomic claim is refused rather than claimed by read-then-write', async () => {
    await expect(claimKey(new Keyv(), 'k', 1000)).rejects.toThrow(/claimKey needs the SQLite keyv store/);
  });
});

describe('GIVEN a value added only when absent (the signing secret)', () => {
  it('THEN of 20 handles on one file adding at once, one value is stored and every handle reads it', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'paperboy-kv-')), 'state.db');
    openDatabase(path).close();
    const handles = Array.from({ length: 20 }, () => openKeyv<string>(openDatabase(path), 'bot'));
    const added = await Promise.all(handles.map((kv, k) => addKey(kv, 'state-secret', `secret-${k}`)));
    const winners = handles.map((_, k) => `secret-${k}`).filter((_, k) => added[k]);
    expect(winners).toHaveLength(1);
    expect(new Set(await Promise.all(handles.map((kv) => kv.get('state-secret'))))).toEqual(new Set(winners));
  });
});

import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.ts';
import { ArticleStore } from '../src/store/store.ts';

const run = promisify(execFile);
const BIN = resolve(import.meta.dirname, '../bin/paperboy.js');

describe('GIVEN two processes that open a new database file at the same moment', () => {
  it('THEN both migrate-or-wait and ingest, and every article is stored once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-mp-'));
    const db = join(dir, 'shared.db');
    const folders = ['a', 'b'].map((name) => {
      const folder = join(dir, name);
      const articles = Array.from({ length: 40 }, (_, i) => ({ title: `Process ${name} article ${i}`, body: `Written by process ${name}, number ${i}.` }));
      return { folder, file: join(dir, `${name}.json`), articles };
    });
    for (const f of folders) writeFileSync(f.file, JSON.stringify(f.articles));
    const results = await Promise.all(folders.map((f) => run(process.execPath, [BIN, '--db', db, 'ingest', f.file])));
    for (const r of results) expect(r.stdout).toContain('added 40, updated 0, unchanged 0, failed 0');
    const store = ArticleStore.open(db);
    expect(store.count()).toBe(80);
    expect(store.search('process', { in: 'articles', limit: 100 }).total).toBe(80);
    store.close();
  });
});

describe('GIVEN another process holding the write lock', () => {
  it('THEN ingest waits for it instead of failing, and stores everything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paperboy-lock-'));
    const db = join(dir, 'locked.db');
    const file = join(dir, 'in.json');
    writeFileSync(file, JSON.stringify(Array.from({ length: 20 }, (_, i) => ({ title: `Waited ${i}`, body: 'Text.' }))));
    const holder = openDatabase(db);
    holder.prepare('BEGIN IMMEDIATE').run();
    holder.prepare("INSERT INTO kv (key, value) VALUES ('held', 'yes')").run();
    const child = run(process.execPath, [BIN, '--db', db, 'ingest', file]);
    // Hold the lock well past the child's start-up, then let it go.
    await new Promise((r) => setTimeout(r, 2000));
    holder.prepare('COMMIT').run();
    const { stdout } = await child;
    expect(stdout).toContain('added 20, updated 0, unchanged 0, failed 0');
    holder.close();
  });
});

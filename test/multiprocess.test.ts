import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
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

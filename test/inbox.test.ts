import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { processInbox } from '../src/articles/inbox.ts';
import { ArticleStore } from '../src/store/store.ts';
import { SAMPLE_PATH } from './text-sample.ts';

let dir: string;
let store: ArticleStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-inbox-'));
  store = ArticleStore.open(':memory:');
});
afterEach(() => store.close());

/** Writes a file whose last change was `ageMs` ago. */
function drop(name: string, content: string | Buffer, ageMs = 10_000): void {
  const path = join(dir, name);
  writeFileSync(path, content);
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(path, t, t);
}

describe('GIVEN files dropped into the inbox', () => {
  it('THEN good ones are stored and moved to processed/, a bad one to failed/ with its reason, and none stops the rest', async () => {
    drop('a-sample.txt', readFileSync(SAMPLE_PATH));
    drop('b-broken.json', '{"title": "Half a file", "body": ');
    drop('c-good.json', JSON.stringify([{ title: 'Lighthouse keeper retires', body: 'After forty years.' }]));
    drop('d-notes.pdf', 'not an article');
    const results = await processInbox(dir, store);
    expect(results.map((r) => [r.file, r.outcome])).toEqual([
      ['a-sample.txt', 'processed'],
      ['b-broken.json', 'failed'],
      ['c-good.json', 'processed'],
      ['d-notes.pdf', 'failed'],
    ]);
    expect(store.count()).toBe(2);
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['a-sample.txt', 'c-good.json']);
    expect(readdirSync(join(dir, 'failed')).sort()).toEqual(['b-broken.json', 'b-broken.json.error.txt', 'd-notes.pdf', 'd-notes.pdf.error.txt']);
    expect(readFileSync(join(dir, 'failed', 'b-broken.json.error.txt'), 'utf8')).toMatch(/b-broken\.json:1: expected a JSON value at column 34/);
    expect(readFileSync(join(dir, 'failed', 'd-notes.pdf.error.txt'), 'utf8')).toMatch(/^d-notes\.pdf: not a file Paperboy reads \(it takes \.txt, \.json, \.jsonl, \.rss, \.atom, \.rdf, \.xml\)/);
    expect(readdirSync(dir).filter((f) => !['processed', 'failed'].includes(f))).toEqual([]);
  });

  it('THEN a file still being written (changed within the quiet period) waits, and is taken once it settles', async () => {
    drop('fresh.json', JSON.stringify({ title: 'Just arrived', body: 'Text.' }), 0);
    expect((await processInbox(dir, store)).map((r) => r.outcome)).toEqual(['waiting']);
    expect(store.count()).toBe(0);
    expect(existsSync(join(dir, 'fresh.json'))).toBe(true);
    expect((await processInbox(dir, store, { now: () => Date.now() + 5000 })).map((r) => r.outcome)).toEqual(['processed']);
    expect(store.count()).toBe(1);
  });

  it('THEN hidden and partial files are left alone, and a name already in processed/ gets a number', async () => {
    drop('.hidden.json', '{}');
    drop('upload.json.part', '{');
    drop('same.json', JSON.stringify({ title: 'First copy', body: 'One.' }));
    await processInbox(dir, store);
    drop('same.json', JSON.stringify({ title: 'Second copy', body: 'Two.' }));
    await processInbox(dir, store);
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['same.2.json', 'same.json']);
    expect(readdirSync(dir).sort()).toEqual(['.hidden.json', 'processed', 'upload.json.part']);
    expect(store.count()).toBe(2);
  });
});

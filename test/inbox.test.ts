import { mkdtempSync, readFileSync, readdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { processInbox, shortName } from '../src/app/library/inbox.ts';
import { emptyReport, storeArticles } from '../src/app/library/ingest.ts';
import { WorkerReader } from '../src/adapters/sources/ingest-thread.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { SAMPLE_PATH } from './text-sample.ts';

let dir: string;
let store: SqliteStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-inbox-'));
  store = SqliteStore.open(':memory:');
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
    expect(await store.count()).toBe(2);
    expect(readdirSync(join(dir, 'processed')).sort()).toEqual(['a-sample.txt', 'c-good.json']);
    expect(readdirSync(join(dir, 'failed')).sort()).toEqual(['b-broken.json', 'b-broken.json.error.txt', 'd-notes.pdf', 'd-notes.pdf.error.txt']);
    expect(readFileSync(join(dir, 'failed', 'b-broken.json.error.txt'), 'utf8')).toMatch(/b-broken\.json:1: expected a JSON value at column 34/);
    expect(readFileSync(join(dir, 'failed', 'd-notes.pdf.error.txt'), 'utf8')).toMatch(
      /^d-notes\.pdf: not a file Paperboy reads \(it takes \.txt, \.json, \.jsonl, \.rss, \.atom, \.rdf, \.xml\)/,
    );
    expect(readdirSync(dir).filter((f) => !['processed', 'failed'].includes(f))).toEqual([]);
  });

  it('THEN a file still being written (changed within the quiet period) waits, and is taken once it settles', async () => {
    drop('fresh.json', JSON.stringify({ title: 'Just arrived', body: 'Text.' }), 0);
    expect((await processInbox(dir, store)).map((r) => r.outcome)).toEqual(['waiting']);
    expect(await store.count()).toBe(0);
    expect(existsSync(join(dir, 'fresh.json'))).toBe(true);
    expect((await processInbox(dir, store, { now: () => Date.now() + 5000 })).map((r) => r.outcome)).toEqual(['processed']);
    expect(await store.count()).toBe(1);
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
    expect(await store.count()).toBe(2);
  });
});

describe('GIVEN files whose names are too long for what the inbox adds to them', () => {
  const good = (title: string): string => JSON.stringify({ title, body: 'Text.' });

  it('THEN they move under shortened names (bytes, not characters, kept unique, extension kept), and the files after them are processed', async () => {
    const long = `${'a'.repeat(241)}.json`; // 246 characters: `.2` or `.error.txt` would pass 255 bytes
    const wide = `${'é'.repeat(125)}.json`; // 130 characters but 255 bytes
    const bad = `${'b'.repeat(241)}.json`;
    drop(long, good('Long one'));
    drop(wide, good('Wide one'));
    drop(bad, '{"title": ');
    drop('z-after.json', good('After them'));
    const first = await processInbox(dir, store);
    expect(first.map((r) => [r.file, r.outcome])).toEqual([
      [long, 'processed'],
      [bad, 'failed'],
      [wide, 'processed'],
      ['z-after.json', 'processed'],
    ]);
    drop(long, good('Long one, again'));
    const second = await processInbox(dir, store);
    expect(second.map((r) => r.outcome)).toEqual(['processed']);
    expect(await store.count()).toBe(4);

    const processed = readdirSync(join(dir, 'processed'));
    expect(processed).toHaveLength(4);
    expect(processed).toContain('z-after.json');
    for (const name of processed) {
      // Room left for `.error.txt` within the 255 bytes a name may have.
      expect(Buffer.byteLength(`${name}.error.txt`)).toBeLessThanOrEqual(255);
      expect(name).toMatch(/\.json$/);
    }
    // The two copies of the long name stay apart, and both start as it did.
    expect(processed.filter((n) => n.startsWith('a'.repeat(100)))).toHaveLength(2);
    expect(processed).toContainEqual(expect.stringMatching(new RegExp(`^${'é'.repeat(50)}`)));
    const failed = readdirSync(join(dir, 'failed')).sort();
    expect(failed).toHaveLength(2);
    const errorFile = failed.find((n) => n.endsWith('.json.error.txt'));
    expect(errorFile && readFileSync(join(dir, 'failed', errorFile), 'utf8')).toContain(`${bad}:1: expected a JSON value`);
    expect(readdirSync(dir).sort()).toEqual(['failed', 'processed']);
  });

  it('THEN shortName cuts at a character boundary, keeps the extension, and tells apart names that start alike', () => {
    const one = shortName(`${'я'.repeat(200)}1.txt`, 100);
    const two = shortName(`${'я'.repeat(200)}2.txt`, 100);
    expect(Buffer.byteLength(one)).toBeLessThanOrEqual(100);
    expect(one).not.toBe(two);
    expect(one).toMatch(/^я+~[0-9a-f]{10}\.txt$/);
    expect(shortName('short.json', 100)).toBe('short.json');
  });
});

describe('GIVEN a file that cannot be moved out of the inbox', () => {
  it('THEN the files after it are still processed, and it is held (not read again every run) until it changes', async () => {
    // failed/ cannot be made: a plain file has its name. The half-good .jsonl must go there.
    writeFileSync(join(dir, 'failed'), 'in the way');
    drop('a-half.jsonl', `${JSON.stringify({ title: 'Good line', body: 'Text.' })}\n{"title": \n`);
    drop('b-good.json', JSON.stringify({ title: 'After it', body: 'Text.' }));
    const first = await processInbox(dir, store);
    expect(first.map((r) => [r.file, r.outcome])).toEqual([
      ['a-half.jsonl', 'held'],
      ['b-good.json', 'processed'],
    ]);
    expect(first[0]?.error).toMatch(
      /^a-half\.jsonl: could not be moved out of the inbox \(.*EEXIST.*\); it stays there, and is not read again until it changes$/,
    );
    expect(await store.count()).toBe(2);

    // Held still, and said already: no reason again.
    const second = await processInbox(dir, store);
    expect(second.map((r) => [r.file, r.outcome, r.unchanged, r.error])).toEqual([['a-half.jsonl', 'held', 0, null]]);

    drop('a-half.jsonl', `${JSON.stringify({ title: 'Good line', body: 'Text, edited.' })}\n`);
    const third = await processInbox(dir, store);
    expect(third.map((r) => [r.file, r.outcome, r.updated])).toEqual([['a-half.jsonl', 'processed', 1]]);
  });
});

describe('GIVEN a file that takes more memory to parse than the ingest worker may use', () => {
  it('THEN that file fails with the reason, the process goes on, and the next file is read by a new worker', async () => {
    // 16 MB of one JSON object (360,000 strings) under a 64 MB heap: the worker runs out, the bot's own heap does not.
    const huge = JSON.stringify({
      title: 'Too big to parse here',
      body: Array.from({ length: 300_000 }, (_, i) => `Paragraph ${i} of a very long article.`).join('\n\n'),
      comments: Array.from({ length: 60_000 }, (_, i) => ({ text: `Comment ${i}, with something to say about it.` })),
    });
    drop('a-huge.json', huge);
    drop('b-small.json', JSON.stringify({ title: 'Small one', body: 'Text.' }));
    const results = await processInbox(dir, store, { maxBytes: 200 * 1024 * 1024, workerHeapMb: 64 });
    expect(results.map((r) => [r.file, r.outcome])).toEqual([
      ['a-huge.json', 'failed'],
      ['b-small.json', 'processed'],
    ]);
    expect(results[0]?.error).toContain('reading it took more than the 64 MB the ingest worker may use; it was stopped');
    expect(await store.count()).toBe(1);
  }, 60_000);
});

describe('GIVEN an ingest worker that sends nothing for longer than allowed', () => {
  it('THEN the read fails naming the silence and its worker is stopped; a reader with time to spare reads the same file', async () => {
    const path = join(dir, 'slow.json');
    writeFileSync(path, JSON.stringify({ title: 'Slow', body: 'Text.' }));
    // 1 ms: less than a worker takes to start, so the first read is given up.
    const impatient = new WorkerReader({ stallMs: 1 });
    const report = emptyReport();
    await expect(storeArticles(impatient.read(path, report), store, {}, report)).rejects.toThrow('reading it made no progress for 0.001 s; it was stopped');
    await impatient.close();
    const patient = new WorkerReader();
    await storeArticles(patient.read(path, report), store, {}, report);
    await patient.close();
    expect(await store.count()).toBe(1);
  });
});

describe('GIVEN a large file being read when the bot shuts down', () => {
  it('THEN the read stops within a moment, the file stays in the inbox, and the next run finishes it', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ title: `Tide table ${i}`, body: `High water at ${i % 24}:00. `.repeat(40) }));
    drop('tides.jsonl', `${lines.join('\n')}\n`);
    const stop = new AbortController();
    const running = processInbox(dir, store, { signal: stop.signal });
    await vi.waitFor(async () => expect(await store.count(), 'articles of tides.jsonl stored before the shutdown').toBeGreaterThan(0), {
      timeout: 30_000,
      interval: 20,
    });
    const asked = performance.now();
    stop.abort();
    const [result] = await running;
    expect(performance.now() - asked).toBeLessThan(2000);
    expect(result).toMatchObject({ file: 'tides.jsonl', outcome: 'waiting', error: null });
    const stored = await store.count();
    expect(stored).toBeLessThan(20_000);
    expect(existsSync(join(dir, 'tides.jsonl'))).toBe(true);

    const [again] = await processInbox(dir, store);
    expect(again).toMatchObject({ outcome: 'processed', unchanged: stored, added: 20_000 - stored });
  }, 60_000);
});

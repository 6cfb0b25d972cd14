/**
 * Ingest with parsing on a worker thread while the main thread stores (ingestFiles with a
 * WorkerReader): the same articles, failures, warnings and counts as parsing on the calling thread,
 * a worker that dies taking only its file with it, and parsing never further ahead than allowed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FileReader, type IngestReport, WorkerReader, emptyReport, ingestFiles, localReader } from '../src/app/library/ingest.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { Article } from '../src/core/model.ts';
import { SAMPLE_PATH } from './text-sample.ts';

let dir: string;
const readers: FileReader[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'paperboy-pipeline-'));
});
afterEach(async () => {
  for (const reader of readers.splice(0)) await reader.close();
  rmSync(dir, { recursive: true, force: true });
});

const NOW = new Date('2026-11-30T12:00:00Z');

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** A folder's worth of inputs of every kind ingest reads, some of them broken. */
function inputs(): string[] {
  const sample = readFileSync(SAMPLE_PATH, 'utf8');
  const files = [write('000-sample.txt', sample)];
  for (let i = 1; i <= 40; i++) files.push(write(`${String(i).padStart(3, '0')}-copy.txt`, sample.replace(/^[^\n]+/, `Harbour report ${i}`)));
  files.push(write('050-broken.json', '{"title": "Half a file", "body": '));
  files.push(write('051-missing.txt', 'x'));
  rmSync(files[files.length - 1] ?? '');
  const lines = Array.from({ length: 300 }, (_, i) =>
    JSON.stringify({ title: `Tide table ${i}`, body: `High water at ${i % 24}:00.`, comments: [{ text: 'Noted.' }] }),
  );
  lines[150] = '{"title": "Broken line"';
  files.push(write('060-tides.jsonl', `${lines.join('\n')}\n`));
  files.push(write('070-latin1.txt', Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from('\n\nBody.\n')])));
  // Its second element lacks a body.
  files.push(write('080-array.json', JSON.stringify([{ title: 'Lighthouse keeper retires', body: 'After forty years.' }, { title: 'Ferry late' }])));
  files.push(write('090-quiet.txt', 'Quiet harbour\n\n3\n\nNo ships today.\n'));
  return files;
}

async function ingestWith(reader: FileReader, files: readonly string[]): Promise<{ report: IngestReport; articles: Article[]; progress: number[] }> {
  readers.push(reader);
  const store = SqliteStore.open(join(dir, `${reader instanceof WorkerReader ? 'worker' : 'local'}.db`));
  const progress: number[] = [];
  try {
    const report = await ingestFiles(files, store, { source: 'Harbour', now: NOW, reader, onProgress: (n) => progress.push(n) });
    const articles: Article[] = [];
    for await (const article of store.all()) articles.push(article);
    return { report, articles, progress };
  } finally {
    await store.close();
  }
}

describe('GIVEN a run of files, some broken, read on a worker thread and on the calling thread', () => {
  it('THEN both store the same articles and give the same counts, failures (with file:line) and warnings', async () => {
    const files = inputs();
    const local = await ingestWith(localReader(), files);
    const worker = await ingestWith(new WorkerReader({ ahead: { articles: 7, chars: 1_000_000 } }), files);
    expect(worker.articles).toEqual(local.articles);
    expect(worker.report).toEqual(local.report);
    expect(worker.report).toMatchObject({ added: 41 + 299 + 1 + 1, failed: 5 });
    expect(worker.report.failures.map((f) => f.file)).toEqual([files[41], files[42], `${files[43]}:151`, files[44], `${files[45]}:1`]);
    expect(worker.report.warnings).toEqual([`${files[46]}: declared 3 comments, found 0`]);
    // Progress climbs to every file, in order.
    expect(worker.progress[worker.progress.length - 1]).toBe(files.length);
    expect([...worker.progress].sort((a, b) => a - b)).toEqual(worker.progress);
  }, 60_000);
});

describe('GIVEN a file in the middle of a run that takes more memory to parse than the worker may use', () => {
  it('THEN that file fails naming the limit, and the files before and after it are stored', async () => {
    const huge = JSON.stringify({
      title: 'Too big to parse here',
      body: Array.from({ length: 300_000 }, (_, i) => `Paragraph ${i} of a very long article.`).join('\n\n'),
      comments: Array.from({ length: 60_000 }, (_, i) => ({ text: `Comment ${i}, with something to say about it.` })),
    });
    const files = [
      write('a.json', JSON.stringify({ title: 'Before', body: 'Text.' })),
      write('b-huge.json', huge),
      write('c.json', JSON.stringify({ title: 'After', body: 'Text.' })),
    ];
    const { report, articles } = await ingestWith(new WorkerReader({ maxBytes: 200 * 1024 * 1024, heapMb: 64 }), files);
    expect(articles.map((a) => a.title)).toEqual(['Before', 'After']);
    expect(report.failures).toEqual([
      { file: files[1], error: expect.stringContaining('reading it took more than the 64 MB the ingest worker may use; it was stopped') as unknown },
    ]);
    expect(report).toMatchObject({ added: 2, failed: 1 });
  }, 60_000);
});

describe('GIVEN a reader allowed 5 articles ahead and a caller slower than parsing', () => {
  it('THEN no batch it hands over holds more than twice that, and every article comes, in order', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => JSON.stringify({ title: `Tide table ${i}`, body: `High water at ${i % 24}:00.` }));
    const file = write('tides.jsonl', `${lines.join('\n')}\n`);
    const reader = new WorkerReader({ ahead: { articles: 5, chars: 1_000_000 } });
    readers.push(reader);
    const report: IngestReport = emptyReport();
    const sizes: number[] = [];
    const titles: string[] = [];
    for await (const batch of reader.readAll([file], report)) {
      sizes.push(batch.length);
      titles.push(...batch.map((a) => ('article' in a ? a.article.title : a.rows.article.title)));
      // Storing takes a while: the worker fills what it may run ahead meanwhile.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(titles).toEqual(lines.map((_, i) => `Tide table ${i}`));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(report.failed).toBe(0);
  }, 60_000);
});

describe('GIVEN a reader allowed 3 articles ahead, and a run of files that only fail while the caller is busy', () => {
  it('THEN the worker stops after a few of them (a failure counts against what is ahead), and reads the rest once the caller takes them', async () => {
    const first = write('a.json', JSON.stringify({ title: 'First', body: 'Text.' }));
    const missing = Array.from({ length: 8 }, (_, i) => join(dir, `missing-${i}.json`));
    // Written only while the caller holds the first article: a worker that ran on past the bound would find it missing.
    const last = join(dir, 'z.json');
    const reader = new WorkerReader({ ahead: { articles: 3, chars: 1_000_000 } });
    readers.push(reader);
    const report: IngestReport = emptyReport();
    const titles: string[] = [];
    for await (const batch of reader.readAll([first, ...missing, last], report)) {
      titles.push(...batch.map((a) => ('article' in a ? a.article.title : a.rows.article.title)));
      if (titles.length > 1) continue;
      await new Promise((resolve) => setTimeout(resolve, 500));
      writeFileSync(last, JSON.stringify({ title: 'Last', body: 'Text.' }));
    }
    expect(titles).toEqual(['First', 'Last']);
    expect(report.failures.map((f) => f.file)).toEqual(missing);
  }, 60_000);
});

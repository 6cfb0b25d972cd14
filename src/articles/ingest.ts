/**
 * Ingest: source files in, articles stored, and an honest account of what happened to each file.
 * One bad file never stops the others; everything that parsed is stored even when some failed.
 */
import { createReadStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { extname, join } from 'node:path';
import type { Article } from './model.ts';
import { parseJsonLine, parseSource } from './parse.ts';

/** Extensions ingest reads; other files found in folders are listed as skipped, never read. */
export const INGEST_EXTENSIONS: readonly string[] = ['.txt', '.json', '.jsonl', '.rss', '.atom', '.rdf', '.xml'];

export type UpsertStatus = 'added' | 'updated' | 'unchanged';

/** Where parsed articles go: the store, in practice. */
export interface ArticleSink {
  upsertMany(articles: readonly Article[]): UpsertStatus[];
  upsert(article: Article): UpsertStatus;
}

export interface SourceFile {
  /** A name for messages: the path as given. */
  readonly file: string;
  /** For one line of a JSON Lines file: its line number. */
  readonly line?: number;
  readonly content: Buffer | string;
}

export interface IngestFailure {
  file: string;
  error: string;
}

export interface IngestReport {
  added: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: IngestFailure[];
  /** Files in the given folders that ingest does not read (other extensions). */
  skipped: string[];
  /** Not fatal, worth a look: e.g. a declared comment count that differs from the comments found. */
  warnings: string[];
}

export interface IngestOptions {
  /** Source name for formats that carry none (the .txt export). */
  readonly source?: string | null;
  readonly now?: Date;
  /** Called after each file (not each line of a .jsonl file) with how many files are done. */
  readonly onProgress?: (done: number) => void;
  /** Articles stored per transaction. Default 500. */
  readonly batchSize?: number;
}

export function emptyReport(): IngestReport {
  return { added: 0, updated: 0, unchanged: 0, failed: 0, failures: [], skipped: [], warnings: [] };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Parses and stores a stream of source files. The CLI and the benchmark both come through here.
 */
export async function ingestSources(
  sources: AsyncIterable<SourceFile> | Iterable<SourceFile>,
  sink: ArticleSink,
  options: IngestOptions = {},
  report: IngestReport = emptyReport(),
): Promise<IngestReport> {
  const batchSize = options.batchSize ?? 500;
  let batch: { file: string; article: Article }[] = [];
  let done = 0;
  let lastFile: string | null = null;

  const flush = () => {
    if (batch.length === 0) return;
    let statuses: UpsertStatus[];
    try {
      statuses = sink.upsertMany(batch.map((b) => b.article));
    } catch {
      // The batch rolled back: store one by one, so only the article at fault fails.
      statuses = [];
      for (const { file, article } of batch) {
        try {
          statuses.push(sink.upsert(article));
        } catch (error) {
          report.failed++;
          report.failures.push({ file, error: `could not store "${article.title}": ${message(error)}` });
        }
      }
    }
    for (const s of statuses) report[s]++;
    batch = [];
  };

  for await (const source of sources) {
    if (lastFile !== null && source.file !== lastFile) options.onProgress?.(++done);
    lastFile = source.file;
    const where = source.line === undefined ? source.file : `${source.file}:${source.line}`;
    try {
      const parseOptions = { now: options.now, source: options.source ?? null };
      const parsed =
        source.line === undefined
          ? parseSource(source.file, source.content, parseOptions)
          : parseJsonLine(source.file, source.line, String(source.content), parseOptions);
      report.warnings.push(...parsed.warnings);
      for (const article of parsed.articles) batch.push({ file: where, article });
    } catch (error) {
      report.failed++;
      report.failures.push({ file: where, error: message(error) });
    }
    if (batch.length >= batchSize) flush();
  }
  if (lastFile !== null) options.onProgress?.(++done);
  flush();
  return report;
}

/**
 * The files that ingest would read under the given paths: files as named, folders walked
 * (hidden entries skipped). Paths that do not exist are recorded as failures in `report`.
 */
export async function collectFiles(paths: readonly string[], report: IngestReport): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      // An unreadable folder is one failure; its siblings are still read.
      report.failed++;
      report.failures.push({ file: dir, error: message(error) });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      // A symbolic link is followed to what it points at; a broken one is a failure, not a silent skip.
      let kind: 'dir' | 'file' | 'other' = entry.isDirectory() ? 'dir' : entry.isFile() ? 'file' : 'other';
      if (entry.isSymbolicLink()) {
        try {
          const target = await stat(path);
          kind = target.isDirectory() ? 'dir' : target.isFile() ? 'file' : 'other';
        } catch (error) {
          report.failed++;
          report.failures.push({ file: path, error: message(error) });
          continue;
        }
      }
      if (kind === 'dir') await walk(path);
      else if (kind === 'file' && INGEST_EXTENSIONS.includes(extname(entry.name).toLowerCase())) files.push(path);
      else report.skipped.push(path);
    }
  };
  for (const path of paths) {
    try {
      if ((await stat(path)).isDirectory()) await walk(path);
      else files.push(path);
    } catch (error) {
      report.failed++;
      report.failures.push({ file: path, error: message(error) });
    }
  }
  return files;
}

/** A file's text in chunks, refusing bytes that are not UTF-8 rather than turning them into U+FFFD. */
async function* decodeUtf8(file: string): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of createReadStream(file)) yield decoder.decode(chunk as Buffer, { stream: true });
    yield decoder.decode();
  } catch (error) {
    if (error instanceof TypeError) throw new Error('expected UTF-8 text (the file has bytes that are not UTF-8)');
    throw error;
  }
}

/**
 * Reads files one at a time, so memory holds one file, not the whole folder; a JSON Lines file is
 * read line by line, so memory holds one article, however large the file.
 */
export async function* readFiles(files: readonly string[], report: IngestReport): AsyncGenerator<SourceFile> {
  for (const file of files) {
    try {
      if (extname(file).toLowerCase() === '.jsonl') {
        let line = 0;
        for await (const text of createInterface({ input: Readable.from(decodeUtf8(file)), crlfDelay: Infinity })) {
          line++;
          if (text.trim() !== '') yield { file, line, content: text };
        }
      } else yield { file, content: await readFile(file) };
    } catch (error) {
      report.failed++;
      report.failures.push({ file, error: message(error) });
    }
  }
}

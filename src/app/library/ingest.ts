/**
 * Ingest: source files in, articles stored, and an honest account of what happened to each file.
 * One bad file never stops the others; everything that parsed is stored even when some failed.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Article } from '../../core/model.ts';
import { parseJsonElement } from '../../adapters/sources/parse-json.ts';
import { parseJsonLine, parseSource } from '../../adapters/sources/parse.ts';
import { type ByteRecord, splitJsonArray, splitLines } from '../../adapters/sources/records.ts';
import { bytePosition, describeBadByte, firstInvalidUtf8 } from '../../adapters/sources/utf8.ts';

/** Extensions ingest reads; other files found in folders are listed as skipped, never read. */
export const INGEST_EXTENSIONS: readonly string[] = ['.txt', '.json', '.jsonl', '.rss', '.atom', '.rdf', '.xml'];

// The store declares what it accepts; ingest writes to anything of that shape.
import type { ArticleSink, UpsertStatus } from '../../adapters/store/store.ts';
export type { ArticleSink, UpsertStatus };

export interface SourceFile {
  /** A name for messages: the path as given. */
  readonly file: string;
  /** For one line of a JSON Lines file: its line number. */
  readonly line?: number;
  /** For one element of a JSON array read as a stream: where it starts in the file. */
  readonly element?: { readonly index: number; readonly line: number; readonly column: number };
  readonly content: Buffer | string;
}

/**
 * The most bytes read into memory at once: a whole `.txt`, feed or single-object `.json` file, or
 * one line of a `.jsonl` file, or one element of a `.json` array (those two are streamed, so the
 * file itself may be any size). Default 16 MB; the setting is INGEST_MAX_MB.
 */
export const DEFAULT_MAX_INPUT_BYTES = 16 * 1024 * 1024;

export interface ReadOptions {
  /** See {@link DEFAULT_MAX_INPUT_BYTES}. */
  readonly maxBytes?: number;
}

/** `16 MB`, `1.5 MB`, `900 bytes`: sizes as the cap's setting counts them (1 MB = 1,048,576 bytes). */
export function formatSize(bytes: number): string {
  if (bytes < 1024 * 1024) return bytes < 1024 ? `${bytes} bytes` : `${(bytes / 1024).toFixed(1).replace(/\.0$/, '')} kB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MB`;
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
  /**
   * Failures counted in `failed` and warnings beyond the first {@link MAX_LISTED} of each, which
   * are counted only: a file of a million bad lines must not fill memory with a million messages.
   */
  unlisted: { failures: number; warnings: number };
}

/** Failures (and warnings) listed one by one in a report; more are counted in `unlisted`. */
export const MAX_LISTED = 1000;

export function addFailure(report: IngestReport, file: string, error: string): void {
  report.failed++;
  if (report.failures.length < MAX_LISTED) report.failures.push({ file, error });
  else report.unlisted.failures++;
}

export function addWarnings(report: IngestReport, warnings: readonly string[]): void {
  for (const w of warnings) {
    if (report.warnings.length < MAX_LISTED) report.warnings.push(w);
    else report.unlisted.warnings++;
  }
}

/** `and 2,500 more failures and 3 more warnings not listed`, or null when everything was listed. */
export function unlistedNote(report: IngestReport): string | null {
  const { failures, warnings } = report.unlisted;
  const parts = [failures > 0 && `${failures.toLocaleString('en-US')} more failure${failures === 1 ? '' : 's'}`, warnings > 0 && `${warnings.toLocaleString('en-US')} more warning${warnings === 1 ? '' : 's'}`].filter(Boolean);
  return parts.length === 0 ? null : `and ${parts.join(' and ')} not listed (only the first ${MAX_LISTED} of each are)`;
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
  return { added: 0, updated: 0, unchanged: 0, failed: 0, failures: [], skipped: [], warnings: [], unlisted: { failures: 0, warnings: 0 } };
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A parsed article, with where it came from (`file`, or `file:line`) for messages about storing it. */
export interface ParsedArticle {
  readonly where: string;
  readonly article: Article;
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
  return storeArticles(parseSources(sources, options, report), sink, options, report);
}

/**
 * The articles in a stream of source files, one at a time; what cannot be parsed goes to
 * `report.failures` (and warnings to `report.warnings`), and the stream goes on.
 */
export async function* parseSources(
  sources: AsyncIterable<SourceFile> | Iterable<SourceFile>,
  options: IngestOptions,
  report: IngestReport,
): AsyncGenerator<ParsedArticle> {
  let done = 0;
  let lastFile: string | null = null;
  // Ids of a streamed array's earlier elements, so that a repeated article is still reported.
  let seen = new Map<string, readonly PropertyKey[]>();
  for await (const source of sources) {
    if (lastFile !== null && source.file !== lastFile) {
      options.onProgress?.(++done);
      seen = new Map();
    }
    lastFile = source.file;
    const line = source.line ?? source.element?.line;
    const where = line === undefined ? source.file : `${source.file}:${line}`;
    let articles: Article[] = [];
    try {
      const parseOptions = { now: options.now, source: options.source ?? null };
      const parsed = source.element
        ? parseJsonElement(source.file, String(source.content), { ...source.element, prefix: [source.element.index] }, parseOptions, seen)
        : source.line === undefined
          ? parseSource(source.file, source.content, parseOptions)
          : parseJsonLine(source.file, source.line, String(source.content), parseOptions);
      addWarnings(report, parsed.warnings);
      articles = parsed.articles;
    } catch (error) {
      addFailure(report, where, message(error));
    }
    for (const article of articles) yield { where, article };
  }
  if (lastFile !== null) options.onProgress?.(++done);
}

/** About how many characters of text an article holds: enough to keep batches of long articles small. */
export function roughSize(article: Article): number {
  let size = article.title.length;
  for (const block of article.body) size += block.text.length;
  for (const comment of article.comments) for (const p of comment.paragraphs) size += p.length;
  return size;
}

/** A batch is stored once it holds this many characters of text, whatever its count. */
const BATCH_CHARS = 8_000_000;

/** Stores parsed articles in batches; an article the store refuses fails alone. */
export async function storeArticles(
  articles: AsyncIterable<ParsedArticle>,
  sink: ArticleSink,
  options: IngestOptions,
  report: IngestReport,
): Promise<IngestReport> {
  const batchSize = options.batchSize ?? 500;
  let batch: ParsedArticle[] = [];
  let chars = 0;
  const flush = () => {
    chars = 0;
    if (batch.length === 0) return;
    let statuses: UpsertStatus[];
    try {
      statuses = sink.upsertMany(batch.map((b) => b.article));
    } catch {
      // The batch rolled back: store one by one, so only the article at fault fails.
      statuses = [];
      for (const { where, article } of batch) {
        try {
          statuses.push(sink.upsert(article));
        } catch (error) {
          addFailure(report, where, `could not store "${article.title}": ${message(error)}`);
        }
      }
    }
    for (const s of statuses) report[s]++;
    batch = [];
  };
  for await (const parsed of articles) {
    batch.push(parsed);
    chars += roughSize(parsed.article);
    if (batch.length >= batchSize || chars >= BATCH_CHARS) flush();
  }
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
      addFailure(report, dir, message(error));
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
          addFailure(report, path, message(error));
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
      addFailure(report, path, message(error));
    }
  }
  return files;
}

/** The first byte of a file that is not white space (after a byte-order mark), or null for a blank file. */
async function firstByte(file: string): Promise<number | null> {
  const handle = await open(file);
  try {
    const head = Buffer.alloc(4096);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(head, 0, head.length, position);
      if (bytesRead === 0) return null;
      const start = position === 0 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
      for (let i = start; i < bytesRead; i++) {
        const b = head[i] as number;
        if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) return b;
      }
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/**
 * One streamed record as text, or why it cannot be read: over the cap, or not UTF-8 (the line
 * and column of the first bad byte are named, and only this record fails).
 */
function recordText(record: ByteRecord, what: string, maxBytes: number): { text: string } | { line: number; error: string } {
  if (record.bytes === null) {
    return { line: record.line, error: `expected ${what} of at most ${formatSize(maxBytes)} (INGEST_MAX_MB), got ${formatSize(record.size)}; it was skipped` };
  }
  const bad = firstInvalidUtf8(record.bytes);
  if (bad === -1) return { text: record.bytes.toString('utf8') };
  const at = bytePosition(record.bytes, bad);
  const column = at.line === 1 ? at.column + record.column - 1 : at.column;
  return { line: record.line + at.line - 1, error: `expected ${describeBadByte(record.bytes, bad, column)}` };
}

/**
 * Reads files one at a time, so memory holds one file, not the whole folder. A JSON Lines file
 * and a `.json` file holding an array are streamed record by record, so memory holds one article
 * however large the file; a record that cannot be read fails alone, named by its line. Anything
 * read whole must fit in `maxBytes`.
 */
export async function* readFiles(files: readonly string[], report: IngestReport, options: ReadOptions = {}): AsyncGenerator<SourceFile> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  const fail = (file: string, error: string): void => addFailure(report, file, error);
  for (const file of files) {
    try {
      const ext = extname(file).toLowerCase();
      if (ext === '.jsonl') {
        for await (const record of splitLines(createReadStream(file), maxBytes)) {
          const read = recordText(record, 'a line', maxBytes);
          if ('text' in read) yield { file, line: record.line, content: read.text };
          else fail(`${file}:${read.line}`, read.error);
        }
        continue;
      }
      if (ext === '.json' && (await firstByte(file)) === 0x5b) {
        for await (const record of splitJsonArray(file, createReadStream(file), maxBytes)) {
          const read = recordText(record, `an article (\`[${record.index}]\`)`, maxBytes);
          if ('text' in read) yield { file, element: { index: record.index, line: record.line, column: record.column }, content: read.text };
          else fail(`${file}:${read.line}`, read.error);
        }
        continue;
      }
      const { size } = await stat(file);
      if (size > maxBytes) {
        const streamed = ext === '.json' ? '; a .json array or a .jsonl file is read one article at a time, at any size' : '';
        fail(file, `${file}: expected a file of at most ${formatSize(maxBytes)} (INGEST_MAX_MB), got ${formatSize(size)}; it was not read${streamed}`);
        continue;
      }
      yield { file, content: await readFile(file) };
    } catch (error) {
      fail(file, message(error));
    }
  }
}

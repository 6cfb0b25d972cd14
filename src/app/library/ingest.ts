/**
 * Ingest: source files in, articles stored, and an honest account of what happened to each file.
 * One bad file never stops the others; everything that parsed is stored even when some failed.
 */
import { stat } from 'node:fs/promises';
import { errorMessage } from '../../core/errors.ts';
import { type IngestOptions, parseSources, roughSize } from '../../adapters/sources/parse-sources.ts';
import type { SourceFile } from '../../adapters/sources/read.ts';
import { type FileReader, type PreparedArticle, type ReadArticles, type ReadItem, WorkerReader, localReader } from '../../adapters/sources/ingest-thread.ts';
import { type IngestReport, addFailure, emptyReport } from '../../adapters/sources/report.ts';
// The store declares what it accepts; ingest writes to anything of that shape.
import type { ArticleSink, UpsertStatus } from '../../adapters/store/contract.ts';
import { type RowSink, rowSinkOf } from '../../adapters/store/row-sink.ts';
import { articleFromRows } from '../../adapters/store/rows.ts';
export type { ArticleSink, UpsertStatus };

// Reading and parsing are the sources adapter's; the library's ingest is storing what they yield.
export { type IngestOptions, type ParsedArticle, parseSources, roughSize } from '../../adapters/sources/parse-sources.ts';
export { type FileReader, type PreparedArticle, type ReadItem, WorkerReader, localReader } from '../../adapters/sources/ingest-thread.ts';
export { DEFAULT_MAX_INPUT_BYTES, INGEST_EXTENSIONS, type ReadOptions, type SourceFile, collectFiles, readFiles } from '../../adapters/sources/read.ts';
export {
  type IngestFailure,
  type IngestReport,
  MAX_LISTED,
  addFailure,
  addWarnings,
  emptyReport,
  formatSize,
  unlistedNote,
} from '../../adapters/sources/report.ts';

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

export interface IngestFilesOptions extends IngestOptions {
  /** The most bytes of one input held at once (INGEST_MAX_MB); see DEFAULT_MAX_INPUT_BYTES. */
  readonly maxBytes?: number;
  /**
   * Reads and parses the files. Default: a worker thread for inputs of WORKER_MIN_BYTES and more
   * (parsed while the previous batch is stored, and closed at the end), the calling thread below.
   * A reader passed in is left open, for the caller's next files.
   */
  readonly reader?: FileReader;
}

/**
 * A thread takes about half a second to start from the sources (less built): below this many bytes
 * of input, parsing on the calling thread is over sooner.
 */
export const WORKER_MIN_BYTES = 4 * 1024 * 1024;

/**
 * Parses and stores files, as `paperboy ingest` does: each file is read and parsed on a worker
 * thread while the articles before it are stored, so ingest takes about as long as the slower of
 * the two, not both. One file that cannot be read, or that stops the worker, fails alone.
 */
export async function ingestFiles(
  files: readonly string[],
  sink: ArticleSink,
  options: IngestFilesOptions = {},
  report: IngestReport = emptyReport(),
): Promise<IngestReport> {
  const reader = options.reader ?? ((await holdAtLeast(files, WORKER_MIN_BYTES)) ? new WorkerReader({ maxBytes: options.maxBytes }) : localReader(options));
  try {
    // A store that takes rows gets them made on the worker, off the thread that stores.
    return await storeArticles(reader.readAll(files, report, { ...options, rows: rowSinkOf(sink) !== null }), sink, options, report);
  } finally {
    if (!options.reader) await reader.close();
  }
}

/**
 * Whether the files hold at least `bytes` between them, looking no further than needed (a folder
 * of 100,000 small files is not stat'ed in full before any work starts); one that cannot be read counts nothing here
 * (reading it fails in the report).
 */
async function holdAtLeast(files: readonly string[], bytes: number): Promise<boolean> {
  let total = 0;
  for (const file of files) {
    total += await stat(file).then(
      (s) => s.size,
      () => 0,
    );
    if (total >= bytes) return true;
  }
  return false;
}

/** A batch is stored once it holds this many characters of text, whatever its count. */
const BATCH_CHARS = 8_000_000;

/**
 * Stores parsed articles (or their rows) in batches of up to `batchSize`; an article the store
 * refuses fails alone. A batch that arrives as one (an array: what a worker had parsed when asked)
 * is stored at once, so that storing never waits for articles that are still being parsed.
 */
export async function storeArticles(articles: ReadArticles, sink: ArticleSink, options: IngestOptions, report: IngestReport): Promise<IngestReport> {
  const batchSize = options.batchSize ?? 500;
  const store = storer(sink);
  let batch: ReadItem[] = [];
  let chars = 0;
  const flush = async () => {
    chars = 0;
    if (batch.length === 0) return;
    let statuses: UpsertStatus[];
    try {
      statuses = await store.many(batch);
    } catch {
      // The batch rolled back: store one by one, so only the article at fault fails.
      statuses = [];
      for (const item of batch) {
        try {
          statuses.push(await store.one(item));
        } catch (error) {
          addFailure(report, item.where, `could not store "${titleOf(item)}": ${errorMessage(error)}`);
        }
      }
    }
    for (const s of statuses) report[s]++;
    batch = [];
  };
  const add = async (item: ReadItem) => {
    batch.push(item);
    chars += isPrepared(item) ? item.chars : roughSize(item.article);
    if (batch.length >= batchSize || chars >= BATCH_CHARS) await flush();
  };
  for await (const item of articles) {
    if (!isBatch(item)) {
      await add(item);
      continue;
    }
    for (const parsed of item) await add(parsed);
    await flush();
  }
  await flush();
  return report;
}

function isBatch(item: ReadItem | readonly ReadItem[]): item is readonly ReadItem[] {
  return Array.isArray(item);
}

function isPrepared(item: ReadItem): item is PreparedArticle {
  return 'rows' in item;
}

function titleOf(item: ReadItem): string {
  return isPrepared(item) ? item.rows.article.title : item.article.title;
}

/**
 * Stores items into `sink`: rows into a sink that takes them, articles as they are. Rows reach a
 * sink that takes only articles only if a reader was asked for them wrongly; they are made back
 * into their articles then.
 */
function storer(sink: ArticleSink): { many(items: readonly ReadItem[]): Promise<UpsertStatus[]>; one(item: ReadItem): Promise<UpsertStatus> } {
  const rowSink: RowSink | null = rowSinkOf(sink);
  const articleOf = (item: ReadItem) => (isPrepared(item) ? articleFromRows(item.rows) : item.article);
  return {
    many: (items) => (rowSink && items.every(isPrepared) ? rowSink.upsertRows(items.map((i) => i.rows)) : sink.upsertMany(items.map(articleOf))),
    // One rows in, one status out.
    one: async (item) => (rowSink && isPrepared(item) ? (await rowSink.upsertRows([item.rows]))[0]! : sink.upsert(articleOf(item))),
  };
}

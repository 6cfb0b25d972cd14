/**
 * Ingest: source files in, articles stored, and an honest account of what happened to each file.
 * One bad file never stops the others; everything that parsed is stored even when some failed.
 */
import { errorMessage } from '../../core/errors.ts';
import { type IngestOptions, type ParsedArticle, parseSources, roughSize } from '../../adapters/sources/parse-sources.ts';
import type { SourceFile } from '../../adapters/sources/read.ts';
import { type IngestReport, addFailure, emptyReport } from '../../adapters/sources/report.ts';
// The store declares what it accepts; ingest writes to anything of that shape.
import type { ArticleSink, UpsertStatus } from '../../adapters/store/contract.ts';
export type { ArticleSink, UpsertStatus };

// Reading and parsing are the sources adapter's; the library's ingest is storing what they yield.
export { type IngestOptions, type ParsedArticle, parseSources, roughSize } from '../../adapters/sources/parse-sources.ts';
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
  const flush = async () => {
    chars = 0;
    if (batch.length === 0) return;
    let statuses: UpsertStatus[];
    try {
      statuses = await sink.upsertMany(batch.map((b) => b.article));
    } catch {
      // The batch rolled back: store one by one, so only the article at fault fails.
      statuses = [];
      for (const { where, article } of batch) {
        try {
          statuses.push(await sink.upsert(article));
        } catch (error) {
          addFailure(report, where, `could not store "${article.title}": ${errorMessage(error)}`);
        }
      }
    }
    for (const s of statuses) report[s]++;
    batch = [];
  };
  for await (const parsed of articles) {
    batch.push(parsed);
    chars += roughSize(parsed.article);
    if (batch.length >= batchSize || chars >= BATCH_CHARS) await flush();
  }
  await flush();
  return report;
}

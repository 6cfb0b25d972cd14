/**
 * Source files to articles, one at a time: each file (or streamed record) goes to its parser, and
 * what cannot be parsed is a failure in the report while the stream goes on.
 */
import { errorMessage } from '../../core/errors.ts';
import type { Article } from '../../core/model.ts';
import { parseJsonElement } from './parse-json.ts';
import { parseJsonLine, parseSource } from './parse.ts';
import type { SourceFile } from './read.ts';
import { type IngestReport, addFailure, addWarnings } from './report.ts';

export interface IngestOptions {
  /** Source name for formats that carry none (the .txt export). */
  readonly source?: string | null;
  readonly now?: Date;
  /** Called after each file (not each line of a .jsonl file) with how many files are done. */
  readonly onProgress?: (done: number) => void;
  /** Articles stored per transaction. Default 500. */
  readonly batchSize?: number;
}

/** A parsed article, with where it came from (`file`, or `file:line`) for messages about storing it. */
export interface ParsedArticle {
  readonly where: string;
  readonly article: Article;
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
      addFailure(report, where, errorMessage(error));
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

/**
 * The ingest worker thread: reads and parses the files the inbox hands it, one at a time, and
 * sends the articles back in batches, waiting for each to be taken before parsing more. Parsing a
 * huge or hostile file therefore never holds the thread that answers Discord, and memory holds one
 * batch, not the file. Storing stays with the caller (its store may be an in-memory database).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../core/errors.ts';
import { type ParsedArticle, parseSources, roughSize } from './parse-sources.ts';
import { readFiles } from './read.ts';
import { type IngestFailure, addFailure, emptyReport } from './report.ts';

/** Messages the worker takes. */
export type ToIngestWorker = { readonly type: 'read'; readonly file: string } | { readonly type: 'more' };

/** Messages the worker sends: batches of one file, the last one `end`. */
export interface FromIngestWorker {
  readonly type: 'batch' | 'end';
  readonly articles: ParsedArticle[];
  readonly failures: IngestFailure[];
  readonly warnings: string[];
  /** Failures and warnings past the worker's own list, counted only (see IngestReport.unlisted). */
  readonly unlisted: { failures: number; warnings: number };
}

export interface IngestWorkerData {
  readonly maxBytes: number;
  /** A batch is sent when it has this many articles… */
  readonly batchArticles: number;
  /** …or this many characters of text, so that a batch of long articles stays small too. */
  readonly batchChars: number;
}

const port = parentPort;
if (!port) throw new Error('ingest-worker.ts runs as a worker thread (see ingest-thread.ts)');
const settings = (workerData as { data: IngestWorkerData }).data;

const inbox: ToIngestWorker[] = [];
let wake: (() => void) | null = null;
port.on('message', (message: ToIngestWorker) => {
  inbox.push(message);
  wake?.();
});

async function next(): Promise<ToIngestWorker> {
  for (;;) {
    const message = inbox.shift();
    if (message) return message;
    await new Promise<void>((resolve) => (wake = resolve));
    wake = null;
  }
}

for (;;) {
  const request = await next();
  if (request.type !== 'read') continue;
  const report = emptyReport();
  let articles: ParsedArticle[] = [];
  let chars = 0;
  const send = (type: 'batch' | 'end'): void => {
    const message: FromIngestWorker = { type, articles, failures: report.failures.splice(0), warnings: report.warnings.splice(0), unlisted: report.unlisted };
    report.unlisted = { failures: 0, warnings: 0 };
    port.postMessage(message);
    articles = [];
    chars = 0;
  };
  try {
    for await (const parsed of parseSources(readFiles([request.file], report, { maxBytes: settings.maxBytes }), { source: null }, report)) {
      articles.push(parsed);
      chars += roughSize(parsed.article);
      if (articles.length >= settings.batchArticles || chars >= settings.batchChars) {
        send('batch');
        // Back-pressure: nothing more is parsed until the caller has stored this batch.
        if ((await next()).type !== 'more') throw new Error('ingest worker: expected `more` after a batch');
      }
    }
  } catch (error) {
    addFailure(report, request.file, errorMessage(error));
  }
  send('end');
}

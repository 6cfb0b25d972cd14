/**
 * The ingest worker thread: reads and parses the files it is handed, in order, and sends the
 * articles back in small batches while it goes on parsing, up to a bound on what was sent and not
 * yet taken. The caller therefore stores one batch while the next is parsed, and memory holds at
 * most that bound (plus the batch being stored), not the file. Parsing a huge or hostile file never
 * holds the thread that answers Discord. Storing stays with the caller (its store may be an
 * in-memory database).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../../core/errors.ts';
import { type ArticleRows, articleRows } from '../store/rows.ts';
import { type ParsedArticle, parseSources, roughSize } from './parse-sources.ts';
import { readFiles } from './read.ts';
import { type IngestFailure, addFailure, emptyReport } from './report.ts';

/**
 * A parsed article as the store's rows (a read that asks for `rows`): made here while the caller
 * stores, they cross to it no dearer than the article would, and the caller stores them as they are.
 */
export interface PreparedArticle {
  readonly where: string;
  readonly rows: ArticleRows;
  /** The article's roughSize, for batching by text. */
  readonly chars: number;
}

/** What a read yields for each article: the article, or its rows when the read asked for them. */
export type ReadItem = ParsedArticle | PreparedArticle;

/** Messages the worker takes: files to read, and word that the caller took some batches. */
export type ToIngestWorker =
  | { readonly type: 'read'; readonly files: readonly string[]; readonly source: string | null; readonly now: string | null; readonly rows: boolean }
  | { readonly type: 'took'; readonly batches: number };

/** Messages the worker sends: batches of one read, the last one `end`. */
export interface FromIngestWorker {
  readonly type: 'batch' | 'end';
  readonly articles: ReadItem[];
  /**
   * What the message counts for in the bound on what is ahead: its articles, and the characters
   * of their text and of its failures and warnings. A message of failures alone counts as one
   * article: thousands of broken files must not queue up unbounded.
   */
  readonly weight: Weight;
  readonly failures: IngestFailure[];
  readonly warnings: string[];
  /** Failures and warnings past the worker's own list, counted only (see IngestReport.unlisted). */
  readonly unlisted: { failures: number; warnings: number };
  /** Files of this read parsed to the end so far: the one after them is the one in hand. */
  readonly filesDone: number;
}

export interface Weight {
  readonly articles: number;
  readonly chars: number;
}

export interface IngestWorkerData {
  readonly maxBytes: number;
  /** Parsing waits while this many articles are sent and not yet taken… */
  readonly aheadArticles: number;
  /** …or this many characters of their text, so that long articles stay few. */
  readonly aheadChars: number;
}

/**
 * A batch goes out once its first article has waited this long: a caller that is idle gets work
 * within a few articles, one that is busy storing finds several batches to take at once.
 */
const POST_MS = 2;

/** Characters of a message's failures and warnings. */
function textOf(failures: readonly IngestFailure[], warnings: readonly string[]): number {
  let n = 0;
  for (const f of failures) n += f.file.length + f.error.length;
  for (const w of warnings) n += w.length;
  return n;
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
  // A `took` left over from an earlier read: its batches are gone, nothing to count.
  if (request.type !== 'read') continue;
  const report = emptyReport();
  let articles: ReadItem[] = [];
  let chars = 0;
  let firstAt = 0;
  let filesDone = 0;
  // What was sent and not yet taken, oldest first.
  const sent: Weight[] = [];
  const ahead = { articles: 0, chars: 0 };
  const took = (batches: number): void => {
    for (const batch of sent.splice(0, batches)) {
      ahead.articles -= batch.articles;
      ahead.chars -= batch.chars;
    }
  };
  const send = (type: 'batch' | 'end'): void => {
    const failures = report.failures.splice(0);
    const warnings = report.warnings.splice(0);
    const weight = { articles: Math.max(1, articles.length), chars: chars + textOf(failures, warnings) };
    const message: FromIngestWorker = { type, articles, weight, failures, warnings, unlisted: report.unlisted, filesDone };
    report.unlisted = { failures: 0, warnings: 0 };
    port.postMessage(message);
    if (type === 'batch') {
      sent.push(weight);
      ahead.articles += weight.articles;
      ahead.chars += weight.chars;
    }
    articles = [];
    chars = 0;
  };
  const options = { source: request.source, now: request.now === null ? undefined : new Date(request.now) };
  const room = async (): Promise<void> => {
    // Back-pressure: nothing more is parsed while the caller has this much still to take.
    while (ahead.articles >= settings.aheadArticles || ahead.chars >= settings.aheadChars) {
      const message = await next();
      if (message.type !== 'took') throw new Error('ingest worker: expected `took` while batches wait');
      took(message.batches);
    }
  };
  for (const [i, file] of request.files.entries()) {
    filesDone = i;
    try {
      for await (const parsed of parseSources(readFiles([file], report, { maxBytes: settings.maxBytes }), options, report)) {
        if (articles.length === 0) firstAt = performance.now();
        const size = roughSize(parsed.article);
        articles.push(request.rows ? { where: parsed.where, rows: articleRows(parsed.article), chars: size } : parsed);
        chars += size;
        for (let m = inbox[0]; m?.type === 'took'; m = inbox[0]) took((inbox.shift() as { batches: number }).batches);
        // Nothing in the caller's hands: it may be waiting, so it gets this at once.
        const due = sent.length === 0 || performance.now() - firstAt >= POST_MS;
        if (!due && articles.length < settings.aheadArticles && chars < settings.aheadChars) continue;
        send('batch');
        await room();
      }
    } catch (error) {
      addFailure(report, file, errorMessage(error));
    }
    // Each file's articles leave by its end, so that a worker that dies takes only the file in hand with it.
    filesDone = i + 1;
    if (i < request.files.length - 1) {
      send('batch');
      await room();
    }
  }
  send('end');
}

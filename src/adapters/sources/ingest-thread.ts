/**
 * Reading inbox files off the calling thread: {@link WorkerReader} hands each file to the ingest
 * worker (ingest-worker.ts) and yields its articles as they arrive, so the bot keeps answering
 * Discord while a large or hostile file is parsed. The worker's heap is capped: a file that would
 * take more fails alone and the bot's memory stays bounded. {@link localReader} does the same
 * work on the calling thread, for the CLI and for callers that want no thread.
 */
import type { Worker } from 'node:worker_threads';
import { errorMessage } from '../../core/errors.ts';
import { startTsWorker } from '../workers/start.ts';
import { type ParsedArticle, parseSources } from './parse-sources.ts';
import { DEFAULT_MAX_INPUT_BYTES, readFiles } from './read.ts';
import { type IngestReport, addFailure, addWarnings, emptyReport } from './report.ts';
import type { FromIngestWorker, IngestWorkerData, ReadItem, ToIngestWorker } from './ingest-worker.ts';
import { listen } from './worker-messages.ts';

export type { PreparedArticle, ReadItem } from './ingest-worker.ts';

/**
 * What a reader yields: one article, or a batch of them that was ready at once (stored together);
 * each an article, or its rows when the request asked for them and the reader makes them.
 */
export type ReadArticles = AsyncIterable<ReadItem | readonly ReadItem[]>;

/** How to read a run of files, as `paperboy ingest` is given them. */
export interface ReadRequest {
  /** Source name for formats that carry none (the .txt export). */
  readonly source?: string | null;
  readonly now?: Date;
  /** Called with how many of the files are done (read and parsed; stored a moment later). */
  readonly onProgress?: (done: number) => void;
  /**
   * Articles as the store's rows (ArticleRows), for a store that takes them (row-sink.ts): a worker
   * makes them while it parses. A reader on the calling thread yields articles whatever this says.
   */
  readonly rows?: boolean;
}

/** Reads files into articles; failures and warnings go to `report`. */
export interface FileReader {
  /** One file's articles. A read given up (its worker died or stalled, or a shutdown) rejects. */
  read(file: string, report: IngestReport): ReadArticles;
  /** Many files' articles. A file whose read is given up fails in `report` alone; the others are read. */
  readAll(files: readonly string[], report: IngestReport, request?: ReadRequest): ReadArticles;
  close(): Promise<void>;
}

export interface ReaderOptions {
  /** The most bytes of one input held at once; see DEFAULT_MAX_INPUT_BYTES. */
  readonly maxBytes?: number;
}

export function localReader(options: ReaderOptions = {}): FileReader {
  const readAll = async function* (files: readonly string[], report: IngestReport, request: ReadRequest = {}): AsyncGenerator<ParsedArticle> {
    yield* parseSources(readFiles(files, report, { maxBytes: options.maxBytes }), { source: null, ...request }, report);
  };
  return {
    read: (file, report) => readAll([file], report),
    readAll,
    close: () => Promise.resolve(),
  };
}

export interface WorkerReaderOptions extends ReaderOptions {
  /**
   * A file whose worker sends nothing for this long is given up (the worker is stopped, the next
   * file gets a new one). Default 60 s: a batch of 200 articles takes well under a second.
   */
  readonly stallMs?: number;
  /** The worker's heap limit in MB. Default: 24 times the input cap plus 128, so an input at the cap fits. */
  readonly heapMb?: number;
  /** Aborting stops a read between two batches (shutdown): what was stored stays. */
  readonly signal?: AbortSignal;
  /**
   * How far parsing may run ahead of storing: articles parsed and not yet taken, and the
   * characters of their text (failures and warnings count as text, and any message as one
   * article). Default 100 articles and 4,000,000 characters; memory holds up to about four times
   * that: what is ahead, and a take of up to twice it being stored.
   */
  readonly ahead?: { readonly articles: number; readonly chars: number };
}

const STALL_MS = 60_000;
const YOUNG_MB = 8;

/** One worker for a run of files, started at the first file and replaced if it dies. */
export class WorkerReader implements FileReader {
  private worker: Worker | null = null;
  private readonly data: IngestWorkerData;
  private readonly heapMb: number;
  private readonly stallMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: WorkerReaderOptions = {}) {
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
    const ahead = options.ahead ?? { articles: 100, chars: 4_000_000 };
    this.data = { maxBytes, aheadArticles: ahead.articles, aheadChars: ahead.chars };
    this.heapMb = options.heapMb ?? Math.ceil(maxBytes / 1024 / 1024) * 24 + 128;
    this.stallMs = options.stallMs ?? STALL_MS;
    this.signal = options.signal;
  }

  /** Starts the worker now rather than at the first file (it takes about half a second from the sources), resolving once it answers. */
  async warm(): Promise<void> {
    for await (const _ of this.run([], emptyReport(), {}, { filesDone: 0 })) void _;
  }

  read(file: string, report: IngestReport): ReadArticles {
    return this.run([file], report, { source: null }, { filesDone: 0 });
  }

  async *readAll(files: readonly string[], report: IngestReport, request: ReadRequest = {}): AsyncGenerator<readonly ReadItem[]> {
    for (let from = 0; from < files.length;) {
      const progress = { filesDone: 0 };
      const rest = files.slice(from);
      try {
        yield* this.run(rest, report, request, progress, from);
        return;
      } catch (error) {
        if (this.signal?.aborted) throw error;
        // Every file before it was sent whole (the worker sends each file's articles by its end).
        addFailure(report, rest[progress.filesDone] ?? '', errorMessage(error));
        from += progress.filesDone + 1;
        request.onProgress?.(from);
      }
    }
  }

  /**
   * Batches as the worker sends them, all that have come at once, while it parses on. The worker
   * is told at once what was taken, so it never waits for this side's storing unless it is
   * `ahead` of it. A take smaller than `ahead` waits up to GATHER_MS for more (see there).
   */
  private async *run(
    files: readonly string[],
    report: IngestReport,
    request: ReadRequest,
    progress: { filesDone: number },
    offset = 0,
  ): AsyncGenerator<readonly ReadItem[]> {
    const worker = (this.worker ??= this.start());
    const messages = listen(worker, this.heapMb, this.signal);
    let finished = false;
    try {
      send(worker, { type: 'read', files, source: request.source ?? null, now: request.now?.toISOString() ?? null, rows: request.rows ?? false });
      for (let ended = false; !ended;) {
        const taken = await messages.nextAll(this.stallMs);
        ended = taken[taken.length - 1]?.type === 'end';
        if (!ended) send(worker, { type: 'took', batches: taken.length });
        // One message at a time, so that a take stays under twice what may be ahead, as without waiting.
        const size = weightOf(taken);
        const until = performance.now() + GATHER_MS;
        while (!ended && size.articles < this.data.aheadArticles && size.chars < this.data.aheadChars) {
          const more = await messages.within(until - performance.now());
          if (!more) break;
          taken.push(more);
          ended = more.type === 'end';
          if (!ended) send(worker, { type: 'took', batches: 1 });
          size.articles += more.weight.articles;
          size.chars += more.weight.chars;
        }
        const articles = taken.length === 1 ? (taken[0]?.articles ?? []) : taken.flatMap((m) => m.articles);
        for (const message of taken) account(report, message);
        const done = taken[taken.length - 1]?.filesDone ?? 0;
        if (done !== progress.filesDone) request.onProgress?.(offset + done);
        progress.filesDone = done;
        if (articles.length > 0) yield articles;
      }
      finished = true;
    } finally {
      messages.stop();
      // Stopped half-way (an error here or in the caller): the worker is mid-file, so it goes.
      if (!finished) await this.close();
    }
  }

  private start(): Worker {
    const worker = startTsWorker(new URL('./ingest-worker.ts', import.meta.url), {
      data: this.data,
      // A young generation of 8 MB rather than V8's default: the worker's objects live for one
      // batch, and at the default its heap alone held some 30 MB more of the bench's peak RSS
      // (265-278 MB against 300-305 at 5,000 articles, 3 alternated pairs), parsing no slower.
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: YOUNG_MB },
    });
    // Always listened to: a worker that dies between two files must not become an uncaught
    // 'error' event in the bot; the next file simply gets a new worker.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    return worker;
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    await worker?.terminate();
  }
}

/**
 * How long a small take waits for more before it is stored. Each transaction costs the store a few
 * milliseconds whatever it holds (its FTS5 segments, its commit), and a take is small only where the
 * worker has not run ahead: as a read starts, or when parsing is the slower side. Waiting no longer
 * than a transaction's own cost loses little either way; the worker is told of each part taken at
 * once, so it never waits for this.
 */
const GATHER_MS = 3;

/** What `messages` count for in the bound on what is ahead, as the worker counts them. */
function weightOf(messages: readonly FromIngestWorker[]): { articles: number; chars: number } {
  const size = { articles: 0, chars: 0 };
  for (const m of messages) {
    size.articles += m.weight.articles;
    size.chars += m.weight.chars;
  }
  return size;
}

function send(worker: Worker, message: ToIngestWorker): void {
  worker.postMessage(message);
}

/** A message's failures and warnings, into the caller's report. */
function account(report: IngestReport, message: FromIngestWorker): void {
  for (const f of message.failures) addFailure(report, f.file, f.error);
  addWarnings(report, message.warnings);
  report.failed += message.unlisted.failures;
  report.unlisted.failures += message.unlisted.failures;
  report.unlisted.warnings += message.unlisted.warnings;
}

/**
 * Reading inbox files off the calling thread: {@link WorkerReader} hands each file to the ingest
 * worker (ingest-worker.ts) and yields its articles as they arrive, so the bot keeps answering
 * Discord while a large or hostile file is parsed. The worker's heap is capped: a file that would
 * take more fails alone and the bot's memory stays bounded. {@link localReader} does the same
 * work on the calling thread, for the CLI and for callers that want no thread.
 */
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../workers/start.ts';
import { type ParsedArticle, parseSources } from './parse-sources.ts';
import { DEFAULT_MAX_INPUT_BYTES, readFiles } from './read.ts';
import { type IngestReport, addFailure, addWarnings } from './report.ts';
import type { FromIngestWorker, IngestWorkerData, ToIngestWorker } from './ingest-worker.ts';

/** Reads one file into articles; failures and warnings go to `report`. */
export interface FileReader {
  read(file: string, report: IngestReport): AsyncIterable<ParsedArticle>;
  close(): Promise<void>;
}

export interface ReaderOptions {
  /** The most bytes of one input held at once; see DEFAULT_MAX_INPUT_BYTES. */
  readonly maxBytes?: number;
}

export function localReader(options: ReaderOptions = {}): FileReader {
  return {
    read: (file, report) => parseSources(readFiles([file], report, { maxBytes: options.maxBytes }), { source: null }, report),
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
}

const STALL_MS = 60_000;

/** One worker for a run of files, started at the first file and replaced if it dies. */
export class WorkerReader implements FileReader {
  private worker: Worker | null = null;
  private readonly maxBytes: number;
  private readonly heapMb: number;
  private readonly stallMs: number;
  private readonly signal: AbortSignal | undefined;

  constructor(options: WorkerReaderOptions = {}) {
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
    this.heapMb = options.heapMb ?? Math.ceil(this.maxBytes / 1024 / 1024) * 24 + 128;
    this.stallMs = options.stallMs ?? STALL_MS;
    this.signal = options.signal;
  }

  async *read(file: string, report: IngestReport): AsyncGenerator<ParsedArticle> {
    const data: IngestWorkerData = { maxBytes: this.maxBytes, batchArticles: 100, batchChars: 4_000_000 };
    const worker = (this.worker ??= this.start(data));
    const messages = listen(worker, this.heapMb, this.signal);
    let finished = false;
    try {
      send(worker, { type: 'read', file });
      for (;;) {
        const message = await messages.next(this.stallMs);
        for (const f of message.failures) addFailure(report, f.file, f.error);
        addWarnings(report, message.warnings);
        report.failed += message.unlisted.failures;
        report.unlisted.failures += message.unlisted.failures;
        report.unlisted.warnings += message.unlisted.warnings;
        yield* message.articles;
        if (message.type === 'end') break;
        send(worker, { type: 'more' });
      }
      finished = true;
    } finally {
      messages.stop();
      // Stopped half-way (an error here or in the caller): the worker is mid-file, so it goes.
      if (!finished) await this.close();
    }
  }

  private start(data: IngestWorkerData): Worker {
    const worker = startTsWorker(new URL('./ingest-worker.ts', import.meta.url), { data, resourceLimits: { maxOldGenerationSizeMb: this.heapMb } });
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

function send(worker: Worker, message: ToIngestWorker): void {
  worker.postMessage(message);
}

/** The worker's messages one at a time; its death or silence becomes an error naming why. */
function listen(worker: Worker, heapMb: number, signal: AbortSignal | undefined) {
  const queue: FromIngestWorker[] = [];
  let failure: Error | null = null;
  let wake: (() => void) | null = null;
  const onMessage = (message: FromIngestWorker): void => {
    queue.push(message);
    wake?.();
  };
  const onError = (error: Error & { code?: string }): void => {
    failure =
      error.code === 'ERR_WORKER_OUT_OF_MEMORY'
        ? new Error(
            `reading it took more than the ${heapMb} MB the ingest worker may use; it was stopped (a smaller INGEST_MAX_MB refuses such inputs with a clear message instead)`,
          )
        : new Error(`the ingest worker failed: ${error.message}`);
    wake?.();
  };
  const onExit = (code: number): void => {
    failure ??= new Error(`the ingest worker stopped (exit code ${code})`);
    wake?.();
  };
  const onAbort = (): void => {
    failure ??= new Error('stopped: the process is shutting down');
    wake?.();
  };
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  signal?.addEventListener('abort', onAbort);
  return {
    async next(stallMs: number): Promise<FromIngestWorker> {
      for (;;) {
        if (signal?.aborted) onAbort();
        const message = failure ? undefined : queue.shift();
        if (message) return message;
        if (failure) throw failure;
        let timer: NodeJS.Timeout | undefined;
        const stalled = await new Promise<boolean>((resolve) => {
          wake = () => resolve(false);
          timer = setTimeout(() => resolve(true), stallMs);
        });
        clearTimeout(timer);
        wake = null;
        if (stalled) throw new Error(`reading it made no progress for ${stallMs / 1000} s; it was stopped`);
      }
    },
    stop(): void {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Work that reads outside input (feeds, dropped files) runs in a worker thread, so no input can
 * stall the thread that answers Discord: a job over its time limit, out of memory or crashing ends
 * its worker and comes back as a {@link WorkerStopped} error with the reason, and the next job gets
 * a fresh worker.
 *
 * One worker is kept while jobs come (it starts in about half a second from the sources, tsx and the job's imports; faster compiled),
 * runs one job at a time, and is ended after a while idle. It never keeps the process alive by
 * itself: it holds the event loop only while a job is running.
 *
 * Usage: a job module (e.g. src/adapters/feeds/parse-job.ts) calls `serveJobs(handler)` from serve.ts, and
 * the main side makes `new WorkerRunner({ module: new URL('./parse-job.ts', import.meta.url), … })`
 * and calls `run(input)`. Inputs and outputs are copied (structured clone): plain data only.
 */
import type { Worker } from 'node:worker_threads';
import type { FromJobWorker, JobRequest } from './serve.ts';
import { startTsWorker } from './start.ts';

export interface WorkerRunnerOptions {
  /** The job module, which calls `serveJobs`; started compiled or through tsx (see start.ts). */
  readonly module: URL;
  /** What the worker does, in errors: e.g. `'the feed parser'`. */
  readonly name: string;
  /** Longest a job may run before its worker is ended, counted once the worker has started. Default 30 s. */
  readonly timeoutMs?: number;
  /** Heap limit of the worker, in MB. Default 512. */
  readonly maxMemoryMb?: number;
  /** A worker with no job for this long is ended. Default 30 s. */
  readonly idleMs?: number;
}

/** The job threw: its message (e.g. a ParseError's) is the reason. */
export class JobError extends Error {
  constructor(
    override readonly name: string,
    message: string,
  ) {
    super(message);
  }
}

/** The worker was ended under a job (time limit, memory, crash): the message says which and why. */
export class WorkerStopped extends Error {
  override readonly name = 'WorkerStopped';
}

/** Longest a worker may take to load its job module. */
const START_LIMIT_MS = 60_000;

interface Pending<O> {
  readonly id: number;
  readonly input: unknown;
  readonly resolve: (output: O) => void;
  readonly reject: (error: Error) => void;
}

export class WorkerRunner<I, O> {
  private worker: Worker | null = null;
  private ready = false;
  private readonly queue: Pending<O>[] = [];
  private current: Pending<O> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;
  private readonly timeoutMs: number;
  private readonly maxMemoryMb: number;
  private readonly idleMs: number;

  constructor(private readonly options: WorkerRunnerOptions) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.maxMemoryMb = options.maxMemoryMb ?? 512;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Runs one job; rejects with {@link JobError} when the job threw, {@link WorkerStopped} when its worker was ended. */
  run(input: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, input, resolve, reject });
      this.next();
    });
  }

  /** Ends the worker; jobs not finished are rejected. */
  async close(): Promise<void> {
    const worker = this.worker;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(new WorkerStopped(`${this.options.name} was closed`));
    this.fail(new WorkerStopped(`${this.options.name} was closed`));
    if (worker) await worker.terminate();
  }

  private next(): void {
    if (this.current || this.queue.length === 0) return;
    const job = this.queue.shift() as Pending<O>;
    this.current = job;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    const worker = this.worker ?? this.start();
    worker.ref();
    if (this.ready) this.startClock();
    else this.timer = setTimeout(() => this.fail(new WorkerStopped(`${this.options.name} did not start within ${START_LIMIT_MS / 1000} s`)), START_LIMIT_MS);
    worker.postMessage({ id: job.id, input: job.input } satisfies JobRequest<unknown>);
  }

  private startClock(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.fail(new WorkerStopped(`${this.options.name} took longer than ${this.timeoutMs / 1000} s and was stopped`)),
      this.timeoutMs,
    );
  }

  private start(): Worker {
    const worker = startTsWorker(this.options.module, { resourceLimits: { maxOldGenerationSizeMb: this.maxMemoryMb } });
    worker.on('message', (reply: FromJobWorker<O>) => {
      if (worker !== this.worker) return;
      if ('ready' in reply) {
        this.ready = true;
        if (this.current) this.startClock();
        return;
      }
      const job = this.current;
      if (!job || reply.id !== job.id) return;
      this.settle();
      if (reply.ok) job.resolve(reply.output);
      else job.reject(new JobError(reply.name, reply.message));
      this.next();
    });
    worker.on('error', (error: Error & { code?: string }) => {
      if (worker !== this.worker) return;
      const why = error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? `ran out of memory (${this.maxMemoryMb} MB)` : `failed: ${error.message}`;
      this.fail(new WorkerStopped(`${this.options.name} ${why}`));
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker) return;
      this.fail(new WorkerStopped(`${this.options.name} stopped unexpectedly (exit code ${code})`));
    });
    this.worker = worker;
    this.ready = false;
    return worker;
  }

  /** The job in hand is done: clear its timer, and let the idle worker go if nothing follows. */
  private settle(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
    const worker = this.worker;
    if (worker && this.queue.length === 0) {
      worker.unref();
      this.idleTimer = setTimeout(() => {
        if (this.worker === worker && !this.current) {
          this.worker = null;
          void worker.terminate();
        }
      }, this.idleMs);
      this.idleTimer.unref();
    }
  }

  /** Ends the worker and rejects the job in hand (if any) with `error`; queued jobs get a fresh worker. */
  private fail(error: WorkerStopped): void {
    const job = this.current;
    const worker = this.worker;
    this.worker = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.current = null;
    if (worker) void worker.terminate();
    job?.reject(error);
    this.next();
  }
}

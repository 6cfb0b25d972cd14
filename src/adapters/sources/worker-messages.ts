/**
 * The ingest worker's messages, for the side that reads them (ingest-thread.ts): one at a time or
 * all that have come, with the worker's death, its silence or a shutdown turned into an error
 * that says why.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import type { FromIngestWorker } from './ingest-worker.ts';

export interface WorkerMessages {
  /**
   * The next message, waiting up to `stallMs` for it. Messages the worker sent before it died
   * still come first (Node delivers them before the worker's `error` and `exit`): they hold
   * whole files' articles. A shutdown comes before anything.
   */
  next(stallMs: number): Promise<FromIngestWorker>;
  /** The next message and every other one that has arrived by then. */
  nextAll(stallMs: number): Promise<FromIngestWorker[]>;
  /**
   * The next message if it comes within `ms`, else null; the worker's death or a shutdown is
   * left to the next `next` or `nextAll` to say.
   */
  within(ms: number): Promise<FromIngestWorker | null>;
  stop(): void;
}

export function listen(worker: Worker, heapMb: number, signal: AbortSignal | undefined): WorkerMessages {
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
  const aborted = (): Error => new Error('stopped: the process is shutting down');
  const onAbort = (): void => wake?.();
  worker.on('message', onMessage);
  worker.on('error', onError);
  worker.on('exit', onExit);
  signal?.addEventListener('abort', onAbort);
  const next = async (stallMs: number): Promise<FromIngestWorker> => {
    for (;;) {
      if (signal?.aborted) throw aborted();
      const message = queue.shift();
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
  };
  return {
    next,
    async nextAll(stallMs) {
      const first = await next(stallMs);
      // The first message wakes this up before the port hands over the others already sent: one
      // turn of the event loop lets them in, so that they are stored together, in one transaction.
      await nextTurn();
      if (signal?.aborted) throw aborted();
      return [first, ...queue.splice(0)];
    },
    async within(ms) {
      if (queue.length === 0 && !failure && !signal?.aborted && ms > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          wake = resolve;
          timer = setTimeout(resolve, ms);
        });
        clearTimeout(timer);
        wake = null;
      }
      return queue.shift() ?? null;
    },
    stop() {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', onAbort);
    },
  };
}

/**
 * Starts a TypeScript module in a worker thread, the same way whether the process runs from the bin
 * (tsx registered by bin/paperboy.js), a benchmark (`node --import tsx`) or vitest. On Node 20 a
 * worker inherits none of its parent's loader hooks, and `--import tsx` in `execArgv` is not applied
 * to a worker's entry; so every worker starts at bin/ts-worker.js, a plain JS file that registers tsx
 * inside the worker (resolved from this package, not the caller's directory) and then imports the module.
 *
 * Used by {@link WorkerRunner} (runner.ts) and by the inbox's ingest worker (src/adapters/sources/ingest-thread.ts).
 */
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

const ENTRY = fileURLToPath(new URL('../../../bin/ts-worker.js', import.meta.url));

export interface TsWorkerOptions {
  /** Passed to the module as `workerData.data`. Default: none. */
  readonly data?: unknown;
  /** Heap limits: a worker over them stops with ERR_WORKER_OUT_OF_MEMORY; the process goes on. Default: Node's. */
  readonly resourceLimits?: ResourceLimits;
}

/** @example startTsWorker(new URL('./ingest-worker.ts', import.meta.url), { data: { maxBytes } }) */
export function startTsWorker(module: URL, options: TsWorkerOptions = {}): Worker {
  return new Worker(ENTRY, { workerData: { entry: module.href, data: options.data }, resourceLimits: options.resourceLimits });
}

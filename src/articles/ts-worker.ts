/**
 * Starts a TypeScript module in a worker thread, the same way whether the process runs from the
 * bin (tsx), a benchmark (`node --import tsx`) or vitest: through bin/ts-worker.js, which
 * registers tsx inside the worker before loading the module.
 */
import { type ResourceLimits, Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';

const BOOT = fileURLToPath(new URL('../../bin/ts-worker.js', import.meta.url));

export interface TsWorkerOptions {
  /** Passed to the module as `workerData.data`. */
  readonly data?: unknown;
  /** Heap limits: a worker over them stops with ERR_WORKER_OUT_OF_MEMORY; the process goes on. */
  readonly resourceLimits?: ResourceLimits;
}

/** @example startTsWorker(new URL('./ingest-worker.ts', import.meta.url), { data: { maxBytes } }) */
export function startTsWorker(module: URL, options: TsWorkerOptions = {}): Worker {
  return new Worker(BOOT, {
    workerData: { entry: module.href, data: options.data },
    resourceLimits: options.resourceLimits,
    // The worker's own output would interleave with the log; it reports through messages instead.
    stdout: false,
    stderr: false,
  });
}

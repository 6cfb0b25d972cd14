/**
 * Starts a worker module in a worker thread, from the sources or from the build alike.
 *
 * Compiled (`npm start`: this file is dist/node/src/adapters/workers/start.js), the worker runs the
 * compiled module beside its caller: `new URL('./ingest-worker.ts', import.meta.url)` names a file
 * that exists only as `ingest-worker.js` there, so the extension is swapped (the build's esbuild plugin in
 * scripts/build.ts rewrites the `.ts` of relative imports, not of URLs).
 *
 * From the sources (vitest, `npm run dev`, a benchmark under `node --import tsx`), the worker starts at
 * bin/ts-worker.js, a plain JS file that registers tsx inside the worker and then imports the module:
 * on Node 20 a worker inherits none of its parent's loader hooks, and `--import tsx` in `execArgv` is
 * not applied to a worker's entry.
 *
 * Used by {@link WorkerRunner} (runner.ts) and by the inbox's ingest worker (src/adapters/sources/ingest-thread.ts).
 */
import { fileURLToPath } from 'node:url';
import { type ResourceLimits, Worker } from 'node:worker_threads';

const COMPILED = import.meta.url.endsWith('.js');

export interface TsWorkerOptions {
  /** Passed to the module as `workerData.data`. Default: none. */
  readonly data?: unknown;
  /** Heap limits: a worker over them stops with ERR_WORKER_OUT_OF_MEMORY; the process goes on. Default: Node's. */
  readonly resourceLimits?: ResourceLimits;
}

/** @example startTsWorker(new URL('./ingest-worker.ts', import.meta.url), { data: { maxBytes } }) */
export function startTsWorker(module: URL, options: TsWorkerOptions = {}): Worker {
  const workerData = { entry: module.href, data: options.data };
  if (COMPILED) return new Worker(compiledFile(module), { workerData, resourceLimits: options.resourceLimits });
  return new Worker(fileURLToPath(new URL('../../../bin/ts-worker.js', import.meta.url)), { workerData, resourceLimits: options.resourceLimits });
}

/** The compiled module for a `.ts` URL (a `.js` one is taken as it is). */
function compiledFile(module: URL): URL {
  const url = new URL(module);
  url.pathname = url.pathname.replace(/\.ts$/, '.js');
  return url;
}

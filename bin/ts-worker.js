// A worker thread's entry when Paperboy runs from its sources (vitest, `npm run dev`, benchmarks; the
// build starts its compiled worker modules directly): registers tsx in the worker (on Node 20, a worker
// does not inherit the loader hooks of its parent, and `--import tsx` in `execArgv` is not applied to the
// worker's entry module), then loads the TypeScript module named in `workerData.entry`, which finds its
// own data in `workerData.data`. Start one with `startTsWorker` (src/adapters/workers/start.ts).
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
// Reflect.get, because this plain JS file has no types to say what workerData holds.
await import(String(Reflect.get(Object(workerData), 'entry')));

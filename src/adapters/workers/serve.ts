/**
 * The worker side of {@link WorkerRunner}: a job module calls `serveJobs(handler)` once, which says
 * it is ready, and each input the runner sends is answered with the handler's result or the message
 * of what it threw.
 */
import { parentPort } from 'node:worker_threads';

/** A message from the runner: one input to work on. */
export interface JobRequest<I> {
  readonly id: number;
  readonly input: I;
}

/** The answer to a {@link JobRequest}: a result, or the message (and error name) of what the handler threw. */
export type JobReply<O> =
  { readonly id: number; readonly ok: true; readonly output: O } | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

/** What the worker sends: `ready` once, then one {@link JobReply} per request. */
export type FromJobWorker<O> = JobReply<O> | { readonly ready: true };

export function serveJobs<I, O>(handler: (input: I) => O | Promise<O>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs: this module is meant to run in a worker thread (see src/adapters/workers/runner.ts)');
  port.on('message', (request: JobRequest<I>) => {
    void (async () => {
      let reply: JobReply<O>;
      try {
        reply = { id: request.id, ok: true, output: await handler(request.input) };
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        reply = { id: request.id, ok: false, name: e.name, message: e.message };
      }
      port.postMessage(reply);
    })();
  });
  // The job module's imports are loaded by the time its body calls this: from here on the runner
  // counts time against the job, not against start-up (about half a second, more on a busy machine).
  port.postMessage({ ready: true } satisfies FromJobWorker<O>);
}

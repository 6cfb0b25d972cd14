/**
 * The worker side of {@link WorkerRunner}: a job module calls `serveJobs(handler)` once, and each
 * input the runner sends is answered with the handler's result or the message of what it threw.
 */
import { parentPort } from 'node:worker_threads';

/** A message from the runner: one input to work on. */
export interface JobRequest<I> {
  readonly id: number;
  readonly input: I;
}

/** The answer to a {@link JobRequest}: a result, or the message (and error name) of what the handler threw. */
export type JobReply<O> = { readonly id: number; readonly ok: true; readonly output: O } | { readonly id: number; readonly ok: false; readonly name: string; readonly message: string };

export function serveJobs<I, O>(handler: (input: I) => O | Promise<O>): void {
  const port = parentPort;
  if (!port) throw new Error('serveJobs: this module is meant to run in a worker thread (see src/workers/runner.ts)');
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
}

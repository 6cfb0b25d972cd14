/**
 * The worker that runs outside input (issue 13, point 8): a job over its time limit, out of memory
 * or crashing ends as an error with the reason, the calling thread keeps running meanwhile, and
 * the next job gets a fresh worker. Real worker threads, with a TypeScript job module run through tsx.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { JobError, WorkerRunner, WorkerStopped } from '../src/adapters/workers/runner.ts';
import type { TestJob } from './fixtures/workers/jobs.ts';

const JOBS = new URL('./fixtures/workers/jobs.ts', import.meta.url);
const runners: WorkerRunner<TestJob, number>[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.close();
});

function runner(options: { timeoutMs?: number; maxMemoryMb?: number } = {}): WorkerRunner<TestJob, number> {
  const r = new WorkerRunner<TestJob, number>({ module: JOBS, name: 'the test worker', ...options });
  runners.push(r);
  return r;
}

/** Counts timer ticks on this thread while `work` runs: a stalled thread counts none. */
async function ticksDuring<T>(work: () => Promise<T>): Promise<{ result: PromiseSettledResult<T>; ticks: number }> {
  let ticks = 0;
  const interval = setInterval(() => ticks++, 10);
  try {
    const [result] = await Promise.allSettled([work()]);
    return { result: result as PromiseSettledResult<T>, ticks };
  } finally {
    clearInterval(interval);
  }
}

describe('GIVEN a worker runner', () => {
  it('THEN jobs run in a worker one after another, and a job that throws gives its message', async () => {
    const r = runner();
    expect(await Promise.all([r.run({ kind: 'double', n: 2 }), r.run({ kind: 'double', n: 21 })])).toEqual([4, 42]);
    const thrown = await r.run({ kind: 'throw' }).catch((e: unknown) => e);
    expect(thrown).toBeInstanceOf(JobError);
    expect(thrown).toMatchObject({ name: 'RangeError', message: 'news.rss:3: expected a feed' });
    expect(await r.run({ kind: 'double', n: 5 })).toBe(10);
  });

  it('THEN a job that never ends is stopped at its time limit while this thread goes on, and the next job runs', async () => {
    const r = runner({ timeoutMs: 700 });
    await r.run({ kind: 'double', n: 1 }); // started, so the limit counts the job alone
    const { result, ticks } = await ticksDuring(() => r.run({ kind: 'spin' }));
    expect(result).toMatchObject({ status: 'rejected', reason: { name: 'WorkerStopped', message: 'the test worker took longer than 0.7 s and was stopped' } });
    // About 70 ticks of 10 ms in 0.7 s; a stalled thread would count none.
    expect(ticks).toBeGreaterThan(20);
    expect(await r.run({ kind: 'double', n: 3 })).toBe(6);
  });

  it('THEN a crash and running out of memory are each a reason, not a stalled caller', async () => {
    const r = runner({ maxMemoryMb: 64 });
    await expect(r.run({ kind: 'exit' })).rejects.toThrow(new WorkerStopped('the test worker stopped unexpectedly (exit code 3)'));
    await expect(r.run({ kind: 'hog' })).rejects.toThrow(new WorkerStopped('the test worker ran out of memory (64 MB)'));
    expect(await r.run({ kind: 'double', n: 4 })).toBe(8);
  });

  it('THEN close ends the worker and rejects the job in hand and those waiting', async () => {
    const r = runner();
    const pending = Promise.allSettled([r.run({ kind: 'spin' }), r.run({ kind: 'double', n: 1 })]);
    await r.close();
    const settled = await pending;
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['the test worker was closed', 'the test worker was closed']);
  });
});

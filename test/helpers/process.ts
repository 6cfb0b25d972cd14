/**
 * `paperboy` as a real process, its JSON log lines read as they come. BIN runs what production runs,
 * the build in dist/node, which vitest's global setup (helpers/build.ts) brings up to date first; the
 * bin checks it again at each start (scripts/outputs.js), and so does this helper, in the test's own
 * process, when a test file loads it and before each spawn: a source edited during a run (watch mode)
 * is built here, before the test's timers start, not inside the process under test.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureBuilt } from '../../scripts/outputs.js';

export const BIN = resolve(import.meta.dirname, '../../bin/paperboy.js');

/** Builds what is older than its sources (a few milliseconds when nothing is); throws naming what could not be built. */
export function bringBuildUpToDate(): void {
  const problem = ensureBuilt();
  if (problem) throw new Error(`process helper: ${problem}`);
}

bringBuildUpToDate();

export interface Running {
  readonly child: ChildProcessWithoutNullStreams;
  /** Every stdout line so far, parsed when it is JSON. */
  readonly lines: Record<string, unknown>[];
  stderr(): string;
  /** The exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  /** The first log line, past or coming, that `test` accepts; fails after `ms` naming what came. */
  waitFor(test: (line: Record<string, unknown>) => boolean, ms?: number): Promise<Record<string, unknown>>;
}

export function spawnPaperboy(args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Running {
  bringBuildUpToDate();
  const child = spawn(process.execPath, [BIN, ...args], { env, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  const waiters = new Set<(line: Record<string, unknown>) => void>();
  let stderr = '';
  let partial = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  child.stdout.on('data', (c: Buffer) => {
    const parts = (partial + c.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const text of parts.filter(Boolean)) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        line = { text };
      }
      lines.push(line);
      for (const w of waiters) w(line);
    }
  });
  const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
  return {
    child,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(test, ms = 30_000) {
      const seen = lines.find(test);
      if (seen) return Promise.resolve(seen);
      return new Promise((done, fail) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          fail(new Error(`no such log line within ${ms} ms; stdout:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`));
        }, ms);
        const check = (line: Record<string, unknown>): void => {
          if (!test(line)) return;
          clearTimeout(timer);
          waiters.delete(check);
          done(line);
        };
        waiters.add(check);
        void exited.then((code) => {
          if (!waiters.has(check)) return;
          clearTimeout(timer);
          waiters.delete(check);
          fail(new Error(`exited (${code}) before such a log line; stdout:\n${lines.map((l) => JSON.stringify(l)).join('\n')}\nstderr:\n${stderr}`));
        });
      });
    },
  };
}

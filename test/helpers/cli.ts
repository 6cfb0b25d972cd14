/** Runs the CLI in-process with its output captured, against a database file of the test's choosing. */
import type { Io } from '../../src/ui/cli/context.ts';
import { run } from '../../src/ui/cli/main.ts';

export interface Captured extends Io {
  stdout: string;
  stderr: string;
}

export function capture(): Captured {
  const io: Captured = {
    stdout: '',
    stderr: '',
    tty: false,
    out: (t) => void (io.stdout += t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void (io.stderr += t.endsWith('\n') ? t : `${t}\n`),
    write: (t) => {
      io.stdout += t;
      return Promise.resolve();
    },
  };
  return io;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `paperboy --db <db()> …args`; `db` is read at each call so that tests may switch files. */
export function cliWith(db: () => string): (...args: string[]) => Promise<CliResult> {
  return async (...args) => {
    const io = capture();
    const code = await run(['--db', db(), ...args], io);
    return { code, stdout: io.stdout, stderr: io.stderr };
  };
}

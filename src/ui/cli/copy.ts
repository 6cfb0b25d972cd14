/** `paperboy copy --to postgres://… | FILE.db`: the whole library and the bot's state into another store. */
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { SingleBar } from 'cli-progress';
import { copyLibrary, DEFAULT_BATCH, type CopyReport } from '../../app/library/copy.ts';
import { loadConfig } from '../../config.ts';
import { describeSqliteError } from '../../adapters/store/errors.ts';
import { lockDatabaseFile, type ProcessLock } from '../../adapters/store/lock.ts';
import { describeUrl } from '../../adapters/store/postgres/pool.ts';
import { UserError } from '../../core/errors.ts';
import { type Io, positiveInt } from './context.ts';
import { type CliStorage, isPostgresUrl, openPostgresStorage, openSqliteStorage } from './storage.ts';

/** A SQLite file, locked as `paperboy start` locks it, so a bot running on it (or starting during the copy) is refused. */
function openLockedFile(path: string): { storage: CliStorage; lock: ProcessLock } {
  let lock: ProcessLock;
  try {
    lock = lockDatabaseFile(path);
  } catch (error) {
    const described = describeSqliteError(error, path);
    throw new UserError('bad-input', described ? described.message : error instanceof Error ? error.message : String(error), { cause: error });
  }
  try {
    return { storage: openSqliteStorage(path), lock };
  } catch (error) {
    lock.release();
    throw error;
  }
}

interface End {
  readonly storage: CliStorage;
  readonly lock: ProcessLock | null;
}

async function openEnd(target: string, what: string, mustExist: boolean, poolMax: number): Promise<End> {
  if (isPostgresUrl(target)) return { storage: await openPostgresStorage(target, what, poolMax), lock: null };
  const path = resolve(target);
  if (mustExist && !existsSync(path)) throw new UserError('not-found', `${what}: no database at ${path}`);
  return openLockedFile(path);
}

async function closeEnd(end: End): Promise<void> {
  try {
    await end.storage.close();
  } finally {
    end.lock?.release();
  }
}

/**
 * A database error mid-copy (a lost connection, a full disk) as one line saying how to go on: what was
 * committed stays, and --resume continues after it. Anything else is a bug and stays as it is.
 */
function interrupted(error: unknown): unknown {
  if (error instanceof UserError || !(error instanceof Error) || !('code' in error)) return error;
  return new UserError('bad-input', `the copy stopped: ${error.message}: what was copied is kept; run the same command with --resume to continue`, {
    cause: error,
  });
}

function sameStore(source: string, target: string): boolean {
  if (isPostgresUrl(source) !== isPostgresUrl(target)) return false;
  return isPostgresUrl(source) ? describeUrl(source) === describeUrl(target) : resolve(source) === resolve(target);
}

/** The most characters of a row's problem shown: it is built from what the row holds. */
const PROBLEM_SHOWN = 300;
/** The most unreadable subscriptions named one by one. */
const UNREADABLE_LISTED = 20;

/** A key from the row as read: a snowflake as it is, anything else quoted and cut short. */
function shownId(id: string): string {
  return /^\d{1,20}$/.test(id) ? id : JSON.stringify(id.slice(0, 40));
}

/**
 * The subscriptions left behind as lines saying which and why, and what to do: a --resume copies
 * them once they read back (or once they are gone), and cannot before.
 */
function unreadableMessage(report: CopyReport, source: string): string {
  const rows = report.unreadable.slice(0, UNREADABLE_LISTED).map((u) => {
    const problem = u.error.problem.slice(0, 4 * PROBLEM_SHOWN).replace(/\s+/g, ' ');
    const shown = problem.length > PROBLEM_SHOWN ? `${problem.slice(0, PROBLEM_SHOWN)}…` : problem;
    return `  guild ${shownId(u.guildId)}, channel ${shownId(u.channelId)}: ${shown}`;
  });
  const more = report.unreadable.length - rows.length;
  if (more > 0) rows.push(`  and ${more} more (/subscriptions in each guild lists them)`);
  const one = report.unreadable.length === 1;
  return [
    `paperboy: ${one ? 'a subscription' : `${report.unreadable.length} subscriptions`} in ${source} ${one ? 'does' : 'do'} not read back, so ${one ? 'it was' : 'they were'} not copied:`,
    ...rows,
    `Fix or remove ${one ? 'that subscription' : 'each'} in ${source} (with the bot running on it: /unsubscribe in the channel, then /subscribe again; ` +
      'or mend its row in the subscriptions table), then run the same command with --resume. Everything else copied is kept.',
  ].join('\n');
}

/** The kinds whose counts differ for a reason other than the unreadable subscriptions. */
function unexplained(report: CopyReport): string[] {
  return report.differ.filter((kind) => {
    if (kind !== 'subscriptions') return true;
    const c = report.counts.find((k) => k.kind === kind);
    return !c || c.source - report.unreadable.length !== c.destination;
  });
}

function table(report: CopyReport): string {
  const rows = [['', 'source', 'destination'], ...report.counts.map((c) => [c.kind, String(c.source), String(c.destination)])];
  const width = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r) => `${r[0]!.padEnd(width[0]!)}  ${r[1]!.padStart(width[1]!)}  ${r[2]!.padStart(width[2]!)}${r === rows[0] ? '' : r[1] === r[2] ? '' : '  differs'}`,
    )
    .join('\n');
}

export function registerCopyCommand(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('copy')
    .summary('copy the library and the bot’s state into PostgreSQL or a SQLite file')
    .description(
      'copy every article, comment, subscription, feed, delivery record, delivery message, article thread and followed discussion ' +
        'into another store (PostgreSQL or a SQLite file), ' +
        'positions kept. Stop the bot first: nothing may write to the source while it copies (a bot on a SQLite source is detected). ' +
        'An interrupted copy continues with --resume.',
    )
    .requiredOption('--to <target>', 'where to: a postgres:// URL, or a .db file path (an empty or new database)')
    .option('--resume', 'continue an interrupted copy into --to')
    .option('--batch <n>', 'articles per transaction', positiveInt('--batch'), DEFAULT_BATCH)
    .addHelpText(
      'after',
      `
The source is DATABASE_URL when set, else --db (DATABASE_PATH, else
data/paperboy.db). Articles go in batches, one transaction each, in the order
they were stored; after Ctrl-C, kill or a lost connection, run the same command
with --resume: it continues after the last batch written. At the end, each kind
is counted in both stores; exit 1 names a kind whose counts differ, and each
subscription in the source that does not read back (fix or remove it, then
--resume).`,
    )
    .action(async (opts: { to: string; resume?: boolean; batch: number }, cmd: Command) => {
      const db = cmd.optsWithGlobals<{ db?: string }>().db;
      const config = loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
      const from = await openEnd(config.databaseUrl ?? config.databasePath, config.databaseUrl ? 'DATABASE_URL' : 'the source', true, config.poolMax);
      let to: End | undefined;
      try {
        // Before opening it: a second handle on the source file would take the source's own lock over.
        if (sameStore(config.databaseUrl ?? resolve(config.databasePath), opts.to)) {
          throw new UserError('bad-input', `--to names the store being copied (${from.storage.name}): name another destination`);
        }
        to = await openEnd(opts.to, '--to', false, config.poolMax);
        io.out(`copying ${from.storage.name} to ${to.storage.name}`);
        const bar = io.tty ? new SingleBar({ stream: process.stderr, clearOnComplete: true, format: 'articles [{bar}] {value}/{total}' }) : null;
        let started = false;
        const report = await copyLibrary(
          { store: from.storage.store, state: from.storage.state(), name: from.storage.name },
          { store: to.storage.store, state: to.storage.state(), name: to.storage.name },
          {
            resume: opts.resume ?? false,
            batch: opts.batch,
            onProgress: (done, total) => {
              if (bar) {
                if (!started) bar.start(total, done);
                else bar.update(done);
              } else io.out(`${started ? 'copied' : 'starting at'} ${done} of ${total} articles`);
              started = true;
            },
          },
        )
          .catch((error: unknown) => {
            throw interrupted(error);
          })
          .finally(() => bar?.stop());
        if (report.resumedAfter !== null) io.out(`resumed after position ${report.resumedAfter}`);
        io.out(table(report));
        if (report.unreadable.length > 0) io.err(unreadableMessage(report, from.storage.name));
        const differ = unexplained(report);
        if (differ.length > 0) {
          io.err(`paperboy: the counts differ for ${differ.join(', ')}: the copy is kept marked unfinished; run it again with --resume`);
        }
        if (report.differ.length > 0 || report.unreadable.length > 0) setExitCode(1);
        else io.out(`done: ${report.copied} articles copied in this run`);
      } finally {
        if (to) await closeEnd(to);
        await closeEnd(from);
      }
    });
}

/** The `paperboy` command line. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../../config.ts';
import { UserError, referenceId } from '../../core/errors.ts';
import { type Io, processIo } from './context.ts';
import { registerCopyCommand } from './copy.ts';
import { registerDiscussionCommands } from './discussion-commands.ts';
import { registerFeedCommands } from './feed-commands.ts';
import { registerLibraryCommands } from './library-commands.ts';
import { registerPreviewCommands } from './preview-commands.ts';
import { registerSubscriptionCommands } from './subscription-commands.ts';
import { registerTextCommands } from './text-commands.ts';

/** Adds commands to the program; the composition root (src/main.ts) adds the bot's entry points this way. */
export type RegisterCommands = (program: Command, io: Io, setExitCode: (code: number) => void) => void;

export function buildProgram(io: Io, setExitCode: (code: number) => void, extra: readonly RegisterCommands[] = []): Command {
  const program = new Command('paperboy')
    .description('Paperboy: articles and their reader discussions: ingest, search, read')
    .option('--db <path>', 'database file (default: DATABASE_PATH, else data/paperboy.db); PostgreSQL instead when DATABASE_URL is set')
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });
  for (const register of extra) register(program, io, setExitCode);
  registerLibraryCommands(program, io, setExitCode);
  registerTextCommands(program, io);
  registerFeedCommands(program, io, setExitCode);
  registerDiscussionCommands(program, io, setExitCode);
  registerCopyCommand(program, io, setExitCode);
  registerSubscriptionCommands(program, io, setExitCode);
  registerPreviewCommands(program, io, setExitCode);
  return program;
}

/** Runs the CLI; resolves to the exit status instead of exiting, so tests can call it. */
export async function run(argv: readonly string[], io: Io = processIo, extra: readonly RegisterCommands[] = []): Promise<number> {
  let code = 0;
  const program = buildProgram(
    io,
    (c) => {
      code = c;
    },
    extra,
  );
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    // A mistake the user can fix (a bad argument, an unknown id, a malformed file, a missing setting): one line, exit 1.
    if (error instanceof UserError || error instanceof ConfigError) {
      io.err(`paperboy: ${error.message}`);
      return 1;
    }
    // A bug: the whole stack, under a reference to quote when reporting it.
    io.err(`paperboy: unexpected error (ref ${referenceId()}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 2;
  }
}

/** The `paperboy` executable: the command line, with the bot's two entry points among its commands. */
import type { Command } from 'commander';
import { ConfigError, loadConfig } from './config.ts';
import { type Io, UsageError, processIo } from './ui/cli/context.ts';
import { DatabaseError } from './adapters/store/errors.ts';
import { run } from './ui/cli/main.ts';

type BotCommand = 'start' | 'deploy-commands';

/**
 * The bot's modules load only when one of these runs, so the CLI stays quick; and commander answers
 * `--help` before any action runs, so help never starts the bot nor asks for a token.
 */
async function runBot(command: BotCommand, cmd: Command, io: Io, setExitCode: (code: number) => void): Promise<void> {
  const db = cmd.optsWithGlobals<{ db?: string }>().db;
  // A ConfigError propagates: the CLI prints it as one line and exits 1.
  const config = loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
  const bot = await import('./ui/discord/main.ts');
  try {
    await (command === 'start' ? bot.start(config) : bot.deploy(config, (line) => io.out(line)));
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    // A database that cannot be used as it is, or one another bot holds: one line, exit 1.
    if (error instanceof DatabaseError) throw new UsageError(error.message);
    // discord.js errors name the route and Discord's message; none of them carries the token.
    io.err(`paperboy: ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    setExitCode(2);
  }
}

// One line each in \`paperboy --help\`; the rest shows in the command's own help. Wrapped by hand:
// commander wraps descriptions to the terminal, but not text added after them.
const START_HELP = `
Runs until Ctrl-C or SIGTERM: on Discord when DISCORD_TOKEN is set, else the
playground, a local Discord shown in your browser. Settings come from the
environment or a .env file here (see .env.example). --db sets the bot's
database (else DATABASE_PATH); the playground keeps its own database
(PLAYGROUND_DATABASE_PATH).`;
const DEPLOY_HELP = `
Registers them in the server DISCORD_GUILD_ID when set (they show at once),
else globally (Discord can take up to an hour to show them). Needs
DISCORD_TOKEN and DISCORD_APPLICATION_ID, from the environment or a .env file
here (see .env.example). Running it again changes nothing unless the commands
changed.`;

function registerBotCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  program
    .command('start')
    .description('run the bot, or the playground without a token')
    .addHelpText('after', START_HELP)
    .action((_opts: unknown, cmd: Command) => runBot('start', cmd, io, setExitCode));
  program
    .command('deploy-commands')
    .description('register the slash commands with Discord')
    .addHelpText('after', DEPLOY_HELP)
    .action((_opts: unknown, cmd: Command) => runBot('deploy-commands', cmd, io, setExitCode));
}

/** Resolves to the exit status. */
export function main(argv: readonly string[]): Promise<number> {
  return run(argv, processIo, [registerBotCommands]);
}

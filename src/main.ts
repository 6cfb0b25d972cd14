/**
 * The composition root: the `paperboy` executable. It reads the settings, picks the front end
 * (the bot on Discord, or the playground without a token, or one of the CLI's commands), and wires
 * the adapters into it. Nothing else in src/ chooses an implementation or the slash command set.
 */
import type { Command } from 'commander';
import { type Config, ConfigError, loadConfig, requireDiscord } from './config.ts';
import { type Io, processIo } from './ui/cli/context.ts';
import { UserError, errorMessage } from './core/errors.ts';
import { DatabaseError } from './adapters/store/errors.ts';
import { run } from './ui/cli/main.ts';

type BotCommand = 'start' | 'deploy-commands' | 'worker' | 'rest-proxy';

/**
 * The bot's modules load only when one of these runs, so the CLI stays quick; and commander answers
 * `--help` before any action runs, so help never starts the bot nor asks for a token.
 */
async function runBot(command: BotCommand, cmd: Command, io: Io, setExitCode: (code: number) => void): Promise<void> {
  const db = cmd.optsWithGlobals<{ db?: string }>().db;
  // A ConfigError propagates: the CLI prints it as one line and exits 1.
  const config = loadConfig(db ? { ...process.env, DATABASE_PATH: db } : process.env);
  // discord.js reads SHARD_COUNT and SHARDS itself over the explicit options (see shards.ts).
  const { forgetShardEnvironment } = await import('./ui/discord/shards.ts');
  forgetShardEnvironment();
  try {
    if (command === 'start') await (await import('./roles/start.ts')).start(config);
    else if (command === 'worker') await (await import('./roles/worker.ts')).worker(config);
    else if (command === 'rest-proxy') await (await import('./roles/rest-proxy.ts')).restProxy(config);
    else await deploy(config, (line) => io.out(line));
  } catch (error) {
    if (error instanceof ConfigError || error instanceof UserError) throw error;
    // A database that cannot be used as it is, or one another bot holds: one line, exit 1.
    if (error instanceof DatabaseError) throw new UserError('unavailable', error.message);
    // DATABASE_URL or REDIS_URL that does not answer: one line naming the key and host, exit 1.
    if (error instanceof Error && error.name === 'UnreachableBackend') throw new UserError('unavailable', `${command} failed: ${error.message}`);
    // discord.js errors name the route and Discord's message; none of them carries the token.
    io.err(`paperboy: ${command} failed: ${errorMessage(error)}`);
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
(PLAYGROUND_DATABASE_PATH).

On several machines: DATABASE_URL (PostgreSQL) in place of the file,
SHARD_COUNT and SHARD_IDS for the gateway shards this process connects,
DELIVERY=off to leave delivery to \`paperboy worker\`, DISCORD_REST_PROXY to
share one rate-limit budget, HEALTH_PORT for GET /healthz.`;
const WORKER_HELP = `
Runs until Ctrl-C or SIGTERM: delivery, feed polls and the inbox on
DELIVERY_CRON, posting over REST with no gateway connection (no commands).
Needs DISCORD_TOKEN and DATABASE_URL: a worker runs beside \`paperboy start\`
processes, and several processes need PostgreSQL (a SQLite file is for one).
Leases (DELIVERY_LEASE_SECONDS) share the work: each article is delivered
once. DISCORD_REST_PROXY and HEALTH_PORT as for start.`;
const REST_PROXY_HELP = `
Runs until Ctrl-C or SIGTERM: every bot process with DISCORD_REST_PROXY set
sends its Discord REST calls through this one, so all of them share one
rate-limit budget. Listens on REST_PROXY_HOST:REST_PROXY_PORT (127.0.0.1:8090);
an address beyond loopback is warned about: whoever reaches it can use the
token. Needs DISCORD_TOKEN (requests with another token are refused).`;
const DEPLOY_HELP = `
Registers them in the server DISCORD_GUILD_ID when set (they show at once),
else globally (Discord can take up to an hour to show them). Needs
DISCORD_TOKEN and DISCORD_APPLICATION_ID, from the environment or a .env file
here (see .env.example). Running it again changes nothing unless the commands
changed.`;

function registerBotCommands(program: Command, io: Io, setExitCode: (code: number) => void): void {
  const roles: ReadonlyArray<[BotCommand, string, string]> = [
    ['start', 'run the bot, or the playground without a token', START_HELP],
    ['deploy-commands', 'register the slash commands with Discord', DEPLOY_HELP],
    // Short enough for one line each in `paperboy --help` at 80 columns.
    ['worker', 'deliver, poll feeds, read the inbox; no gateway', WORKER_HELP],
    ['rest-proxy', 'one Discord rate-limit budget for all processes', REST_PROXY_HELP],
  ];
  for (const [name, description, help] of roles)
    program
      .command(name)
      .description(description)
      .addHelpText('after', help)
      .action((_opts: unknown, cmd: Command) => runBot(name, cmd, io, setExitCode));
}

/** Resolves to the exit status. */
export function main(argv: readonly string[]): Promise<number> {
  return run(argv, processIo, [registerBotCommands]);
}

async function deploy(config: Config, out: (line: string) => void): Promise<void> {
  const discord = requireDiscord(config, { applicationId: true });
  const [{ commands }, { deployCommands }, { restFor }] = await Promise.all([
    import('../commands/index.ts'),
    import('./ui/discord/deploy.ts'),
    import('./ui/worker.ts'),
  ]);
  // Through DISCORD_REST_PROXY when set, like every other REST call of the bot.
  const result = await deployCommands(discord, commands, restFor(discord));
  const where = result.scope === 'guild' ? `guild ${discord.guildId}` : 'all guilds (global commands can take up to an hour to show)';
  out(result.changed ? `registered ${result.count} commands for ${where}` : `${result.count} commands already registered for ${where}; nothing changed`);
}

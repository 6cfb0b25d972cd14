/** The `paperboy` executable: the bot's entry points, and the command line for everything else. */
import { ConfigError } from './config.ts';
import { run } from './cli/main.ts';

/** Resolves to the exit status. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command] = argv;
  if (command !== 'start' && command !== 'deploy-commands') return run(argv);
  const bot = await import('./discord/main.ts');
  try {
    await (command === 'start' ? bot.start() : bot.deploy());
    return 0;
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`paperboy: ${error.message}`);
      return 1;
    }
    // discord.js errors name the route and Discord's message; none of them carries the token.
    console.error(`paperboy: ${command} failed: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
}

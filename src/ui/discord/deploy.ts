/**
 * Registers the slash commands over REST, without a gateway connection: to one guild when
 * DISCORD_GUILD_ID is set (changes show at once), else globally. It reads what is registered
 * first and writes only when that differs, so running it twice changes nothing.
 */
import { REST, Routes } from 'discord.js';
import type { DiscordConfig } from '../../config.ts';
import type { SlashCommand } from './command.ts';

export interface DeployResult {
  readonly scope: 'guild' | 'global';
  readonly count: number;
  readonly changed: boolean;
}

/** Whether `have` (as Discord returns it, with ids and defaults added) already says everything `want` says. */
function covers(have: unknown, want: unknown): boolean {
  if (Array.isArray(want)) return Array.isArray(have) && have.length === want.length && want.every((w, i) => covers(have[i], w));
  if (want !== null && typeof want === 'object') {
    if (have === null || typeof have !== 'object') return false;
    return Object.entries(want).every(([k, v]) => covers((have as Record<string, unknown>)[k], v));
  }
  return have === want;
}

export async function deployCommands(config: DiscordConfig & { applicationId: string }, commands: readonly SlashCommand[], rest?: REST): Promise<DeployResult> {
  const client = rest ?? new REST({ api: config.apiUrl }).setToken(config.token);
  const route = config.guildId ? Routes.applicationGuildCommands(config.applicationId, config.guildId) : Routes.applicationCommands(config.applicationId);
  const want = commands.map((c) => c.definition);
  const have = (await client.get(route)) as unknown[];
  const scope = config.guildId ? 'guild' : 'global';
  const byName = new Map(have.map((h) => [(h as { name?: string }).name, h]));
  const same = have.length === want.length && want.every((w) => covers(byName.get(w.name), w));
  if (same) return { scope, count: want.length, changed: false };
  await client.put(route, { body: want });
  return { scope, count: want.length, changed: true };
}

/**
 * The playground's Discord: the local Discord with one guild laid out like a small news server
 * (#news and #general, a #discussions forum), a member to act as who may manage the server (so
 * the admin commands work), and the product's commands registered as `deploy-commands` would.
 */
import { PermissionFlagsBits, type APIUser } from 'discord-api-types/v10';
import type { SlashCommand } from '../discord/command.ts';
import type { DiscordConfig } from '../../config.ts';
import { deployCommands } from '../discord/deploy.ts';
import { DEFAULT_BOT_PERMISSIONS, DEFAULT_MEMBER_PERMISSIONS, FakeDiscord, type FakeDiscordOptions } from '@paperboy/fake-discord';

export interface World {
  readonly fake: FakeDiscord;
  readonly guild: { readonly id: string; readonly name: string };
  /** The member the page acts as. */
  readonly me: APIUser;
  /** What the bot logs in with. */
  readonly discord: DiscordConfig & { readonly applicationId: string };
}

export const GUILD_NAME = 'Paperboy Playground';

export async function createWorld(commands: readonly SlashCommand[], options: FakeDiscordOptions = {}): Promise<World> {
  // Message Content on, as a server that wants live threads would have it.
  const fake = await FakeDiscord.start({ messageContentIntent: true, ...options });
  try {
    // Manage Webhooks, so a subscription with its own name and avatar can be tried; the forum has tags to choose by filter.
    const guild = fake.createGuild({ name: GUILD_NAME, botPermissions: DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.ManageWebhooks });
    fake.createChannel(guild.id, { name: 'news' });
    fake.createChannel(guild.id, { name: 'general' });
    const forum = fake.createChannel(guild.id, { name: 'discussions', type: 'forum' });
    fake.setForumTags(
      forum.id,
      ['Politics', 'Markets', 'Science', 'Sport'].map((name) => ({ name })),
    );
    const me = fake.createUser({ username: 'you', globalName: 'You' });
    fake.addMember(guild.id, me.id, { permissions: DEFAULT_MEMBER_PERMISSIONS | PermissionFlagsBits.ManageGuild });
    const discord = { token: fake.botToken, applicationId: fake.applicationId, guildId: guild.id, apiUrl: fake.apiUrl, messageContent: true };
    await deployCommands(discord, commands);
    return { fake, guild: { id: guild.id, name: guild.name }, me, discord };
  } catch (error) {
    await fake.close();
    throw error;
  }
}

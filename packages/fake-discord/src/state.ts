/**
 * Everything the fake Discord knows, in plain in-memory maps: users, guilds with their roles and
 * members, channels and threads, messages and application commands. Stored objects are Discord's
 * own API shapes so that serving them is a copy, not a translation. Nothing here talks HTTP or
 * WebSocket, and nothing here enforces a rule; callers do.
 */
import {
  ChannelType,
  ForumLayoutType,
  PermissionFlagsBits,
  type RoleFlags,
  type APIApplicationCommand,
  type APIGuildCategoryChannel,
  type APIGuildForumChannel,
  type APIMessage,
  type APIRole,
  type APITextChannel,
  type APIThreadChannel,
  type APIUser,
  type APIWebhook,
} from 'discord-api-types/v10';
import { SnowflakeFactory } from './ids.ts';
import { UploadStore } from './uploads.ts';

/** The channels the fake models. */
export type FakeChannel = APITextChannel | APIGuildForumChannel | APIGuildCategoryChannel | APIThreadChannel;

export interface MemberRecord {
  userId: string;
  nick: string | null;
  roles: string[];
  joinedAt: string;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  /** When the bot joined: the guild's creation here. */
  createdAt: string;
  /** Every role, the @everyone role (id = guild id) included. */
  roles: Map<string, APIRole>;
  members: Map<string, MemberRecord>;
  /** The bot's managed role, which carries `botPermissions`. */
  botRoleId: string;
  /** The role every member added without explicit permissions gets. */
  memberRoleId: string;
}

export interface MessageRecord {
  message: APIMessage;
  guildId: string;
  /** Ephemeral messages belong to one interaction and never appear in the channel. */
  ephemeral: boolean;
  /** What the sender asked for beyond what the message shows: `allowed_mentions` as last sent, a webhook's `avatar_url`. */
  sent?: SentWith;
}

/** How a message was sent, as a test asks about it (Discord keeps none of this on the message). */
export interface SentWith {
  /** The request's `allowed_mentions` as sent with the message or its last edit that carried one; undefined when none did. */
  allowedMentions?: unknown;
  /** A webhook message's `avatar_url`. */
  avatarUrl?: string;
}

/** A channel webhook, with its token (Discord hands it to the app that made it). */
export type WebhookRecord = APIWebhook & { token: string; channel_id: string };

/** What a typical bot invite grants: see, talk, use threads, embed, read history. */
export const DEFAULT_BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions;

/** What an ordinary member may do. */
export const DEFAULT_MEMBER_PERMISSIONS = DEFAULT_BOT_PERMISSIONS | PermissionFlagsBits.UseApplicationCommands;

/** The state maps. Creation helpers fill in Discord's defaults; lookups return the stored objects. */
export class FakeState {
  readonly ids = new SnowflakeFactory();
  readonly users = new Map<string, APIUser>();
  readonly guilds = new Map<string, GuildRecord>();
  readonly channels = new Map<string, FakeChannel>();
  readonly messages = new Map<string, MessageRecord>();
  /** Non-ephemeral message ids per channel, oldest first (ids grow with time). */
  readonly channelMessages = new Map<string, string[]>();
  /** Channel webhooks by id. */
  readonly webhooks = new Map<string, WebhookRecord>();
  /** Registered commands: key `global` or a guild id. */
  readonly commands = new Map<string, APIApplicationCommand[]>();
  /** Every file uploaded (command options and messages), served as the CDN does. */
  readonly uploads = new UploadStore(this.ids);

  createUser(input: { username: string; globalName?: string; bot?: boolean }): APIUser {
    const user: APIUser = {
      id: this.ids.next(),
      username: input.username,
      discriminator: '0',
      global_name: input.globalName ?? null,
      avatar: null,
      bot: input.bot ?? false,
    };
    this.users.set(user.id, user);
    return user;
  }

  createGuild(input: {
    name: string;
    botUserId: string;
    botName: string;
    botPermissions: bigint;
    everyonePermissions: bigint;
    shard?: readonly [number, number];
  }): GuildRecord {
    const id = input.shard ? this.ids.nextInShard(...input.shard) : this.ids.next();
    const owner = this.createUser({ username: `${input.name.toLowerCase().replace(/\W+/g, '')}-owner` });
    const now = new Date().toISOString();
    const everyone = role(id, '@everyone', 0, input.everyonePermissions);
    const members = role(this.ids.next(), 'Members', 1, DEFAULT_MEMBER_PERMISSIONS);
    const bot = { ...role(this.ids.next(), input.botName, 2, input.botPermissions), managed: true, tags: { bot_id: input.botUserId } };
    const guild: GuildRecord = {
      id,
      name: input.name,
      ownerId: owner.id,
      createdAt: now,
      roles: new Map([everyone, members, bot].map((r) => [r.id, r])),
      members: new Map(),
      botRoleId: bot.id,
      memberRoleId: members.id,
    };
    guild.members.set(owner.id, { userId: owner.id, nick: null, roles: [members.id], joinedAt: now });
    guild.members.set(input.botUserId, { userId: input.botUserId, nick: null, roles: [bot.id], joinedAt: now });
    this.guilds.set(id, guild);
    return guild;
  }

  /** Adds a member; with `permissions` the member gets a role of its own carrying them. */
  addMember(guild: GuildRecord, userId: string, input: { permissions?: bigint; nick?: string } = {}): MemberRecord {
    const roles = [guild.memberRoleId];
    if (input.permissions !== undefined) {
      const own = role(this.ids.next(), `member-${userId}`, guild.roles.size, input.permissions);
      guild.roles.set(own.id, own);
      roles.splice(0, 1, own.id);
    }
    const member: MemberRecord = { userId, nick: input.nick ?? null, roles, joinedAt: new Date().toISOString() };
    guild.members.set(userId, member);
    return member;
  }

  /** A role in `guild` below the bot's, held by no one until given (`members`). */
  createRole(guild: GuildRecord, input: { name: string; mentionable?: boolean; permissions?: bigint; members?: readonly string[] }): APIRole {
    const made = { ...role(this.ids.next(), input.name, guild.roles.size, input.permissions ?? 0n), mentionable: input.mentionable ?? false };
    guild.roles.set(made.id, made);
    for (const userId of input.members ?? []) guild.members.get(userId)?.roles.push(made.id);
    return made;
  }

  createChannel(guildId: string, input: { name: string; type?: 'text' | 'forum' | 'category'; parentId?: string }): FakeChannel {
    const base = {
      id: this.ids.next(),
      guild_id: guildId,
      name: input.name,
      position: [...this.channels.values()].filter((c) => c.guild_id === guildId).length,
      permission_overwrites: [],
      parent_id: input.parentId ?? null,
      nsfw: false,
    };
    let channel: FakeChannel;
    if (input.type === 'forum') {
      channel = {
        ...base,
        type: ChannelType.GuildForum,
        topic: null,
        last_message_id: null,
        rate_limit_per_user: 0,
        available_tags: [],
        default_reaction_emoji: null,
        default_sort_order: null,
        default_forum_layout: ForumLayoutType.NotSet,
      };
    } else if (input.type === 'category') {
      channel = { ...base, type: ChannelType.GuildCategory, parent_id: null };
    } else {
      channel = { ...base, type: ChannelType.GuildText, topic: null, last_message_id: null, rate_limit_per_user: 0 };
    }
    this.channels.set(channel.id, channel);
    this.channelMessages.set(channel.id, []);
    return channel;
  }

  /** Stores a thread under `parent`. `id` is the starter message's id for threads from a message. */
  createThread(
    parent: FakeChannel,
    input: { id?: string; name: string; type: ChannelType.PublicThread | ChannelType.PrivateThread; ownerId: string; autoArchiveDuration: number },
  ): APIThreadChannel {
    const now = new Date().toISOString();
    const thread: APIThreadChannel = {
      id: input.id ?? this.ids.next(),
      type: input.type,
      guild_id: parent.guild_id ?? '',
      parent_id: parent.id,
      name: input.name,
      owner_id: input.ownerId,
      last_message_id: null,
      rate_limit_per_user: 0,
      message_count: 0,
      member_count: 1,
      total_message_sent: 0,
      thread_metadata: {
        archived: false,
        auto_archive_duration: input.autoArchiveDuration as 60,
        archive_timestamp: now,
        locked: false,
        create_timestamp: now,
      },
    };
    this.channels.set(thread.id, thread);
    this.channelMessages.set(thread.id, []);
    return thread;
  }

  /** Removes a channel, its threads and their messages; returns everything removed, threads first. */
  removeChannel(id: string): FakeChannel[] {
    const channel = this.channels.get(id);
    if (!channel) return [];
    const removed = [...this.threadsOf(id).flatMap((thread) => this.removeChannel(thread.id)), channel];
    for (const messageId of this.channelMessages.get(id) ?? []) this.messages.delete(messageId);
    for (const webhook of this.webhooks.values()) if (webhook.channel_id === id) this.webhooks.delete(webhook.id);
    this.channelMessages.delete(id);
    this.channels.delete(id);
    return removed;
  }

  threadsOf(parentId: string): APIThreadChannel[] {
    return [...this.channels.values()].filter((c): c is APIThreadChannel => isThread(c) && c.parent_id === parentId);
  }

  channelsOf(guildId: string): FakeChannel[] {
    return [...this.channels.values()].filter((c) => c.guild_id === guildId);
  }

  messagesOf(channelId: string): APIMessage[] {
    const ids = this.channelMessages.get(channelId) ?? [];
    return ids.flatMap((id) => {
      const record = this.messages.get(id);
      return record ? [record.message] : [];
    });
  }

  /** Guild commands of `guildId`, or global commands when it is undefined. */
  commandsOf(guildId?: string): APIApplicationCommand[] {
    return this.commands.get(guildId ?? 'global') ?? [];
  }
}

export function isThread(channel: FakeChannel): channel is APIThreadChannel {
  return channel.type === ChannelType.PublicThread || channel.type === ChannelType.PrivateThread || channel.type === ChannelType.AnnouncementThread;
}

function role(id: string, name: string, position: number, permissions: bigint): APIRole {
  return {
    id,
    name,
    color: 0,
    colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
    hoist: false,
    icon: null,
    unicode_emoji: null,
    position,
    permissions: permissions.toString(),
    managed: false,
    mentionable: false,
    flags: 0 as RoleFlags,
  };
}

/**
 * The world around the bot, as a test arranges it: guilds, channels, users and members, the bot's
 * channel permissions, and users posting, editing and deleting messages. Every change reaches the
 * connected bot as the gateway event Discord would send.
 */
import { ChannelType, OverwriteType, type APIGuild, type APIGuildMember, type APIMessage, type APIUser } from 'discord-api-types/v10';
import type { Core } from './core.ts';
import { formatPath } from './errors.ts';
import { validShard } from './ids.ts';
import { guildCreatePayload, guildPayload, memberPayload } from './payloads.ts';
import { DEFAULT_BOT_PERMISSIONS, isThread, type FakeChannel } from './state.ts';
import { checkMessageBody } from './validate-message.ts';

export interface GuildInput {
  readonly name: string;
  /** The bot's role permissions. Default: view, send, threads, embed links, attach, history, reactions. */
  readonly botPermissions?: bigint;
  /**
   * The @everyone role's permissions. Default 0, so that `botPermissions` alone decides what the
   * bot may do (members get theirs from a Members role, or from `addMember`'s `permissions`).
   */
  readonly everyonePermissions?: bigint;
  /**
   * `[shardId, shardCount]`: the guild's id is minted so that its events go to that shard, as a
   * test with several shards needs. Default: the next id, whichever shard that is.
   */
  readonly shard?: readonly [number, number];
}

export function createGuild(core: Core, input: GuildInput): APIGuild {
  if (input.shard && !validShard(input.shard)) {
    throw new RangeError(`FakeDiscord: expected \`shard\` to be [id, count] with 0 ≤ id < count, got \`[${input.shard.join(', ')}]\``);
  }
  const guild = core.state.createGuild({
    name: input.name,
    botUserId: core.botUser.id,
    botName: core.botUser.username,
    botPermissions: input.botPermissions ?? DEFAULT_BOT_PERMISSIONS,
    everyonePermissions: input.everyonePermissions ?? 0n,
    ...(input.shard && { shard: input.shard }),
  });
  core.dispatch('GUILD_CREATE', guildCreatePayload(core.state, guild, core.botUser.id), { guildId: guild.id });
  return guildPayload(guild);
}

export function createChannel(core: Core, guildId: string, input: { name: string; type?: 'text' | 'forum' | 'category'; parentId?: string }): FakeChannel {
  if (!core.state.guilds.has(guildId)) throw new Error(`FakeDiscord: no guild ${guildId}`);
  const channel = core.state.createChannel(guildId, input);
  core.dispatch('CHANNEL_CREATE', structuredClone(channel) as unknown as Record<string, unknown>, { guildId });
  return structuredClone(channel);
}

export function addMember(core: Core, guildId: string, userId: string, input: { permissions?: bigint; nick?: string } = {}): APIGuildMember {
  const guild = core.state.guilds.get(guildId);
  if (!guild) throw new Error(`FakeDiscord: no guild ${guildId}`);
  if (!core.state.users.has(userId)) throw new Error(`FakeDiscord: no user ${userId} (createUser first)`);
  core.state.addMember(guild, userId, input);
  const member = memberPayload(core.state, guild, userId) as APIGuildMember;
  core.dispatch('GUILD_MEMBER_ADD', { ...member, guild_id: guildId }, { guildId });
  return member;
}

/** Sets (or with allow = deny = 0, removes) a member overwrite for the bot on a channel. */
export function setBotPermissions(core: Core, channelId: string, allow: bigint, deny: bigint): void {
  const channel = core.state.channels.get(channelId);
  if (!channel) throw new Error(`FakeDiscord: no channel ${channelId}`);
  if (isThread(channel)) throw new Error(`FakeDiscord: threads take their parent's permissions; set them on ${channel.parent_id ?? 'the parent'}`);
  if (!('permission_overwrites' in channel)) throw new Error(`FakeDiscord: channel ${channelId} has no permission overwrites`);
  const others = (channel.permission_overwrites ?? []).filter((o) => o.id !== core.botUser.id);
  const own = allow === 0n && deny === 0n ? [] : [{ id: core.botUser.id, type: OverwriteType.Member, allow: allow.toString(), deny: deny.toString() }];
  channel.permission_overwrites = [...others, ...own];
  core.dispatch('CHANNEL_UPDATE', structuredClone(channel) as unknown as Record<string, unknown>, { guildId: channel.guild_id ?? '' });
}

export function deleteChannel(core: Core, channelId: string): void {
  if (!core.state.channels.has(channelId)) throw new Error(`FakeDiscord: no channel ${channelId}`);
  removeChannelAndTell(core, channelId);
}

/** Archives a thread as Discord does after its auto-archive time, dispatching THREAD_UPDATE. */
export function archiveThread(core: Core, threadId: string): void {
  const thread = core.state.channels.get(threadId);
  if (!thread || !isThread(thread) || !thread.thread_metadata) throw new Error(`FakeDiscord: no thread ${threadId}`);
  thread.thread_metadata = { ...thread.thread_metadata, archived: true, archive_timestamp: new Date().toISOString() };
  core.dispatch('THREAD_UPDATE', structuredClone(thread) as unknown as Record<string, unknown>, { guildId: thread.guild_id ?? '' });
}

/** A user posts in a channel or thread (optionally replying to a message). */
export function postAsUser(core: Core, input: { channelId: string; userId: string; content: string; replyTo?: string }): APIMessage {
  const channel = core.state.channels.get(input.channelId);
  if (!channel) throw new Error(`FakeDiscord: no channel ${input.channelId}`);
  if (channel.type === ChannelType.GuildForum || channel.type === ChannelType.GuildCategory)
    throw new Error(`FakeDiscord: users cannot post in channel ${channel.id} itself (type ${channel.type})`);
  const author = userIn(core, channel, input.userId);
  const body: Record<string, unknown> = { content: input.content, ...(input.replyTo !== undefined && { message_reference: { message_id: input.replyTo } }) };
  refuseInvalid(body);
  return structuredClone(core.messages.create({ channel, author, body }));
}

/** A user edits their message. */
export function editAsUser(core: Core, messageId: string, content: string): APIMessage {
  const record = core.state.messages.get(messageId);
  if (!record) throw new Error(`FakeDiscord: no message ${messageId}`);
  if (record.message.author.id === core.botUser.id) throw new Error(`FakeDiscord: message ${messageId} is the bot's, not a user's`);
  refuseInvalid({ content });
  return structuredClone(core.messages.edit(record, { content }));
}

/** A user (or a moderator) deletes a message. */
export function deleteAsUser(core: Core, messageId: string): void {
  const record = core.state.messages.get(messageId);
  if (!record) throw new Error(`FakeDiscord: no message ${messageId}`);
  core.messages.delete(record);
}

/** Removes a channel (with its threads) and dispatches THREAD_DELETE / CHANNEL_DELETE for each. */
export function removeChannelAndTell(core: Core, channelId: string): FakeChannel {
  const removed = core.state.removeChannel(channelId);
  for (const channel of removed) {
    const guildId = channel.guild_id ?? '';
    if (isThread(channel)) {
      core.dispatch('THREAD_DELETE', { id: channel.id, guild_id: guildId, parent_id: channel.parent_id, type: channel.type }, { guildId });
    } else {
      core.dispatch('CHANNEL_DELETE', structuredClone(channel) as unknown as Record<string, unknown>, { guildId });
    }
  }
  const last = removed.at(-1);
  if (!last) throw new Error(`FakeDiscord: no channel ${channelId}`);
  return last;
}

function userIn(core: Core, channel: FakeChannel, userId: string): APIUser {
  const user = core.state.users.get(userId);
  if (!user) throw new Error(`FakeDiscord: no user ${userId}`);
  if (!core.state.guilds.get(channel.guild_id ?? '')?.members.has(userId))
    throw new Error(`FakeDiscord: user ${userId} is not a member of guild ${channel.guild_id ?? '?'}`);
  return user;
}

/** The Discord client would not let a user send this either. */
function refuseInvalid(body: Record<string, unknown>): void {
  const issues = checkMessageBody(body);
  if (issues.length > 0) throw new Error(`FakeDiscord: a user could not send this: ${issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ')}`);
}

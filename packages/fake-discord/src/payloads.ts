/**
 * State turned into the payloads Discord sends: members, guilds, and the full GUILD_CREATE that
 * lets discord.js cache a guild's roles, channels, threads and members.
 */
import {
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  type APIGuild,
  type APIGuildMember,
} from 'discord-api-types/v10';
import { guildPermissions } from './permissions.ts';
import { isThread, type FakeState, type GuildRecord } from './state.ts';

/** A guild member as REST and the gateway carry it (with `user`). */
export function memberPayload(state: FakeState, guild: GuildRecord, userId: string): APIGuildMember | undefined {
  const member = guild.members.get(userId);
  const user = state.users.get(userId);
  if (!member || !user) return undefined;
  return {
    user: structuredClone(user),
    nick: member.nick,
    avatar: null,
    banner: null,
    roles: [...member.roles],
    joined_at: member.joinedAt,
    premium_since: null,
    deaf: false,
    mute: false,
    flags: 0 as GuildMemberFlags,
    pending: false,
    communication_disabled_until: null,
  };
}

/** A member inside an interaction: as above plus their `permissions` in the channel. */
export function interactionMemberPayload(state: FakeState, guild: GuildRecord, userId: string, permissions: bigint): Record<string, unknown> {
  return { ...memberPayload(state, guild, userId), permissions: permissions.toString() };
}

export function guildPayload(guild: GuildRecord): APIGuild {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    splash: null,
    discovery_splash: null,
    owner_id: guild.ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    verification_level: GuildVerificationLevel.None,
    default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled,
    roles: [...guild.roles.values()].map((role) => structuredClone(role)),
    emojis: [],
    stickers: [],
    features: [],
    mfa_level: GuildMFALevel.None,
    application_id: null,
    system_channel_id: null,
    system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
    rules_channel_id: null,
    vanity_url_code: null,
    description: null,
    banner: null,
    premium_tier: GuildPremiumTier.None,
    premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS,
    public_updates_channel_id: null,
    max_members: 500000,
    max_video_channel_users: 25,
    nsfw_level: GuildNSFWLevel.Default,
    premium_progress_bar_enabled: false,
    hub_type: null,
    safety_alerts_channel_id: null,
    incidents_data: null,
  };
}

/** GUILD_CREATE: the guild with everything discord.js caches on arrival. */
export function guildCreatePayload(state: FakeState, guild: GuildRecord, botUserId: string): Record<string, unknown> {
  const channels = state.channelsOf(guild.id);
  return {
    ...guildPayload(guild),
    joined_at: guild.members.get(botUserId)?.joinedAt ?? guild.createdAt,
    large: false,
    unavailable: false,
    member_count: guild.members.size,
    permissions: guildPermissions(guild, botUserId).toString(),
    voice_states: [],
    members: [...guild.members.keys()].flatMap((id) => {
      const member = memberPayload(state, guild, id);
      return member ? [member] : [];
    }),
    channels: channels.filter((c) => !isThread(c)).map((c) => structuredClone(c)),
    threads: channels.filter(isThread).map((c) => structuredClone(c)),
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
  };
}

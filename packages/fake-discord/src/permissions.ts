/**
 * Discord's permission arithmetic: a member's guild permissions are the OR of @everyone and their
 * roles (everything for the owner and for ADMINISTRATOR), then a channel's overwrites apply in a
 * fixed order: @everyone, the member's roles together, the member. Threads take their parent's.
 */
import { OverwriteType, PermissionFlagsBits } from 'discord-api-types/v10';
import { isThread, type FakeChannel, type FakeState, type GuildRecord } from './state.ts';

/** Every permission bit Discord defines. */
export const ALL_PERMISSIONS = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** A member's permissions in the guild, before any channel overwrite. */
export function guildPermissions(guild: GuildRecord, userId: string): bigint {
  if (guild.ownerId === userId) return ALL_PERMISSIONS;
  const member = guild.members.get(userId);
  if (!member) return 0n;
  let permissions = BigInt(guild.roles.get(guild.id)?.permissions ?? '0');
  for (const roleId of member.roles) permissions |= BigInt(guild.roles.get(roleId)?.permissions ?? '0');
  return permissions & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : permissions;
}

/** A member's permissions in a channel (a thread counts as its parent). */
export function channelPermissions(state: FakeState, channel: FakeChannel, userId: string): bigint {
  const guild = state.guilds.get(channel.guild_id ?? '');
  if (!guild) return 0n;
  const base = guildPermissions(guild, userId);
  if (base & PermissionFlagsBits.Administrator) return ALL_PERMISSIONS;
  const source = isThread(channel) ? state.channels.get(channel.parent_id ?? '') : channel;
  if (!source) return base;
  const member = guild.members.get(userId);
  const overwrites = source.permission_overwrites ?? [];
  let permissions = base;
  const everyone = overwrites.find((o) => o.id === guild.id);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let roleAllow = 0n;
  let roleDeny = 0n;
  for (const o of overwrites) {
    if (o.type === OverwriteType.Role && o.id !== guild.id && member?.roles.includes(o.id)) {
      roleAllow |= BigInt(o.allow);
      roleDeny |= BigInt(o.deny);
    }
  }
  permissions = (permissions & ~roleDeny) | roleAllow;
  const own = overwrites.find((o) => o.type === OverwriteType.Member && o.id === userId);
  if (own) permissions = (permissions & ~BigInt(own.deny)) | BigInt(own.allow);
  // Without VIEW_CHANNEL a member has no other permission in the channel either.
  return permissions & PermissionFlagsBits.ViewChannel ? permissions : 0n;
}

/** Names of the bits in `required` that `granted` lacks, e.g. `SendMessages`. */
export function missingNames(granted: bigint, required: bigint): string[] {
  return Object.entries(PermissionFlagsBits)
    .filter(([, bit]) => required & bit && !(granted & bit))
    .map(([name]) => name);
}

/** What the subscription commands share: the Manage Server check, the channel option, and the delivery context. */
import { ChannelType, InteractionContextType, PermissionFlagsBits } from 'discord-api-types/v10';
import { UserError } from '../src/core/errors.ts';
import type { CommandContext, DeliveryContext } from '../src/ui/discord/command.ts';
import { channel } from '../src/ui/discord/options.ts';

/** Hidden from members without Manage Server; Discord lets server owners change that, so it is checked again on use. */
export const ADMIN_ONLY: { default_member_permissions: string; contexts: InteractionContextType[] } = {
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
};

/** The channels a subscription can post in. */
export const SUBSCRIBABLE = [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum] as const;

export const channelOption = channel({ description: 'A text or forum channel', channel_types: SUBSCRIBABLE, required: true });

/** The delivery context and guild, once the person is known to be allowed to manage subscriptions. */
export function requireAdmin(ctx: CommandContext): DeliveryContext & { guildId: string } {
  const actor = ctx.actor;
  if (!actor?.guildId) throw new UserError('not-allowed', 'Subscriptions belong to a server: use this command in one.');
  const allowed = (actor.permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!allowed) throw new UserError('not-allowed', 'You need the Manage Server permission to do that.');
  if (!ctx.delivery) throw new UserError('unavailable', 'Delivery is not running in this bot.');
  return { ...ctx.delivery, guildId: actor.guildId };
}

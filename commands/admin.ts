/** What the subscription commands share: the Manage Server check, and the delivery context. */
import {
  ApplicationCommandOptionType,
  ChannelType,
  InteractionContextType,
  PermissionFlagsBits,
  type APIApplicationCommandChannelOption,
} from 'discord-api-types/v10';
import { z } from 'zod';
import type { CommandContext, DeliveryContext } from '../src/ui/discord/command.ts';
import { UserError } from '../src/core/view.ts';

/** Hidden from members without Manage Server; Discord lets server owners change that, so it is checked again on use. */
export const ADMIN_ONLY: { default_member_permissions: string; contexts: InteractionContextType[] } = {
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
};

export const channelOption = {
  type: ApplicationCommandOptionType.Channel,
  name: 'channel',
  description: 'A text or forum channel',
  required: true,
  channel_types: [ChannelType.GuildText, ChannelType.GuildAnnouncement, ChannelType.GuildForum],
} as const satisfies APIApplicationCommandChannelOption;

export const ChannelValue = z.object({ id: z.string(), name: z.string().nullable(), type: z.number().nullable() });

/** The delivery context and guild, once the person is known to be allowed to manage subscriptions. */
export function requireAdmin(ctx: CommandContext): DeliveryContext & { guildId: string } {
  const actor = ctx.actor;
  if (!actor?.guildId) throw new UserError('Subscriptions belong to a server: use this command in one.');
  const allowed = (actor.permissions & (PermissionFlagsBits.ManageGuild | PermissionFlagsBits.Administrator)) !== 0n;
  if (!allowed) throw new UserError('You need the Manage Server permission to do that.');
  if (!ctx.delivery) throw new UserError('Delivery is not running in this bot.');
  return { ...ctx.delivery, guildId: actor.guildId };
}

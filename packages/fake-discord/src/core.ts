/**
 * What REST handlers and user actions share: the state, the services over it, and the lookups that
 * answer Discord's way when something is missing or not allowed.
 */
import { PermissionFlagsBits, type APIUser } from 'discord-api-types/v10';
import { missingAccess, missingPermissions, unknownChannel, unknownMessage } from './errors.ts';
import type { InteractionRegistry } from './interactions.ts';
import type { Dispatch, MessageService } from './messages.ts';
import { channelPermissions, missingNames } from './permissions.ts';
import type { FakeChannel, FakeState, MessageRecord } from './state.ts';

export interface Core {
  readonly state: FakeState;
  readonly messages: MessageService;
  readonly interactions: InteractionRegistry;
  readonly botUser: APIUser;
  readonly applicationId: string;
  readonly messageContentGranted: boolean;
  readonly dispatch: Dispatch;
}

/** The channel, or 404 10003 Unknown Channel (deleted channels included). */
export function requireChannel(core: Core, id: string | undefined): FakeChannel {
  const channel = id === undefined ? undefined : core.state.channels.get(id);
  if (!channel) throw unknownChannel();
  return channel;
}

/** The message in that channel, or 404 10008 Unknown Message. */
export function requireMessage(core: Core, channel: FakeChannel, id: string | undefined): MessageRecord {
  const record = id === undefined ? undefined : core.state.messages.get(id);
  if (!record || record.ephemeral || record.message.channel_id !== channel.id) throw unknownMessage();
  return record;
}

/** The bot's permissions in a channel. */
export function botPermissions(core: Core, channel: FakeChannel): bigint {
  return channelPermissions(core.state, channel, core.botUser.id);
}

/**
 * Refuses unless the bot holds every bit of `required` in the channel: 403 50001 Missing Access when
 * it cannot even see the channel, else 403 50013 Missing Permissions naming what it lacks.
 */
export function requireBotPermissions(core: Core, channel: FakeChannel, required: bigint): void {
  const granted = botPermissions(core, channel);
  if (!(granted & PermissionFlagsBits.ViewChannel)) throw missingAccess();
  const missing = missingNames(granted, required);
  if (missing.length > 0) throw missingPermissions(`the bot lacks ${missing.join(', ')} in channel ${channel.id}`);
}

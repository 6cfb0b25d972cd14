/**
 * A user acting through the Discord client: running a slash command, typing into an autocomplete
 * option, clicking a button, picking from a select menu. Each becomes an interaction record and an
 * INTERACTION_CREATE carrying everything discord.js needs (channel, member with permissions,
 * entitlements, integration owners), or it would drop the event.
 */
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
  Locale,
  type APIApplicationCommand,
  type APIInteractionDataResolved,
  type APIMessage,
} from 'discord-api-types/v10';
import { buildOptions, resolve, type OptionInput } from './command-options.ts';
import { botPermissions, type Core } from './core.ts';
import { isRecord } from './form-checker.ts';
import { randomSecret } from './ids.ts';
import type { InteractionRecord } from './interactions.ts';
import { interactionMemberPayload } from './payloads.ts';
import { channelPermissions } from './permissions.ts';
import type { FakeChannel, GuildRecord } from './state.ts';

/** Where and by whom a command is run. */
export interface CommandInput extends OptionInput {
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly name: string;
}

/** Which kind of id each auto-populated select picks, for `resolved`. */
const SELECT_OPTION_TYPES = new Map<ComponentType, ApplicationCommandOptionType>([
  [ComponentType.UserSelect, ApplicationCommandOptionType.User],
  [ComponentType.ChannelSelect, ApplicationCommandOptionType.Channel],
  [ComponentType.RoleSelect, ApplicationCommandOptionType.Role],
  [ComponentType.MentionableSelect, ApplicationCommandOptionType.Mentionable],
]);

/** 10 MiB, what Discord allows a guild without boosts. */
const ATTACHMENT_SIZE_LIMIT = 10 * 1024 * 1024;

export function startCommand(core: Core, input: CommandInput, autocomplete: boolean): InteractionRecord {
  const { guild, channel } = place(core, input.guildId, input.channelId, input.userId);
  const command = findCommand(core, input.guildId, input.name);
  const { options, resolved } = buildOptions(core, command, input.guildId, input);
  const data = {
    id: command.id,
    name: command.name,
    type: ApplicationCommandType.ChatInput,
    options,
    ...(command.guild_id !== undefined && { guild_id: command.guild_id }),
    ...(Object.keys(resolved).length > 0 && { resolved }),
  };
  const type = autocomplete ? InteractionType.ApplicationCommandAutocomplete : InteractionType.ApplicationCommand;
  return start(core, { guild, channel, userId: input.userId, type, data, label: `${autocomplete ? 'autocomplete of ' : ''}/${command.name}` });
}

/**
 * A click or a pick on a message's component. A custom id the message does not carry is still
 * sent (as a button, or a string select for `values`), as a stale or tampered client would send
 * it: bots must cope with ids they never made, or no longer know.
 */
export function startComponent(core: Core, input: { messageId: string; customId: string; userId: string; values?: string[] }): InteractionRecord {
  const stored = core.state.messages.get(input.messageId);
  if (!stored) throw new Error(`FakeDiscord: no message ${input.messageId}`);
  const { guild, channel } = place(core, stored.guildId, stored.message.channel_id, input.userId);
  const component = findComponent(stored.message.components ?? [], input.customId);
  if (component?.disabled === true) throw new Error(`FakeDiscord: component "${input.customId}" is disabled`);
  const picking = input.values !== undefined;
  const componentType = (component?.type as ComponentType | undefined) ?? (picking ? ComponentType.StringSelect : ComponentType.Button);
  const data: Record<string, unknown> = { custom_id: input.customId, component_type: componentType };
  if (!picking) {
    if (componentType !== ComponentType.Button) throw new Error(`FakeDiscord: "${input.customId}" is not a button; use selectMenu`);
  } else {
    if (componentType === ComponentType.Button || componentType === ComponentType.TextInput)
      throw new Error(`FakeDiscord: "${input.customId}" is not a select menu`);
    if (component) checkSelection(component, input.values ?? []);
    data.values = input.values;
    const resolved: APIInteractionDataResolved = {};
    const optionType = SELECT_OPTION_TYPES.get(componentType);
    if (optionType !== undefined) for (const id of input.values ?? []) resolve(core, guild.id, optionType, id, resolved);
    if (Object.keys(resolved).length > 0) data.resolved = resolved;
  }
  const message = { ...structuredClone(stored.message), guild_id: guild.id };
  const label = `${component ? '' : 'unknown '}component "${input.customId}"`;
  return start(core, { guild, channel, userId: input.userId, type: InteractionType.MessageComponent, data, label, message });
}

function start(
  core: Core,
  input: {
    guild: GuildRecord;
    channel: FakeChannel;
    userId: string;
    type: InteractionType;
    data: Record<string, unknown>;
    label: string;
    message?: APIMessage;
  },
): InteractionRecord {
  const { guild, channel, userId } = input;
  const record = core.interactions.create({
    id: core.state.ids.next(),
    token: `aW50ZXJhY3Rpb246${randomSecret(48)}`,
    type: input.type,
    guildId: guild.id,
    channelId: channel.id,
    userId,
    label: input.label,
    ...(input.message && { sourceMessageId: input.message.id }),
  });
  core.dispatch(
    'INTERACTION_CREATE',
    {
      id: record.id,
      application_id: core.applicationId,
      type: input.type,
      data: input.data,
      guild_id: guild.id,
      guild: { id: guild.id, locale: Locale.EnglishUS, features: [] },
      channel: structuredClone(channel),
      channel_id: channel.id,
      member: interactionMemberPayload(core.state, guild, userId, channelPermissions(core.state, channel, userId)),
      token: record.token,
      version: 1,
      app_permissions: botPermissions(core, channel).toString(),
      locale: Locale.EnglishUS,
      guild_locale: Locale.EnglishUS,
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: ATTACHMENT_SIZE_LIMIT,
      ...(input.message && { message: input.message }),
    },
    { guildId: guild.id },
  );
  return record;
}

/** The guild and channel of an action, checking the user may be there. */
function place(core: Core, guildId: string, channelId: string, userId: string): { guild: GuildRecord; channel: FakeChannel } {
  const guild = core.state.guilds.get(guildId);
  if (!guild) throw new Error(`FakeDiscord: no guild ${guildId}`);
  const channel = core.state.channels.get(channelId);
  if (!channel || channel.guild_id !== guildId) throw new Error(`FakeDiscord: no channel ${channelId} in guild ${guildId}`);
  if (!guild.members.has(userId)) throw new Error(`FakeDiscord: user ${userId} is not a member of guild ${guildId} (addMember first)`);
  return { guild, channel };
}

/** A registered chat input command: the guild's own first, then global ones. */
function findCommand(core: Core, guildId: string, name: string): APIApplicationCommand {
  const isIt = (c: APIApplicationCommand): boolean => c.name === name && c.type === ApplicationCommandType.ChatInput;
  const found = core.state.commandsOf(guildId).find(isIt) ?? core.state.commandsOf().find(isIt);
  if (found) return found;
  const known = [...core.state.commandsOf(guildId), ...core.state.commandsOf()].map((c) => `/${c.name}`).join(', ') || 'none';
  throw new Error(`FakeDiscord: no command /${name} is registered for guild ${guildId} or globally (registered: ${known})`);
}

/** Finds a component by custom id anywhere in a message's component tree. */
function findComponent(nodes: ReadonlyArray<unknown>, customId: string): Record<string, unknown> | undefined {
  for (const node of nodes) {
    if (!isRecord(node)) continue;
    if (node.custom_id === customId) return node;
    const children: unknown[] = [
      ...(Array.isArray(node.components) ? (node.components as unknown[]) : []),
      ...(isRecord(node.accessory) ? [node.accessory] : []),
    ];
    const inner = findComponent(children, customId);
    if (inner) return inner;
  }
  return undefined;
}

function checkSelection(select: Record<string, unknown>, values: string[]): void {
  const min = typeof select.min_values === 'number' ? select.min_values : 1;
  const max = typeof select.max_values === 'number' ? select.max_values : 1;
  if (values.length < min || values.length > max)
    throw new Error(`FakeDiscord: select "${String(select.custom_id)}" takes ${min}–${max} values, got ${values.length}`);
  if (select.type === ComponentType.StringSelect && Array.isArray(select.options)) {
    const allowed = new Set(select.options.map((o) => (isRecord(o) ? o.value : undefined)));
    const wrong = values.filter((v) => !allowed.has(v));
    if (wrong.length > 0) throw new Error(`FakeDiscord: select "${String(select.custom_id)}" has no option ${wrong.map((v) => JSON.stringify(v)).join(', ')}`);
  }
}

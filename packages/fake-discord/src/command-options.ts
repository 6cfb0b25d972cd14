/**
 * Turns what a user typed into a slash command (a plain `{ name: value }` record) into the options
 * Discord sends, typed by the registered definition, with `resolved` users, channels and roles.
 * Anything the Discord client would not let a user send (an unknown option, a missing required
 * one, a value outside the choices) throws: the test is wrong, not the bot.
 */
import {
  ApplicationCommandOptionType,
  type APIApplicationCommand,
  type APIApplicationCommandInteractionDataOption,
  type APIApplicationCommandOption,
  type APIInteractionDataResolved,
  type GuildMemberFlags,
} from 'discord-api-types/v10';
import type { Core } from './core.ts';
import { channelPermissions } from './permissions.ts';
import { UPLOAD_LIMIT_BYTES, type FileInput } from './uploads.ts';

/** Option values a user types: strings, numbers, booleans, ids for users, channels and roles, or a file. */
export type OptionValues = Readonly<Record<string, string | number | boolean | FileInput>>;

export interface OptionInput {
  /** As typed, or already in Discord's shape. */
  readonly options?: OptionValues | ReadonlyArray<APIApplicationCommandInteractionDataOption>;
  readonly subcommand?: string;
  readonly subcommandGroup?: string;
  /** Autocomplete: the option being typed (its value stays the partial string). */
  readonly focused?: string;
}

type AnyOption = Record<string, unknown> & { name: string; type: ApplicationCommandOptionType };

/** The interaction's `options` and `resolved` for a command as a user filled it in. */
export function buildOptions(
  core: Core,
  command: APIApplicationCommand,
  guildId: string,
  input: OptionInput,
): { options: AnyOption[]; resolved: APIInteractionDataResolved } {
  const resolved: APIInteractionDataResolved = {};
  if (Array.isArray(input.options)) return { options: structuredClone(input.options) as AnyOption[], resolved };
  let definitions: ReadonlyArray<APIApplicationCommandOption> = command.options ?? [];
  const wrappers: AnyOption[] = [];
  for (const [name, type] of [
    [input.subcommandGroup, ApplicationCommandOptionType.SubcommandGroup],
    [input.subcommand, ApplicationCommandOptionType.Subcommand],
  ] as const) {
    if (name === undefined) continue;
    const definition = definitions.find((d) => d.name === name && d.type === type);
    if (!definition)
      throw new Error(`FakeDiscord: /${command.name} has no ${type === ApplicationCommandOptionType.Subcommand ? 'subcommand' : 'subcommand group'} "${name}"`);
    definitions = 'options' in definition ? (definition.options ?? []) : [];
    wrappers.push({ name, type, options: [] });
  }
  const leaf = leafOptions(core, command, guildId, definitions, (input.options ?? {}) as OptionValues, input.focused, resolved);
  // Nest the leaf options inside the subcommand, and that inside its group.
  let options: AnyOption[] = leaf;
  for (const wrapper of wrappers.reverse()) {
    wrapper.options = options;
    options = [wrapper];
  }
  return { options, resolved };
}

function leafOptions(
  core: Core,
  command: APIApplicationCommand,
  guildId: string,
  definitions: ReadonlyArray<APIApplicationCommandOption>,
  values: OptionValues,
  focused: string | undefined,
  resolved: APIInteractionDataResolved,
): AnyOption[] {
  for (const definition of definitions) {
    const required = 'required' in definition && definition.required === true;
    if (required && focused === undefined && !(definition.name in values)) throw new Error(`FakeDiscord: /${command.name} needs option "${definition.name}"`);
  }
  return Object.entries(values).map(([name, value]) => {
    const definition = definitions.find((d) => d.name === name);
    if (!definition) throw new Error(`FakeDiscord: /${command.name} has no option "${name}" (has: ${definitions.map((d) => d.name).join(', ') || 'none'})`);
    if (name === focused) {
      if (!('autocomplete' in definition) || definition.autocomplete !== true)
        throw new Error(`FakeDiscord: option "${name}" of /${command.name} has no autocomplete`);
      if (typeof value === 'object') throw new Error(`FakeDiscord: option "${name}" of /${command.name} takes no file`);
      return { name, type: definition.type, value: String(value), focused: true };
    }
    if (definition.type === ApplicationCommandOptionType.Attachment)
      return { name, type: definition.type, value: attach(core, command, name, value, resolved) };
    if (typeof value === 'object') throw new Error(`FakeDiscord: option "${name}" of /${command.name} takes no file`);
    const typed = typedValue(command, definition, value);
    if ('choices' in definition && definition.choices && definition.choices.length > 0 && !definition.choices.some((c) => c.value === typed)) {
      throw new Error(`FakeDiscord: ${JSON.stringify(value)} is not a choice of option "${name}" of /${command.name}`);
    }
    resolve(core, guildId, definition.type, String(typed), resolved);
    return { name, type: definition.type, value: typed };
  });
}

/**
 * A file the user attached to an option: stored on the CDN, answered as its attachment id, its
 * object in `resolved.attachments` (ephemeral, as Discord marks files sent with a command).
 */
function attach(core: Core, command: APIApplicationCommand, name: string, value: OptionValues[string], resolved: APIInteractionDataResolved): string {
  if (typeof value !== 'object')
    throw new Error(`FakeDiscord: option "${name}" of /${command.name} takes a file ({ filename, data }), got ${JSON.stringify(value)}`);
  // The Discord client refuses a file over the limit before sending anything.
  if (value.data.length > UPLOAD_LIMIT_BYTES) throw new Error(`FakeDiscord: ${value.filename} is over Discord's ${UPLOAD_LIMIT_BYTES}-byte upload limit`);
  const attachment = core.state.uploads.put(value, true);
  (resolved.attachments ??= {})[attachment.id] = attachment;
  return attachment.id;
}

function typedValue(command: APIApplicationCommand, definition: APIApplicationCommandOption, value: string | number | boolean): string | number | boolean {
  const fail = (kind: string): never => {
    throw new Error(`FakeDiscord: option "${definition.name}" of /${command.name} takes ${kind}, got ${JSON.stringify(value)}`);
  };
  switch (definition.type) {
    case ApplicationCommandOptionType.Integer:
      return typeof value === 'number' && Number.isInteger(value) ? value : fail('a whole number');
    case ApplicationCommandOptionType.Number:
      return typeof value === 'number' ? value : fail('a number');
    case ApplicationCommandOptionType.Boolean:
      return typeof value === 'boolean' ? value : fail('true or false');
    case ApplicationCommandOptionType.String:
      return typeof value === 'string' ? value : fail('a string');
    default:
      return typeof value === 'string' ? value : fail('an id');
  }
}

/** Adds the user, member, channel or role an id option names to `resolved`. */
export function resolve(core: Core, guildId: string, type: ApplicationCommandOptionType, id: string, resolved: APIInteractionDataResolved): void {
  const guild = core.state.guilds.get(guildId);
  const user = core.state.users.get(id);
  const channel = core.state.channels.get(id);
  const role = guild?.roles.get(id);
  const wantsUser = type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Mentionable;
  const wantsRole = type === ApplicationCommandOptionType.Role || type === ApplicationCommandOptionType.Mentionable;
  if (wantsUser && user) {
    (resolved.users ??= {})[id] = structuredClone(user);
    const member = guild?.members.get(id);
    if (member)
      (resolved.members ??= {})[id] = {
        roles: [...member.roles],
        joined_at: member.joinedAt,
        nick: member.nick,
        flags: 0 as GuildMemberFlags,
        pending: false,
        premium_since: null,
        permissions: '0',
        avatar: null,
        banner: null,
        communication_disabled_until: null,
      };
  } else if (type === ApplicationCommandOptionType.Channel && channel) {
    const permissions = channelPermissions(core.state, channel, core.botUser.id).toString();
    (resolved.channels ??= {})[id] = { id, name: channel.name ?? '', type: channel.type, permissions };
  } else if (wantsRole && role) {
    (resolved.roles ??= {})[id] = structuredClone(role);
  } else if (type === ApplicationCommandOptionType.User || type === ApplicationCommandOptionType.Channel || type === ApplicationCommandOptionType.Role) {
    throw new Error(`FakeDiscord: no ${ApplicationCommandOptionType[type].toLowerCase()} with id ${id}`);
  }
}

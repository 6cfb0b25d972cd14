/**
 * What the page can do, as the member it acts as: read the guild, run a command, type into an
 * autocomplete option, click a button, pick from a menu, write a message. Each goes through the
 * local Discord exactly as the Discord client would send it, so the bot cannot tell the difference.
 */
import { ChannelType, type APIChannel, type APIMessage, type APIUser } from 'discord-api-types/v10';
import { z } from 'zod';
import type { FileInput, InteractionHandle } from '@paperboy/fake-discord';
import type { EventHub } from './events.ts';
import type { Choice, PlaygroundState } from './client/types.ts';
import type { World } from './world.ts';

/** Discord shows "This interaction failed" when the app has not answered in 3 s; a little slack for the page's own round trip. */
const ANSWER_WAIT_MS = 3500;

/** Discord's client loads the latest 50 and more on scrolling up; the page loads this many at once. */
const MESSAGES_SHOWN = 200;

/**
 * A mistake in what the page sent, or something the local Discord refused as Discord would; its
 * message is shown to the person. Anything else thrown here is a bug, which the server answers
 * with a 500 and a reference id.
 */
export class RequestError extends Error {
  override readonly name = 'RequestError';

  constructor(
    message: string,
    readonly status: 400 | 404 | 413 | 504 = 400,
  ) {
    super(message);
  }
}

const Id = z.string().regex(/^\d{17,20}$/, 'expected a Discord id');
/** The largest file the page sends (see PLAYGROUND_FILE_MAX in the page's option-fields.ts), in base64. */
const FILE_BASE64_MAX = Math.ceil((2 * 1024 * 1024) / 3) * 4;
/** A file for an attachment option: its name and bytes in base64, as JSON carries them. */
const FileValue = z.object({ filename: z.string().min(1).max(200), data: z.base64().max(FILE_BASE64_MAX, 'the playground takes files up to 2 MB') });
const Values = z.record(z.string(), z.union([z.string().max(6000), z.number(), z.boolean(), FileValue]));
const CommandBody = z.object({ channelId: Id, name: z.string().min(1).max(32), subcommand: z.string().min(1).max(32).optional(), options: Values.default({}) });
const AutocompleteBody = CommandBody.extend({ focused: z.string().min(1).max(32) });
const ComponentBody = z.object({ messageId: Id, customId: z.string().min(1).max(100), values: z.array(z.string().max(100)).max(25).optional() });
const MessageBody = z.object({ channelId: Id, content: z.string().trim().min(1, 'write something first').max(2000, 'Discord allows at most 2000 characters') });

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  throw new RequestError(result.error.issues.map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
}

const REFUSAL = 'FakeDiscord: ';

/**
 * The local Discord refuses what a Discord client would not send (no such command, an option the
 * command does not take, a disabled button) with a plain `Error` whose message starts with its
 * name; that reason, without the name, is the person's to read. Anything else it throws (a
 * TypeError, a RangeError, an error without that name) is a bug and goes on as it is.
 */
function asUser<T>(act: () => T): T {
  try {
    return act();
  } catch (error) {
    if (isRefusal(error)) throw new RequestError(error.message.slice(REFUSAL.length));
    throw error;
  }
}

function isRefusal(error: unknown): error is Error {
  return error instanceof Error && error.constructor === Error && error.message.startsWith(REFUSAL);
}

export class PlaygroundApi {
  constructor(
    private readonly world: World,
    private readonly hub: EventHub,
  ) {}

  state(): PlaygroundState {
    const { fake, guild, me } = this.world;
    const channels = fake.channels(guild.id) as APIChannel[];
    const users: Record<string, APIUser> = { [me.id]: me, [fake.botUser.id]: fake.botUser };
    return { guild, me, bot: fake.botUser, channels, users, commands: fake.commands(guild.id) };
  }

  /** A channel's latest messages, with the member's ephemeral replies in their place, oldest first. */
  messages(channelId: string): APIMessage[] {
    if (!this.world.fake.channel(channelId)) throw new RequestError(`no channel ${channelId}`, 404);
    const all = [...this.world.fake.messages(channelId), ...this.hub.ephemeralIn(channelId)] as APIMessage[];
    // Snowflakes grow with time; equal lengths compare as strings.
    return all.sort((a, b) => a.id.length - b.id.length || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(-MESSAGES_SHOWN);
  }

  async command(body: unknown): Promise<void> {
    const input = parse(CommandBody, body);
    const { fake, guild, me } = this.world;
    await answered(
      asUser(() => fake.runCommand({ guildId: guild.id, userId: me.id, ...input, options: withFiles(input.options) })),
      `/${input.name}`,
    );
  }

  async autocomplete(body: unknown): Promise<Choice[]> {
    const input = parse(AutocompleteBody, body);
    const { fake, guild, me } = this.world;
    const handle = asUser(() => fake.autocomplete({ guildId: guild.id, userId: me.id, ...input, options: withFiles(input.options) }));
    try {
      return await handle.choices(ANSWER_WAIT_MS);
    } catch (error) {
      // The local Discord gives up waiting (or closes) with a refusal; anything else is a bug.
      if (isRefusal(error)) throw new RequestError('Paperboy did not answer with choices in time', 504);
      throw error;
    }
  }

  async component(body: unknown): Promise<void> {
    const { messageId, customId, values } = parse(ComponentBody, body);
    const { fake, me } = this.world;
    const handle = asUser(() =>
      values === undefined ? fake.clickButton({ messageId, customId, userId: me.id }) : fake.selectMenu({ messageId, customId, values, userId: me.id }),
    );
    await answered(handle, 'that');
  }

  /** Posts as the member; `@Paperboy` (the bot's name) becomes a real mention, as picking it in Discord's box does. */
  post(body: unknown): APIMessage {
    const { channelId, content } = parse(MessageBody, body);
    const { fake, me } = this.world;
    const channel = fake.channel(channelId);
    if (!channel) throw new RequestError(`no channel ${channelId}`, 404);
    if (channel.type === ChannelType.GuildForum) throw new RequestError('a forum takes posts, not messages: open one of its posts to write there');
    const name = fake.botUser.username.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const text = content.replace(new RegExp(`(^|[^\\w<])@${name}\\b`, 'gi'), `$1<@${fake.botUser.id}>`);
    return asUser(() => fake.postAsUser({ channelId, userId: me.id, content: text }));
  }
}

/** Options with each file's base64 turned into its bytes, as the local Discord takes an attached file. */
function withFiles(options: z.output<typeof Values>): Record<string, string | number | boolean | FileInput> {
  return Object.fromEntries(
    Object.entries(options).map(([name, value]) => [
      name,
      typeof value === 'object' ? { filename: value.filename, data: Buffer.from(value.data, 'base64') } : value,
    ]),
  );
}

/** Waits for the bot's first callback, as the Discord client does before showing "This interaction failed". */
async function answered(handle: InteractionHandle, what: string): Promise<void> {
  const until = Date.now() + ANSWER_WAIT_MS;
  while (Date.now() < until) {
    const ok = handle.callbacks.some((c) => c.status < 300);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new RequestError(`Paperboy did not respond to ${what} in time: Discord would show "This interaction failed"`, 504);
}

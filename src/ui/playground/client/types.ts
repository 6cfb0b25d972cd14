/**
 * What the page and the playground server exchange, and what the page's parts need from each
 * other. Messages, channels and commands are Discord's own API shapes, as the local Discord keeps
 * them, so the page renders exactly what the bot sent.
 */
import type { APIApplicationCommand, APIChannel, APIMessage, APIUser } from 'discord-api-types/v10';

export type { APIApplicationCommand, APIChannel, APIMessage, APIUser };

/** `GET /api/state`: everything the page needs to draw the guild. */
export interface PlaygroundState {
  readonly guild: { readonly id: string; readonly name: string };
  /** The member the page acts as. */
  readonly me: APIUser;
  readonly bot: APIUser;
  /** Text channels, forums and categories, then every thread; Discord's order fields kept. */
  readonly channels: APIChannel[];
  /** Users by id, for rendering `<@id>` mentions. */
  readonly users: Record<string, APIUser>;
  /** The registered slash commands of the guild. */
  readonly commands: APIApplicationCommand[];
}

/** One server-sent event's data (the SSE event name is `type`). */
export type PlaygroundEvent =
  | { readonly type: 'message'; readonly message: APIMessage }
  | { readonly type: 'message-delete'; readonly id: string; readonly channelId: string }
  | { readonly type: 'channel'; readonly channel: APIChannel }
  | { readonly type: 'channel-delete'; readonly id: string };

/** A file picked for an attachment option: its name and its bytes in base64 (JSON carries no bytes). */
export interface FileValue {
  readonly filename: string;
  readonly data: string;
}

/** Option values as the command box collects them: what the user typed or picked. */
export type OptionValues = Record<string, string | number | boolean | FileValue>;

/** `POST /api/commands` and `POST /api/autocomplete` bodies. */
export interface CommandRun {
  readonly channelId: string;
  readonly name: string;
  readonly subcommand?: string;
  readonly options: OptionValues;
}

export interface Choice {
  readonly name: string;
  readonly value: string | number;
}

/** What rendering a message needs from the page. */
export interface MessageContext {
  /** A user's display name (global name, else username), if known. */
  userName(id: string): string | undefined;
  /** A channel's or thread's name, if known. */
  channelName(id: string): string | undefined;
  /** The thread started from this message (Discord gives a thread its starter message's id), if any. */
  threadOf(messageId: string): { readonly id: string; readonly name: string; readonly messageCount: number } | undefined;
  openChannel(id: string): void;
  clickButton(messageId: string, customId: string): void;
  selectMenu(messageId: string, customId: string, values: string[]): void;
}

/** What the composer (message box and command box) needs from the page. */
export interface ComposerContext {
  commands(): readonly APIApplicationCommand[];
  /** Channels a channel option may name (text channels and forums of the guild). */
  channels(): ReadonlyArray<{ readonly id: string; readonly name: string; readonly type: number }>;
  autocomplete(input: Omit<CommandRun, 'channelId'> & { readonly focused: string }): Promise<Choice[]>;
  /** Runs a command in the open channel; rejects with an Error whose message is shown to the user. */
  run(input: Omit<CommandRun, 'channelId'>): Promise<void>;
  /** Posts a plain message as the member in the open channel; `@Name` of the bot becomes a mention. */
  post(content: string): Promise<void>;
}

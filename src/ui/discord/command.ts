/**
 * The shape of a slash command: its definition as Discord takes it, a zod schema for its options,
 * and handlers that take plain data and return views. The router in src/ui/discord/ does the rest.
 * Commands declare their options once with the builders in options.ts; `slashCommand` turns that
 * one declaration into both the definition and the schema, and types `run` from it.
 */
import type { APIApplicationCommandOption, RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { z } from 'zod';
import type { OptionSet } from './options.ts';
import type { DeliveryRunner } from '../../app/delivery/run.ts';
import type { Subscriptions } from '../../app/delivery/subscriptions.ts';
import type { PollResult } from '../../app/feeds/poll.ts';
import type { FeedRegistry } from '../../app/feeds/registry.ts';
import type { DiscussionFollows } from '../../app/discussion/follow.ts';
import type { Store } from '../../adapters/store/contract.ts';
import type { GuildSettingsRepository } from '../../adapters/store/state.ts';
import type { DeliveryProgressRepository } from '../../adapters/store/delivery-progress.ts';
import type { Poster } from '../../app/delivery/poster.ts';
import type { Choice, ComponentState, View } from '../../core/view.ts';
import type { AttachmentReader } from './attachments.ts';

/** Who ran the command, where: admin commands check `permissions` again (Discord's default can be overridden). */
export interface Actor {
  readonly userId: string;
  readonly guildId: string | null;
  /** The member's permissions in the channel, as Discord computed them. */
  readonly permissions: bigint;
  /** Shown in the subscription list. */
  readonly name: string;
}

export interface FeedsContext {
  readonly registry: FeedRegistry;
  /** Fetches one feed now and stores its items. */
  pollNow(url: string): Promise<PollResult>;
  /** Each server's health channel (/feed health-channel); absent where the bot's state is not at hand. */
  readonly guildSettings?: GuildSettingsRepository;
}

export interface DeliveryContext {
  readonly subscriptions: Subscriptions;
  readonly feeds: FeedsContext;
  readonly runner: DeliveryRunner;
  /** The schedule, for telling admins when the next run is. */
  readonly cron: string | null;
  /** The discussions followed where they happen (/discussion); absent where the process does not sync them. */
  readonly discussions?: DiscussionFollows;
  /** The poster the delivery engine posts through: /test-post posts as a run would. */
  readonly poster: Poster;
  /** What the engine recorded per channel and article: /preview tells posted articles by it. */
  readonly progress: DeliveryProgressRepository;
}

export interface CommandContext {
  readonly store: Store;
  readonly now: () => Date;
  /** Set for every interaction the router handles. */
  readonly actor?: Actor;
  /** Set when the bot runs the delivery job. */
  readonly delivery?: DeliveryContext;
  /** Reads files users attach to commands (/feed import); absent where no Discord holds them. */
  readonly attachments?: AttachmentReader;
}

/** A button or menu answer: a new view in place of the message it was on, or a new message. */
export interface ComponentAnswer {
  readonly mode: 'update' | 'reply';
  readonly view: View;
}

export interface SlashCommand<Options = unknown> {
  readonly definition: RESTPostAPIChatInputApplicationCommandsJSONBody & { options?: APIApplicationCommandOption[] };
  /** Validates the options Discord sent, by name. */
  readonly options: z.ZodType<Options>;
  /**
   * Set for anything that can take more than a moment: its answer is deferred if it is not ready
   * within the router's DEFER_AFTER_MS (answered at once otherwise, in one request).
   */
  readonly defer: boolean;
  /**
   * Deferred before the work starts, not after DEFER_AFTER_MS: for work that may hold the thread for
   * seconds (a whole article's text summarized or searched synchronously), during which the
   * router's timer could not fire and Discord's 3 s would run out unanswered.
   */
  readonly deferFirst?: boolean;
  /** Answers only the person who asked. */
  readonly ephemeral?: boolean;
  run(options: Options, ctx: CommandContext): View | Promise<View>;
  /** Choices for the focused option, given what was typed: at most `max` (the router fits their names to Discord). */
  autocomplete?(focused: { name: string; value: string }, ctx: CommandContext, max: number): Choice[] | Promise<Choice[]>;
  /** A click on one of this command's buttons or menus, with the state it carried. */
  component?(state: readonly string[], values: readonly string[], ctx: CommandContext): ComponentAnswer | Promise<ComponentAnswer>;
}

/** A command whose definition and schema are written by hand (tests use it); commands/ use `slashCommand`. */
export function defineCommand<Options>(command: SlashCommand<Options>): SlashCommand<Options> {
  return command;
}

/** What a command declares: its definition without options, its options once, and its handlers. */
export interface CommandDeclaration<Options> extends Omit<SlashCommand<Options>, 'definition' | 'options'> {
  readonly definition: Omit<SlashCommand['definition'], 'options'>;
  readonly options: OptionSet<Options>;
}

/** A slash command whose Discord options and validation both come from its one option declaration. */
export function slashCommand<Options>(command: CommandDeclaration<Options>): SlashCommand<Options> {
  const { options, definition, ...rest } = command;
  // A command without options says nothing about them, as Discord answers it: deploy compares the two.
  return { ...rest, definition: options.json.length > 0 ? { ...definition, options: options.json } : definition, options: options.schema };
}

export type { ComponentState };

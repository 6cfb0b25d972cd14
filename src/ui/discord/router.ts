/**
 * The one interactionCreate handler: finds the command, validates its options, defers when the
 * command's work turns out slow, renders its view and answers exactly once. A UserError is
 * shown to the person who asked, in plain words; anything else is logged in full and shown as a
 * short reference id, never a stack trace.
 */
import {
  ApplicationCommandOptionType,
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type CommandInteractionOption,
  type Interaction,
  type MessageComponentInteraction,
  MessageFlags,
} from 'discord.js';
import type { Logger } from '../../core/log.ts';
import type { Actor, CommandContext, ComponentAnswer, SlashCommand } from './command.ts';
import { UserError } from '../../core/errors.ts';
import type { StateCodec } from './custom-id.ts';
import { truncate } from '../../core/text/truncate.ts';
import { LIMITS } from './limits.ts';
import { type MessagePayload, renderView, textPayload } from './render.ts';

export const EXPIRED = 'This list has expired. Search again.';

export interface RouterOptions {
  readonly commands: readonly SlashCommand[];
  readonly context: CommandContext;
  readonly codec: StateCodec;
  readonly log: Logger;
  /**
   * How long a command that may be slow (`defer`) works before its answer is deferred.
   * @default DEFER_AFTER_MS
   */
  readonly deferAfterMs?: number;
}

/**
 * Discord drops an interaction not acknowledged within 3 s of sending it. An answer ready before
 * this is sent as it is: one request instead of a deferral and its edit (at 100,000 articles a
 * /search takes tens of milliseconds). Past it, the answer is deferred, leaving 2 s for the gateway's
 * delay and the deferral's own trip. It is counted from when Discord made the interaction, so one
 * that waited behind other work on this thread is deferred sooner, or at once. Work that holds the
 * thread (SQLite answers synchronously) holds the timer back too, so this relies on such work
 * staying well under the window, as searches do; work that may not is deferred first (`deferFirst`).
 */
export const DEFER_AFTER_MS = 1000;

/**
 * `work`'s result, with `defer` called if it is not ready within `afterMs` (or before it starts: `'first'`). Returns only once a
 * deferral started has been answered, so that `deferred` is what Discord saw.
 */
async function deferIfSlow<T>(afterMs: number | 'first', defer: () => Promise<unknown>, work: () => Promise<T>): Promise<T> {
  // A timer cannot interrupt work that holds the thread, so such work is deferred before it starts.
  if (afterMs === 'first') {
    await defer();
    return work();
  }
  let deferral: Promise<unknown> | undefined;
  const timer = setTimeout(() => {
    deferral = defer();
    // Handled here too, so that a deferral failing while the work runs is not an unhandled rejection.
    deferral.catch(() => undefined);
  }, afterMs);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    clearTimeout(timer);
    // The command's own error is the one to report, not a deferral that failed meanwhile.
    await deferral?.catch(() => undefined);
    throw error;
  }
  clearTimeout(timer);
  await deferral;
  return result;
}

type Answerable = ChatInputCommandInteraction | MessageComponentInteraction;

/**
 * Options by name; a channel option becomes `{ id, name, type }` from what Discord resolved, an
 * attachment `{ name, size, url, contentType }`, and a subcommand becomes `subcommand` with its own
 * options alongside.
 */
function optionsOf(interaction: ChatInputCommandInteraction): Record<string, unknown> {
  const flat = (options: readonly CommandInteractionOption[]): [string, unknown][] =>
    options.flatMap((o): [string, unknown][] => {
      if (o.type === ApplicationCommandOptionType.Subcommand) return [['subcommand', o.name], ...flat(o.options ?? [])];
      if (o.type === ApplicationCommandOptionType.Channel) return [[o.name, { id: o.value, name: o.channel?.name ?? null, type: o.channel?.type ?? null }]];
      if (o.type === ApplicationCommandOptionType.Attachment) {
        const file = o.attachment;
        return [[o.name, file && { name: file.name, size: file.size, url: file.url, contentType: file.contentType }]];
      }
      return [[o.name, o.value]];
    });
  return Object.fromEntries(flat(interaction.options.data));
}

function actorOf(interaction: Answerable): Actor {
  const member = interaction.member;
  const name = member && 'displayName' in member ? member.displayName : interaction.user.username;
  return { userId: interaction.user.id, guildId: interaction.guildId, permissions: interaction.memberPermissions?.bitfield ?? 0n, name };
}

/** Edits and updates cannot change whether a message is ephemeral, and Discord rejects the flag there. */
function withoutFlags(payload: MessagePayload): Omit<MessagePayload, 'flags'> {
  const rest = { ...payload };
  delete rest.flags;
  return rest;
}

export function createRouter(options: RouterOptions): (interaction: Interaction) => Promise<void> {
  const { context, codec, log } = options;
  const deferAfterMs = options.deferAfterMs ?? DEFER_AFTER_MS;
  const byName = new Map(options.commands.map((c) => [c.definition.name, c]));
  /** How long this interaction's work may take before its answer is deferred (see DEFER_AFTER_MS). */
  const deferDelay = (interaction: Answerable, command: SlashCommand): number | 'first' => {
    if (command.deferFirst) return 'first';
    // A clock behind Discord's reads as no wait (as before this was counted), one ahead as a longer one (a deferral more).
    const left = deferAfterMs - Math.max(0, Date.now() - interaction.createdTimestamp);
    return left > 0 ? left : 'first';
  };

  /** Tells the person what went wrong, whatever state the interaction is in. */
  async function fail(interaction: Answerable, error: unknown, ephemeralDefer: boolean): Promise<void> {
    let text: string;
    if (error instanceof UserError) text = error.message;
    else {
      log.error({ err: error, ref: interaction.id, user: interaction.user.id, guild: interaction.guildId }, 'interaction failed');
      text = `Something went wrong on Paperboy's side. Reference: \`${interaction.id}\`.`;
    }
    const payload = textPayload(text, true);
    try {
      if (!interaction.deferred && !interaction.replied) await interaction.reply(payload);
      else if (interaction.deferred && ephemeralDefer) await interaction.editReply(withoutFlags(payload));
      else {
        // A public "thinking…" placeholder cannot turn private: remove it and answer privately.
        if (interaction.deferred && interaction.isChatInputCommand()) await interaction.deleteReply().catch(() => undefined);
        await interaction.followUp(payload);
      }
    } catch (answerError) {
      log.warn({ err: answerError, ref: interaction.id }, 'could not tell the user about a failure');
    }
  }

  async function chatInput(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = byName.get(interaction.commandName);
    if (!command) throw new UserError('unavailable', `Paperboy has no /${interaction.commandName} command any more. The command list may be out of date.`);
    const parsed = command.options.safeParse(optionsOf(interaction));
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `\`${i.path.join('.') || 'options'}\`: ${i.message}`);
      throw new UserError('bad-option', `That did not work: ${problems.join('; ')}.`);
    }
    const work = async (): Promise<MessagePayload> => renderView(await command.run(parsed.data, { ...context, actor: actorOf(interaction) }), codec);
    if (!command.defer) return void (await interaction.reply(await work()));
    const visibility: { flags?: MessageFlags.Ephemeral } = command.ephemeral ? { flags: MessageFlags.Ephemeral } : {};
    const payload = await deferIfSlow(deferDelay(interaction, command), () => interaction.deferReply(visibility), work);
    if (interaction.deferred) await interaction.editReply(withoutFlags(payload));
    // Shown as the deferral would have shown it, so a command is public or private whichever way it is answered.
    else await interaction.reply({ ...withoutFlags(payload), ...visibility });
  }

  async function component(interaction: MessageComponentInteraction): Promise<void> {
    const state = await codec.decode(interaction.customId);
    const command = state && byName.get(state[0]);
    if (!state || !command?.component) throw new UserError('stale', EXPIRED);
    const values = interaction.isStringSelectMenu() ? interaction.values : [];
    const handler = command.component.bind(command);
    const work = async (): Promise<[ComponentAnswer, MessagePayload]> => {
      const answer = await handler(state.slice(1), values, { ...context, actor: actorOf(interaction) });
      return [answer, await renderView(answer.view, codec)];
    };
    const [answer, payload] = command.defer ? await deferIfSlow(deferDelay(interaction, command), () => interaction.deferUpdate(), work) : await work();
    if (answer.mode === 'reply') {
      if (interaction.deferred) await interaction.followUp(payload);
      else await interaction.reply(payload);
    } else if (interaction.deferred) await interaction.editReply(withoutFlags(payload));
    else await interaction.update(withoutFlags(payload));
  }

  async function autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = byName.get(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    let choices: { name: string; value: string }[] = [];
    try {
      choices = (await command?.autocomplete?.({ name: focused.name, value: String(focused.value) }, context, LIMITS.autocompleteChoices)) ?? [];
    } catch (error) {
      log.error({ err: error, ref: interaction.id }, 'autocomplete failed');
    }
    await interaction.respond(
      choices.slice(0, LIMITS.autocompleteChoices).map((c) => ({ name: truncate(c.name, LIMITS.choiceName, '…').text, value: c.value })),
    );
  }

  return async (interaction) => {
    const started = performance.now();
    const what = interaction.isCommand() || interaction.isAutocomplete() ? interaction.commandName : interaction.isMessageComponent() ? 'component' : 'other';
    try {
      if (interaction.isAutocomplete()) await autocomplete(interaction);
      else if (interaction.isChatInputCommand()) await chatInput(interaction);
      else if (interaction.isMessageComponent()) await component(interaction);
      else return;
    } catch (error) {
      if (interaction.isAutocomplete()) log.warn({ err: error, ref: interaction.id }, 'autocomplete answer failed');
      else if (interaction.isChatInputCommand() || interaction.isMessageComponent()) {
        const command = interaction.isChatInputCommand() ? byName.get(interaction.commandName) : undefined;
        await fail(interaction, error, command?.ephemeral === true);
      }
    }
    log.debug({ ref: interaction.id, what, user: interaction.user.id, ms: Math.round(performance.now() - started) }, 'interaction');
  };
}

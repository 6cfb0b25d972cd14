/**
 * Views: what the bot shows, as plain data. Commands answer with a View; delivery posts an article
 * and its comments, and the thread handler answers, with MessageViews. The Discord renderer
 * (src/ui/discord/render.ts) alone turns them into payloads and makes them fit Discord's limits.
 * Nothing here knows discord.js.
 */

export interface EmbedField {
  readonly name: string;
  readonly value: string;
  readonly inline?: boolean;
}

export interface EmbedView {
  readonly title?: string;
  readonly url?: string | null;
  /** Markdown; source text in it must already be escaped (see markdown.ts). */
  readonly description?: string;
  readonly fields?: readonly EmbedField[];
  readonly footer?: string;
  readonly author?: string;
  /** ISO time shown under the embed. */
  readonly timestamp?: string | null;
}

/**
 * What a button or menu must remember: the command that owns it, then its arguments. Signed and
 * dated when rendered into a custom id, so a forged or stale one is refused.
 */
export type ComponentState = readonly [command: string, ...args: string[]];

export interface ButtonView {
  readonly label: string;
  /** Null renders a disabled button. */
  readonly state: ComponentState | null;
  readonly primary?: boolean;
}

export interface SelectOption {
  readonly label: string;
  readonly value: string;
  readonly description?: string;
}

export interface SelectView {
  readonly placeholder: string;
  readonly state: ComponentState;
  readonly options: readonly SelectOption[];
}

/**
 * A message the bot posts by itself rather than in answer to a command: an article's post and the
 * comments in its thread, an answer in a thread. No buttons, and seen by everyone.
 */
export interface MessageView {
  readonly content?: string;
  readonly embeds?: readonly EmbedView[];
  /**
   * The id of a message in the same channel this one answers (a Discord reply): an imported
   * comment's reply to its parent's message. A parent deleted since does not stop the message.
   */
  readonly replyTo?: string;
  /**
   * Roles and users this message pings (a subscription's mention rules): the renderer puts them in
   * its text and allows exactly these ids in `allowed_mentions`; nothing else in it pings.
   */
  readonly ping?: { readonly roles: readonly string[]; readonly users: readonly string[] };
}

/** A file the answer carries (an OPML export): its name as shown, and its bytes. */
export interface FileView {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface View extends MessageView {
  readonly buttons?: readonly ButtonView[];
  /** Files attached to the answer (at most 10, each within Discord's upload limit). */
  readonly files?: readonly FileView[];
  readonly select?: SelectView;
  /** Only the person who asked sees it. */
  readonly ephemeral?: boolean;
}

export interface Choice {
  readonly name: string;
  readonly value: string;
}

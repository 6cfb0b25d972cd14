/**
 * Views: what a command answers, as plain data. Commands build them from library results; the
 * Discord renderer (src/ui/discord/render.ts) turns them into messages and makes them fit Discord's
 * limits. Nothing here knows discord.js.
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

export interface View {
  readonly content?: string;
  readonly embeds?: readonly EmbedView[];
  readonly buttons?: readonly ButtonView[];
  readonly select?: SelectView;
  /** Only the person who asked sees it. */
  readonly ephemeral?: boolean;
}

export interface Choice {
  readonly name: string;
  readonly value: string;
}


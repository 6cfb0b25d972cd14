/**
 * Views into Discord message payloads: the one place that knows their shapes (embeds, the colour,
 * components) and, with limits.ts, Discord's limits. Every payload fits them whatever a view holds:
 * over-long text is cut at a sentence or word with a mark saying so, never rejected. Every payload
 * also carries `allowed_mentions: { parse: [] }`, so reposted text never pings. Command answers,
 * delivery's posts and comments (through the delivery poster) and thread answers are all rendered here.
 */
import { createHash } from 'node:crypto';
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessageTopLevelComponent,
  type RESTPostAPIChannelMessageJSONBody,
  type RESTPostAPIWebhookWithTokenJSONBody,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';
import type { MessageReplyOptions } from 'discord.js';
import type { EmbedView, MessageView, View } from '../../core/view.ts';
import type { StateCodec } from './custom-id.ts';
import { LIMITS, fitContent, fitEmbeds, httpUrl } from './limits.ts';
import { truncate } from '../../core/text/truncate.ts';

export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags?: MessageFlags.Ephemeral;
  allowedMentions: { parse: [] };
  /** Uploaded with the message (multipart), as discord.js takes them. */
  files?: { attachment: Buffer; name: string }[];
}

/** Discord takes at most 10 files on a message, each at most 10 MiB from a bot. */
const MAX_FILES = 10;
const MAX_FILE_BYTES = 10 * 1024 * 1024;

/**
 * A view's files as discord.js uploads them: names kept to letters, digits, `.`, `-` and `_` (as
 * Discord would rename them anyway). A file cannot be cut to fit: one over the limit is a bug of
 * the command that made it, thrown, and the router shows its reference id.
 */
function toFiles(view: View): { attachment: Buffer; name: string }[] {
  const files = view.files ?? [];
  if (files.length > MAX_FILES) throw new Error(`render: at most ${MAX_FILES} files on a message, got ${files.length}`);
  return files.map((f) => {
    if (f.bytes.length > MAX_FILE_BYTES) throw new Error(`render: file ${f.name} is ${f.bytes.length} bytes, over Discord's ${MAX_FILE_BYTES}`);
    return { attachment: Buffer.from(f.bytes), name: f.name.replaceAll(/[^\w.-]/g, '_').slice(0, 100) || 'file' };
  });
}

/** Paperboy's colour, on every embed. */
const COLOUR = 0x2b6cb0;
const NO_PINGS = { parse: [] as [] };

const fit = (text: string, max: number): string => truncate(text, max).text;

/**
 * An embed before it is fitted. Its keys come in the order delivered posts have always had: the
 * digest stored with each post is taken over the JSON text (see messageDigest), so another order
 * would edit every post once. For the same reason a title is kept even when empty (an article may
 * have an empty title, and its post has always carried it); other texts are left out when empty.
 */
function toEmbed(view: EmbedView): APIEmbed {
  const e: APIEmbed = {};
  if (view.title !== undefined) e.title = view.title;
  if (view.description) e.description = view.description;
  // An empty field would be refused; fitEmbeds cuts the rest to Discord's limits.
  const fields = (view.fields ?? []).filter((f) => f.name && f.value);
  if (fields.length > 0) e.fields = fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false }));
  if (view.footer) e.footer = { text: view.footer };
  e.color = COLOUR;
  if (view.url) e.url = view.url;
  if (view.author) e.author = { name: view.author };
  if (view.timestamp) e.timestamp = view.timestamp;
  return e;
}

async function toComponents(view: View, codec: StateCodec): Promise<APIMessageTopLevelComponent[]> {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const buttons = (view.buttons ?? []).slice(0, LIMITS.buttonsPerRow);
  if (buttons.length > 0) {
    rows.push({
      type: ComponentType.ActionRow,
      components: await Promise.all(
        buttons.map(async (b, i) => ({
          type: ComponentType.Button as const,
          style: b.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
          label: fit(b.label, LIMITS.buttonLabel),
          // A disabled button still needs an id unique within the message.
          custom_id: b.state ? await codec.encode(b.state) : `disabled:${i}`,
          disabled: b.state === null,
        })),
      ),
    });
  }
  const select = view.select;
  if (select && select.options.length > 0) {
    rows.push({
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.StringSelect,
          custom_id: await codec.encode(select.state),
          placeholder: fit(select.placeholder, LIMITS.selectPlaceholder),
          options: select.options.slice(0, LIMITS.selectOptions).map((o) => ({
            label: fit(o.label, LIMITS.selectOptionText),
            value: o.value.slice(0, LIMITS.selectOptionText),
            ...(o.description ? { description: fit(o.description, LIMITS.selectOptionText) } : {}),
          })),
        },
      ],
    });
  }
  return rows;
}

export async function renderView(view: View, codec: StateCodec): Promise<MessagePayload> {
  const embeds = fitEmbeds((view.embeds ?? []).map(toEmbed));
  const payload: MessagePayload = { embeds, components: await toComponents(view, codec), allowedMentions: { parse: [] } };
  if (view.content) payload.content = fitContent(view.content);
  if (view.ephemeral) payload.flags = MessageFlags.Ephemeral;
  if (view.files && view.files.length > 0) payload.files = toFiles(view);
  return payload;
}

/** A plain message (errors, notices). */
export function textPayload(text: string, ephemeral: boolean): MessagePayload {
  return { content: fitContent(text), embeds: [], components: [], allowedMentions: { parse: [] }, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

/** What a message the bot posts by itself shows: its content and embeds, fitted. */
function messageBody(view: MessageView): { content?: string; embeds?: APIEmbed[] } {
  const body: { content?: string; embeds?: APIEmbed[] } = {};
  if (view.content) body.content = fitContent(view.content);
  if (view.embeds && view.embeds.length > 0) body.embeds = fitEmbeds(view.embeds.map(toEmbed));
  return body;
}

/** Discord's snowflakes: a ping names nothing else, so no text from elsewhere can slip into the mentions. */
const SNOWFLAKE = /^\d{17,20}$/;
/** Discord takes at most 100 ids of each kind in allowed_mentions. */
const MAX_PINGED = 100;

/** The view's pings, checked: snowflakes only, each once, at most 100 of a kind. */
function pinged(view: MessageView): { roles: string[]; users: string[] } | null {
  if (!view.ping) return null;
  const ids = (list: readonly string[]): string[] => [...new Set(list.filter((id) => SNOWFLAKE.test(id)))].slice(0, MAX_PINGED);
  const roles = ids(view.ping.roles);
  const users = ids(view.ping.users);
  return roles.length + users.length > 0 ? { roles, users } : null;
}

/**
 * A message the bot posts by itself (delivery's posts and comments), as the body of Discord's REST
 * call. Its text pings no one; a view's `ping` (a subscription's mention rules, on an article's post
 * only) goes at the start of its content, and allowed_mentions lets through exactly those ids.
 */
export function renderMessage(view: MessageView): RESTPostAPIChannelMessageJSONBody {
  const ping = pinged(view);
  if (!ping) return { ...messageBody(view), allowed_mentions: NO_PINGS };
  const mentions = [...ping.roles.map((id) => `<@&${id}>`), ...ping.users.map((id) => `<@${id}>`)].join(' ');
  // The pings first: a cut at Discord's 2,000 characters takes the end of the text, never a ping.
  const content = view.content ? `${mentions}\n${view.content}` : mentions;
  return { ...messageBody({ ...view, content }), allowed_mentions: { parse: [], roles: ping.roles, users: ping.users } };
}

/** A message sent through a webhook under `name` (cut to Discord's 80 characters) and, when given, the avatar at `avatarUrl`. */
export function renderWebhookMessage(view: MessageView, name: string, avatarUrl: string | null): RESTPostAPIWebhookWithTokenJSONBody {
  const avatar = httpUrl(avatarUrl);
  return { ...renderMessage(view), username: fit(name, LIMITS.webhookName), ...(avatar !== undefined && { avatar_url: avatar }) };
}

/**
 * A short digest of what `view` shows once rendered: delivery stores it with each post and edits the
 * post when it changes, so a post is edited exactly when what Discord would show changes, not when
 * only text beyond a cut does. Taken over the JSON of the fitted content and embeds, as it has always
 * been: a change here edits every post once. Pings are not in it: who a post pings never edits it.
 */
export function messageDigest(view: MessageView): string {
  return createHash('sha256')
    .update(JSON.stringify(messageBody(view)))
    .digest('base64url')
    .slice(0, 16);
}

/** A thread's name: `title` cut to Discord's 100 characters at a word, the same cut for making a thread and looking for it. */
export function renderThreadName(title: string): string {
  return truncate(title, LIMITS.threadName, '…').text;
}

/** Discord's nonce for a message from a stable `id` of it (delivery's are digests): its first 25 characters. */
export function renderNonce(id: string): string {
  return id.slice(0, LIMITS.nonce);
}

/**
 * The bot's answer to the question with message id `questionId`, as a reply that pings no one (not
 * even the asker). Its nonce is the same on every resend, so with `enforceNonce` Discord returns the
 * answer it already made instead of making a second (discord.js resends on its own after a 5xx,
 * which Discord may give for a message it did make). A snowflake has at most 20 digits.
 */
export function renderAnswer(view: MessageView, questionId: string): MessageReplyOptions {
  return { ...messageBody(view), allowedMentions: { parse: [], repliedUser: false }, nonce: renderNonce(`a${questionId}`), enforceNonce: true };
}

/**
 * Views into Discord message payloads. Every payload fits Discord's limits whatever a command put
 * in its view: over-long text is cut at a sentence or word with a mark saying so, never rejected.
 * Every payload also carries `allowed_mentions: { parse: [] }`, so reposted text never pings.
 */
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIMessageTopLevelComponent,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from 'discord-api-types/v10';
import type { EmbedView, View } from '../../core/view.ts';
import type { StateCodec } from './custom-id.ts';
import { fitContent, fitEmbeds, truncate } from '../../core/limits.ts';

export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags?: MessageFlags.Ephemeral;
  allowedMentions: { parse: [] };
}

const fit = (text: string, max: number): string => truncate(text, max).text;

function toEmbed(view: EmbedView): APIEmbed {
  const e: APIEmbed = { color: 0x2b6cb0 };
  if (view.title) e.title = view.title;
  if (view.url) e.url = view.url;
  if (view.description) e.description = view.description;
  if (view.author) e.author = { name: view.author };
  if (view.footer) e.footer = { text: view.footer };
  if (view.timestamp) e.timestamp = view.timestamp;
  // An empty field would be refused; fitEmbeds cuts the rest to Discord's limits.
  const fields = (view.fields ?? []).filter((f) => f.name && f.value);
  if (fields.length > 0) e.fields = fields.map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false }));
  return e;
}

async function toComponents(view: View, codec: StateCodec): Promise<APIMessageTopLevelComponent[]> {
  const rows: APIActionRowComponent<APIComponentInMessageActionRow>[] = [];
  const buttons = (view.buttons ?? []).slice(0, 5);
  if (buttons.length > 0) {
    rows.push({
      type: ComponentType.ActionRow,
      components: await Promise.all(
        buttons.map(async (b, i) => ({
          type: ComponentType.Button as const,
          style: b.primary ? ButtonStyle.Primary : ButtonStyle.Secondary,
          label: fit(b.label, 80),
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
          placeholder: fit(select.placeholder, 150),
          options: select.options.slice(0, 25).map((o) => ({
            label: fit(o.label, 100),
            value: o.value.slice(0, 100),
            ...(o.description ? { description: fit(o.description, 100) } : {}),
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
  return payload;
}

/** A plain message (errors, notices). */
export function textPayload(text: string, ephemeral: boolean): MessagePayload {
  return { content: fitContent(text), embeds: [], components: [], allowedMentions: { parse: [] }, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

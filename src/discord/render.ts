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
import type { EmbedView, View } from '../views/view.ts';
import type { StateCodec } from './custom-id.ts';
import { LIMITS, truncate } from './limits.ts';

export interface MessagePayload {
  content?: string;
  embeds: APIEmbed[];
  components: APIMessageTopLevelComponent[];
  flags?: MessageFlags.Ephemeral;
  allowedMentions: { parse: [] };
}

const fit = (text: string, max: number): string => truncate(text, max).text;

function embedSize(e: APIEmbed): number {
  return (
    (e.title?.length ?? 0) +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.author?.name.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

function toEmbed(view: EmbedView): APIEmbed {
  const e: APIEmbed = { color: 0x2b6cb0 };
  if (view.title) e.title = fit(view.title, LIMITS.embedTitle);
  if (view.url) e.url = view.url;
  if (view.description) e.description = fit(view.description, LIMITS.embedDescription);
  if (view.author) e.author = { name: fit(view.author, LIMITS.embedAuthor) };
  if (view.footer) e.footer = { text: fit(view.footer, LIMITS.embedFooter) };
  if (view.timestamp) e.timestamp = view.timestamp;
  const fields = (view.fields ?? []).filter((f) => f.name && f.value).slice(0, LIMITS.embedFields);
  if (fields.length > 0) e.fields = fields.map((f) => ({ name: fit(f.name, LIMITS.embedFieldName), value: fit(f.value, LIMITS.embedFieldValue), inline: f.inline ?? false }));
  return e;
}

/** Each text of an embed that can be cut, with the shortest it may become. */
interface Slot {
  get(): string;
  set(text: string): void;
  readonly min: number;
}

function slotsOf(e: APIEmbed): Slot[] {
  const slots: Slot[] = [];
  const add = (get: () => string | undefined, set: (t: string) => void, min: number): void => {
    if (get() !== undefined) slots.push({ get: () => get() ?? '', set, min });
  };
  add(() => e.description, (t) => (e.description = t), 100);
  for (const f of e.fields ?? []) {
    add(() => f.value, (t) => (f.value = t), 20);
    add(() => f.name, (t) => (f.name = t), 20);
  }
  add(() => e.footer?.text, (t) => e.footer && (e.footer.text = t), 40);
  add(() => e.author?.name, (t) => e.author && (e.author.name = t), 40);
  add(() => e.title, (t) => (e.title = t), 40);
  return slots;
}

/** Cuts the longest texts of a message's embeds until together they fit the 6,000-character total. */
function fitTotal(embeds: APIEmbed[]): void {
  const over = (): number => embeds.reduce((n, e) => n + embedSize(e), 0) - LIMITS.embedTotal;
  const slots = embeds.flatMap(slotsOf);
  for (let excess = over(); excess > 0; excess = over()) {
    const longest = slots.reduce<Slot | null>((a, s) => (s.get().length > s.min && (a === null || s.get().length > a.get().length) ? s : a), null);
    if (longest) {
      const text = longest.get();
      longest.set(fit(text, Math.max(text.length - excess, longest.min)));
      continue;
    }
    // Everything is at its shortest: fields go, last first. Only views with dozens of fields get here.
    const last = [...embeds].reverse().find((e) => (e.fields?.length ?? 0) > 0);
    if (!last?.fields) return;
    last.fields.pop();
  }
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
  const embeds = (view.embeds ?? []).slice(0, LIMITS.embedsPerMessage).map(toEmbed);
  fitTotal(embeds);
  const payload: MessagePayload = { embeds, components: await toComponents(view, codec), allowedMentions: { parse: [] } };
  if (view.content) payload.content = fit(view.content, LIMITS.messageContent);
  if (view.ephemeral) payload.flags = MessageFlags.Ephemeral;
  return payload;
}

/** A plain message (errors, notices). */
export function textPayload(text: string, ephemeral: boolean): MessagePayload {
  return { content: fit(text, LIMITS.messageContent), embeds: [], components: [], allowedMentions: { parse: [] }, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

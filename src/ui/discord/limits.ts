/**
 * Discord's size limits as named constants, and the helpers that make text, embeds and URLs fit
 * them: the one place that knows them, used by the Discord front end alone (the renderer, custom
 * ids, autocomplete). Views elsewhere keep budgets of their own. Lengths are counted in UTF-16 code
 * units, which is never less than what Discord counts, so text cut to fit here always fits there.
 */
import type { APIEmbed, APIEmbedAuthor } from 'discord-api-types/v10';
import { embedLength } from 'discord.js';
import { isHttpUrl } from '../../core/model.ts';
import { truncate } from '../../core/text/truncate.ts';

export const LIMITS = {
  messageContent: 2000,
  embedsPerMessage: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  embedFieldName: 256,
  embedFieldValue: 1024,
  embedFooter: 2048,
  embedAuthor: 256,
  /** All embeds of one message together. */
  embedTotal: 6000,
  threadName: 100,
  buttonsPerRow: 5,
  buttonLabel: 80,
  selectPlaceholder: 150,
  selectOptions: 25,
  /** A select option's label, value and description, each. */
  selectOptionText: 100,
  autocompleteChoices: 25,
  choiceName: 100,
  customId: 100,
  nonce: 25,
  /** A webhook's name, and the username a webhook message is sent under. */
  webhookName: 80,
  /** Tags on one forum post. */
  appliedTags: 5,
} as const;

/**
 * `url` when it is an absolute http or https URL, else undefined: Discord refuses any other scheme
 * in an embed (50035), and a `javascript:` link must never reach a reader.
 */
export function httpUrl(url: string | null | undefined): string | undefined {
  return url && isHttpUrl(url) ? url : undefined;
}

const fit = (text: string, max: number): string => truncate(text, max).text;

/**
 * Each embed cut to Discord's limits: every text to its own limit (an empty required text gets a
 * placeholder, since Discord refuses it), at most 25 fields and 10 embeds, non-http(s) URLs dropped,
 * and all embeds together within the 6,000 total. The one place that makes an embed fit.
 */
export function fitEmbeds(embeds: readonly APIEmbed[]): APIEmbed[] {
  const fitted = embeds.slice(0, LIMITS.embedsPerMessage).map((e) => fitEmbed(e));
  fitTotal(fitted);
  return fitted;
}

function fitEmbed(e: APIEmbed): APIEmbed {
  const out: APIEmbed = { ...e };
  if (e.title !== undefined) out.title = fit(e.title, LIMITS.embedTitle);
  if (e.description !== undefined) out.description = fit(e.description, LIMITS.embedDescription);
  const url = httpUrl(e.url);
  if (url === undefined) delete out.url;
  else out.url = url;
  if (e.footer) out.footer = { ...e.footer, text: fit(e.footer.text || '-', LIMITS.embedFooter) };
  if (e.author) {
    const author: APIEmbedAuthor = { ...e.author, name: fit(e.author.name || '-', LIMITS.embedAuthor) };
    const authorUrl = httpUrl(e.author.url);
    if (authorUrl === undefined) delete author.url;
    else author.url = authorUrl;
    out.author = author;
  }
  if (e.fields) {
    out.fields = e.fields
      .slice(0, LIMITS.embedFields)
      .map((f) => ({ ...f, name: fit(f.name || '-', LIMITS.embedFieldName), value: fit(f.value || '-', LIMITS.embedFieldValue) }));
  }
  return out;
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
  add(
    () => e.description,
    (t) => (e.description = t),
    100,
  );
  for (const f of e.fields ?? []) {
    add(
      () => f.value,
      (t) => (f.value = t),
      20,
    );
    add(
      () => f.name,
      (t) => (f.name = t),
      20,
    );
  }
  // The footer is never cut: the delivery engine recognises its posts by it.
  add(
    () => e.author?.name,
    (t) => e.author && (e.author.name = t),
    40,
  );
  add(
    () => e.title,
    (t) => (e.title = t),
    40,
  );
  return slots;
}

/** Cuts the longest texts of a message's embeds until together they fit the 6,000-character total. */
function fitTotal(embeds: APIEmbed[]): void {
  // discord.js's embedLength counts what Discord counts: title, description, field names and values, footer, author.
  const over = (): number => embeds.reduce((n, e) => n + embedLength(e), 0) - LIMITS.embedTotal;
  const slots = embeds.flatMap(slotsOf);
  for (let excess = over(); excess > 0; excess = over()) {
    const longest = slots.reduce<Slot | null>((a, s) => (s.get().length > s.min && (a === null || s.get().length > a.get().length) ? s : a), null);
    if (longest) {
      const text = longest.get();
      longest.set(fit(text, Math.max(text.length - excess, longest.min)));
      continue;
    }
    // Everything is at its shortest: fields go, last first, then whole embeds. Only views with dozens of fields get here.
    const last = [...embeds].reverse().find((e) => (e.fields?.length ?? 0) > 0);
    if (last?.fields) {
      last.fields.pop();
      continue;
    }
    if (embeds.length <= 1) return;
    embeds.pop();
  }
}

/** Message content cut to Discord's 2,000 characters. */
export function fitContent(text: string): string {
  return fit(text, LIMITS.messageContent);
}

/**
 * A digest as one message: a line saying which period it covers, then one embed per article (at
 * most ten, Discord's number of embeds in a message). The message keeps within Discord's sizes by
 * itself, so the renderer never has to cut it: when the articles do not fit the 6,000 characters
 * all embeds may hold together, the lowest-ranked are made shorter first, a step at a time (one
 * sentence, a shorter quote, then title and counts only), and only then are the last ones left
 * out, which the first line says. Every cut is at a sentence or word end and marked.
 */
import type { EmbedField, EmbedView, MessageView } from '../../core/view.ts';
import { CUT_MARK, truncate } from '../../core/text/truncate.ts';
import { blockQuote, escape } from '../views/markdown.ts';
import { type DigestPeriod, describePeriod } from './due.ts';
import type { QuotedPassage } from './pick.ts';
import type { Activity } from './rank.ts';

/**
 * Discord's sizes a digest keeps within (the renderer's own copy is src/ui/discord/limits.ts, which
 * views may not import). All embeds of one message together hold at most 6,000 characters.
 */
export const DIGEST_LIMITS = { embeds: 10, total: 6000, title: 256, author: 256, fieldValue: 1024, content: 2000 } as const;

export interface DigestItem {
  readonly title: string;
  readonly url: string | null;
  readonly source: string | null;
  readonly activity: Activity;
  /** Verbatim sentences, one or two. */
  readonly summary: readonly string[];
  readonly quote: QuotedPassage | null;
  /** The article's thread in this channel, when delivery made one. */
  readonly threadId: string | null;
}

/** How much of an item is shown: 0 everything, 3 its title and counts only. */
type Level = 0 | 1 | 2 | 3;
const SHAPES: Record<Level, { sentences: number; summary: number; quote: number; title: number }> = {
  0: { sentences: 2, summary: 600, quote: 400, title: DIGEST_LIMITS.title },
  1: { sentences: 1, summary: 300, quote: 250, title: DIGEST_LIMITS.title },
  2: { sentences: 1, summary: 150, quote: 120, title: 120 },
  3: { sentences: 0, summary: 0, quote: 0, title: 120 },
};
/** Longer outside texts on a line of their own are cut to this. */
const MAX_ATTRIBUTION = 200;
const MAX_SOURCE = 100;

/**
 * `raw` cut (at a sentence or word end, marked) so that what `render` makes of it has at most `max`
 * characters: rendering escapes, which may lengthen it, so the cut is found by shortening it again.
 */
export function fitRendered(raw: string, max: number, render: (text: string) => string): string {
  let room = max;
  for (;;) {
    // The mark is added after rendering: escaped, its brackets would show backslashes.
    const cut = truncate(raw, room);
    const out = cut.truncated ? render(cut.text.slice(0, -CUT_MARK.length)) + CUT_MARK : render(raw);
    if (out.length <= max || room <= 1) return out.length <= max ? out : '';
    room = Math.max(1, room - (out.length - max));
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function discussionField(item: DigestItem, period: DigestPeriod): EmbedField {
  const { inPeriod, held, declared } = item.activity;
  const parts = [`${plural(inPeriod, 'comment')} this ${period.every === 'weekly' ? 'week' : 'day'}`, `${held} stored`];
  if (declared > 0) parts.push(`${declared} at the source`);
  // A channel mention links to the thread and pings no one.
  const thread = item.threadId ? `\nThread: <#${item.threadId}>` : '';
  return { name: 'Discussion', value: parts.join(' · ') + thread };
}

function quoteField(quote: QuotedPassage, max: number): EmbedField {
  const by = fitRendered(quote.attribution ?? '', MAX_ATTRIBUTION, escape);
  const room = DIGEST_LIMITS.fieldValue - (by ? by.length + 1 : 0);
  const passage = fitRendered(quote.text, Math.min(max, room), blockQuote);
  return { name: `Most quoted, by ${plural(quote.quotedBy, 'comment')}`, value: by ? `${passage}\n${by}` : passage };
}

function summaryText(summary: readonly string[], sentences: number, max: number): string {
  if (sentences === 0 || summary.length === 0) return '';
  const joined = summary.slice(0, sentences).join(' ');
  return fitRendered(joined, max, escape);
}

function embedOf(item: DigestItem, level: Level, period: DigestPeriod): EmbedView {
  const shape = SHAPES[level];
  const fields = [discussionField(item, period)];
  if (item.quote && shape.quote > 0) fields.push(quoteField(item.quote, shape.quote));
  const description = summaryText(item.summary, shape.sentences, shape.summary);
  return {
    title: fitRendered(item.title, shape.title, escape),
    url: item.url,
    ...(item.source && { author: truncate(item.source, MAX_SOURCE).text }),
    ...(description && { description }),
    fields,
  };
}

/** What Discord counts of an embed towards the 6,000: title, description, field names and values, footer, author. */
export function embedChars(e: EmbedView): number {
  const fields = (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  return (e.title?.length ?? 0) + (e.description?.length ?? 0) + fields + (e.footer?.length ?? 0) + (e.author?.length ?? 0);
}

/** The footer of a digest's first embed: how the bot knows, after a crash, that this period's digest is already in the channel. */
export function digestFooter(period: DigestPeriod): string {
  return `Paperboy · ${period.every} digest through ${period.end.toISO({ suppressMilliseconds: true, suppressSeconds: true }) ?? ''}`;
}

/** A forum post's name for the digest: `Daily digest · 1 Dec 2026`. */
export function digestPostName(period: DigestPeriod): string {
  return `${period.every === 'weekly' ? 'Weekly' : 'Daily'} digest · ${period.end.toFormat('d LLL yyyy', { locale: 'en-GB' })}`;
}

function headline(period: DigestPeriod, shown: number, total: number): string {
  const kind = period.every === 'weekly' ? 'Weekly' : 'Daily';
  const which = shown === total ? `${plural(total, 'article')}, most discussed first` : `the ${shown} most discussed of ${total} articles`;
  return `**${kind} digest**, ${describePeriod(period)}: ${which}.`;
}

/**
 * The digest message for `items` (ranked, most discussed first; at most ten are used) of the
 * `total` articles the period had. `items` must not be empty: an empty period posts nothing.
 */
export function digestMessage(items: readonly DigestItem[], total: number, period: DigestPeriod): MessageView {
  const kept = items.slice(0, DIGEST_LIMITS.embeds);
  const levels: Level[] = kept.map(() => 0);
  const footer = digestFooter(period);
  const build = (): EmbedView[] => kept.map((item, i) => ({ ...embedOf(item, levels[i] ?? 3, period), ...(i === 0 && { footer }) }));
  const size = (embeds: readonly EmbedView[]): number => embeds.reduce((n, e) => n + embedChars(e), 0);
  let embeds = build();
  // Shorter first from the lowest-ranked up, one level at a time over all of them.
  for (const level of [1, 2, 3] as const) {
    for (let i = kept.length - 1; i >= 0 && size(embeds) > DIGEST_LIMITS.total; i--) {
      levels[i] = level;
      embeds = build();
    }
  }
  // A guard: at level 3 an article takes under 450 characters (title 120, source 100, counts and
  // thread), so ten fit; should the shapes above change, the last articles go rather than the limit.
  while (embeds.length > 1 && size(embeds) > DIGEST_LIMITS.total) embeds = embeds.slice(0, -1);
  return { content: headline(period, embeds.length, Math.max(total, embeds.length)), embeds };
}

/**
 * /preview's answer, and the words for each verdict that /preview, /test-post and `paperboy
 * preview` share: the latest articles with what the next run does with each, then the post that
 * run makes first, exactly as it will look, with who it would ping, its forum tags and the name it
 * posts under. The answer pings no one: it is ephemeral and its allowed_mentions are empty.
 */
import type { Preview, PreviewDestination, PreviewVerdict, TypedFilter } from '../delivery/preview.ts';
import { DEFAULT_BACKFILL } from '../delivery/subscribe.ts';
import { showBackfill } from '../delivery/subscriptions.ts';
import type { EmbedView, View } from '../../core/view.ts';
import { truncate } from '../../core/text/truncate.ts';
import { escape } from './markdown.ts';
import { inlineCode } from './settings-view.ts';

/** A title in the list is cut here. */
const TITLE_SHOWN = 60;
/** Why a filter blocked an article is cut here. */
const BECAUSE_SHOWN = 120;
/**
 * The list's room: an embed description holds 4,096 characters, and every embed of a message 6,000
 * together. The post's own embeds come first (the renderer would otherwise cut the longest text,
 * perhaps the post's, which must show exactly as it will be posted); lines that do not fit are counted.
 */
const DESCRIPTION_ROOM = 4000;
const EMBEDS_ROOM = 5800;
/** Kept back for the line that counts what did not fit. */
const TAIL_ROOM = 80;

/** An ISO time to the minute, in UTC. */
function minute(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The verdict in plain words; `link` shows a post's address (Markdown on Discord, bare in a terminal), `text` escapes outside text. */
export function verdictText(v: PreviewVerdict, link: (url: string) => string = (u) => u, text: (s: string) => string = (s) => s): string {
  switch (v.kind) {
    case 'post':
      return 'would post';
    case 'filtered':
      return `blocked by filter: ${text(truncate(v.because, BECAUSE_SHOWN, '…').text)}`;
    case 'too-old':
      return `too old: ${minute(v.at)} is more than ${v.maxAgeHours} h ago`;
    case 'digest':
      return 'digest only: it goes in the digest, not a post of its own';
    case 'cap':
      return `over the daily cap: ${v.cap} a day, reached for ${v.day} (UTC) with the posts before it; it goes on a later day`;
    case 'spacing':
      return `spacing: the next post may go at ${minute(v.nextAt)}`;
    case 'posted':
      return `already posted${v.at ? ` ${minute(v.at)}` : ''}${v.link ? `: ${link(v.link)}` : ''}`;
    case 'set-aside':
      return v.retry ? 'set aside, retry asked: the next run tries it again' : `set aside: ${text(truncate(v.reason, BECAUSE_SHOWN, '…').text)}`;
    case 'behind':
      return 'not due: stored before where this subscription started; no run posts it';
    case 'later':
      return 'would post in a later run (more are due before it)';
  }
}

/** How a ping is written: on Discord a mention (shown with the role's or user's name; the answer's allowed_mentions are empty, so it pings no one), in a terminal the id. */
export interface Mentions {
  readonly role: (id: string) => string;
  readonly user: (id: string) => string;
}

export const DISCORD_MENTIONS: Mentions = { role: (id) => `<@&${id}>`, user: (id) => `<@${id}>` };
export const PLAIN_MENTIONS: Mentions = { role: (id) => `@role ${id}`, user: (id) => `@user ${id}` };

/** Discord's snowflakes: only these are written as mentions, so nothing else stored can become one. */
const SNOWFLAKE = /^\d{17,20}$/;
/** Pings named on the line that lists them; the rest are counted (the post's own text shows them all). */
const PINGS_SHOWN = 10;
/** A webhook name shows as Discord takes it: 80 characters at most. */
const WEBHOOK_NAME_SHOWN = 80;
/** Why the run would pause, or why Discord could not be asked, is cut here. */
const REASON_SHOWN = 300;

/** Who a post pings, each once, as `mention` writes them ("" for no one): the renderer's order, roles then users. */
function pingsOf(ping: PreviewDestination['ping'], mention: Mentions): string[] {
  if (!ping) return [];
  const ids = (list: readonly string[]): string[] => [...new Set(list.filter((id) => SNOWFLAKE.test(id)))];
  return [...ids(ping.roles).map(mention.role), ...ids(ping.users).map(mention.user)];
}

/**
 * Where the shown post goes and who it pings, one line each: the pings it would make, the forum
 * tags it would get, the webhook name it would post under, the existing thread it would go into.
 */
export function destinationLines(d: PreviewDestination, mention: Mentions = PLAIN_MENTIONS, text: (s: string) => string = (s) => s): string[] {
  const lines: string[] = [];
  const pings = pingsOf(d.ping, mention);
  const more = pings.length > PINGS_SHOWN ? ` and ${pings.length - PINGS_SHOWN} more` : '';
  lines.push(pings.length > 0 ? `Would ping ${pings.slice(0, PINGS_SHOWN).join(', ')}${more} (this preview pings no one).` : 'Would ping no one.');
  if (d.tags !== null) lines.push(d.tags.length > 0 ? `Forum tags it would get: ${d.tags.join(', ')}.` : 'Forum tags it would get: none (no tag rule passes).');
  if (d.webhookName !== null) lines.push(`Posted through the channel’s webhook as “${text(truncate(d.webhookName, WEBHOOK_NAME_SHOWN, '…').text)}”.`);
  if (d.sharedThread !== null)
    lines.push(`Posted in the existing thread ${mention === DISCORD_MENTIONS ? `<#${d.sharedThread}>` : d.sharedThread}, with no thread of its own.`);
  const reason = (r: string): string => text(truncate(r, REASON_SHOWN, '…').text);
  if (d.pause !== null) lines.push(`But the next run pauses this subscription instead of posting: ${reason(d.pause)}.`);
  if (d.unchecked !== null) lines.push(`Discord could not be asked about the forum’s tags or the thread (${reason(d.unchecked)}): shown as the settings say.`);
  return lines;
}

/** The post's message text as Discord will show it: the pings first, as the renderer puts them, then its own text. */
export function postContent(post: { readonly content?: string }, d: PreviewDestination, mention: Mentions): string | undefined {
  const pings = pingsOf(d.ping, mention).join(' ');
  if (!pings) return post.content || undefined;
  return post.content ? `${pings}\n${post.content}` : pings;
}

/**
 * What a preview with a typed filter says first: that the filter was not saved, and for a channel
 * with no subscription, the backfill it was previewed with (a new subscription takes stored articles
 * only through its backfill). `code` quotes the expression (inline code on Discord, bare in a terminal).
 */
export function typedLines(t: TypedFilter, channel: string, code: (s: string) => string = (s) => s): string[] {
  const lines = [
    t.expression === null
      ? 'With no filter, as you typed (not saved): every article passes it.'
      : `With the filter you typed (not saved): ${code(t.expression)}`,
  ];
  const n = t.assumedBackfill;
  if (n !== null) {
    const byDefault = showBackfill(DEFAULT_BACKFILL) === `latest ${n}` ? '' : ` /subscribe’s default is backfill:${showBackfill(DEFAULT_BACKFILL)}.`;
    lines.push(
      `${channel} has no subscription: shown as if subscribed now with ${t.expression === null ? 'no filter' : 'this filter'}, every source and backfill:latest ${n}, ` +
        `so the latest ${n} articles it passes are due. With backfill:none it would post none of these, only articles stored from then on.${byDefault}`,
    );
  }
  return lines;
}

const MARK: Record<PreviewVerdict['kind'], string> = {
  post: '✅',
  filtered: '🚫',
  'too-old': '⌛',
  digest: '📰',
  cap: '⏸',
  spacing: '⏱',
  posted: '☑',
  'set-aside': '⚠',
  behind: '·',
  later: '⏳',
};

/** The characters an embed counts toward the 6,000 of a message. */
function embedChars(e: EmbedView): number {
  return [e.title, e.description, e.footer, e.author, ...(e.fields ?? []).flatMap((f) => [f.name, f.value])].reduce((n, t) => n + (t?.length ?? 0), 0);
}

/** As many lines as fit in `room` (with the head and tail around them), and a line counting the rest. */
function fitted(lines: readonly string[], room: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const [i, line] of lines.entries()) {
    if (used + line.length + 1 > room) return [...kept, `… and ${lines.length - i} more not shown: ask for fewer with count:`];
    kept.push(line);
    used += line.length + 1;
  }
  return kept;
}

export function previewView(p: Preview): View {
  const items = p.items.map(
    (i) => `${MARK[i.verdict.kind]} “${escape(truncate(i.title, TITLE_SHOWN, '…').text)}”: ${verdictText(i.verdict, (u) => `[message](${u})`, escape)}`,
  );
  const from = p.source === null ? 'every source' : escape(p.source);
  const typed = p.typed ? [...typedLines(p.typed, `<#${p.channelId}>`, inlineCode), ''] : [];
  const head =
    typed.join('\n') +
    (p.items.length === 0
      ? `No stored articles from ${from} yet.`
      : `The latest ${p.items.length === 1 ? 'article' : `${p.items.length} articles`} from ${from}, newest first, and what the next run does with each:`);
  const where = p.next?.destination.sharedThread != null ? '' : ` (thread “${escape(truncate(p.next?.threadName ?? '', TITLE_SHOWN, '…').text)}”)`;
  const next = [
    !p.next
      ? 'No article would be posted now.'
      : p.next.sample
        ? `No article would be posted now. Below: how “${escape(truncate(p.next.title, TITLE_SHOWN, '…').text)}” would look.`
        : `Below: the next post, “${escape(truncate(p.next.title, TITLE_SHOWN, '…').text)}”, exactly as it will look${where}.`,
    ...(p.next ? destinationLines(p.next.destination, DISCORD_MENTIONS, escape) : []),
  ].join('\n');
  const post = p.next?.post;
  const content = p.next ? postContent(p.next.post, p.next.destination, DISCORD_MENTIONS) : undefined;
  const title = `Preview: #${escape(p.channelName)}`;
  const room =
    Math.min(DESCRIPTION_ROOM, EMBEDS_ROOM - (post?.embeds ?? []).reduce((n, e) => n + embedChars(e), 0)) -
    title.length -
    head.length -
    next.length -
    TAIL_ROOM;
  const lines = fitted(items, Math.max(0, room));
  return {
    ephemeral: true,
    ...(content ? { content: `The post's message text:\n${content}` } : {}),
    embeds: [{ title, description: [head, ...lines, '', next].join('\n') }, ...(post?.embeds ?? [])],
  };
}

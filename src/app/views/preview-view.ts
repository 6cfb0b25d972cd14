/**
 * /preview's answer, and the words for each verdict that /preview, /test-post and `paperboy
 * preview` share: the latest articles with what the next run does with each, then the post that
 * run makes first, exactly as it will look.
 */
import type { Preview, PreviewVerdict } from '../delivery/preview.ts';
import type { EmbedView, View } from '../../core/view.ts';
import { truncate } from '../../core/text/truncate.ts';
import { escape } from './markdown.ts';

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
  const head =
    p.items.length === 0
      ? `No stored articles from ${from} yet.`
      : `The latest ${p.items.length === 1 ? 'article' : `${p.items.length} articles`} from ${from}, newest first, and what the next run does with each:`;
  const next = !p.next
    ? 'No article would be posted now.'
    : p.next.sample
      ? `No article would be posted now. Below: how “${escape(truncate(p.next.title, TITLE_SHOWN, '…').text)}” would look.`
      : `Below: the next post, “${escape(truncate(p.next.title, TITLE_SHOWN, '…').text)}”, exactly as it will look (thread “${escape(truncate(p.next.threadName, TITLE_SHOWN, '…').text)}”).`;
  const post = p.next?.post;
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
    ...(post?.content ? { content: `The post's message text:\n${post.content}` } : {}),
    embeds: [{ title, description: [head, ...lines, '', next].join('\n') }, ...(post?.embeds ?? [])],
  };
}

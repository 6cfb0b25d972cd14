/** Terminal text for summaries, quotes and discussion digests. JSON output does not come through here. */
import type { Article } from '../../core/model.ts';
import { commentText } from '../../core/model.ts';
import type { CommentRef, DiscussionDigest } from '../../core/text/digest.ts';
import type { Citation } from '../../app/library/quote.ts';
import type { Quote } from '../../core/text/quote.ts';
import type { SummarySentence } from '../../core/text/summarize.ts';
import { commentTime, showTime } from './render.ts';
import { placeOf } from '../../app/views/format.ts';
import { commentSource, commentUrl, isImported } from '../../app/views/comment-source.ts';

/** What `summarize --json` prints for each article. */
export interface SummaryView {
  readonly id: string;
  readonly title: string;
  readonly sentences: readonly SummarySentence[];
}

/** What `quote --json` prints: always an object, with `quote: null` when nothing matched. */
export interface QuoteView {
  readonly id: string;
  readonly title: string;
  readonly about: string | null;
  readonly from: 'article' | 'comments';
  readonly quote: Quote | null;
  /** Who and where the quote comes from (for a comment from elsewhere, its platform and link); null when nothing matched. */
  readonly citation: Citation | null;
}

const EXCERPT_CHARS = 80;

/** The opening words of a text, on one line, cut at a word boundary. */
function excerpt(text: string, max = EXCERPT_CHARS): string {
  const flat = text.replace(/\s+/gu, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

function commentLabel(c: Pick<CommentRef, 'id' | 'number'>): string {
  return c.number === null ? c.id : `#${c.number}`;
}

export function renderSummary(view: SummaryView): string {
  const lines = [view.title, ''];
  if (view.sentences.length === 0) lines.push('(nothing to summarize within the limits)');
  for (const s of view.sentences) lines.push(s.section === null ? s.text : `${s.text}  [${s.section}]`);
  return lines.join('\n');
}

export function renderQuote(view: QuoteView, citation: Citation | null): string {
  const q = view.quote;
  if (!q || !citation) {
    const about = view.about === null ? '' : ` about "${view.about}"`;
    return `No passage${about} in ${view.from === 'comments' ? 'the comments on ' : ''}"${view.title}".`;
  }
  const lines = q.text.split('\n').map((l) => `> ${l}`);
  if (citation.kind === 'article') lines.push(`— ${citation.title}, ${citation.place}`);
  else if (citation.source && citation.source !== 'Discord') {
    const parts = [`${citation.author ?? 'unknown author'} on ${citation.source}`];
    if (citation.postedAt) parts.push(commentTime(citation.postedAt));
    if (citation.rating !== null) parts.push(`score ${citation.rating}`);
    lines.push(`— ${parts.join(', ')}, on "${citation.title}"`);
    if (citation.url) lines.push(`  ${citation.url}`);
  } else {
    const parts = [`comment ${commentLabel(citation.comment)}`];
    if (citation.author) parts.push(`by ${citation.author}`);
    if (citation.postedAt) parts.push(showTime(citation.postedAt));
    if (citation.rating !== null) parts.push(`rating ${citation.rating}`);
    lines.push(`— ${parts.join(', ')}, on "${citation.title}"`);
  }
  return lines.join('\n');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** An imported comment by its author and platform (its id means nothing to a reader); others by their label, as before. */
function whoWrote(ref: Pick<CommentRef, 'id' | 'number' | 'author'>, comment: (Pick<CommentRef, 'id'> & { url?: string | null }) | undefined): string {
  const c = { id: ref.id, url: comment?.url ?? null };
  return isImported(c) ? `${ref.author ?? 'unknown author'} on ${commentSource(c)}` : commentLabel(ref);
}

export function renderDigest(article: Pick<Article, 'title' | 'body' | 'comments'>, d: DiscussionDigest): string {
  const lines = [`Discussion of "${article.title}"`, ''];
  if (d.count === 0) {
    lines.push('No comments yet.');
    return lines.join('\n');
  }
  const span = d.firstAt === null ? '' : d.firstAt === d.lastAt ? `, ${showTime(d.firstAt)}` : `, ${showTime(d.firstAt)} to ${showTime(d.lastAt)}`;
  lines.push(`${plural(d.count, 'comment')}${span}`);

  const r = d.ratings;
  if (r.rated > 0 && r.mean !== null) {
    lines.push('', `Ratings: ${r.rated} rated, from ${r.min} to ${r.max}, mean ${Number(r.mean.toFixed(2))}`);
    const labels = r.histogram.map((b) => (b.from === b.to ? String(b.from) : `${b.from} to ${b.to}`));
    const width = Math.max(...labels.map((l) => l.length));
    r.histogram.forEach((b, i) => lines.push(`  ${(labels[i] ?? '').padStart(width)}: ${b.count}`));
  }

  if (d.top.length > 0) {
    lines.push('', 'Top comments:');
    for (const ref of d.top) {
      const comment = article.comments.find((c) => c.id === ref.id);
      const text = comment ? excerpt(commentText(comment)) : '';
      const rating = comment && isImported(comment) ? `score ${ref.rating}` : `rating ${ref.rating}`;
      lines.push(`  ${whoWrote(ref, comment)} (${rating}): ${comment?.deleted ? '(deleted at the source)' : text || '(no text)'}`);
    }
  }

  if (d.liveliest.length > 0) {
    lines.push('', 'Liveliest threads:');
    for (const t of d.liveliest) {
      const who = whoWrote(t.root, t.root);
      const counts = [`${t.replies} ${t.replies === 1 ? 'reply' : 'replies'}`, plural(t.authors, 'author'), t.score === null ? null : `score ${t.score}`];
      const opening = t.opening === null ? (t.root.deleted ? '(deleted at the source)' : '(no text)') : `"${t.opening.replace(/\s+/gu, ' ')}"`;
      lines.push(`  ${who} (${counts.filter(Boolean).join(', ')}): ${opening}`);
      const url = commentUrl(t.root);
      if (url) lines.push(`    ${url}`);
    }
  }

  // Passages argued over (replies under the quoting comments) say so; otherwise the quoted ones, as before.
  if (d.argued.some((p) => p.replies > 0)) {
    lines.push('', 'Most argued passages:');
    for (const p of d.argued) {
      const replies = `${p.replies} ${p.replies === 1 ? 'reply' : 'replies'}`;
      lines.push(`  ${plural(p.quotes, 'quote')}, ${replies} under ${p.quotes === 1 ? 'it' : 'them'}, ${placeOf(article.body, p.block)}: "${excerpt(p.text)}"`);
    }
  } else if (d.quoted.length > 0) {
    lines.push('', 'Most quoted passages:');
    for (const q of d.quoted) {
      lines.push(`  ${plural(q.comments, 'comment')}, ${placeOf(article.body, q.block)}: "${excerpt(q.text)}"`);
    }
  }

  if (d.summary.length > 0) {
    lines.push('', 'What readers said:');
    for (const s of d.summary)
      lines.push(
        `  ${whoWrote(
          s.comment,
          article.comments.find((c) => c.id === s.comment.id),
        )}: ${s.text.replace(/\s+/gu, ' ')}`,
      );
  }
  return lines.join('\n');
}

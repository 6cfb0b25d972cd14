/** Terminal text for articles, lists and search results. JSON output does not come through here. */
import type { Article, Comment } from '../../core/model.ts';
import { treeOrder } from '../../core/tree.ts';
import { commentSource, commentUrl, isImported, scoreText } from '../../app/views/comment-source.ts';
import { type CommentOrigin, originKey } from '../../app/library/search.ts';
import type { ArticleSummary } from '../../adapters/store/contract.ts';
import type { SearchHit, SearchResult } from '../../adapters/store/contract.ts';

const BOLD = '\u001b[1m';
const RESET = '\u001b[22m';

/** `2021-10-20T10:12` → `2021-10-20 10:12`; seconds and offsets are kept as given. */
export function showTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ') : '';
}

/** showTime without a zero fraction of a second (`03:13:41.000Z`, as platforms' epoch seconds become), for comments. */
export function commentTime(iso: string | null): string {
  return showTime(iso === null ? null : iso.replace(/\.0+(?=Z$|[+-]\d\d:\d\d$|$)/, ''));
}

function meta(parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => Boolean(p)).join(' · ');
}

export function renderArticle(a: Article): string {
  const lines = [a.title, '='.repeat(Math.min(a.title.length, 80))];
  const header = meta([a.source, a.author, showTime(a.publishedAt), a.url, `id ${a.id}`]);
  lines.push(header, '');
  for (const block of a.body) {
    if (block.type === 'heading') lines.push('', `## ${block.text}`, '');
    else if (block.type === 'quote') {
      lines.push(`> ${block.text}`);
      if (block.attribution) lines.push(block.attribution);
      lines.push('');
    } else lines.push(block.text, '');
  }
  const declared = a.declaredCommentCount;
  const count = declared !== null && declared !== a.comments.length ? `${a.comments.length} of ${declared} comments` : `${a.comments.length} comments`;
  lines.push('', `--- ${count}${a.commentsUrl ? ` (at the source: ${a.commentsUrl})` : ''} ---`);
  for (const { comment: c, depth } of treeOrder(a.comments)) lines.push('', ...commentLines(c, depth));
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd();
}

/** Indentation stops growing here (two spaces a level), so a reply nine deep still has room to read. */
export const MAX_INDENT_DEPTH = 6;

/**
 * A comment as terminal lines, indented two spaces per depth: its header (number or id, author,
 * time, score or rating, edited, deleted, where and the link), then its text four spaces further in.
 * Past MAX_INDENT_DEPTH the header says the depth instead.
 */
export function commentLines(c: Comment, depth: number): string[] {
  const pad = '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
  const label = c.number === null ? c.id : `#${c.number}`;
  const deeper = depth > MAX_INDENT_DEPTH ? `(depth ${depth})` : null;
  const source = isImported(c) ? `on ${commentSource(c)}` : null;
  const header = meta([
    label,
    c.author,
    commentTime(c.postedAt),
    scoreText(c),
    c.editedAt ? '(edited)' : null,
    c.deleted ? '(deleted at the source)' : null,
    deeper,
    source,
    commentUrl(c),
  ]);
  const out = [`${pad}${header}`];
  if (!c.deleted) for (const p of c.paragraphs) out.push(...p.split('\n').map((l) => `${pad}    ${l}`), '');
  return out;
}

export function renderList(rows: readonly ArticleSummary[]): string {
  if (rows.length === 0) return 'No articles stored yet. Add some with `paperboy ingest PATH`.';
  return rows
    .map((r) => `${r.id}  ${showTime(r.publishedAt ?? r.ingestedAt).slice(0, 10)}  ${r.title}${r.source ? `  (${r.source})` : ''}  [${r.comments} comments]`)
    .join('\n');
}

function highlight(hit: SearchHit, tty: boolean): string {
  const [open, close] = tty ? [BOLD, RESET] : ['**', '**'];
  let out = '';
  let at = 0;
  for (const [s, e] of hit.highlights) {
    out += hit.snippet.slice(at, s) + open + hit.snippet.slice(s, e) + close;
    at = e;
  }
  return (out + hit.snippet.slice(at)).replace(/\s+/g, ' ');
}

/**
 * Search results as text. `origins` (from commentOrigins) names where each comment hit was written
 * and links it; without it, comments are named by their id as before.
 */
export function renderSearch(result: SearchResult, tty: boolean, origins: ReadonlyMap<string, CommentOrigin> = new Map()): string {
  if (result.hits.length === 0) return `No results for "${result.query}".`;
  const first = result.offset + 1;
  const last = result.offset + result.hits.length;
  const total = result.totalCapped ? `more than ${result.total}` : String(result.total);
  const lines = [`Results ${first}–${last} of ${total} for "${result.query}":`];
  result.hits.forEach((hit, i) => {
    const origin = origins.get(originKey(hit));
    const elsewhere = origin?.source && origin.source !== 'Discord' ? origin.source : null;
    const where = !hit.comment
      ? meta(['article', hit.source, showTime(hit.publishedAt)])
      : elsewhere
        ? meta([`comment by ${hit.comment.author ?? 'unknown author'} on ${elsewhere}`, commentTime(hit.comment.postedAt), origin?.url])
        : meta([`comment #${hit.comment.number ?? hit.comment.id}`, hit.comment.author, showTime(hit.comment.postedAt)]);
    lines.push('', `${first + i}. ${hit.title}  [${hit.articleId}]`, `   ${where}`, `   ${highlight(hit, tty)}`);
  });
  return lines.join('\n');
}

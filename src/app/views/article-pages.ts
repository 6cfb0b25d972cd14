/**
 * An article as Discord-sized pages of markdown: the body first, then the comments. Source text is
 * escaped so it shows as written; long paragraphs and comments are cut at sentence ends.
 */
import type { Article, Block, Comment } from '../../core/model.ts';
import { truncate } from '../../core/text/truncate.ts';
import { chunk, pack } from '../../core/text/chunk.ts';
import { isThreadReply } from '../../core/comments.ts';
import { commentLabel, plural, showTime } from './format.ts';
import { blockQuote, escape } from './markdown.ts';
import { isTree, treePages } from './tree-pages.ts';
import { isImported } from './comment-source.ts';

/** Room for one page: well inside an embed description (4,096), so a page reads in one screen. */
export const PAGE_CHARS = 3000;

export interface ArticlePages {
  readonly pages: readonly string[];
  /** Index of the first comment page, or null when there are no comments. */
  readonly firstCommentPage: number | null;
  /** For a discussion shown as a tree: the index of the first page of each answered top-level comment's subtree. */
  readonly threadStarts?: readonly number[];
}

const length = (s: string): number => s.length;

function blockParts(block: Block): string[] {
  if (block.type === 'heading') return chunk(block.text, PAGE_CHARS - 4, (s) => escape(s).length).map((t) => `**${escape(t)}**`);
  if (block.type === 'quote') {
    const parts = chunk(block.text, PAGE_CHARS, (s) => blockQuote(s).length).map(blockQuote);
    if (block.attribution) parts.push(...chunk(block.attribution, PAGE_CHARS, (s) => escape(s).length).map(escape));
    return parts;
  }
  return chunk(block.text, PAGE_CHARS, (s) => escape(s).length).map(escape);
}

/**
 * A commenter's name and a comment's label are outside text of any length; a header holds at most
 * this much of each (a cut name ends in "…"), so a header always leaves room for the comment.
 */
const HEADER_NAME_CHARS = 100;

export function commentHeader(c: Comment): string {
  const short = (text: string): string => truncate(text, HEADER_NAME_CHARS, '…').text;
  // A numbered comment's label is ours (#12); one without a number shows its id, which is outside text.
  const label = c.number !== null || isThreadReply(c) ? commentLabel(c).replace(/^comment /, '') : escape(short(c.id));
  const parts = [`**${label}**`];
  if (c.author) parts.push(escape(short(c.author)));
  if (c.postedAt) parts.push(showTime(c.postedAt));
  if (c.rating !== null) parts.push(`rating ${c.rating}`);
  return parts.join(' · ');
}

function commentParts(c: Comment): string[] {
  const quoted = new Set(c.quotes.map((q) => q.paragraph));
  const body = c.paragraphs.flatMap((p, i) =>
    quoted.has(i) ? chunk(p, PAGE_CHARS, (s) => blockQuote(s).length).map(blockQuote) : chunk(p, PAGE_CHARS, (s) => escape(s).length).map(escape),
  );
  if (body.length === 0) body.push('*(no text)*');
  // The header stays with the comment's first part.
  const [first = '', ...rest] = body;
  const head = `${commentHeader(c)}\n${first}`;
  return head.length <= PAGE_CHARS ? [head, ...rest] : [commentHeader(c), ...body];
}

export function articlePages(article: Article): ArticlePages {
  const body = pack(article.body.flatMap(blockParts), PAGE_CHARS, length, '\n\n');
  if (body.length === 0) body.push('*(this article has no text)*');
  if (article.comments.length === 0) return { pages: body, firstCommentPage: null };
  const heading = `**${plural(article.comments.length, 'comment')}**`;
  // A discussion where comments answer comments, or one from a platform (scores, edits, links), reads
  // as a tree; the export's and thread replies, flat, as before.
  if (isTree(article.comments) || article.comments.some(isImported)) {
    const tree = treePages(article.comments, heading, PAGE_CHARS, commentHeader);
    return { pages: [...body, ...tree.pages], firstCommentPage: body.length, threadStarts: tree.threadStarts.map((i) => i + body.length) };
  }
  const comments = pack([heading, ...article.comments.flatMap(commentParts)], PAGE_CHARS, length, '\n\n');
  return { pages: [...body, ...comments], firstCommentPage: body.length };
}

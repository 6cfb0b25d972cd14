/**
 * A discussion as pages of a tree, for /article: each top-level subtree (a root comment and its
 * replies) starts a page of its own and continues on the next when it does not fit; a reply's lines
 * carry a marker per depth. Roots nobody answered are packed together, as flat comments are today.
 */
import type { Comment } from '../../core/model.ts';
import { chunk, pack } from '../../core/text/chunk.ts';
import { truncate } from '../../core/text/truncate.ts';
import { type TreeNode, treeOrder } from '../../core/tree.ts';
import { isThreadReply } from '../../core/comments.ts';
import { commentSource, commentUrl, isImported, scoreText } from './comment-source.ts';
import { commentTime } from './format.ts';
import { blockQuote, escape } from './markdown.ts';

/** A commenter's name is outside text of any length: a header holds at most this much of it. */
const NAME_CHARS = 100;
/** Past this depth the marker gives the depth as a number, so a hostile chain of replies stays short. */
const MARKER_DEPTH = 8;
const MARK = '›';
/** Said at the top of a page that goes on with the subtree of the page before. */
export const CONTINUED = '*(continued)*';

/** Whether any comment answers another that is there: the discussion is a tree, not a flat list. */
export function isTree(comments: readonly Pick<Comment, 'id' | 'replyTo'>[]): boolean {
  return treeOrder(comments).some((n) => n.depth > 0);
}

/** `›` once per depth (none for a root), or `›×12` past MARKER_DEPTH. */
export function depthMarker(depth: number): string {
  if (depth <= 0) return '';
  return depth <= MARKER_DEPTH ? MARK.repeat(depth) : `${MARK}×${depth}`;
}

/** Every line of `text` after the marker (nothing for a root). */
function indent(text: string, marker: string): string {
  return marker === '' ? text : text.replace(/^/gm, `${marker} `);
}

/**
 * A tree comment's header: its number (export comments) or its author in bold, the time, the score,
 * "(edited)", "(deleted at the source)" and a link to the original. Source text is escaped.
 */
export function treeCommentHeader(c: Comment): string {
  const name = c.author ? escape(truncate(c.author, NAME_CHARS, '…').text) : null;
  const parts: string[] = [];
  if (c.number !== null) parts.push(`**#${c.number}**`, ...(name ? [name] : []));
  else if (name) parts.push(`**${name}**`);
  else parts.push(isThreadReply(c) ? '**a thread reply**' : '**unknown author**');
  if (c.postedAt) parts.push(commentTime(c.postedAt));
  const score = scoreText(c);
  if (score) parts.push(score);
  if (c.editedAt) parts.push('(edited)');
  if (c.deleted) parts.push('(deleted at the source)');
  const url = commentUrl(c);
  if (url) parts.push(`[on ${escape(commentSource(c) ?? 'the source')}](${url.replace(/\)/g, '%29')})`);
  return parts.join(' · ');
}

/** How a comment that is not from a platform (the export's, a thread reply) is headed: as on flat pages. */
export type PlainHeader = (c: Comment) => string;

/** A tree comment's parts, each within `max` once marked: the header rides with the first paragraph. */
function treeCommentParts(node: TreeNode, max: number, plainHeader: PlainHeader): string[] {
  const c = node.comment;
  const marker = depthMarker(node.depth);
  const quoted = new Set(c.quotes.map((q) => q.paragraph));
  // Text and marker are measured together, so a part never grows past the page once marked.
  const plain = (s: string): number => indent(escape(s), marker).length;
  const quote = (s: string): number => indent(blockQuote(s), marker).length;
  const body = c.deleted
    ? []
    : c.paragraphs.flatMap((p, i) =>
        quoted.has(i) && marker === ''
          ? chunk(p, max, quote).map((s) => indent(blockQuote(s), marker))
          : // After a marker a block quote would not start its line: the quotation shows in quotation marks.
            quoted.has(i)
            ? chunk(p, max - 2, plain).map((s) => indent(`“${escape(s)}”`, marker))
            : chunk(p, max, plain).map((s) => indent(escape(s), marker)),
      );
  if (body.length === 0 && !c.deleted) body.push(indent('*(no text)*', marker));
  // Only a comment from a platform has a score, an edit time, a deletion or a link to show.
  const header = indent(isImported(c) ? treeCommentHeader(c) : plainHeader(c), marker);
  const [first, ...rest] = body;
  if (first === undefined) return [truncate(header, max).text];
  const head = `${header}\n${first}`;
  return head.length <= max ? [head, ...rest] : [truncate(header, max).text, ...body];
}

/** Groups of tree nodes that start a page: a root with its replies, or a run of roots nobody answered. */
function subtrees(nodes: readonly TreeNode[]): TreeNode[][] {
  const groups: TreeNode[][] = [];
  let lone: TreeNode[] = [];
  nodes.forEach((node, i) => {
    if (node.depth > 0) {
      groups[groups.length - 1]?.push(node);
      return;
    }
    const answered = (nodes[i + 1]?.depth ?? 0) > 0;
    if (!answered) {
      if (lone.length === 0) groups.push((lone = []));
      lone.push(node);
    } else {
      lone = [];
      groups.push([node]);
    }
  });
  return groups;
}

export interface TreePages {
  readonly pages: string[];
  /** Index (into `pages`) of the first page of each subtree with replies, in order: where "Next thread" goes. */
  readonly threadStarts: number[];
}

/**
 * The comment pages of a tree: `heading` first, then one run of pages per subtree, each page within
 * `max` characters; a subtree's later pages start with CONTINUED.
 */
export function treePages(comments: readonly Comment[], heading: string, max: number, plainHeader: PlainHeader): TreePages {
  const room = max - CONTINUED.length - 2;
  const pages: string[] = [];
  const threadStarts: number[] = [];
  subtrees(treeOrder(comments)).forEach((group, g) => {
    const parts = group.flatMap((node) => treeCommentParts(node, room, plainHeader));
    // Only a subtree is continued: a run of unanswered roots simply goes on, as flat comments do.
    const answered = group.length > 1 && (group[1]?.depth ?? 0) > 0;
    if (answered) threadStarts.push(pages.length);
    pack(g === 0 ? [heading, ...parts] : parts, room, (s) => s.length, '\n\n').forEach((page, i) =>
      pages.push(i === 0 || !answered ? page : `${CONTINUED}\n\n${page}`),
    );
  });
  return { pages, threadStarts };
}

/**
 * Hacker News items into a Discussion, from either API: Algolia's `items/ID` (the whole tree in one
 * nested answer) or the official Firebase API's items (one per request, linked by `kids` and
 * `parent`; a saved file holds one item or an array of the story and its comments). Comment ids
 * are `hn:<id>`; the story is the article (its own text as the body, its link as the URL).
 */
import { ParseError } from '../../core/errors.ts';
import { Article, type Block, type Comment, articleId, isHttpUrl } from '../../core/model.ts';
import { linkCommentQuotes } from '../sources/comment-quotes.ts';
import type { ParseOptions } from '../sources/parse-options.ts';
import { hnParagraphs } from './hackernews-html.ts';
import { type HnNode, algoliaNode, firebaseNode } from './hackernews-nodes.ts';
import { type JsonObject, describe, int, isObject } from './markup-json.ts';
import type { Discussion } from './types.ts';
import { CappedWarnings } from './warnings.ts';

export const HN_ITEM_PAGE = 'https://news.ycombinator.com/item?id=';
const TYPES = new Set(['story', 'comment', 'job', 'poll', 'pollopt']);

function isFirebaseItem(value: unknown): value is JsonObject {
  return isObject(value) && int(value, 'id') !== null && typeof value.type === 'string' && TYPES.has(value.type) && !('children' in value);
}

function isAlgoliaItem(value: unknown): value is JsonObject {
  return isObject(value) && int(value, 'id') !== null && Array.isArray(value.children) && ('created_at_i' in value || 'story_id' in value || 'author' in value);
}

/** Whether `json` is a saved Hacker News item: Algolia's tree, or an official API item (or an array of them). */
export function looksLikeHackerNews(json: unknown): boolean {
  if (Array.isArray(json)) return json.length > 0 && json.some(isFirebaseItem) && json.every((x) => x === null || isFirebaseItem(x));
  return isAlgoliaItem(json) || isFirebaseItem(json);
}

/** A saved Hacker News item (either API) as a Discussion; `where` names the file or URL in messages. */
export function parseHackerNews(where: string, json: unknown, options: ParseOptions = {}): Discussion {
  if (isAlgoliaItem(json)) return parseAlgolia(where, json, options);
  if (isFirebaseItem(json)) return parseFirebaseItems(where, [json], int(json, 'id') ?? 0, options);
  // Detection wants every element an item; once asked to read, an odd element is a warning, not the end.
  if (Array.isArray(json) && json.some(isFirebaseItem)) {
    const list: readonly unknown[] = json;
    const root = list.find((x): x is JsonObject => isFirebaseItem(x) && x.type !== 'comment' && x.type !== 'pollopt');
    if (!root) throw new ParseError(where, null, 'the story among the Hacker News items (an item of type story, job or poll), but all are comments');
    return parseFirebaseItems(where, list, int(root, 'id') ?? 0, options);
  }
  throw new ParseError(
    where,
    null,
    `a Hacker News item (Algolia's \`items/ID\` with \`children\`, or the official API's items with \`id\` and \`type\`), got ${describe(json)}`,
  );
}

/** Algolia's nested tree, walked with an explicit stack (a hostile file may nest a million deep). */
function walkAlgolia(where: string, json: JsonObject): { root: HnNode; nodes: HnNode[]; warnings: CappedWarnings } {
  const warnings = new CappedWarnings(where);
  const root = algoliaNode(json);
  const nodes: HnNode[] = [];
  const seen = new Set<number>([root.id]);
  const stack: { item: unknown; parent: number }[] = [];
  const pushKids = (item: JsonObject, parent: number): void => {
    const kids = Array.isArray(item.children) ? item.children : [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ item: kids[i], parent });
  };
  pushKids(json, root.id);
  while (stack.length > 0) {
    const { item, parent } = stack.pop()!;
    if (!isObject(item) || int(item, 'id') === null) {
      warnings.add('item', 'an entry among `children` without a numeric `id` was skipped, with its replies');
      continue;
    }
    const node = algoliaNode(item, parent);
    if (seen.has(node.id)) {
      warnings.add('repeat', `item ${node.id} appears twice; the second copy was skipped`);
      continue;
    }
    seen.add(node.id);
    nodes.push(node);
    pushKids(item, node.id);
  }
  return { root, nodes, warnings };
}

function parseAlgolia(where: string, json: JsonObject, options: ParseOptions): Discussion {
  const { root, nodes, warnings } = walkAlgolia(where, json);
  return toDiscussion(where, root, nodes, warnings, options);
}

/**
 * The comments under an Algolia `items/ID` node, whatever the node is: a story, or a comment whose
 * replies were asked for (replies to it then answer `hn:<its id>`). For the fetcher, and for a
 * saved subthread, which alone is no article. Quotes are not linked: the caller has the article.
 */
export function algoliaComments(where: string, json: unknown): { comments: Comment[]; warnings: string[] } {
  if (!isAlgoliaItem(json)) throw new ParseError(where, null, `an Algolia \`items/ID\` answer (an item with \`id\` and \`children\`), got ${describe(json)}`);
  const { root, nodes, warnings } = walkAlgolia(where, json);
  const story = root.parent === null ? root.id : (int(json, 'story_id') ?? -1);
  return { comments: nodes.map((n) => toComment(n, story)), warnings: warnings.done() };
}

/**
 * Official API items as a Discussion: the item `rootId` is the story, the others its comments,
 * placed in the order of each item's `kids` (HN's ranking), depth first. Items no `kids` reach are
 * kept after them, answering their `parent`. Exported for the fetcher, which gathers the items.
 */
export function parseFirebaseItems(where: string, items: readonly unknown[], rootId: number, options: ParseOptions = {}): Discussion {
  const warnings = new CappedWarnings(where);
  const byId = new Map<number, JsonObject>();
  for (const item of items) {
    if (item === null) continue;
    if (!isFirebaseItem(item)) {
      warnings.add('item', `an entry that is not a Hacker News item (${describe(item)}) was skipped`);
      continue;
    }
    const id = int(item, 'id') ?? 0;
    if (byId.has(id)) warnings.add('repeat', `item ${id} appears twice; the second copy was skipped`);
    else byId.set(id, item);
  }
  const rootItem = byId.get(rootId);
  if (!rootItem) throw new ParseError(where, null, `the story, item ${rootId}, among the items`);
  const root = firebaseNode(rootItem);
  const nodes: HnNode[] = [];
  const placed = new Set<number>([rootId]);
  const place = (item: JsonObject): void => {
    const node = firebaseNode(item);
    if (item.type !== 'comment') {
      warnings.add('type', `item ${node.id} is a ${String(item.type)}, not a comment; it was skipped`);
      return;
    }
    nodes.push(node);
  };
  const stack: number[] = [];
  const pushKids = (item: JsonObject): void => {
    const kids = Array.isArray(item.kids) ? item.kids : [];
    for (let i = kids.length - 1; i >= 0; i--) if (typeof kids[i] === 'number') stack.push(kids[i] as number);
  };
  pushKids(rootItem);
  while (stack.length > 0) {
    const id = stack.pop()!;
    const item = byId.get(id);
    if (!item || placed.has(id)) continue;
    placed.add(id);
    place(item);
    pushKids(item);
  }
  for (const [id, item] of byId) {
    if (placed.has(id)) continue;
    placed.add(id);
    place(item);
  }
  return toDiscussion(where, root, nodes, warnings, options);
}

function toBlocks(html: string | null): Block[] {
  if (html === null) return [];
  return hnParagraphs(html).map((p) => (p.quoted ? { type: 'quote', text: p.text, attribution: null } : { type: 'paragraph', text: p.text }));
}

/** `storyId`: replies to it are top-level comments (`replyTo` null). */
function toComment(node: HnNode, storyId: number): Comment {
  const gone = node.deleted || node.dead;
  const comment: Comment = {
    id: `hn:${node.id}`,
    number: null,
    author: node.author,
    authorId: null,
    postedAt: node.postedAt,
    // HN shows no score for comments.
    rating: null,
    paragraphs: gone || node.text === null ? [] : hnParagraphs(node.text).map((p) => p.text),
    quotes: [],
    replyTo: node.parent === null || node.parent === storyId ? null : `hn:${node.parent}`,
    url: `${HN_ITEM_PAGE}${node.id}`,
  };
  return gone ? { ...comment, deleted: true } : comment;
}

function toDiscussion(where: string, root: HnNode, nodes: readonly HnNode[], warnings: CappedWarnings, options: ParseOptions): Discussion {
  const title = (root.title ?? '').trim();
  if (title === '')
    throw new ParseError(where, null, `the story (item ${root.id}) to have a \`title\`; a comment alone is not a discussion Paperboy can store`);
  const page = `${HN_ITEM_PAGE}${root.id}`;
  const url = root.url !== null && isHttpUrl(root.url) ? root.url : page;
  const body = root.deleted || root.dead ? [] : toBlocks(root.text);
  const comments = linkCommentQuotes(
    body,
    nodes.map((n) => toComment(n, root.id)),
  );
  const held = comments.filter((c) => !c.deleted).length;
  const candidate = {
    id: articleId({ url, source: 'Hacker News', title }),
    title,
    url,
    source: 'Hacker News',
    author: root.author,
    publishedAt: root.postedAt,
    language: null,
    body,
    comments,
    declaredCommentCount: root.descendants,
    commentsUrl: page,
    ingestedAt: (options.now ?? new Date()).toISOString(),
  };
  const parsed = Article.safeParse(candidate);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ParseError(where, null, `a story Paperboy can store, but ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'it is not'}`);
  }
  // Algolia's items/ID states no count (descendants null): 0 here then means "not known", not
  // "complete". The sync marks a comment deleted only when the tree holds its parent and nothing of
  // its own branch is missing with it (discussion-changes.ts), so a subtree Algolia lags on is safe.
  const missing = root.descendants !== null && root.descendants > held ? root.descendants - held : 0;
  return { kind: 'hackernews', url: page, article: parsed.data, missing, more: [], warnings: warnings.done() };
}

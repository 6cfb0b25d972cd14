/**
 * What a discussion's tree says about it, for the digest: its liveliest subthreads (a top-level
 * comment and its replies) and the article passages most argued about (quoted, and replied to under
 * the quoting comments). Extractive only: the one text shown is a root comment's first sentence,
 * verbatim.
 */
import type { Article, Comment } from '../model.ts';
import { treeOrder } from '../tree.ts';
import { splitSentences } from './sentences.ts';

export interface SubthreadRoot {
  readonly id: string;
  readonly number: number | null;
  readonly author: string | null;
  readonly postedAt: string | null;
  readonly rating: number | null;
  readonly url: string | null;
  readonly deleted: boolean;
}

export interface Subthread {
  readonly root: SubthreadRoot;
  /** The root's first sentence, verbatim (its first paragraph of its own words); null when it has none (deleted). */
  readonly opening: string | null;
  /** Comments under the root, at any depth. */
  readonly replies: number;
  /** Distinct named authors in the subthread, the root's included. */
  readonly authors: number;
  /** The sum of the known scores in the subthread, the root's included; null when none is known. */
  readonly score: number | null;
  /** How deep its replies go (1 for direct replies only). */
  readonly depth: number;
}

export interface ArguedPassage {
  /** Index into `article.body`. */
  readonly block: number;
  readonly text: string;
  /** Comments that quote it. */
  readonly quotes: number;
  /** Comments under those (at any depth), each counted once: the argument the quotes started. */
  readonly replies: number;
}

/**
 * Top-level subthreads with at least one reply, liveliest first. Liveliness is replies plus distinct
 * authors (how much was said, and by how many): a long exchange between two people counts less than
 * as many replies from many. Equal ones are ordered by their total score, then as they came.
 */
export function liveliestSubthreads(comments: readonly Comment[], n: number): Subthread[] {
  const found: (Subthread & { readonly order: number })[] = [];
  let current: { root: Comment; order: number; replies: number; authors: Set<string>; score: number | null; depth: number } | null = null;
  const close = (): void => {
    if (!current || current.replies === 0) return;
    const { root, order, replies, authors, score, depth } = current;
    found.push({ root: rootOf(root), opening: openingOf(root), replies, authors: authors.size, score, depth, order });
  };
  treeOrder(comments).forEach((node, order) => {
    const c = node.comment;
    if (node.depth === 0) {
      close();
      current = { root: c, order, replies: 0, authors: new Set(), score: null, depth: 0 };
    } else if (current) {
      current.replies++;
      current.depth = Math.max(current.depth, node.depth);
    }
    if (!current) return;
    if (c.author) current.authors.add(c.author);
    if (c.rating !== null) current.score = (current.score ?? 0) + c.rating;
  });
  close();
  return found
    .sort((a, b) => b.replies + b.authors - (a.replies + a.authors) || (b.score ?? 0) - (a.score ?? 0) || a.order - b.order)
    .slice(0, n)
    .map(({ order: _order, ...s }) => s);
}

function rootOf(c: Comment): SubthreadRoot {
  return { id: c.id, number: c.number, author: c.author, postedAt: c.postedAt, rating: c.rating, url: c.url ?? null, deleted: c.deleted === true };
}

/** The first sentence of the comment's first paragraph that is its own (not a quote of the article). */
function openingOf(c: Comment): string | null {
  if (c.deleted) return null;
  const quoted = new Set(c.quotes.map((q) => q.paragraph));
  for (const [i, p] of c.paragraphs.entries()) {
    if (quoted.has(i)) continue;
    const first = splitSentences(p)[0];
    if (first && first.text.trim() !== '') return first.text;
  }
  return null;
}

/**
 * Article passages that comments quote, ranked by quotes plus the replies under the quoting comments
 * (a passage quoted once and argued over for twenty replies ranks above one quoted twice in passing);
 * equal ones, more quotes first, then earlier in the article.
 */
export function arguedPassages(article: Pick<Article, 'body' | 'comments'>, n: number): ArguedPassage[] {
  const nodes = treeOrder(article.comments);
  const at = new Map(nodes.map((node, i) => [node.comment.id, i]));
  const ends = subtreeEnds(nodes);
  // Each passage's quoting comments, by their place in tree order (a comment once, however often it quotes).
  const byBlock = new Map<number, Set<number>>();
  for (const c of article.comments) {
    const i = at.get(c.id);
    if (i === undefined) continue;
    for (const q of c.quotes) {
      if (!article.body[q.block]) continue;
      const quoting = byBlock.get(q.block) ?? new Set<number>();
      quoting.add(i);
      byBlock.set(q.block, quoting);
    }
  }
  return [...byBlock]
    .map(([block, quoting]) => ({ block, text: article.body[block]?.text ?? '', quotes: quoting.size, replies: repliesUnder([...quoting], ends) }))
    .sort((a, b) => b.quotes + b.replies - (a.quotes + a.replies) || b.quotes - a.quotes || a.block - b.block)
    .slice(0, n);
}

/**
 * For each comment in tree order, where its subtree ends: its descendants are the comments from the
 * next one up to (not including) that index, since tree order is depth first. Linear: each comment is
 * pushed and popped once.
 */
function subtreeEnds(nodes: readonly { readonly depth: number }[]): number[] {
  const ends = new Array<number>(nodes.length).fill(nodes.length);
  const open: number[] = [];
  nodes.forEach((node, i) => {
    while (open.length > 0 && nodes[open[open.length - 1]!]!.depth >= node.depth) ends[open.pop()!] = i;
    open.push(i);
  });
  return ends;
}

/**
 * The comments under the quoting ones (at `quoting`, tree-order indexes), each counted once, those
 * that quote the passage themselves left out (counted as quotes, not twice). Subtrees either nest or
 * are apart, so in order of place a quoting comment inside the last range taken adds nothing and is
 * itself one to leave out; counted, never copied, so a chain of thousands each quoting the article
 * costs n log n, not n².
 */
function repliesUnder(quoting: number[], ends: readonly number[]): number {
  quoting.sort((a, b) => a - b);
  let under = 0;
  let inside = 0;
  let end = -1;
  for (const i of quoting) {
    if (i < end) {
      inside++;
      continue;
    }
    end = ends[i] ?? i + 1;
    under += end - i - 1;
  }
  return under - inside;
}

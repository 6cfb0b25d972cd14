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
  // Each comment's descendants: in tree order they follow it, up to the next comment no deeper than it.
  const under = new Map<string, string[]>();
  nodes.forEach((node, i) => {
    if (node.comment.quotes.length === 0) return;
    const ids: string[] = [];
    for (let j = i + 1; j < nodes.length && (nodes[j]?.depth ?? 0) > node.depth; j++) ids.push(nodes[j]?.comment.id ?? '');
    under.set(node.comment.id, ids);
  });
  const byBlock = new Map<number, { quoting: Set<string>; replies: Set<string> }>();
  for (const c of article.comments) {
    for (const q of c.quotes) {
      if (!article.body[q.block]) continue;
      const entry = byBlock.get(q.block) ?? { quoting: new Set<string>(), replies: new Set<string>() };
      entry.quoting.add(c.id);
      for (const id of under.get(c.id) ?? []) entry.replies.add(id);
      byBlock.set(q.block, entry);
    }
  }
  return [...byBlock]
    .map(([block, e]) => {
      // A reply that itself quotes the passage is counted as a quote, not twice.
      const replies = [...e.replies].filter((id) => !e.quoting.has(id)).length;
      return { block, text: article.body[block]?.text ?? '', quotes: e.quoting.size, replies };
    })
    .sort((a, b) => b.quotes + b.replies - (a.quotes + a.replies) || b.quotes - a.quotes || a.block - b.block)
    .slice(0, n);
}

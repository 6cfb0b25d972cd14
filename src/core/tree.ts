/**
 * A discussion as a tree: comments answer comments through `replyTo`. Sources are hostile and
 * partial (a parent deleted or never fetched, a cycle in bad data), so every comment still gets one
 * place: a comment whose parent is missing, or whose chain of parents loops, is treated as a root.
 */
import type { Comment } from './model.ts';

export interface TreeNode<C extends Pick<Comment, 'id' | 'replyTo'> = Comment> {
  readonly comment: C;
  /** 0 for a root, 1 for a reply to it, and so on. */
  readonly depth: number;
  /** The parent's id when it is among the comments (and not part of a loop); null for a root. */
  readonly parentId: string | null;
}

/**
 * The comments in tree order: each root in the order given, then its replies depth first, siblings
 * in the order given. Every comment appears exactly once, whatever `replyTo` says.
 */
export function treeOrder<C extends Pick<Comment, 'id' | 'replyTo'>>(comments: readonly C[]): TreeNode<C>[] {
  const byId = new Map<string, C>();
  for (const c of comments) if (!byId.has(c.id)) byId.set(c.id, c);
  const parentOf = (c: C): string | null => (c.replyTo !== null && c.replyTo !== c.id && byId.has(c.replyTo) ? c.replyTo : null);
  const children = new Map<string, C[]>();
  const roots: C[] = [];
  for (const c of byId.values()) {
    const parent = parentOf(c);
    if (parent === null) roots.push(c);
    else {
      const list = children.get(parent);
      if (list) list.push(c);
      else children.set(parent, [c]);
    }
  }
  const out: TreeNode<C>[] = [];
  const placed = new Set<string>();
  const walk = (root: C): void => {
    // An explicit stack: a hostile chain of thousands of replies must not overflow the call stack.
    const stack: { comment: C; depth: number; parentId: string | null }[] = [{ comment: root, depth: 0, parentId: null }];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (placed.has(node.comment.id)) continue;
      placed.add(node.comment.id);
      out.push(node);
      const kids = children.get(node.comment.id) ?? [];
      for (let i = kids.length - 1; i >= 0; i--) stack.push({ comment: kids[i]!, depth: node.depth + 1, parentId: node.comment.id });
    }
  };
  for (const r of roots) walk(r);
  // What is left sits on a loop of replies (a answers b answers a): no root reaches it. Each loop is
  // broken at its first comment in the order given, which becomes a root.
  for (const c of byId.values()) if (!placed.has(c.id)) walk(c);
  return out;
}

/** Each comment's depth by id (0 for a root), as treeOrder places it. */
export function commentDepths(comments: readonly Pick<Comment, 'id' | 'replyTo'>[]): Map<string, number> {
  return new Map(treeOrder(comments).map((n) => [n.comment.id, n.depth]));
}

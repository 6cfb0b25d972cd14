/** A discussion as a tree: tree order and depths, whatever replyTo says. */
import { describe, expect, it } from 'vitest';
import { commentDepths, treeOrder } from '../src/core/tree.ts';

const c = (id: string, replyTo: string | null = null) => ({ id, replyTo });

describe('GIVEN comments that answer comments', () => {
  it('THEN tree order puts each reply under its parent, depth first, siblings in the order given', () => {
    const comments = [c('a'), c('b'), c('a1', 'a'), c('b1', 'b'), c('a2', 'a'), c('a1x', 'a1')];
    expect(treeOrder(comments).map((n) => `${n.comment.id}:${n.depth}:${n.parentId ?? '-'}`)).toEqual([
      'a:0:-',
      'a1:1:a',
      'a1x:2:a1',
      'a2:1:a',
      'b:0:-',
      'b1:1:b',
    ]);
  });

  it('THEN a reply to a missing parent, to itself, or on a loop is placed once, as a root', () => {
    const comments = [c('x', 'gone'), c('self', 'self'), c('p', 'q'), c('q', 'p'), c('p1', 'p')];
    const order = treeOrder(comments);
    expect(order.map((n) => n.comment.id).sort()).toEqual(['p', 'p1', 'q', 'self', 'x']);
    expect(new Set(order.map((n) => n.comment.id)).size).toBe(5);
    expect(commentDepths(comments).get('x')).toBe(0);
    expect(commentDepths(comments).get('self')).toBe(0);
    expect(order.find((n) => n.comment.id === 'p')).toMatchObject({ depth: 0, parentId: null });
    expect(order.find((n) => n.comment.id === 'p1')).toMatchObject({ depth: 1, parentId: 'p' });
  });

  it('THEN a chain 100,000 replies deep neither overflows the stack nor loses a comment', () => {
    const chain = Array.from({ length: 100_000 }, (_, i) => c(`n${i}`, i === 0 ? null : `n${i - 1}`));
    const depths = commentDepths(chain);
    expect(depths.size).toBe(100_000);
    expect(depths.get('n99999')).toBe(99_999);
  });

  it('THEN a repeated id is placed once, at its first occurrence', () => {
    expect(treeOrder([c('a'), c('a', 'b'), c('b')]).map((n) => n.comment.id)).toEqual(['a', 'b']);
  });
});

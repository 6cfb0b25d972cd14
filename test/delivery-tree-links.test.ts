/**
 * A comment's message is recognised after a crash by the link in its header, unless another comment
 * of the article has the same link (a comment feed may give several one <link>): then by its whole
 * text, so that one comment can never take another's message.
 */
import { describe, expect, it } from 'vitest';
import { articleViews, postedAs } from '../src/app/delivery/messages.ts';
import { article, comment } from './helpers/articles.ts';

const shared = 'https://blog.example/2024/05/bus-depot/';

describe('GIVEN imported comments, two of them with one link', () => {
  const a = article({
    title: 'Bus depot',
    text: 'The council moves the bus depot.',
    comments: [
      comment(1, 'First.', { id: 'feed:a', url: shared, author: 'ann' }),
      comment(2, 'Second.', { id: 'feed:b', url: shared, author: 'bob' }),
      comment(3, 'Third.', { id: 'feed:c', url: 'https://blog.example/2024/05/bus-depot/#comment-3', author: 'cy' }),
    ],
  });
  const steps = articleViews(a).comments;
  const step = (id: string) => steps.find((s) => s.commentId === id)!;
  const content = (id: string): string => step(id).message.content ?? '';

  it('THEN the two sharing a link are matched by their whole text, the third by its link', () => {
    expect(step('feed:a').link).toBeNull();
    expect(step('feed:b').link).toBeNull();
    expect(step('feed:c').link).not.toBeNull();
  });

  it("THEN neither takes the other's message, and the third is still found with another score", () => {
    expect(postedAs(step('feed:b'), content('feed:a'))).toBe(false);
    expect(postedAs(step('feed:a'), content('feed:a'))).toBe(true);
    const third = content('feed:c');
    expect(postedAs(step('feed:c'), third)).toBe(true);
    const rescored = third.replace('▲ 0', '▲ 40');
    expect(rescored).not.toBe(third);
    expect(postedAs(step('feed:c'), rescored)).toBe(true);
  });
});

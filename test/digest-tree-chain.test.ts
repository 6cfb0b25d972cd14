/**
 * The digest on a hostile tree: a chain of 20,000 replies, each quoting the article. Counting the
 * replies under every quoting comment by copying its descendants' ids took about 2e8 steps on the
 * main thread; by subtree ranges in tree order it is counting. No timing is asserted (speed lives in
 * the bench): the test is that it finishes with the right counts.
 */
import { describe, expect, it } from 'vitest';
import type { Comment } from '../src/core/model.ts';
import { arguedPassages } from '../src/core/text/digest-tree.ts';
import { digest } from '../src/core/text/digest.ts';
import { article, comment } from './helpers/articles.ts';

const CHAIN = 20_000;
const body = [
  'The council voted to close the harbour road for the whole summer season.',
  'Buses will run every ten minutes from the station to the ferry terminal.',
  'The ferry office opens at six on weekdays.',
];

/** c0 answers nobody, c<i> answers c<i-1>; each quotes passage 0, every third one passage 1 as well. */
function chain(): Comment[] {
  const out: Comment[] = [];
  for (let i = 0; i < CHAIN; i++) {
    const quotes =
      i % 3 === 0
        ? [
            { paragraph: 0, block: 0 },
            { paragraph: 1, block: 1 },
          ]
        : [{ paragraph: 0, block: 0 }];
    const paragraphs = i % 3 === 0 ? `${body[0]}\n\n${body[1]}\n\nReply ${i}.` : `${body[0]}\n\nReply ${i}.`;
    out.push(comment(0, paragraphs, { id: `c${i}`, number: null, author: `reader${i % 7}`, replyTo: i === 0 ? null : `c${i - 1}`, quotes }));
  }
  return out;
}

/** A second, small subthread: r quotes passage 2, five replies under it quote nothing. */
function small(): Comment[] {
  const out = [comment(0, `${body[2]}\n\nEarlier than before.`, { id: 'r', number: null, author: 'ana', quotes: [{ paragraph: 0, block: 2 }] })];
  for (let i = 1; i <= 5; i++) out.push(comment(0, `Reply ${i}.`, { id: `r${i}`, number: null, author: `ben${i}`, replyTo: i === 1 ? 'r' : `r${i - 1}` }));
  return out;
}

describe('GIVEN a chain of 20,000 replies, each quoting the article, beside a small subthread', () => {
  const a = article({ title: 'Harbour road closes', text: body.join('\n\n'), comments: [...chain(), ...small()] });

  it('THEN the argued passages come out with every quote and reply counted once', () => {
    // Passage 0: every comment of the chain quotes it, so none counts as a reply. Passage 1: 6,667
    // quote it (c0, c3, …, c19998); under them is the whole chain after c0 (19,999), less those 6,666 quoting ones.
    expect(arguedPassages(a, 5)).toEqual([
      { block: 0, text: body[0], quotes: CHAIN, replies: 0 },
      { block: 1, text: body[1], quotes: 6_667, replies: 19_999 - 6_666 },
      { block: 2, text: body[2], quotes: 1, replies: 5 },
    ]);
  });

  it('THEN the whole digest finishes, its liveliest subthread the chain with its depth', () => {
    const d = digest(a);
    expect(d.argued.map((p) => [p.block, p.quotes, p.replies])).toEqual([
      [0, CHAIN, 0],
      [1, 6_667, 13_333],
      [2, 1, 5],
    ]);
    expect(d.liveliest[0]).toMatchObject({ root: { id: 'c0' }, replies: CHAIN - 1, authors: 7, depth: CHAIN - 1 });
    expect(d.liveliest[1]).toMatchObject({ root: { id: 'r' }, replies: 5, authors: 6, depth: 5 });
  });
});

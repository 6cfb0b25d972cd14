/** The header of an imported comment's message: depth, author, score, time and the link to its source, with outside text made harmless. */
import { describe, expect, it } from 'vitest';
import type { Comment } from '../src/core/model.ts';
import { depthMark, shortTime, treeHeader } from '../src/app/delivery/tree-header.ts';
import { moreNote } from '../src/app/delivery/tree-note.ts';

const c = (extra: Partial<Comment>): Comment => ({
  id: 'hn:123',
  number: null,
  author: 'pg',
  authorId: null,
  postedAt: null,
  rating: null,
  paragraphs: ['Text.'],
  quotes: [],
  replyTo: null,
  url: 'https://news.ycombinator.com/item?id=123',
  ...extra,
});

describe('GIVEN imported comments', () => {
  it('THEN the header shows depth, author, score when known, and the link in <> so Discord shows no preview', () => {
    expect(treeHeader(c({}), 0)).toBe('**pg** · <https://news.ycombinator.com/item?id=123>');
    expect(treeHeader(c({ rating: -3, postedAt: '2011-05-05T10:00:00Z' }), 1)).toBe(
      '↳ **pg** · ▲ -3 · 2011-05-05 10:00 UTC · <https://news.ycombinator.com/item?id=123>',
    );
    expect([0, 1, 2, 9].map(depthMark)).toEqual(['', '↳', '↳2', '↳9']);
  });

  it('THEN times show to the minute with their zone, as the sources give them', () => {
    expect(['2011-12-08T03:26:47.000Z', '2011-12-08T03:26', '2011-12-08T03:26:00+02:00', '2011-12-08'].map(shortTime)).toEqual([
      '2011-12-08 03:26 UTC',
      '2011-12-08 03:26',
      '2011-12-08 03:26 +02:00',
      '2011-12-08',
    ]);
  });

  it('THEN a hostile author stays on one line, escaped and capped; no author shows the id', () => {
    const header = treeHeader(c({ author: `**<@1>**\n@everyone ${'x'.repeat(300)}` }), 0) ?? '';
    expect(header.split('\n')).toHaveLength(1);
    // Cut at a word: the 300 x's go whole. Mentions are left as written: allowed_mentions stops every ping.
    expect(header.startsWith('**\\*\\*\\<@1>\\*\\* @everyone…** · <https://')).toBe(true);
    expect(header.length).toBeLessThan(200);
    expect(treeHeader(c({ author: null }), 0)).toMatch(/^\*\*hn:123\*\*/u);
  });

  it('THEN a comment with no link, a non-http link or one too long to show gets no tree header (the old header is used)', () => {
    expect(treeHeader(c({ url: null }), 1)).toBeNull();
    expect(treeHeader(c({ url: undefined }), 1)).toBeNull();
    expect(treeHeader(c({ url: 'javascript:alert(1)' }), 1)).toBeNull();
    expect(treeHeader(c({ url: `https://example.com/${'a'.repeat(400)}` }), 1)).toBeNull();
  });

  it('THEN the note counts replies, singular and plural', () => {
    expect([moreNote(1), moreNote(384)]).toEqual(['*1 more reply follows in the next run.*', '*384 more replies follow in the next run.*']);
  });
});

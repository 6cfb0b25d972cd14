import { describe, expect, it } from 'vitest';
import type { Article, Comment } from '../src/core/model.ts';
import { digest } from '../src/core/text/digest.ts';
import { sampleArticle } from './text-sample.ts';

function comment(n: number, rating: number | null, postedAt: string | null, paragraphs: string[], quotes: Comment['quotes'] = []): Comment {
  return { id: `c${n}`, number: n, author: `user${n}`, authorId: null, postedAt, rating, paragraphs, quotes, replyTo: null };
}

function withComments(comments: Comment[]): Pick<Article, 'title' | 'body' | 'comments'> {
  return {
    title: 'City approves harbour expansion',
    body: [
      { type: 'paragraph', text: 'The city council approved the harbour expansion on Monday. The plan costs 40 million dollars.' },
      { type: 'heading', text: 'Costs' },
      { type: 'paragraph', text: 'Critics say the dredging will harm the bay and its fisheries for a decade or more.' },
    ],
    comments,
  };
}

describe('digest on the sample', () => {
  const article = sampleArticle();
  const d = digest(article);

  it('GIVEN four comments THEN counts them and spans their dates', () => {
    expect(d.count).toBe(4);
    expect(d.firstAt).toBe('2021-10-20T10:12');
    expect(d.lastAt).toBe('2021-10-24T17:51');
  });

  it('GIVEN ratings -1, 0, 0, 0 THEN min, max, mean and a histogram by value', () => {
    expect(d.ratings).toEqual({
      rated: 4,
      min: -1,
      max: 0,
      mean: -0.25,
      histogram: [
        { from: -1, to: -1, count: 1 },
        { from: 0, to: 0, count: 3 },
      ],
    });
  });

  it('GIVEN three comments tied at 0 THEN the top list is those three, earliest first', () => {
    expect(d.top.map((c) => c.id)).toEqual(['n2', 'n3', 'n4']);
  });

  it('GIVEN the first comment quoting two passages THEN both are listed with their block and text', () => {
    expect(d.quoted.map((q) => [q.block, q.comments])).toEqual([
      [12, 1],
      [13, 1],
    ]);
    expect(d.quoted[1]?.text).toMatch(/^NATO is now on the verge of collapsing in Europe/);
  });

  it("GIVEN the discussion THEN its summary is verbatim commenters' sentences, never the article text they quoted", () => {
    expect(d.summary.length).toBeGreaterThan(0);
    const body = article.body.map((b) => b.text).join('\n');
    for (const s of d.summary) {
      const source = article.comments.find((c) => c.id === s.comment.id);
      expect(source?.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(s.text);
      expect(source?.quotes.map((q) => q.paragraph)).not.toContain(s.paragraph);
      expect(body).not.toContain(s.text);
    }
  });
});

describe('digest hard cases', () => {
  it('GIVEN no comments THEN zeros and empties, no error', () => {
    expect(digest(withComments([]))).toEqual({
      count: 0,
      firstAt: null,
      lastAt: null,
      ratings: { rated: 0, min: null, max: null, mean: null, histogram: [] },
      top: [],
      quoted: [],
      summary: [],
      liveliest: [],
      argued: [],
    });
  });

  it('GIVEN many distinct ratings THEN the histogram uses equal-width buckets covering every rated comment', () => {
    const comments = Array.from({ length: 30 }, (_, i) =>
      comment(i + 1, i - 5, `2024-01-01T10:${String(i).padStart(2, '0')}`, [`Comment number ${i + 1} about the harbour.`]),
    );
    const { ratings } = digest(withComments(comments));
    expect(ratings.histogram.length).toBeLessThanOrEqual(10);
    expect(ratings.histogram.reduce((n, b) => n + b.count, 0)).toBe(30);
    expect(ratings.histogram[0]?.from).toBe(-5);
    expect(ratings.histogram[ratings.histogram.length - 1]?.to).toBeGreaterThanOrEqual(24);
  });

  it('GIVEN equal ratings out of date order THEN the earlier comment ranks first; unrated ones are not listed', () => {
    const comments = [
      comment(1, 5, '2024-03-02T09:00', ['Later but equal.']),
      comment(2, 5, '2024-03-01T09:00', ['Earlier and equal.']),
      comment(3, 9, '2024-03-03T09:00', ['Best.']),
      comment(4, null, '2024-02-01T09:00', ['Unrated.']),
    ];
    const d = digest(withComments(comments), { top: 5 });
    expect(d.top.map((c) => c.id)).toEqual(['c3', 'c2', 'c1']);
    expect(d.firstAt).toBe('2024-02-01T09:00');
    expect(d.lastAt).toBe('2024-03-03T09:00');
  });

  it('GIVEN passages quoted by several comments THEN the most quoted comes first, each comment counted once', () => {
    const quote = 'Critics say the dredging will harm the bay and its fisheries for a decade or more.';
    const comments = [
      comment(1, 1, null, [quote, 'They are right, the bay matters more than the port.'], [{ paragraph: 0, block: 2 }]),
      comment(
        2,
        1,
        null,
        [quote, 'Nonsense.', quote],
        [
          { paragraph: 0, block: 2 },
          { paragraph: 2, block: 2 },
        ],
      ),
      comment(3, 1, null, ['The expansion is overdue.'], [{ paragraph: 0, block: 0 }]),
    ];
    const d = digest(withComments(comments));
    expect(d.quoted.map((q) => [q.block, q.comments])).toEqual([
      [2, 2],
      [0, 1],
    ]);
    expect(d.summary.map((s) => s.text)).not.toContain(quote);
  });

  it('GIVEN an unmarked paragraph copied from the article THEN it is still left out of the summary', () => {
    const copied = 'The city council approved the harbour expansion on Monday. The plan costs 40 million dollars.';
    const comments = [comment(1, 3, null, [copied, 'I think the council got this one right for once.'])];
    const texts = digest(withComments(comments)).summary.map((s) => s.text);
    expect(texts).toEqual(['I think the council got this one right for once.']);
  });

  it('GIVEN a negative option THEN a RangeError naming it', () => {
    expect(() => digest(withComments([]), { top: -1 })).toThrow(/`top`/);
  });
});

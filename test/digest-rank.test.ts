/** Which articles a digest shows, in which order, and what it says of each: verbatim summary sentences and the most-quoted passage. */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { activityOf, rankByActivity } from '../src/app/digest/rank.ts';
import { digestSummary, mostQuoted, SUMMARY_CHARS } from '../src/app/digest/pick.ts';
import { article, comment } from './helpers/articles.ts';
import { sampleArticle } from './text-sample.ts';

// The period: 30 November 2026, UTC.
const span = { start: Date.parse('2026-11-30T00:00:00Z'), end: Date.parse('2026-12-01T00:00:00Z') };
const inside = '2026-11-30T12:00:00Z';
const before = '2026-11-29T12:00:00Z';

function story(title: string, commentTimes: string[], declared: number | null = null, extra: Partial<Article> = {}): Article {
  return article({
    title,
    publishedAt: '2026-11-30T06:00:00Z',
    comments: commentTimes.map((t, i) => comment(i + 1, `Comment ${i + 1} on ${title}.`, { postedAt: t })),
    declaredCommentCount: declared,
    ...extra,
  });
}

describe('GIVEN a period’s articles with discussions of different kinds', () => {
  it('THEN comments written in the period come first, then comments held, then the declared count', () => {
    const lively = story('Lively today', [inside, inside, before]);
    const old = story('Long discussion, quiet today', [inside, before, before, before, before]);
    const declared = story('Discussed elsewhere', [inside], 400);
    const quiet = story('Quiet', [inside]);
    const none = story('No comments', []);
    const ranked = rankByActivity([none, quiet, declared, old, lively], span).map((r) => r.article.title);
    expect(ranked).toEqual(['Lively today', 'Long discussion, quiet today', 'Discussed elsewhere', 'Quiet', 'No comments']);
  });

  it('THEN deleted comments and comments outside the period do not count, and an undated one counts as held only', () => {
    const a = story('Mixed', [inside, inside, before, '2026-12-01T00:00:00Z']);
    const withDeleted: Article = {
      ...a,
      comments: [...a.comments, comment(9, '', { postedAt: inside, deleted: true }), comment(10, 'Undated.', { postedAt: null })],
    };
    expect(activityOf(withDeleted, span)).toEqual({ inPeriod: 2, held: 5, declared: 0 });
  });

  it('THEN at most ten are kept, and equal activity goes to the newer article', () => {
    const many = Array.from({ length: 14 }, (_, i) => story(`Story ${i}`, [inside], null, { publishedAt: `2026-11-30T${String(i).padStart(2, '0')}:00:00Z` }));
    const ranked = rankByActivity(many, span);
    expect(ranked).toHaveLength(10);
    expect(ranked.map((r) => r.article.title)).toEqual(Array.from({ length: 10 }, (_, i) => `Story ${13 - i}`));
  });
});

describe('GIVEN the seed article', () => {
  const a = sampleArticle();

  it('THEN the summary is one or two of its own sentences, verbatim, within the budget', () => {
    const summary = digestSummary(a);
    expect(summary.length).toBeGreaterThanOrEqual(1);
    expect(summary.length).toBeLessThanOrEqual(2);
    expect(summary.join(' ').length).toBeLessThanOrEqual(SUMMARY_CHARS);
    for (const s of summary) expect(a.body.some((b) => b.text.includes(s))).toBe(true);
    expect(summary[0]).toBe(
      'On October 18, Russian Foreign Minister Sergei Lavrov announced the suspension of the work of the military communications mission and the information bureau of the North Atlantic Alliance in the Russian capital.',
    );
  });

  it('THEN the most-quoted passage is the body block its comment repeats, verbatim (of two quoted equally, the first)', () => {
    const quoted = mostQuoted(a);
    expect(quoted).toMatchObject({ block: 12, quotedBy: 1, attribution: null });
    expect(quoted?.text).toBe(a.body[12]?.text);
    expect(quoted?.text).toMatch(/^The future of relations between Russia and NATO today looks extremely vague\./);
  });
});

describe('GIVEN comments quoting an article’s blocks', () => {
  const body: Article['body'] = [
    { type: 'paragraph', text: 'The council met on Monday.' },
    { type: 'quote', text: 'We will open the bridge in spring.', attribution: '- the mayor said.' },
    { type: 'paragraph', text: 'Work starts in January.' },
  ];
  const q = (...blocks: number[]) => blocks.map((block) => ({ paragraph: 0, block }));

  it('THEN each comment counts once per block, deleted comments and quotes past the body not at all, and a quotation keeps its attribution', () => {
    const a = article({
      title: 'Bridge',
      body,
      comments: [
        comment(1, 'Work starts in January.', { quotes: q(2, 2) }),
        comment(2, 'x', { quotes: q(1) }),
        comment(3, 'y', { quotes: q(1, 2) }),
        comment(4, 'z', { quotes: q(1) }),
        comment(5, '', { quotes: q(2), deleted: true }),
        comment(6, '', { quotes: q(2) }),
        comment(7, 'w', { quotes: q(7, 7, 7) }),
      ],
    });
    expect(mostQuoted(a)).toEqual({ text: 'We will open the bridge in spring.', block: 1, quotedBy: 3, attribution: '- the mayor said.' });
  });

  it('THEN with no quotes there is no passage, and with no prose no summary', () => {
    expect(mostQuoted(article({ title: 'Bridge', body, comments: [comment(1, 'Nice.')] }))).toBeNull();
    expect(digestSummary({ title: 'Empty', body: [] })).toEqual([]);
  });
});

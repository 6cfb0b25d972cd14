/**
 * The filter language on real articles: the sample article page (with its comments) and a captured
 * Guardian RSS feed (authors, dates, categories). Each field and operator decides as documented;
 * regexes run on RE2; every verdict names the test that decided it. Mistakes: filter-errors.test.ts.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../src/adapters/feeds/parse.ts';
import { parseSource } from '../src/adapters/sources/parse.ts';
import type { Article } from '../src/core/model.ts';
import { FILTER_BODY_CHARS } from '../src/app/filters/texts.ts';
import { type CompiledFilter, compileExpression, explain } from '../src/app/filters/expression.ts';
import { article, comment } from './helpers/articles.ts';

const NOW = new Date('2018-02-02T12:00:00Z');
const compile = (text: string): CompiledFilter => compileExpression(text, { now: () => NOW });

const SAMPLE = parseSource('000_19f3c93e7cb867fa.txt', readFileSync(new URL('./fixtures/000_19f3c93e7cb867fa.txt', import.meta.url), 'utf8'), {
  now: new Date('2024-05-01T12:00:00Z'),
}).articles[0]!;
const GUARDIAN = parseFeed(readFileSync(new URL('./fixtures/feeds/rss-parser__guardian.rss', import.meta.url)), { source: 'The Guardian', now: NOW }).items;
/** "Trump State of the Union address promised unity but emphasized discord", by David Smith, 2018-01-31T07:26:05Z. */
const SOTU = GUARDIAN[0]!;
/** "Gun-smuggling case puts spotlight on library straddling US-Canada border". */
const LIBRARY = GUARDIAN.find((a) => a.title.startsWith('Gun-smuggling'))!;

function passes(text: string, a: Article): boolean {
  return compile(text).test(a).pass;
}

describe('GIVEN the sample article page and a Guardian feed', () => {
  it('THEN a bare value is a whole word of the title or body, and and/or/not bind as usual', () => {
    expect(passes('nato', SAMPLE)).toBe(true);
    expect(passes('nat', SAMPLE)).toBe(false);
    expect(passes('"liaison mission"', SAMPLE)).toBe(true);
    expect(passes('NATO AND NOT trump', SAMPLE)).toBe(true);
    expect(passes('nato && !lavrov', SAMPLE)).toBe(false);
    expect(passes('trump or nato and lavrov', SAMPLE)).toBe(true);
    expect(passes('(trump or nato) and not lavrov', SAMPLE)).toBe(false);
    expect(passes('/NATO\\s+military/', SAMPLE)).toBe(true);
  });

  it('THEN contains is a folded substring, has a folded whole word or phrase', () => {
    expect(passes('title contains "SEVERING TIES"', SAMPLE)).toBe(true);
    expect(passes('title contains sever', SAMPLE)).toBe(true);
    expect(passes('title has sever', SAMPLE)).toBe(false);
    expect(passes('title has "severing, ties"', SAMPLE)).toBe(true);
    expect(passes('title has "State of the Union"', SOTU)).toBe(true);
    // Accents and case folded on both sides.
    const cafe = article({ title: 'Le Café de la Gare', text: 'Crème brûlée.' });
    expect(passes('title has cafe and body contains "creme BRULEE"', cafe)).toBe(true);
    expect(passes('body has CRÈME', cafe)).toBe(true);
  });

  it('THEN =, is, != and is not compare whole values; language = en holds for en-gb', () => {
    expect(passes('source = "the guardian"', SOTU)).toBe(true);
    expect(passes('source is guardian', SOTU)).toBe(false);
    expect(passes('author != "David Smith in Washington"', SOTU)).toBe(false);
    expect(passes('author is not "Jason Wilson"', SOTU)).toBe(true);
    expect(passes('language = en', SOTU)).toBe(true);
    expect(passes('language = en-GB', SOTU)).toBe(true);
    expect(passes('language = e', SOTU)).toBe(false);
    // A field the article lacks equals nothing.
    expect(passes('author = x', SAMPLE)).toBe(false);
    expect(passes('author != x', SAMPLE)).toBe(true);
  });

  it('THEN category is any of the feed categories', () => {
    expect(passes('category = "us politics"', SOTU)).toBe(true);
    expect(passes('category = "us politics"', LIBRARY)).toBe(false);
    expect(passes('category has canada', LIBRARY)).toBe(true);
    expect(passes('category = canada', SAMPLE)).toBe(false);
  });

  it('THEN url, summary and text read what they name', () => {
    expect(passes('url contains "theguardian.com/world/"', LIBRARY)).toBe(true);
    expect(passes('url matches /\\/2018\\/jan\\/3\\d\\//', SOTU)).toBe(true);
    // The summary is the first three sentences the summarizer picks: Lavrov's announcement, not the comments' topics.
    expect(passes('summary has "liaison mission"', SAMPLE)).toBe(true);
    expect(passes('summary has ussr', SAMPLE)).toBe(false);
    expect(passes('body has ussr', SAMPLE)).toBe(true);
    expect(passes('text has "severing ties"', SAMPLE)).toBe(true);
    expect(passes('body has "severing ties"', SAMPLE)).toBe(false);
  });

  it('THEN comments counts the comments held, or the declared count when larger', () => {
    expect(SAMPLE.comments).toHaveLength(4);
    expect(passes('comments = 4', SAMPLE)).toBe(true);
    expect(passes('comments > 3 and comments <= 4', SAMPLE)).toBe(true);
    expect(passes('comments >= 5', SAMPLE)).toBe(false);
    expect(passes('comments >= 120', { ...SAMPLE, declaredCommentCount: 120 })).toBe(true);
    expect(passes('comments > 0', { ...SOTU, comments: [comment(1, 'First.')] })).toBe(true);
    expect(passes('comments = 0', SOTU)).toBe(true);
  });

  it('THEN published compares dates at the precision written, relative times back from now, and falls back to the ingest time', () => {
    expect(SOTU.publishedAt).toBe('2018-01-31T07:26:05Z');
    expect(passes('published = 2018-01-31', SOTU)).toBe(true);
    expect(passes('published after 2018-01-30 and published before 2018-02-01', SOTU)).toBe(true);
    expect(passes('published > 2018-01-31', SOTU)).toBe(false);
    expect(passes('published <= 2018-01-31', SOTU)).toBe(true);
    expect(passes('published < 2018-01-31T07:26Z', SOTU)).toBe(false);
    expect(passes('published = 2018-01-31T07:26Z', SOTU)).toBe(true);
    expect(passes('published >= 2018-01-31T08:00+01:00', SOTU)).toBe(true);
    expect(passes('published > "2018-01-31T07:26:06Z"', SOTU)).toBe(false);
    expect(passes('published < 2018-01-31t07:27z', SOTU)).toBe(true);
    // NOW is 2018-02-02T12:00Z: the article is 2 days and 4.5 hours old.
    expect(passes('published > 3d', SOTU)).toBe(true);
    expect(passes('published > 2d', SOTU)).toBe(false);
    expect(passes('published after 60h and published before 48h', SOTU)).toBe(true);
    expect(passes('published > 1w', SOTU)).toBe(true);
    // The sample has no publication date: its ingest time stands in.
    expect(passes('published = 2024-05-01', SAMPLE)).toBe(true);
  });

  it('THEN a filter reads at most the start of a long body, as the keyword filter does', () => {
    const long = article({ title: 'Long', text: `${'filler '.repeat(FILTER_BODY_CHARS / 7)}\n\nneedle at the end` });
    expect(passes('body has needle', long)).toBe(false);
    expect(passes('body has filler', long)).toBe(true);
  });
});

describe('GIVEN regexes that backtrack in JavaScript', () => {
  it('THEN they run on RE2 in linear time and answer', () => {
    // The body fits in what two small patterns read (cost.ts); longer, they read its start only (below).
    const hostile = article({ title: `${'a'.repeat(30)}!`, text: `${'a'.repeat(3_000)}!` });
    // In JavaScript each of these takes exponential time on such text; on RE2 they answer.
    for (const pattern of ['/(a+)+$/', '/(a|aa)+b/', '/^(a|a?)+$/', '/(.*a){12}/']) {
      expect(compile(`title matches ${pattern} or body matches ${pattern}`).test(hostile).pass).toBe(pattern === '/(.*a){12}/');
    }
  });
});

describe('GIVEN verdicts to explain', () => {
  it('THEN because names the deciding test as written and what the article had', () => {
    expect(compile('source = "Reuters"').test(SOTU)).toStrictEqual({ pass: false, because: 'blocked by: source = "Reuters" (source is "The Guardian")' });
    expect(compile('bitcoin or "State of the Union"').test(SOTU)).toStrictEqual({
      pass: true,
      because: 'passed: text has "State of the Union" (found: "Trump State of the Union address promised unity but em…")',
    });
    expect(compile('title has bitcoin or title has ether').test(SOTU).because).toBe(
      'blocked by: title has ether (title is "Trump State of the Union address promised unity but emphasized discord")',
    );
    expect(compile('not category = "US news"').test(SOTU).because).toBe(
      'blocked by: not category = "US news": it matched, category = "US news" (categories are "Donald Trump", "State of the Union address", "US news", "US politics", "Democrats" and 2 more)',
    );
    expect(compile('comments > 10').test(SAMPLE).because).toBe('blocked by: comments > 10 (4 comments)');
    expect(compile('published > 1d').test(SOTU).because).toBe('blocked by: published > 1d (published 2018-01-31T07:26:05Z, 2 days ago; 1d is 1 day ago)');
    // The section heading is where the word first occurs.
    expect(compile('body has ussr').test(SAMPLE).because).toBe('passed: body has ussr (found: "NATO and the USSR")');
    expect(compile('body has "liaison mission"').test(SAMPLE).because).toBe(
      'passed: body has "liaison mission" (found: "…tivities of the NATO military liaison mission in Moscow. The accreditation …")',
    );
    expect(compile('body has bitcoin').test(SAMPLE).because).toBe('blocked by: body has bitcoin (not in the body)');
    expect(compile('   ').test(SAMPLE)).toStrictEqual({ pass: true, because: 'no filter' });
  });

  it('THEN the quote around a match is the original text, however folding changed its length', () => {
    const a = article({
      title: 'Zürich',
      text: `${'Ｆｕｌｌ ｗｉｄｔｈ '.repeat(6)}der ﬁnale Café-Besuch in Zürich war teuer, sagte ΟΔΟΣ. ${'und so weiter '.repeat(5)}`,
    });
    expect(compile('body has "cafe besuch"').test(a).because).toBe(
      'passed: body has "cafe besuch" (found: "…ｌｌ ｗｉｄｔｈ Ｆｕｌｌ ｗｉｄｔｈ der ﬁnale Café-Besuch in Zürich war teuer, sagte ΟΔ…")',
    );
    expect(compile('body contains "E-BES" and body has "finale"').test(a).pass).toBe(true);
    expect(compile('body has οδος').test(a).because).toBe(
      'passed: body has οδος (found: "…ch in Zürich war teuer, sagte ΟΔΟΣ. und so weiter und so weiter …")',
    );
  });

  it('THEN explain lists every test in order with true or false, also those the verdict did not need', () => {
    const filter = compile('(nato or bitcoin) and not author = x and comments >= 2');
    expect(filter.test(SAMPLE).pass).toBe(true);
    expect(explain(filter, SAMPLE)).toStrictEqual([
      'text has "nato": true (found: "Russia and NATO are severing ties: who is to …")',
      'text has "bitcoin": false (not in the title or body)',
      'author = x: false (no author)',
      'comments >= 2: true (4 comments)',
    ]);
  });
});

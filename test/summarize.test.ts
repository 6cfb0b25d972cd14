import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { summarize, summarizeText } from '../src/core/text/summarize.ts';
import { loadCnnDm } from '../bench/cnndm.ts';
import { CNNDM_FIXTURE, sampleArticle } from './text-sample.ts';

const joinedLength = (texts: readonly string[]): number => texts.reduce((n, t) => n + t.length, 0) + Math.max(0, texts.length - 1);

describe('summarize on the sample', () => {
  const article = sampleArticle();

  it('GIVEN the same article twice THEN the same summary (deterministic)', () => {
    expect(summarize(article)).toEqual(summarize(sampleArticle()));
  });

  it('GIVEN the default options THEN at most 5 sentences, verbatim from their blocks, in reading order, never a heading', () => {
    const summary = summarize(article);
    expect(summary.length).toBeGreaterThan(0);
    expect(summary.length).toBeLessThanOrEqual(5);
    let last: [number, number] = [-1, -1];
    for (const s of summary) {
      const block = article.body[s.block];
      expect(block?.type).not.toBe('heading');
      expect(block?.text.slice(s.start, s.end)).toBe(s.text);
      expect(
        s.block > last[0] || (s.block === last[0] && s.start >= last[1]),
        `sentence at block ${s.block} char ${s.start}, after block ${last[0]} char ${last[1]}`,
      ).toBe(true);
      last = [s.block, s.end];
    }
    expect(joinedLength(summary.map((s) => s.text))).toBeLessThanOrEqual(4096);
  });

  it('GIVEN sentences from later sections THEN each carries the nearest heading before it', () => {
    const summary = summarize(article, { sentences: 12 });
    const headings = article.body.flatMap((b, i) => (b.type === 'heading' ? [{ i, text: b.text }] : []));
    expect(summary.map((s) => s.section)).toContainEqual(expect.any(String));
    for (const s of summary) {
      const before = headings.filter((h) => h.i < s.block);
      expect(s.section).toBe(before[before.length - 1]?.text ?? null);
    }
  });

  it('GIVEN the opening paragraph THEN it leads the summary with no section', () => {
    expect(summarize(article, { sentences: 1 })).toEqual([expect.objectContaining({ block: 0, section: null, start: 0 })]);
  });

  it('GIVEN a sentence count or a character budget THEN the summary respects it', () => {
    expect(summarize(article, { sentences: 2 })).toHaveLength(2);
    const budget = summarize(article, { maxChars: 300 });
    expect(budget.length).toBeGreaterThan(0);
    expect(joinedLength(budget.map((s) => s.text))).toBeLessThanOrEqual(300);
    const large = summarize(article, { maxChars: 3000 });
    expect(large.length).toBeGreaterThan(5);
    expect(joinedLength(large.map((s) => s.text))).toBeLessThanOrEqual(3000);
  });

  it('GIVEN a budget smaller than any sentence THEN nothing rather than a cut sentence', () => {
    expect(summarize(article, { maxChars: 10 })).toEqual([]);
  });

  it('GIVEN invalid options THEN a RangeError naming the option and the value', () => {
    expect(() => summarize(article, { sentences: 0 })).toThrow(/`sentences`.*`0`/);
    expect(() => summarize(article, { maxChars: 1.5 })).toThrow(/`maxChars`.*`1.5`/);
  });

  it('GIVEN an article with only headings THEN an empty summary', () => {
    const empty: Pick<Article, 'title' | 'body'> = { title: 'T', body: [{ type: 'heading', text: 'Only a heading' }] };
    expect(summarize(empty)).toEqual([]);
  });
});

describe('summarize on CNN/DailyMail articles', () => {
  const items = loadCnnDm(CNNDM_FIXTURE).slice(0, 5);

  it('GIVEN three-sentence summaries THEN each sentence is a verbatim slice of the article, in order', () => {
    for (const item of items) {
      const summary = summarizeText([item.article], undefined, { sentences: 3 });
      expect(summary).toHaveLength(3);
      let last = -1;
      for (const s of summary) {
        expect(item.article.slice(s.start, s.end)).toBe(s.text);
        expect(s.start).toBeGreaterThan(last);
        last = s.end;
      }
    }
  });

  it('GIVEN the Tottenham story THEN its opening sentence, the news, is in the summary', () => {
    const first = items[0];
    const summary = summarizeText([first?.article ?? ''], undefined, { sentences: 3 });
    expect(summary[0]?.text).toMatch(/^Paul Merson has restarted his row with Andros Townsend/);
  });
});

describe('summarizeText hard cases', () => {
  it('GIVEN a sentence repeated word for word THEN the summary does not carry both copies', () => {
    const lead = 'The city council approved a new budget for road repairs on Monday after a long debate.';
    const paragraphs = [
      `${lead} ${lead}`,
      'The plan sets aside 40 million dollars for bridges and 12 million for cycle lanes across the city.',
      'Work is due to start in the spring and to last about three years, officials said.',
    ];
    const texts = summarizeText(paragraphs, 'Council approves road budget', { sentences: 3 }).map((s) => s.text);
    expect(texts.filter((t) => t === lead)).toHaveLength(1);
    expect(texts).toHaveLength(3);
  });

  it('GIVEN fragments late in a long text THEN they are not picked to fill the count', () => {
    const body = Array.from(
      { length: 12 },
      (_, i) => `Paragraph ${i + 1} reports that the harbour expansion will cost more than planned, engineers said on Tuesday.`,
    );
    body.push('Or vice versa?');
    const texts = summarizeText(body, 'Harbour expansion', { sentences: 6 }).map((s) => s.text);
    expect(texts).not.toContain('Or vice versa?');
  });

  it('GIVEN no paragraphs THEN an empty summary', () => {
    expect(summarizeText([])).toEqual([]);
  });
});

/**
 * The digest message within Discord's limits: long articles are shortened lowest-ranked first, at
 * sentence or word ends with a mark, so that the renderer (which alone knows Discord's limits) sends
 * it exactly as built; nothing in it pings.
 */
import { describe, expect, it } from 'vitest';
import { embedLength } from 'discord.js';
import { latestPeriod } from '../src/app/digest/due.ts';
import { type DigestItem, digestMessage, embedChars } from '../src/app/digest/view.ts';
import { CUT_MARK } from '../src/core/text/truncate.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import { renderMessage } from '../src/ui/discord/render.ts';

const period = latestPeriod({ every: 'daily', at: '08:00', timezone: 'Europe/Berlin', only: false }, new Date('2026-12-01T09:00:00Z'));

/** A sentence of about 140 characters with markdown and a ping in it, as hostile article text has. */
const sentence = (i: number): string =>
  `Sentence ${i} of the harbour report says *the* _quay_ will close for repairs after the storm @everyone, and the ferry moves to the north pier.`;

function longItem(i: number): DigestItem {
  return {
    title: `${i}: ${'A very long headline about the harbour and its ferries '.repeat(6)}`,
    url: `https://harbour.example/news/${i}`,
    source: 'Harbour News',
    activity: { inPeriod: 30 - i, held: 100, declared: 120 },
    summary: [sentence(1), sentence(2) + ' ' + sentence(3)],
    quote: { text: Array.from({ length: 8 }, (_, k) => sentence(10 + k)).join(' '), block: 3, quotedBy: 12 - i, attribution: '- the harbour master said.' },
    threadId: `12000000000000000${i}`,
  };
}

const shortItem = (i: number): DigestItem => ({
  title: `Short story ${i}`,
  url: null,
  source: null,
  activity: { inPeriod: 3 - i, held: 3, declared: 0 },
  summary: ['The quay reopens.'],
  quote: null,
  threadId: null,
});

describe('GIVEN ten long articles', () => {
  const view = digestMessage(
    Array.from({ length: 10 }, (_, i) => longItem(i)),
    10,
    period,
  );
  const embeds = view.embeds ?? [];

  it('THEN there are ten embeds within 6,000 characters together and each text within its own limit', () => {
    expect(embeds).toHaveLength(10);
    expect(embeds.reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    for (const e of embeds) {
      expect(e.title?.length).toBeLessThanOrEqual(LIMITS.embedTitle);
      for (const f of e.fields ?? []) expect(f.value.length).toBeLessThanOrEqual(LIMITS.embedFieldValue);
    }
  });

  it('THEN the renderer sends it as built: nothing is cut again, and it pings no one', () => {
    const body = renderMessage(view);
    const sent = body.embeds ?? [];
    expect(sent.map((e) => [e.title, e.description, e.fields?.map((f) => f.value)])).toEqual(
      embeds.map((e) => [e.title, e.description, e.fields?.map((f) => f.value)]),
    );
    expect(sent.reduce((n, e) => n + embedLength(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(body.allowed_mentions).toEqual({ parse: [] });
    expect(body.content).toBe(view.content);
  });

  it('THEN every article keeps a summary sentence and a quote, the lowest-ranked cut shorter first, each cut marked at a word end', () => {
    const first =
      'Sentence 1 of the harbour report says \\*the\\* \\_quay\\_ will close for repairs after the storm @everyone, and the ferry moves to the north pier.';
    expect(embeds.map((e) => e.description)).toEqual(embeds.map(() => first));
    for (const e of embeds) {
      expect(e.fields?.map((f) => f.name)).toEqual(['Discussion', expect.stringMatching(/^Most quoted, by \d+ comments$/)]);
      const quote = e.fields?.[1]?.value ?? '';
      expect(quote).toMatch(/^> Sentence 10 of the harbour report says \\\*the\\\* /);
      expect(quote.endsWith(`${CUT_MARK}\n\\- the harbour master said.`)).toBe(true);
      expect(e.title?.endsWith(CUT_MARK)).toBe(true);
      // Cut at a word end: the word before the mark is whole.
      expect(e.title?.slice(0, -CUT_MARK.length)).toMatch(/(headline|about|the|harbour|and|its|ferries|A|very|long)$/);
    }
    // The top two keep longer quotes than the rest; no article is shown longer than one ranked above it (the first also carries the footer).
    const quotes = embeds.map((e) => e.fields?.[1]?.value.length ?? 0);
    expect(quotes[0]).toBeGreaterThan(quotes[9] ?? 0);
    const sizes = embeds.map((e, i) => embedChars(e) - (i === 0 ? (e.footer?.length ?? 0) : 0));
    for (let i = 1; i < sizes.length; i++) expect(sizes[i]).toBeLessThanOrEqual(sizes[i - 1] ?? 0);
  });

  it('THEN with long source names too, the lowest-ranked lose summary and quote, keeping title, counts and thread', () => {
    const crowded = digestMessage(
      Array.from({ length: 10 }, (_, i) => ({
        ...longItem(i),
        source: `The Harbour and Ferry Gazette of the Northern Coast, Evening Edition, Number ${i} ${'x'.repeat(40)}`,
      })),
      10,
      period,
    );
    const shown = crowded.embeds ?? [];
    expect(shown).toHaveLength(10);
    expect(shown.reduce((n, e) => n + embedChars(e), 0)).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(shown[0]?.description).toBeDefined();
    expect(shown[0]?.fields).toHaveLength(2);
    expect(shown[9]?.description).toBeUndefined();
    expect(shown[9]?.fields?.map((f) => f.value)).toEqual(['21 comments this day · 100 stored · 120 at the source\nThread: <#120000000000000009>']);
  });

  it('THEN three long articles are shown whole: two summary sentences each (the second of which holds two) and a longer quote', () => {
    const few = digestMessage([longItem(0), longItem(1), longItem(2)], 3, period).embeds ?? [];
    expect(few.map((e) => e.description?.match(/Sentence \d/g))).toEqual(few.map(() => ['Sentence 1', 'Sentence 2', 'Sentence 3']));
    // The quote is cut at a sentence end: two whole sentences, where ten articles leave room for less than one.
    expect(few.map((e) => e.fields?.[1]?.value.match(/Sentence \d+/g))).toEqual(few.map(() => ['Sentence 10', 'Sentence 11']));
    expect(few[0]?.title).toBe(`0: ${'A very long headline about the harbour and its ferries '.repeat(4)}A very long headline about${CUT_MARK}`);
  });

  it('THEN each article says its discussion and links its thread with a channel mention, and the first carries the period’s footer', () => {
    expect(embeds[3]?.fields?.[0]?.value).toBe('27 comments this day · 100 stored · 120 at the source\nThread: <#120000000000000003>');
    expect(embeds[0]?.footer).toBe('Paperboy · daily digest through 2026-12-01T08:00+01:00');
    expect(embeds.slice(1).every((e) => e.footer === undefined)).toBe(true);
    expect(embeds[0]?.url).toBe('https://harbour.example/news/0');
    expect(embeds[0]?.author).toBe('Harbour News');
  });
});

describe('GIVEN a few short articles, and more than ten', () => {
  it('THEN the short ones are shown whole, and the headline names the period and the count', () => {
    const view = digestMessage([shortItem(0), shortItem(1)], 2, period);
    expect(view.content).toBe('**Daily digest**, 30 Nov 2026 08:00 – 1 Dec 2026 08:00 (Europe/Berlin): 2 articles, most discussed first.');
    expect(view.embeds?.map((e) => [e.title, e.description, e.fields?.[0]?.value])).toEqual([
      ['Short story 0', 'The quay reopens.', '3 comments this day · 3 stored'],
      ['Short story 1', 'The quay reopens.', '2 comments this day · 3 stored'],
    ]);
  });

  it('THEN of twelve the ten most discussed are shown and the headline says so', () => {
    const view = digestMessage(
      Array.from({ length: 12 }, (_, i) => shortItem(i)),
      40,
      period,
    );
    expect(view.embeds).toHaveLength(10);
    expect(view.content).toMatch(/: the 10 most discussed of 40 articles\.$/);
  });
});

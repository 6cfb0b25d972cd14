/**
 * Article autocomplete through the real discord.js client and the local Discord, typed the way
 * bench/bot.ts types it: the first 3 to 14 characters of a stored title.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

const titles = [
  'The harbour ferry timetable changes in spring',
  'Their theatre reopens after the floods',
  'Thermal baths close for the winter',
  'United won the cup final in extra time',
  'United Nations staff return to Geneva',
  'Barcelona signs a goalkeeper from Porto',
];
// Stored in this order, so the last is the newest stored.
const stored = titles.map((title, i) => article({ title, publishedAt: `2026-10-0${i + 1}T08:00:00Z` }));

let bot: Harness;
beforeAll(async () => {
  bot = await startHarness({ articles: stored, libraryFile: true });
});
afterAll(() => bot.close());

const names = async (typed: string): Promise<string[]> => (await bot.suggest(typed)).map((c) => c.name);

describe('GIVEN titles that share their first letters', () => {
  it('THEN every start of a title from 3 to 14 characters suggests that title, with its id as the value', async () => {
    for (const a of stored) {
      for (let n = 3; n <= 14; n++) {
        const typed = a.title.slice(0, n);
        const choices = await bot.suggest(typed);
        expect(choices, `"${typed}"`).toContainEqual({ name: a.title, value: a.id });
      }
    }
  });

  it('THEN the last word is a prefix and every word typed must be in the title, newest stored first', async () => {
    expect(await names('The')).toEqual([
      'United won the cup final in extra time',
      'Thermal baths close for the winter',
      'Their theatre reopens after the floods',
      'The harbour ferry timetable changes in spring',
    ]);
    expect(await names('Unit')).toEqual(['United Nations staff return to Geneva', 'United won the cup final in extra time']);
    expect(await names('United won th')).toEqual(['United won the cup final in extra time']);
    // One letter of the next word narrows what the words before it found (it used to empty the list).
    expect(await names('The h')).toEqual(['The harbour ferry timetable changes in spring']);
    expect(await names('United n')).toEqual(['United Nations staff return to Geneva']);
    expect(await names('Barcel')).toEqual(['Barcelona signs a goalkeeper from Porto']);
    expect(await names('zeppel')).toEqual([]);
  });
});

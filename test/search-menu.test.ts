/**
 * The /search "Open a result" menu: its entries number on across pages, as the embed's hits do,
 * and each entry can be told from the others, comments on one article included.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE, searchView } from '../commands/search.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import { article, comment } from './helpers/articles.ts';

let store: SqliteStore;
beforeEach(() => {
  store = SqliteStore.open(':memory:');
});
afterEach(() => store.close());

const AUTHORS = ['Marta', 'Ivan', 'Olu', 'Keiko', 'Sam', 'Priya', 'Tomás', 'Ada', 'Lin', 'Bo', 'Ezra', 'Noor'];

describe('GIVEN twelve comments on one article that all match the query', () => {
  beforeEach(async () => {
    const comments = AUTHORS.map((author, i) => comment(i + 1, `The ferry from the harbour was late again, says ${author} on day ${i + 1}.`, { author }));
    await store.upsert(article({ title: 'Harbour reopens after the storm', source: 'Coast Gazette', text: 'The harbour reopened on Monday.', comments }));
  });

  it('THEN page 2 of the menu goes on from 6, as the embed does, and every entry says which comment, whose, on what', async () => {
    const page2 = await searchView(store, { query: 'ferry', scope: 'comments', source: null }, 2);
    const labels = page2.select?.options.map((o) => o.label) ?? [];
    expect(labels).toHaveLength(PAGE_SIZE);
    expect(labels.map((l) => l.split('.')[0])).toEqual(['6', '7', '8', '9', '10']);
    // The embed numbers the same hits the same way.
    for (const n of [6, 7, 8, 9, 10]) expect(page2.embeds?.[0]?.description).toContain(`**${n}.**`);
    for (const label of labels) expect(label).toMatch(/^\d+\. comment #\d+ by [^ ]+ · Harbour reopens after the storm$/);
    expect(new Set(labels).size).toBe(labels.length);
    // The description is the start of each comment's own words.
    for (const o of page2.select?.options ?? []) expect(o.description).toMatch(/^The ferry from the harbour was late again, says [^ ]+ on day \d+\.$/);
    // Each entry's comment is the one the embed shows under the same number.
    const description = page2.embeds?.[0]?.description ?? '';
    for (const label of labels) {
      const [, n, num, author] = /^(\d+)\. comment #(\d+) by (\S+)/.exec(label) ?? [];
      expect(description).toContain(`**${n}.** Harbour reopens after the storm\ncomment #${num} · by ${author}`);
    }
  });

  it('THEN a title or commenter name too long for Discord is cut, keeping the number and the comment', async () => {
    const long = 'A very long headline about the harbour '.repeat(8).trim();
    await store.upsert(article({ title: long, text: 'Nothing about boats.', comments: [comment(3, 'A ferry story.', { author: 'Bartholomew'.repeat(10) })] }));
    const hit = (await searchView(store, { query: 'story', scope: 'comments', source: null }, 1)).select?.options[0];
    expect(hit?.label.length).toBeLessThanOrEqual(100);
    // The name is cut at 40 characters, the title takes what is left of Discord's 100.
    expect(hit?.label).toBe(`1. comment #3 by ${'Bartholomew'.repeat(4).slice(0, 39)}… · A very long headline about the harbour…`);
  });
});

describe('GIVEN articles that match', () => {
  it('THEN article entries number on across pages and show their source and date', async () => {
    for (let i = 0; i < 7; i++)
      await store.upsert(
        article({
          title: `Harbour report ${i}`,
          source: 'Coast Gazette',
          publishedAt: `2021-10-${10 + i}T08:00:00Z`,
          text: `The harbour was busy on day ${i}.`,
        }),
      );
    const page2 = await searchView(store, { query: 'harbour', scope: 'articles', source: null }, 2);
    const options = page2.select?.options ?? [];
    expect(options.map((o) => o.label.split('.')[0])).toEqual(['6', '7']);
    for (const o of options) {
      expect(o.label).toMatch(/^\d+\. Harbour report \d$/);
      expect(o.description).toMatch(/^Coast Gazette · 2021-10-1\d$/);
    }
  });
});

describe('GIVEN a comment with no number, an id of 70 characters and a commenter name of 60', () => {
  const id = `c-${'7f3a9b2e'.repeat(9)}`.slice(0, 70);
  beforeEach(async () => {
    const c = comment(1, 'The ferry story nobody believed.', {
      number: null,
      id,
      author: 'Bartholomew Fitzgerald-Montgomery of the Harbour Watch Club'.padEnd(60, 'x'),
    });
    await store.upsert(
      article({ title: 'A very long headline about the harbour and its ferries '.repeat(3).trim(), text: 'Nothing about boats.', comments: [c] }),
    );
  });

  it('THEN the menu entry fits Discord’s 100 characters and still shows its number, the comment, the commenter and the title', async () => {
    const view = await searchView(store, { query: 'ferry', scope: 'comments', source: null }, 1);
    const label = view.select?.options[0]?.label ?? '';
    expect(label.length).toBeGreaterThan(0);
    expect(label.length).toBeLessThanOrEqual(100);
    expect(label).toMatch(/^1\. comment c-7f3a9b2e\S*… by Bartholomew [^·]*… · A very long headline\b/);
  });

  it('THEN the label fits on a page far down the results too', async () => {
    for (let i = 0; i < 12; i++) {
      const c = comment(1, `Another ferry story ${i}.`, { number: null, id: `${id}${i}`, author: 'A'.repeat(60) });
      await store.upsert(article({ title: `${'Headline '.repeat(12)}${i}`, text: 'Nothing.', comments: [c] }));
    }
    for (const page of [1, 2, 3]) {
      for (const o of (await searchView(store, { query: 'ferry', scope: 'comments', source: null }, page)).select?.options ?? []) {
        expect(o.label.length).toBeLessThanOrEqual(100);
        expect(o.label).toMatch(/ · \S/);
      }
    }
  });
});

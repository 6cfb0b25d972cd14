/**
 * The `article` option of /article, /summarize and /quote, end to end (the real discord.js client
 * against the local Discord): ids follow the CLI's rules, capitals and a 4-digit minimum included.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { article } from './helpers/articles.ts';
import { type Harness, startHarness } from './helpers/bot.ts';

const harbour = article({
  title: 'Harbour reopens after the storm',
  url: 'https://example.com/harbour',
  text: 'The harbour reopened today after three days of storms. Ships are queueing at the entrance.',
});

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ articles: [harbour] });
});
afterAll(async () => {
  await h?.close();
});

describe('GIVEN an article stored and its id pasted in capitals', () => {
  it('THEN /article, /summarize and /quote find it by its whole id or a prefix', async () => {
    for (const ref of [harbour.id.toUpperCase(), harbour.id.slice(0, 5).toUpperCase()]) {
      const shown = await h.run('article', { article: ref }).reply();
      expect({ ref, title: shown.embeds[0]?.title, content: shown.content }).toMatchObject({ ref, title: 'Harbour reopens after the storm' });
      const summary = await h.run('summarize', { article: ref }).reply();
      expect({ ref, ephemeral: summary.ephemeral }).toEqual({ ref, ephemeral: false });
      expect(JSON.stringify(summary.embeds)).toContain('The harbour reopened today');
      const quote = await h.run('quote', { article: ref }).reply();
      expect({ ref, ephemeral: quote.ephemeral }).toEqual({ ref, ephemeral: false });
      expect(JSON.stringify(quote.embeds)).toContain('harbour');
    }
  });
});

describe('GIVEN fewer than 4 hex digits of an id', () => {
  it('THEN the private answer says an id prefix needs at least 4 hex digits', async () => {
    const ref = harbour.id.slice(0, 3).toUpperCase();
    const reply = await h.run('article', { article: ref }).reply();
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe(
      `"${ref}" is too short for an article id: an id prefix needs at least 4 hex digits. Start typing a title and pick one from the list, or paste an article id or URL.`,
    );
  });
});

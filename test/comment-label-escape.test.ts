/**
 * A comment without a number is labelled by its id, and ids come from outside (JSON files, feeds):
 * any text. Wherever that label goes into Discord markdown it is escaped, so it shows as written:
 * /summarize's top comments and discussion digest, /quote's citation, the answer to an @mention in
 * an article's thread, and /search's hit list. Where Discord reads no markdown (the /search menu's
 * labels, the opened comment's embed author) it stays unescaped, as a backslash would show there.
 * Checked by drawing the views' text with the playground's renderer of Discord markdown.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import quote, { quoteView } from '../commands/quote.ts';
import search, { searchView } from '../commands/search.ts';
import summarize, { discussionView } from '../commands/summarize.ts';
import { answerFor } from '../src/app/discussion/answer.ts';
import { renderMarkdown } from '../src/ui/playground/client/markdown.ts';
import { SqliteStore } from '../src/adapters/store/sqlite-store.ts';
import type { View } from '../src/core/view.ts';
import { article, comment } from './helpers/articles.ts';

const ctx = { userName: () => undefined, channelName: () => undefined };
const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
/** `text` as the renderer writes plain text: HTML-escaped, nothing else. */
const html = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML[c] ?? c);

/**
 * The HTML Discord would draw for `markdown`. A bare URL may be linked (its text is still the URL),
 * so such a link is taken back to its text; a masked link stays, and fails any comparison with text.
 */
function drawn(markdown: string, options: { embed?: boolean } = {}): string {
  return renderMarkdown(markdown, ctx, options).replace(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g, (whole, href: string, text: string) =>
    URL.canParse(text) && new URL(text).href === href ? text : whole,
  );
}

/** An id Discord drew as bold and italic instead of as written. */
const ID = '**x**_y_';
/** Every kind of inline markdown, a masked link and a mention: each must show as written. */
const HOSTILE = [ID, '~~gone~~ `code` ||spoiler||', 'a > b | c', '[x](https://evil.example)', '<@123456789012345678>', 'back\\*slash*'];

const TEXT = 'The ferry from the harbour was late again this morning.';
const BODY = 'The harbour reopened on Monday after the storm. The ferry runs again.';

function withComment(id: string): Article {
  return article({ title: 'Harbour reopens', text: BODY, comments: [comment(1, TEXT, { id, number: null, author: 'Marta', rating: 9 })] });
}

function embedOf(view: View): NonNullable<View['embeds']>[number] {
  const embed = view.embeds?.[0];
  if (!embed) throw new Error('expected an embed');
  return embed;
}

describe('GIVEN an article whose comment has no number and an id with markdown', () => {
  describe('WHEN /summarize of the discussion lists the top comments', () => {
    it('THEN the label shows the id as written, in bold, before the comment', () => {
      const value = embedOf(discussionView(withComment(ID), 'medium')).fields?.find((f) => f.name === 'Top comments')?.value ?? '';
      expect(value).toBe(`**comment \\*\\*x\\*\\*\\_y\\_** (rating 9): ${TEXT}`);
      expect(drawn(value, { embed: true })).toBe(`<strong>comment ${html(ID)}</strong> (rating 9): ${TEXT}`);
    });

    it('THEN every kind of markdown in the id shows as written', () => {
      for (const id of HOSTILE) {
        const value = embedOf(discussionView(withComment(id), 'medium')).fields?.find((f) => f.name === 'Top comments')?.value ?? '';
        expect(drawn(value, { embed: true }), id).toBe(`<strong>comment ${html(id)}</strong> (rating 9): ${TEXT}`);
      }
    });
  });

  describe('WHEN /summarize of the discussion quotes what readers said', () => {
    it('THEN the label shows the id as written, in bold with the commenter, through the command handler', async () => {
      const store = SqliteStore.open(':memory:');
      try {
        const a = withComment(ID);
        await store.upsert(a);
        const view = await summarize.run({ article: a.id, length: 'medium', of: 'discussion' }, { store, now: () => new Date() });
        const description = embedOf(view).description ?? '';
        expect(description).toBe(`**comment \\*\\*x\\*\\*\\_y\\_, Marta:** ${TEXT}`);
        expect(drawn(description)).toBe(`<strong>comment ${html(ID)}, Marta:</strong> ${TEXT}`);
      } finally {
        await store.close();
      }
    });

    it('THEN every kind of markdown in the id shows as written', () => {
      for (const id of HOSTILE) {
        const description = embedOf(discussionView(withComment(id), 'medium')).description ?? '';
        expect(drawn(description), id).toBe(`<strong>comment ${html(id)}, Marta:</strong> ${TEXT}`);
      }
    });
  });

  describe('WHEN /quote quotes the comment', () => {
    it('THEN the citation shows the id as written, through the command handler', async () => {
      const store = SqliteStore.open(':memory:');
      try {
        const a = withComment(ID);
        await store.upsert(a);
        const view = await quote.run({ article: a.id, about: 'ferry', from: 'comments' }, { store, now: () => new Date() });
        const description = embedOf(view).description ?? '';
        expect(description).toBe(`> ${TEXT}\n— comment \\*\\*x\\*\\*\\_y\\_, by Marta, 2021-10-20 10:12, rating 9, on *Harbour reopens*`);
        expect(drawn(description)).toBe(
          `<blockquote>${TEXT}</blockquote>— comment ${html(ID)}, by Marta, 2021-10-20 10:12, rating 9, on <em>Harbour reopens</em>`,
        );
      } finally {
        await store.close();
      }
    });

    it('THEN every kind of markdown in the id shows as written', () => {
      for (const id of HOSTILE) {
        const description = embedOf(quoteView(withComment(id), 'ferry', 'comments')).description ?? '';
        expect(drawn(description), id).toBe(
          `<blockquote>${TEXT}</blockquote>— comment ${html(id)}, by Marta, 2021-10-20 10:12, rating 9, on <em>Harbour reopens</em>`,
        );
      }
    });
  });

  describe('WHEN someone @mentions the bot in the article’s thread and the answer cites the comment', () => {
    const citation = (reply: string): string => reply.slice(reply.lastIndexOf('\n— ') + 1);

    it('THEN the citation shows the id as written', () => {
      const reply = answerFor(withComment(ID), 'Is the ferry late?', '42').content ?? '';
      expect(reply).toContain(`**From the discussion:**\n> ${TEXT}\n`);
      expect(citation(reply)).toBe('— comment \\*\\*x\\*\\*\\_y\\_ by Marta, 2021-10-20 10:12');
      const end = `<blockquote>${TEXT}</blockquote>— comment ${html(ID)} by Marta, 2021-10-20 10:12`;
      expect(drawn(reply).slice(-end.length)).toBe(end);
    });

    it('THEN every kind of markdown in the id shows as written', () => {
      for (const id of HOSTILE) {
        expect(drawn(citation(answerFor(withComment(id), 'Is the ferry late?', '42').content ?? '')), id).toBe(
          `— comment ${html(id)} by Marta, 2021-10-20 10:12`,
        );
      }
    });
  });

  describe('WHEN /search finds the comment', () => {
    let store: SqliteStore;
    beforeEach(() => {
      store = SqliteStore.open(':memory:');
    });
    afterEach(() => store.close());

    const hitLine = (description: string): string => description.split('\n')[1] ?? '';

    it('THEN the hit shows the id as written; the menu and the opened comment, which Discord does not read as markdown, show it unescaped', async () => {
      const a = withComment(ID);
      await store.upsert(a);
      const view = await search.run({ query: 'ferry', scope: 'comments' }, { store, now: () => new Date() });
      const description = embedOf(view).description ?? '';
      expect(hitLine(description)).toBe('comment \\*\\*x\\*\\*\\_y\\_ · by Marta · 2021-10-20 10:12');
      expect(drawn(description).split('<br>')[1]).toBe(`comment ${html(ID)} · by Marta · 2021-10-20 10:12`);
      // Plain text fields: escaping there would show the backslashes.
      expect(view.select?.options[0]?.label).toBe(`1. comment ${ID} by Marta · Harbour reopens`);
      const state = view.select?.state ?? [];
      const opened = await search.component?.(state.slice(1), [view.select?.options[0]?.value ?? ''], { store, now: () => new Date() });
      expect(opened?.view.embeds?.[0]?.author).toBe(`comment ${ID} · Marta · 2021-10-20 10:12 · rating 9`);
    });

    it('THEN every kind of markdown in the id shows as written', async () => {
      for (const id of HOSTILE) {
        const own = SqliteStore.open(':memory:');
        try {
          await own.upsert(withComment(id));
          const description = embedOf(await searchView(own, { query: 'ferry', scope: 'comments', source: null }, 1)).description ?? '';
          expect(drawn(hitLine(description)), id).toBe(`comment ${html(id)} · by Marta · 2021-10-20 10:12`);
        } finally {
          await own.close();
        }
      }
    });
  });
});

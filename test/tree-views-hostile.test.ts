/**
 * Trees from hostile or odd sources still read: a chain of thousands of replies, a loop of replies,
 * an endless name and paragraph, a link with brackets and spaces. Every comment is placed once and
 * every page fits.
 */
import { describe, expect, it } from 'vitest';
import { PAGE_CHARS, articlePages } from '../src/app/views/article-pages.ts';
import { CONTINUED, depthMarker } from '../src/app/views/tree-pages.ts';
import { MAX_INDENT_DEPTH, renderArticle } from '../src/ui/cli/render.ts';
import type { Comment } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';

const reply = (id: string, replyTo: string | null, text: string, extra: Partial<Comment> = {}): Comment =>
  comment(0, text, { id, number: null, author: `user ${id}`, replyTo, rating: 1, url: `https://news.ycombinator.com/item?id=${id.slice(3)}`, ...extra });

describe('GIVEN a chain of 3,000 replies, each answering the one before', () => {
  const comments = Array.from({ length: 3000 }, (_, i) => reply(`hn:${i + 1}`, i === 0 ? null : `hn:${i}`, `Reply number ${i + 1}.`));
  const a = article({ title: 'Endless thread', comments });

  it('THEN every reply is on a page once, marked with its depth as a number past 8, and every page fits', () => {
    const { pages, firstCommentPage } = articlePages(a);
    const text = pages.slice(firstCommentPage ?? 0).join('\n');
    for (const [i, c] of comments.entries()) {
      const lines = text.split('\n').filter((l) => l.endsWith(`(${c.url})`));
      expect(lines, c.id).toHaveLength(1);
      expect(lines[0]?.startsWith(i === 0 ? '**user hn:1**' : `${depthMarker(i)} **user ${c.id}**`), c.id).toBe(true);
    }
    expect(depthMarker(8)).toBe('››››››››');
    expect(depthMarker(2999)).toBe('›×2999');
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(PAGE_CHARS);
    // One subtree: after its first page, each page says it goes on.
    expect(pages.slice((firstCommentPage ?? 0) + 1).every((p) => p.startsWith(`${CONTINUED}\n\n`))).toBe(true);
  });

  it('THEN the terminal indents at most MAX_INDENT_DEPTH levels and says the depth past them', () => {
    const lines = renderArticle(a).split('\n');
    const deepest = lines.find((l) => l.includes('hn:3000 ·')) ?? '';
    expect(deepest.startsWith(`${'  '.repeat(MAX_INDENT_DEPTH)}hn:3000 · user hn:3000`)).toBe(true);
    expect(deepest).toContain('(depth 2999)');
    expect(lines.find((l) => l.includes('hn:3 ·'))?.startsWith('    hn:3 ·')).toBe(true);
  });
});

describe('GIVEN replies that answer each other in a loop, and one whose parent is missing', () => {
  it('THEN each is shown once: the loop is broken at its first comment, the orphan is a root', () => {
    const comments = [reply('hn:1', 'hn:2', 'First of a loop.'), reply('hn:2', 'hn:1', 'Second of a loop.'), reply('hn:3', 'hn:99', 'Parent never fetched.')];
    const text = articlePages(article({ title: 'Loops', comments })).pages.join('\n');
    for (const c of comments)
      expect(
        text.split('\n').filter((l) => l.endsWith(`(${c.url})`)),
        c.id,
      ).toHaveLength(1);
    expect(text).toContain('\n› **user hn:2**');
    expect(text).toContain('\n**user hn:3**');
  });
});

describe('GIVEN an endless name, an endless paragraph and a link with a bracket and a space', () => {
  it('THEN the name is cut, the paragraph is split over pages with its marker on every line, and the link stays whole', () => {
    const long = 'The *harbour* [board] met again and said nothing new about the ferry. '.repeat(400);
    const comments = [
      reply('hn:1', null, 'Root.'),
      reply('hn:2', 'hn:1', long, { author: `Name ${'very '.repeat(2000)}long`, url: 'https://forum.example/t/a (b)/1' }),
    ];
    const { pages, firstCommentPage } = articlePages(article({ title: 'Long', comments }));
    const commentPages = pages.slice(firstCommentPage ?? 0);
    for (const p of pages) expect(p.length).toBeLessThanOrEqual(PAGE_CHARS);
    const all = commentPages.join('\n');
    expect(all).toContain('[on Hacker News](https://forum.example/t/a%20(b%29/1)');
    expect(all).toMatch(/› \*\*Name (very ){10,}[^*]*…\*\*/);
    // Every line of the reply carries its marker, on every page it runs over.
    const replyLines = all.split('\n').filter((l) => l.includes('harbour'));
    expect(replyLines.length).toBeGreaterThan(3);
    for (const l of replyLines) expect(l.startsWith('› ')).toBe(true);
    expect((all.match(/ferry/g) ?? []).length).toBe(400);
  });
});

describe('GIVEN a reply that quotes the article', () => {
  it('THEN the quotation shows in quotation marks after the marker, where a block quote could not start', () => {
    const body = 'The council voted to close the harbour road for the whole summer season.';
    const comments = [reply('hn:1', null, 'Root.'), reply('hn:2', 'hn:1', `${body}\n\nAbout time.`, { quotes: [{ paragraph: 0, block: 0 }] })];
    const text = articlePages(article({ title: 'Road', text: body, comments })).pages.join('\n');
    expect(text).toContain(`› “${body}”\n\n› About time.`);
  });
});

/**
 * Reading a real discussion as a tree: the Reddit thread of shared/datasets (485 comments, 9 deep)
 * in /article's pages and `paperboy show`'s text. Depths are counted from the JSON's own nesting,
 * not from the code under test.
 */
import { describe, expect, it } from 'vitest';
import { checkMessageBody } from '@paperboy/fake-discord';
import { articleView } from '../commands/article.ts';
import { PAGE_CHARS, articlePages, commentHeader } from '../src/app/views/article-pages.ts';
import { CONTINUED, depthMarker } from '../src/app/views/tree-pages.ts';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';
import { createCodec } from '../src/ui/discord/custom-id.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import { renderView } from '../src/ui/discord/render.ts';
import { MAX_INDENT_DEPTH, renderArticle } from '../src/ui/cli/render.ts';
import { article, comment } from './helpers/articles.ts';
import { rawComments, redditThread } from './helpers/reddit-thread.ts';

const thread = redditThread();
const raw = rawComments();
const depthOf = new Map(raw.map((c) => [`reddit:${c.id}`, c.depth]));

describe('GIVEN the Reddit thread of 485 comments, 9 replies deep', () => {
  const { pages, firstCommentPage } = articlePages(thread);
  const commentPages = pages.slice(firstCommentPage ?? pages.length);

  it('THEN the JSON holds what the test expects: 485 comments, depths 0 to 9, 10 deleted', () => {
    expect(raw).toHaveLength(485);
    expect(Math.max(...raw.map((c) => c.depth))).toBe(9);
    expect(thread.comments).toHaveLength(485);
    expect(thread.comments.filter((c) => c.deleted)).toHaveLength(10);
  });

  it('THEN every comment appears exactly once in the pages, its header marked with its depth', () => {
    const text = commentPages.join('\n');
    for (const c of thread.comments) {
      // Each header ends with the link to the comment, which no other comment shares.
      const link = `(${c.url})`;
      const lines = text.split('\n').filter((l) => l.includes(link));
      expect(lines, c.id).toHaveLength(1);
      const depth = depthOf.get(c.id) ?? -1;
      const marker = depthMarker(depth);
      expect(lines[0]?.startsWith(marker === '' ? '**' : `${marker} **`), `${c.id} at depth ${depth}: ${lines[0]}`).toBe(true);
    }
    // The deepest replies (depth 9) carry the number, not nine marks.
    expect(text).toContain('›×9 **');
  });

  it('THEN each top-level subtree with replies starts a page, and one too long for a page goes on to the next', () => {
    const roots = thread.comments.filter((c) => c.replyTo === null);
    const answered = roots.filter((r) => thread.comments.some((c) => c.replyTo === r.id));
    expect(answered.length).toBeGreaterThan(10);
    for (const root of answered) {
      const page = commentPages.find((p) => p.includes(`(${root.url})`)) ?? '';
      const start = page.replace(/^\*\*485 comments\*\*\n\n/, '');
      expect(start.split('\n')[0], root.id).toContain(`(${root.url})`);
    }
    const continued = commentPages.filter((p) => p.startsWith(`${CONTINUED}\n\n`));
    expect(continued.length).toBeGreaterThan(0);
    // A continued page goes on with the subtree of the page before: no root starts on it.
    for (const p of continued) expect(p.split('\n').filter((l) => l.startsWith('**') && l.includes('[on Reddit]'))).toEqual([]);
  });

  it('THEN a comment shows its author, score and link; a deleted one says so and shows no text', () => {
    const all = commentPages.join('\n\n');
    const top = [...thread.comments].sort((a, b) => (b.rating ?? 0) - (a.rating ?? 0))[0]!;
    expect(all).toContain(`**${top.author?.replace('_', '\\_')}** · 2011-12-08 03:13:41 UTC · score ${top.rating} · [on Reddit](${top.url})`);
    const deleted = thread.comments.find((c) => c.deleted)!;
    const line = all.split('\n').find((l) => l.includes(`(${deleted.url})`)) ?? '';
    expect(line).toContain('(deleted at the source)');
    expect(line).toContain('**unknown author**');
    expect(all).not.toContain('[deleted]');
  });

  it("THEN every page fits Discord's limits as /article renders it, without the renderer cutting anything", async () => {
    const codec = createCodec({ keyv: openKeyv(openDatabase(':memory:'), 'bot') });
    expect(pages.length).toBeGreaterThan(20);
    for (let page = 1; page <= pages.length; page++) {
      const view = articleView(thread, page);
      const description = view.embeds?.[0]?.description ?? '';
      expect(description.length).toBeLessThanOrEqual(PAGE_CHARS);
      const payload = await renderView(view, codec);
      expect(checkMessageBody(payload as unknown as Record<string, unknown>).map((i) => `${page}: ${i.path.join('.')} ${i.message}`)).toEqual([]);
      expect(payload.embeds[0]?.description).toBe(description);
      expect(PAGE_CHARS).toBeLessThanOrEqual(LIMITS.embedDescription);
    }
  });

  it('THEN "Next thread" jumps from any comment page to the first page of the next answered thread', () => {
    const { threadStarts = [] } = articlePages(thread);
    expect(threadStarts.length).toBe(thread.comments.filter((r) => r.replyTo === null && thread.comments.some((c) => c.replyTo === r.id)).length);
    const first = (firstCommentPage ?? 0) + 1;
    for (let page = first; page <= pages.length; page++) {
      const button = articleView(thread, page).buttons?.find((b) => b.label === 'Next thread ⏭');
      const expected = threadStarts.find((i) => i + 1 > page);
      if (expected === undefined) expect(button?.state ?? null).toBeNull();
      else if (expected + 1 === page + 1) expect(button?.state ?? null, `page ${page}: Next goes there`).toBeNull();
      else expect(button?.state, `page ${page}`).toEqual(['article', thread.id, String(expected + 1)]);
    }
    // A thread's first page starts with its root, which has replies on that page.
    for (const i of threadStarts) {
      const start = (pages[i] ?? '').replace(/^\*\*485 comments\*\*\n\n/, '');
      expect(start.startsWith('**'), `page ${i + 1}`).toBe(true);
      expect(start).toMatch(/\n› \*\*/);
    }
  });

  it('THEN an edited comment says "(edited)"', () => {
    const edited = { ...thread, comments: thread.comments.map((c, i) => (i === 3 ? { ...c, editedAt: '2011-12-09T10:00:00Z' } : c)) };
    const line = articlePages(edited)
      .pages.join('\n')
      .split('\n')
      .find((l) => l.includes(`(${edited.comments[3]?.url})`));
    expect(line).toMatch(/ · \(edited\) · \[on Reddit\]/);
  });
});

describe('GIVEN `paperboy show` on the same thread', () => {
  const text = renderArticle(thread);
  const lines = text.split('\n');

  it('THEN each comment heads a line indented two spaces per depth, capped, and the deepest say their depth', () => {
    for (const c of thread.comments) {
      const header = lines.filter((l) => l.trimStart().startsWith(`${c.id} · `));
      expect(header, c.id).toHaveLength(1);
      const depth = depthOf.get(c.id) ?? -1;
      const pad = '  '.repeat(Math.min(depth, MAX_INDENT_DEPTH));
      expect(header[0]?.startsWith(`${pad}reddit:`), `${c.id} at depth ${depth}`).toBe(true);
      expect(header[0]).toContain(`on Reddit · ${c.url}`);
      if (depth > MAX_INDENT_DEPTH) expect(header[0]).toContain(`(depth ${depth})`);
      if (c.rating !== null) expect(header[0]).toContain(`score ${c.rating}`);
      if (c.deleted) expect(header[0]).toContain('(deleted at the source)');
    }
  });

  it("THEN a comment's text sits four spaces inside its header", () => {
    const c = thread.comments.find((x) => (depthOf.get(x.id) ?? 0) === 2 && x.paragraphs.length === 1 && !x.paragraphs[0]?.includes('\n'))!;
    const at = lines.findIndex((l) => l.trimStart().startsWith(`${c.id} · `));
    expect(lines[at + 1]).toBe(`        ${c.paragraphs[0]}`);
  });
});

describe('GIVEN comments without replies or a platform (the export, thread replies)', () => {
  it('THEN /article and show look as they did: numbered headers, no marks, ratings', () => {
    const a = article({
      title: 'Ferry timetable',
      comments: [comment(1, 'First.', { rating: 3 }), comment(2, 'Second.', { author: 'Ann' })],
    });
    const { pages, firstCommentPage } = articlePages(a);
    expect(pages.slice(firstCommentPage ?? 0)).toEqual([
      '**2 comments**\n\n**#1** · 2021-10-20 10:12 · rating 3\nFirst.\n\n**#2** · Ann · 2021-10-20 10:12 · rating 0\nSecond.',
    ]);
    expect(commentHeader(a.comments[1]!)).toBe('**#2** · Ann · 2021-10-20 10:12 · rating 0');
    expect(renderArticle(a)).toContain('#1 · 2021-10-20 10:12 · rating 3\n    First.\n\n#2 · Ann · 2021-10-20 10:12 · rating 0\n    Second.');
  });

  it('THEN beside an imported tree, thread replies keep their own header, indented when they answer one another', () => {
    const asked = comment(0, 'Who restarted memcached?', { id: 'discord:100', number: null, author: 'Ann', rating: null });
    const answered = comment(0, 'The admins did.', { id: 'discord:101', number: null, author: 'Bo', rating: null, replyTo: 'discord:100' });
    const mixed = { ...thread, comments: [...thread.comments, asked, answered] };
    const text = articlePages(mixed).pages.join('\n');
    expect(text).toContain(`${commentHeader(asked)}\nWho restarted memcached?`);
    expect(text).toContain(`› ${commentHeader(answered)}\n› The admins did.`);
    expect(commentHeader(asked)).toBe('**a thread reply** · Ann · 2021-10-20 10:12');
  });
});

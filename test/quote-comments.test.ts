/**
 * /quote from: comments on imported comments: the passage is verbatim, cited by its author, its
 * platform and a link to it; one comment can be picked by id, number or link; a reply's quote of
 * its parent is never put under the replier's name.
 */
import { describe, expect, it } from 'vitest';
import { checkMessageBody } from '@paperboy/fake-discord';
import { quoteView } from '../commands/quote.ts';
import { findComment, quotePassage } from '../src/app/library/quote.ts';
import { commentSource } from '../src/app/views/comment-source.ts';
import { UserError } from '../src/core/errors.ts';
import type { Comment } from '../src/core/model.ts';
import { findQuote } from '../src/core/text/quote.ts';
import { renderQuote } from '../src/ui/cli/text-render.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { article, comment } from './helpers/articles.ts';
import { rawComments, redditThread } from './helpers/reddit-thread.ts';

const thread = redditThread();
const PERMALINK = 'https://www.reddit.com/r/announcements/comments/n49rw/were_back/';

describe('GIVEN the Reddit thread', () => {
  it('THEN a quote from the comments names the commenter, Reddit and the link, and fits a message', () => {
    const view = quoteView(thread, undefined, 'comments', 'reddit:c364qyj');
    const description = view.embeds?.[0]?.description ?? '';
    expect(description).toBe(
      `> Did you try pulling the cartridge out and blowing?\n— Howard\\_Campbell on Reddit, 2011-12-08 03:13:41 UTC, score 2645, on *We're back*\n[Open on Reddit](${PERMALINK}c364qyj/)`,
    );
    expect(checkMessageBody(renderMessage({ embeds: view.embeds ?? [] }) as Record<string, unknown>)).toEqual([]);
    // Found by topic among all 485, the passage is cited by whoever wrote it.
    const cited = quotePassage(thread, { about: 'memcached restart', from: 'comments' });
    const s = cited?.quote.source;
    if (s?.kind !== 'comment') throw new Error('expected a comment quote');
    const c = thread.comments.find((x) => x.id === s.commentId);
    expect(c?.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(cited?.quote.text);
    expect(cited?.citation).toMatchObject({ author: c?.author, source: 'Reddit', url: c?.url, rating: c?.rating });
  });

  it('THEN any comment can be picked by its link, id or a link without the slash, even nine replies deep', () => {
    const nine = rawComments().filter((c) => c.depth === 9 && c.body !== '[deleted]');
    const deep = thread.comments.find((c) => c.id === `reddit:${nine[0]?.id}`)!;
    for (const ref of [deep.url ?? '', deep.id, (deep.url ?? '').replace(/\/$/, '')]) expect(findComment(thread, ref)?.id, ref).toBe(deep.id);
    const cited = quotePassage(thread, { from: 'comments', comment: deep.id });
    expect(cited?.quote.source).toMatchObject({ kind: 'comment', commentId: deep.id, url: deep.url });
    const s = cited?.quote.source;
    if (s?.kind !== 'comment') throw new Error('expected a comment quote');
    // Verbatim: the passage is the comment's own text, cut out, not rebuilt.
    expect(deep.paragraphs[s.paragraph]?.slice(s.start, s.end)).toBe(cited?.quote.text);
    expect(cited?.citation).toMatchObject({ kind: 'comment', author: deep.author, source: 'Reddit', url: deep.url });
    const description = quoteView(thread, undefined, 'article', deep.url ?? '').embeds?.[0]?.description ?? '';
    expect(description.endsWith(`[Open on Reddit](${deep.url})`)).toBe(true);
  });

  it('THEN a deleted comment, or one that is not there, is a plain answer naming it', () => {
    const deleted = thread.comments.find((c) => c.deleted)!;
    expect(() => quoteView(thread, undefined, 'comments', deleted.id)).toThrow(
      new UserError('not-found', 'That comment was deleted at its source: there is nothing left to quote.'),
    );
    expect(() => quoteView(thread, undefined, 'comments', 'reddit:nothere')).toThrow(`No comment "reddit:nothere" on "We're back".`);
  });

  it('THEN the terminal citation says the same, with the link on its own line', () => {
    const cited = quotePassage(thread, { from: 'comments', comment: 'reddit:c364qyj' });
    const text = renderQuote(
      { id: thread.id, title: thread.title, about: null, from: 'comments', quote: cited?.quote ?? null, citation: cited?.citation ?? null },
      cited?.citation ?? null,
    );
    expect(text).toBe(
      `> Did you try pulling the cartridge out and blowing?\n— Howard_Campbell on Reddit, 2011-12-08 03:13:41Z, score 2645, on "We're back"\n  ${PERMALINK}c364qyj/`,
    );
  });
});

describe('GIVEN comments from each platform', () => {
  const from = (id: string, url: string | null): Comment =>
    comment(0, 'The new ferry timetable leaves the island without a boat on Sundays.', { id, number: null, author: 'Ines', url });
  const cases: [string, string | null, string][] = [
    ['reddit:abc', null, 'Reddit'],
    ['hn:8863', 'https://news.ycombinator.com/item?id=8863', 'Hacker News'],
    ['discourse:forum.example.org:1234', 'https://forum.example.org/t/ferries/99/4', 'forum.example.org'],
    ['feed:tag:blog.example,2026:c1', 'https://blog.example/ferries#comment-1', 'blog.example'],
    ['feed:https://www.blog.example/?p=1#c2', null, 'blog.example'],
  ];

  it('THEN the citation names the platform from the id or the link, and links the comment when it has a link', () => {
    for (const [id, url, source] of cases) {
      const a = article({ title: 'Sunday ferries', comments: [from(id, url)] });
      expect(commentSource({ id, url }), id).toBe(source);
      const description = quoteView(a, 'Sunday boat', 'comments').embeds?.[0]?.description ?? '';
      expect(description, id).toContain(`— Ines on ${source}, 2021-10-20 10:12, score 0, on *Sunday ferries*`);
      if (url) expect(description, id).toContain(`\n[Open on ${source}](${new URL(url).href})`);
      else expect(description, id).not.toContain('[Open');
    }
  });

  it("THEN the export's own comments are cited as before", () => {
    const a = article({
      title: 'Sunday ferries',
      comments: [comment(3, 'The new ferry timetable leaves the island without a boat on Sundays.', { author: 'Ines' })],
    });
    expect(quoteView(a, 'Sunday boat', 'comments').embeds?.[0]?.description).toBe(
      '> The new ferry timetable leaves the island without a boat on Sundays.\n— comment #3, by Ines, 2021-10-20 10:12, rating 0, on *Sunday ferries*',
    );
  });
});

describe("GIVEN a reply that quotes its parent's words", () => {
  const parent = 'The harbour master says the ferry timetable changes every week without any warning at all.';
  const a = article({
    title: 'Timetables',
    comments: [
      comment(0, parent, { id: 'reddit:p', number: null, author: 'Ola' }),
      comment(0, `> ${parent}\n\nThat is simply wrong, it changed twice this year.`, { id: 'reddit:r', number: null, author: 'Tor', replyTo: 'reddit:p' }),
      comment(0, `${parent}\n\nSource please.`, { id: 'reddit:s', number: null, author: 'Siv', replyTo: 'reddit:p' }),
    ],
  });

  it('THEN a quote about those words cites the parent, never a replier who repeated them', () => {
    const q = findQuote(a, { about: 'timetable warning harbour master', from: 'comments' });
    expect(q?.source).toMatchObject({ kind: 'comment', commentId: 'reddit:p', paragraph: 0 });
    for (const id of ['reddit:r', 'reddit:s']) {
      const own = findQuote(a, { about: 'timetable warning harbour master', from: 'comments', comment: id });
      expect(own, id).toBeNull();
    }
    expect(findQuote(a, { from: 'comments', comment: 'reddit:r' })?.text).toBe('That is simply wrong, it changed twice this year.');
  });
});

/**
 * The digest of a discussion tree: its liveliest subthreads (replies, distinct authors, score) and
 * the passages most argued about, on the real Reddit thread (counted here from the JSON's own
 * nesting) and on a small hand-built tree whose answer is known.
 */
import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { checkMessageBody } from '@paperboy/fake-discord';
import { discussionView } from '../commands/summarize.ts';
import { digest } from '../src/core/text/digest.ts';
import { renderDigest } from '../src/ui/cli/text-render.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { LIMITS } from '../src/ui/discord/limits.ts';
import type { Comment } from '../src/core/model.ts';
import { article, comment } from './helpers/articles.ts';
import { type RawComment, rawComments, redditThread } from './helpers/reddit-thread.ts';

const thread = redditThread();

/** Each top-level comment's subthread counted from the JSON: replies at any depth, distinct named authors, total score. */
function countSubthreads(raw: readonly RawComment[]): { id: string; replies: number; authors: number; score: number; body: string }[] {
  const parent = new Map(raw.map((c) => [c.id, c.parent]));
  const rootOf = (id: string): string => {
    let at = id;
    for (let p = parent.get(at); p; p = parent.get(at)) at = p;
    return at;
  };
  const out = new Map(raw.filter((c) => c.parent === null).map((c) => [c.id, { id: c.id, replies: 0, authors: new Set<string>(), score: 0, body: c.body }]));
  for (const c of raw) {
    const entry = out.get(rootOf(c.id));
    if (!entry) continue;
    if (c.parent !== null) entry.replies++;
    if (c.author !== '[deleted]') entry.authors.add(c.author);
    entry.score += c.score;
  }
  return [...out.values()].map((e) => ({ ...e, authors: e.authors.size }));
}

describe('GIVEN the Reddit thread of 485 comments', () => {
  const counted = countSubthreads(rawComments());
  const d = digest(thread);

  it('THEN the liveliest subthread is the one with the most replies and authors by our own count, with its counts', () => {
    const byReplies = [...counted].sort((a, b) => b.replies - a.replies);
    const byAuthors = [...counted].sort((a, b) => b.authors - a.authors);
    // In this thread one subthread leads on both, so either reading of "liveliest" names it.
    expect(byReplies[0]?.id).toBe(byAuthors[0]?.id);
    const best = byReplies[0]!;
    expect(d.liveliest[0]).toMatchObject({
      root: { id: `reddit:${best.id}`, author: 'Howard_Campbell' },
      replies: best.replies,
      authors: best.authors,
      score: best.score,
    });
    expect(best.replies).toBe(86);
    // The list follows replies plus authors, as counted here.
    const ranked = [...counted].sort((a, b) => b.replies + b.authors - (a.replies + a.authors) || b.score - a.score).slice(0, 3);
    expect(d.liveliest.map((t) => [t.root.id, t.replies, t.authors])).toEqual(ranked.map((t) => [`reddit:${t.id}`, t.replies, t.authors]));
    expect(d.liveliest[0]?.depth).toBe(9);
  });

  it("THEN each subthread shows its root's first sentence verbatim", () => {
    for (const t of d.liveliest) {
      const root = counted.find((c) => `reddit:${c.id}` === t.root.id);
      expect(t.opening).not.toBeNull();
      expect(root?.body.startsWith(t.opening ?? '\u0000'), t.root.id).toBe(true);
    }
    expect(d.liveliest[0]?.opening).toBe('Did you try pulling the cartridge out and blowing?');
  });

  it('THEN /summarize of the discussion lists them with counts and links, and the embed fits without cutting', () => {
    const embed = discussionView(thread, 'long').embeds?.[0];
    const field = embed?.fields?.find((f) => f.name === 'Liveliest threads')?.value ?? '';
    expect(field.split('\n')[0]).toBe(
      '**Howard\\_Campbell on Reddit** (86 replies, 68 authors, score 8,821): "Did you try pulling the cartridge out and blowing?" · [open](https://www.reddit.com/r/announcements/comments/n49rw/were_back/c364qyj/)',
    );
    for (const f of embed?.fields ?? []) expect(f.value.length, f.name).toBeLessThanOrEqual(LIMITS.embedFieldValue);
    const sent = renderMessage({ embeds: embed ? [embed] : [] });
    expect(checkMessageBody(sent as Record<string, unknown>)).toEqual([]);
    // Nothing was cut to fit: what the view built is what Discord gets.
    expect(sent.embeds?.[0]?.fields?.map((f) => f.value)).toEqual(embed?.fields?.map((f) => f.value));
    expect(sent.embeds?.[0]?.description).toBe(embed?.description);
    expect(embedLength(sent.embeds?.[0] ?? {})).toBeLessThanOrEqual(LIMITS.embedTotal);
  });

  it('THEN the terminal digest lists the liveliest threads with their links', () => {
    const text = renderDigest(thread, d);
    expect(text).toContain('Top comments:\n  Howard_Campbell on Reddit (score 2645): Did you try pulling the cartridge out and blowing?');
    expect(text).toContain(
      'Liveliest threads:\n  Howard_Campbell on Reddit (86 replies, 68 authors, score 8821): "Did you try pulling the cartridge out and blowing?"\n    https://www.reddit.com/r/announcements/comments/n49rw/were_back/c364qyj/',
    );
  });
});

describe('GIVEN a passage quoted once and argued over, and another quoted twice in passing', () => {
  const body = [
    'The council voted to close the harbour road for the whole summer season.',
    'Buses will run every ten minutes from the station to the ferry terminal.',
  ];
  const quoting = (id: string, block: number, extra: Partial<Comment> = {}): Comment =>
    comment(0, `${body[block]}\n\nI have thoughts on this.`, { id, number: null, author: id, quotes: [{ paragraph: 0, block }], ...extra });
  const reply = (id: string, to: string, author: string): Comment => comment(0, 'No, you are wrong.', { id, number: null, author, replyTo: to });
  const a = article({
    title: 'Harbour road closes',
    text: body.join('\n\n'),
    comments: [
      quoting('a', 0),
      reply('a1', 'a', 'bo'),
      reply('a2', 'a1', 'cy'),
      reply('a3', 'a2', 'bo'),
      reply('a4', 'a', 'di'),
      quoting('b', 1),
      quoting('c', 1),
      // A reply that quotes the passage itself counts as a quote, not also as a reply.
      quoting('a5', 0, { replyTo: 'a4' }),
    ],
  });
  const d = digest(a);

  it('THEN the argued one ranks first with its quotes and replies; the quoted list still counts quotes alone', () => {
    expect(d.argued).toEqual([
      { block: 0, text: body[0], quotes: 2, replies: 4 },
      { block: 1, text: body[1], quotes: 2, replies: 0 },
    ]);
    expect(d.quoted.map((q) => [q.block, q.comments])).toEqual([
      [0, 2],
      [1, 2],
    ]);
    expect(d.liveliest).toHaveLength(1);
    expect(d.liveliest[0]).toMatchObject({ root: { id: 'a' }, replies: 5, authors: 5, depth: 3 });
  });

  it('THEN both front ends call it "Most argued passages" with the counts', () => {
    const field = discussionView(a, 'short').embeds?.[0]?.fields?.find((f) => f.name === 'Most argued passages')?.value;
    expect(field?.split('\n')[0]).toBe(`2 quotes, 4 replies under them, paragraph 1: "${body[0]}"`);
    expect(renderDigest(a, d)).toContain(`Most argued passages:\n  2 quotes, 4 replies under them, paragraph 1: "${body[0]}"`);
  });

  it('THEN without replies under any quote the list stays "Most quoted passages", as before', () => {
    const flat = { ...a, comments: a.comments.filter((c) => c.replyTo === null) };
    const names = discussionView(flat, 'short').embeds?.[0]?.fields?.map((f) => f.name);
    expect(names).toContain('Most quoted passages');
    expect(names).not.toContain('Most argued passages');
    expect(names).not.toContain('Liveliest threads');
  });
});

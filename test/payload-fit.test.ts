/**
 * Payloads fit Discord by construction: whatever an article holds (an endless commenter name,
 * fields that together pass 6,000 characters, a javascript: link), its views rendered as delivery
 * sends them pass the local Discord's checks, and only http(s) URLs are stored or sent.
 */
import { embedLength } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { parseJson } from '../src/adapters/sources/parse-json.ts';
import { articleViews, COMMENT_MESSAGE_CHARS } from '../src/app/delivery/messages.ts';
import { PAGE_CHARS } from '../src/app/views/article-pages.ts';
import { createCodec } from '../src/ui/discord/custom-id.ts';
import { LIMITS, fitEmbeds } from '../src/ui/discord/limits.ts';
import { renderMessage, renderView } from '../src/ui/discord/render.ts';
import { checkMessageBody } from '@paperboy/fake-discord';
import { openDatabase } from '../src/adapters/store/db.ts';
import { openKeyv } from '../src/adapters/store/kv.ts';
import { article, comment } from './helpers/articles.ts';

/** What the local Discord would refuse in a message body, as `path: message` lines (none is success). */
function refused(body: object): string[] {
  return checkMessageBody(body as Record<string, unknown>).map((i) => `${i.path.join('.')}: ${i.message}`);
}

/** An article whose post embed, before fitting, passes Discord's 6,000 total: every field at its own limit. */
export function oversizeArticle(): ReturnType<typeof article> {
  // Asterisks double when escaped, so the summary's 1,500 characters become about 3,000.
  const sentence = 'The *committee* met on *Monday* and *agreed* the *plan*. ';
  return article({
    title: `A very long headline ${'about the harbour '.repeat(20)}`,
    text: sentence.repeat(60),
    source: `Coast Gazette ${'and Harbour Weekly '.repeat(80)}`,
    author: `Jane Doe ${'and colleagues '.repeat(100)}`,
    publishedAt: '2026-11-20T06:00',
    commentsUrl: `https://news.example/comments/${'x'.repeat(1100)}`,
    comments: [comment(1, 'Fine.')],
  });
}

describe('GIVEN a comment whose author name is longer than a message header allows', () => {
  it('THEN the plan cuts the name and every message fits in 2,000 characters', () => {
    const name = `Commenter ${'with an endless name '.repeat(150)}`;
    const a = article({ title: 'Ferry timetable', comments: [comment(1, 'About time. '.repeat(300), { author: name })] });
    const plan = articleViews(a);
    expect(plan.comments.length).toBeGreaterThan(1);
    for (const step of plan.comments) {
      const sent = renderMessage(step.message);
      expect(refused(sent)).toEqual([]);
      // Sent exactly as planned: the engine recognises a comment posted before a crash by its text.
      expect(sent.content).toBe(step.message.content);
      expect(sent.content?.slice(0, '**#1** · Commenter with an endless name'.length)).toBe('**#1** · Commenter with an endless name');
    }
    // All of the comment's text is there, across the parts.
    const words =
      plan.comments
        .map((s) => s.message.content ?? '')
        .join(' ')
        .match(/About time\./g) ?? [];
    expect(words).toHaveLength(300);
  });

  it("THEN the view budgets (a comment message, an article page) are within Discord's limits, so the renderer never cuts them", () => {
    expect(COMMENT_MESSAGE_CHARS).toBeLessThanOrEqual(LIMITS.messageContent);
    expect(PAGE_CHARS).toBeLessThanOrEqual(LIMITS.embedDescription);
  });
});

describe('GIVEN an article whose post would pass the 6,000-character embed total', () => {
  it('THEN every field is cut to its limit and the embed to the total, and the footer marker stays whole', () => {
    const a = oversizeArticle();
    const post = renderMessage(articleViews(a).post);
    const embed = post.embeds?.[0];
    expect(refused(post)).toEqual([]);
    expect(embedLength(embed ?? {})).toBeLessThanOrEqual(LIMITS.embedTotal);
    expect(embed?.footer?.text).toBe(`Paperboy · article ${a.id}`);
    expect(embed?.fields?.map((f) => f.name)).toEqual(['Source', 'Author', 'Published', 'Comments']);
    // A link too long for its field is left out rather than cut into a broken one.
    expect(embed?.fields?.[3]?.value).toBe('1 comment');
    expect(renderMessage(articleViews({ ...a, commentsUrl: 'https://news.example/c/1' }).post).embeds?.[0]?.fields?.[3]?.value).toBe(
      '1 comment · [at the source](https://news.example/c/1)',
    );
  });

  it('THEN fitEmbeds keeps ten embeds of full fields within the total, cutting texts first and dropping fields last first', () => {
    const long = 'word '.repeat(1000);
    const embeds = fitEmbeds(
      Array.from({ length: 12 }, (_, i) => ({
        title: long,
        description: long,
        footer: { text: `page ${i}` },
        fields: Array.from({ length: 30 }, () => ({ name: long, value: long })),
      })),
    );
    expect(embeds).toHaveLength(LIMITS.embedsPerMessage);
    expect(refused({ embeds })).toEqual([]);
    expect(embeds.map((e) => e.footer?.text)).toEqual(Array.from({ length: 10 }, (_, i) => `page ${i}`));
    expect(embeds[0]?.fields?.length).toBeGreaterThan(0);
    expect(embeds[0]?.description).toMatch(/word \[…\]$/);
  });
});

describe('GIVEN URLs with schemes other than http and https', () => {
  it('THEN a file with a javascript: or ftp: URL is refused at ingest, naming the field', () => {
    expect(() =>
      parseJson(
        'news.json',
        JSON.stringify([
          { title: 'Fine', body: 'Text.' },
          { title: 'Bad', body: 'Text.', url: 'javascript:alert(1)' },
        ]),
      ),
    ).toThrow(
      'news.json:1: expected an absolute http:// or https:// URL (other schemes, such as javascript: or ftp:, are refused) at `[1].url`, got string "javascript:alert(1)"',
    );
    expect(() => parseJson('news.json', JSON.stringify({ title: 'Bad', body: 'Text.', commentsUrl: 'ftp://files.example/c' }))).toThrow(
      /http:\/\/ or https:\/\/ URL .* at `commentsUrl`/,
    );
    expect(parseJson('news.json', JSON.stringify({ title: 'Good', body: 'Text.', url: 'https://news.example/a' })).articles[0]?.url).toBe(
      'https://news.example/a',
    );
  });

  it('THEN one stored before that check never reaches a payload: no embed URL, no link', async () => {
    const a = article({ title: 'Stored long ago', url: 'javascript:alert(1)', commentsUrl: 'data:text/html,<script>alert(1)</script>' });
    const embed = renderMessage(articleViews(a).post).embeds?.[0];
    expect(embed?.url).toBeUndefined();
    expect(embed?.fields?.find((f) => f.name === 'Comments')?.value).toBe('0 comments');
    expect(renderMessage(articleViews({ ...a, url: 'https://news.example/a' }).post).embeds?.[0]?.url).toBe('https://news.example/a');

    const codec = createCodec({ keyv: openKeyv(openDatabase(':memory:'), 'bot') });
    const payload = await renderView(
      {
        embeds: [
          { title: 'x', url: 'ftp://files.example/a' },
          { title: 'y', url: 'http://news.example/b' },
        ],
      },
      codec,
    );
    expect(payload.embeds.map((e) => e.url)).toEqual([undefined, 'http://news.example/b']);
  });
});

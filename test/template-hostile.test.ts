/**
 * Article text is hostile, and a template puts it where the operator chose: `@everyone`, mention
 * tags, markdown and a 10 MB body must still show as written (drawn by the playground's renderer of
 * Discord markdown), ping no one, and make a post of bounded size that Discord accepts.
 */
import { describe, expect, it } from 'vitest';
import type { Article } from '../src/core/model.ts';
import { checkTemplate, postView, renderPost } from '../src/app/templates/render.ts';
import { renderMessage } from '../src/ui/discord/render.ts';
import { renderMarkdown } from '../src/ui/playground/client/markdown.ts';
import { checkMessageBody } from '@paperboy/fake-discord';
import { article, comment } from './helpers/articles.ts';

const ctx = { userName: () => undefined, channelName: () => undefined };
const ENTITIES: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/** What a reader sees of `markdown`, failing when any of it is drawn as formatting rather than text. */
function shown(markdown: string): string {
  // The playground draws @everyone and @here as Discord does, highlighted; whether they ping is up to
  // allowed_mentions (checked below), not the text.
  const html = renderMarkdown(markdown, ctx).replace(/<span class="mention">(@everyone|@here)<\/span>/gu, '$1');
  // A bare URL may be linked by Discord: its text is still the URL.
  const bare = html.replace(/<a href="([^"]*)"[^>]*>([^<]*)<\/a>/g, (_, href: string, text: string) => {
    expect(new URL(text).href, `a masked link in ${html}`).toBe(href);
    return text;
  });
  expect(bare.replace(/<br>/g, ''), `formatting in ${html}`).not.toMatch(/<[a-z/]/i);
  return bare.replace(/<br>/g, '\n').replace(/&(?:amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e] ?? e);
}

const refused = (body: object): string[] => checkMessageBody(body as Record<string, unknown>).map((i) => `${i.path.join('.')}: ${i.message}`);

const TITLE = '@everyone <@123456789012345678> **Breaking** [click](https://evil.example) ||spoiler|| ~~gone~~ `code` _x_';
const hostile = article({
  title: TITLE,
  source: '<@&42> # Gazette',
  author: '> quoted author',
  text: '@here this is **bold** news. Read [more](https://evil.example/x) now.',
  comments: [comment(1, 'Yes.', { quotes: [{ paragraph: 0, block: 0 }] })],
});

describe('GIVEN article text holding mentions and markdown', () => {
  it('THEN every placeholder shows it as written, whatever the template puts around it', () => {
    const post = renderPost({ content: '{title}\n{source}\n{author}', description: '{quote}', threadName: '{title}' }, hostile);
    expect(shown(post.content ?? '')).toBe(`${TITLE}\n<@&42> # Gazette\n> quoted author`);
    expect(shown(post.description ?? '')).toBe(hostile.body[0]?.text);
    // A thread name is not markdown: Discord shows it as it is, and a name pings no one.
    expect(post.threadName).toBe(TITLE);
  });

  it('THEN the template’s own markdown still applies around it', () => {
    const post = renderPost({ content: '**{source}** says: {title|max:30}' }, hostile);
    expect(renderMarkdown(post.content ?? '', ctx)).toMatch(/^<strong>&lt;@&amp;42&gt; # Gazette<\/strong> says: /u);
  });

  it('THEN the payload sent allows no mention at all', () => {
    const sent = renderMessage(postView(hostile, { content: '{title} {source}' }).post);
    expect(sent.allowed_mentions).toEqual({ parse: [] });
    expect(sent.content).toContain('@everyone');
    expect(sent.content).not.toMatch(/(?<!\\)<@/u);
    expect(refused(sent)).toEqual([]);
  });
});

describe('GIVEN a 10 MB body and a 1 MB title', () => {
  const huge = 'The harbour *board* met @everyone <@123> and agreed. '.repeat(200_000);
  const big: Article = {
    ...article({ title: `Long ${'headline **words** '.repeat(50_000)}`, comments: [comment(1, 'Indeed.', { quotes: [{ paragraph: 0, block: 1 }] })] }),
    body: [
      { type: 'paragraph', text: 'The board met on Monday to discuss the harbour. It agreed to reopen it.' },
      { type: 'quote', text: huge, attribution: null },
    ],
  };

  it('THEN the post is bounded, escaped, and accepted by Discord once rendered', () => {
    expect(huge.length).toBeGreaterThan(10_000_000);
    const template = { content: '{quote} {title}', title: '{title|upper}', description: '{summary:10}\n\n> {quote}', threadName: '{title} {quote}' };
    const { post, threadName } = postView(big, template);
    expect(post.content?.length).toBeLessThan(60_000);
    expect(post.embeds?.[0]?.description?.length).toBeLessThan(30_000);
    expect(post.embeds?.[0]?.title?.length).toBeLessThan(60_000);
    expect(threadName.length).toBeLessThan(30_000);
    expect(post.content).not.toMatch(/(?<!\\)(<@|\*\*)/u);
    const sent = renderMessage(post);
    expect(refused(sent)).toEqual([]);
    expect(sent.allowed_mentions).toEqual({ parse: [] });
  });

  it('THEN checking such a template says which fields are over, instead of failing', () => {
    const smaller: Article = {
      ...big,
      body: [big.body[0] ?? { type: 'paragraph', text: 'x' }, { type: 'quote', text: huge.slice(0, 1_000_000), attribution: null }],
    };
    expect(checkTemplate({ content: '{quote}', title: '{title}', threadName: '{title}' }, smaller).map((p) => p.field)).toEqual([
      'content',
      'title',
      'threadName',
    ]);
  });
});
